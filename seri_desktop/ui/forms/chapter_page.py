"""A chapter's page: its number, title, department and programs, and its author blocks (작성자, ☎), editable.

Each block covers the run of programs from its first one on; its people are
rows of a table (줄 | 부서 | 직위 | 이름 | 전화: people on the same printed
line share its number, so one block may name several departments, as 4-8's
does). Edits stay on the page until 작성자 저장, which writes every block of
the chapter in one transaction through ``saver`` (the window's author
actions: the report's structure, office only, audited) and is one step on
:attr:`ChapterPage.undo_stack` (Ctrl+Z writes the blocks as they were).
되돌리기 drops the edits not saved yet. A non-empty ``readonly_reason``
(a department's package) shows the blocks without letting them change.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.authors import DEFAULT_CAPTION, ENTRY_FIELDS, run_label
from seri_desktop.domain.model import AuthorBlock, AuthorEntry, Chapter, Report
from seri_desktop.ui.forms.common import Banner, caption, scroll_area, title_label

LINE_COLUMN = "줄"
COLUMNS: tuple[str, ...] = (LINE_COLUMN, *ENTRY_FIELDS)
AUTHORS_HEADING = "작성자"
AUTHORS_HINT = (
    "묶음마다 맡는 첫 사업과 사람(부서, 직위, 이름, 전화)을 적습니다. 같은 줄에 찍을 사람은 줄 번호를 같게 "
    "합니다. '작성자 저장'을 눌러야 저장되고, Ctrl+Z로 저장 전 상태로 돌립니다."
)

# Saves the blocks of the chapter with that uid; the chapter as stored, or None when refused (the saver said why).
Saver = Callable[[str, list[AuthorBlock]], Chapter | None]


class BlockEditor(QGroupBox):
    """One author block: the program it starts at and its people."""

    edited = Signal()
    removeRequested = Signal(object)

    def __init__(self, chapter: Chapter, block: AuthorBlock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._caption = block.caption or DEFAULT_CAPTION
        self.start = QComboBox()
        for index, program in enumerate(chapter.programs):
            self.start.addItem(f"{program.code} {program.title}", index)
        if block.before_program >= len(chapter.programs):
            self.start.addItem("(마지막 사업 다음)", len(chapter.programs))
        self.start.setCurrentIndex(max(0, self.start.findData(block.before_program)))
        self.start.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        # As tall as its rows: the page scrolls, never the small table inside it.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((44, 170, 170, 110, 110)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        for entry in block.entries:
            self._append(entry)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())
        self.add_button = QPushButton("사람 추가")
        self.add_button.clicked.connect(self.add_person)
        self.remove_person_button = QPushButton("사람 빼기")
        self.remove_person_button.clicked.connect(self.remove_person)
        self.remove_button = QPushButton("묶음 지우기")
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        top = QHBoxLayout()
        top.addWidget(QLabel("맡는 첫 사업"))
        top.addWidget(self.start, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_person_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._fit_height()

    def _append(self, entry: AuthorEntry) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = (str(entry.line + 1), entry.department, entry.role, entry.name, entry.phone)
        for column, value in enumerate(values):
            self.table.setItem(row, column, QTableWidgetItem(value))

    def _fit_height(self) -> None:
        rows = max(self.table.rowCount(), 1)
        header = self.table.horizontalHeader().sizeHint().height()
        height = header + rows * self.table.verticalHeader().defaultSectionSize() + 2 * self.table.frameWidth() + 2
        self.table.setFixedHeight(height)

    def add_person(self) -> None:
        """A new row on a new line, in the department of the row above (the usual case)."""
        entries = self.entries()
        last = entries[-1] if entries else None
        line = last.line + 1 if last else 0
        self.table.blockSignals(True)
        self._append(AuthorEntry(role="", name="", phone="", department=last.department if last else "", line=line))
        self.table.blockSignals(False)
        self._fit_height()
        self.table.setCurrentCell(self.table.rowCount() - 1, COLUMNS.index("이름"))
        self.edited.emit()

    def remove_person(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._fit_height()
            self.edited.emit()

    def set_editable(self, editable: bool) -> None:
        triggers = (
            QAbstractItemView.EditTrigger.AllEditTriggers if editable else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self.table.setEditTriggers(triggers)
        for widget in (self.start, self.add_button, self.remove_person_button, self.remove_button):
            widget.setEnabled(editable)

    def _text(self, row: int, column: str) -> str:
        item = self.table.item(row, COLUMNS.index(column))
        return item.text().strip() if item is not None else ""

    def entries(self) -> list[AuthorEntry]:
        out: list[AuthorEntry] = []
        for row in range(self.table.rowCount()):
            line_text = self._text(row, LINE_COLUMN)
            line = (
                int(line_text) - 1 if line_text.isdigit() and int(line_text) > 0 else (out[-1].line + 1 if out else 0)
            )
            department, role, name, phone = (self._text(row, c) for c in ENTRY_FIELDS)
            out.append(AuthorEntry(role=role, name=name, phone=phone, department=department, line=line))
        return out

    def block(self) -> AuthorBlock:
        data = self.start.currentData()
        return AuthorBlock(
            before_program=int(data) if data is not None else 0, entries=self.entries(), caption=self._caption
        )


class _SetBlocks(QUndoCommand):
    """Saving a chapter's blocks: redo writes ``new``, undo writes ``old`` (the first redo is the save just made)."""

    def __init__(self, page: ChapterPage, uid: str, title: str, old: list[AuthorBlock], new: list[AuthorBlock]) -> None:
        super().__init__(f"{title} 작성자")
        self.page, self.uid, self.old, self.new = page, uid, old, new
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.page.write(self.uid, copy.deepcopy(self.new))

    def undo(self) -> None:
        self.page.write(self.uid, copy.deepcopy(self.old))


class ChapterPage(QWidget):
    """See the module docstring; ``message`` carries status-bar text."""

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._saver: Saver | None = None
        self._report: Report | None = None
        self._chapter: Chapter | None = None
        self._reason = ""
        self._dirty = False
        self.banner = Banner()
        self.title = title_label()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.programs = QLabel()
        self.programs.setWordWrap(True)
        self.heading = QLabel(f"<b>{AUTHORS_HEADING}</b>")
        self.hint = caption(AUTHORS_HINT)
        self.hint.setWordWrap(True)
        self.blocks_box = QVBoxLayout()
        self.blocks: list[BlockEditor] = []
        self.add_block_button = QPushButton("묶음 추가")
        self.add_block_button.clicked.connect(self.add_block)
        self.save_button = QPushButton("작성자 저장")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("되돌리기")
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_block_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(12, 4, 16, 24)
        for widget in (self.info, self.programs, self.heading, self.hint):
            body.addWidget(widget)
        body.addLayout(self.blocks_box)
        body.addLayout(buttons)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.title)
        self._content = content
        self.scroll_area = scroll_area(content)
        layout.addWidget(self.scroll_area, 1)
        self._update_buttons()

    # ------------------------------------------------------------------ binding

    def set_saver(self, saver: Saver | None) -> None:
        self._saver = saver

    @property
    def chapter(self) -> Chapter | None:
        return self._chapter

    @property
    def dirty(self) -> bool:
        """Edits on the page not saved yet."""
        return self._dirty

    def set_chapter(self, report: Report, chapter: Chapter, readonly_reason: str = "") -> None:
        """Show ``chapter`` of ``report`` (edits of another chapter not saved are dropped)."""
        self._report, self._chapter = report, chapter
        self._reason = readonly_reason or (
            "" if self._saver is not None else "이 파일에서는 작성자를 고칠 수 없습니다."
        )
        self.banner.show_text(self._reason)
        self.title.setText(f"{chapter.number}. {chapter.title}")
        self.info.setText(f"담당 부서: {chapter.department or '—'}   ·   사업 {len(chapter.programs)}개")
        self.programs.setText("<br>".join(f"{p.code} {p.title}" for p in chapter.programs))
        self._show_blocks(chapter.author_blocks)

    def _show_blocks(self, blocks: Sequence[AuthorBlock]) -> None:
        for editor in self.blocks:
            self.blocks_box.removeWidget(editor)
            editor.deleteLater()
        self.blocks = []
        for block in sorted(blocks, key=lambda b: b.before_program):
            self._add_editor(block)
        self._dirty = False
        self._update_buttons()

    def _fit_content(self) -> None:
        # The labels wrap (height for width), and then the scroll area sizes the content to the viewport
        # rather than to its minimum: say the minimum outright, so the tables are never squeezed.
        self._content.setMinimumHeight(0)
        self._content.setMinimumHeight(self._content.minimumSizeHint().height())

    def _add_editor(self, block: AuthorBlock) -> BlockEditor:
        assert self._chapter is not None
        editor = BlockEditor(self._chapter, block)
        editor.edited.connect(self._on_edited)
        editor.removeRequested.connect(self._remove_block)
        editor.set_editable(not self._reason)
        self.blocks.append(editor)
        self.blocks_box.addWidget(editor)
        self._retitle()
        self._fit_content()
        QTimer.singleShot(0, self._fit_content)  # again once the new block's own layout has run
        return editor

    def _retitle(self) -> None:
        if self._chapter is None:
            return
        blocks = [editor.block() for editor in self.blocks]
        order = sorted(range(len(blocks)), key=lambda i: blocks[i].before_program)
        ordered = [blocks[i] for i in order]
        for n, editor in enumerate(self.blocks, start=1):
            covered = run_label(self._chapter, ordered, order.index(n - 1))
            editor.setTitle(f"{AUTHORS_HEADING} {n}" + (f" — {covered}" if covered else ""))

    def _on_edited(self) -> None:
        self._dirty = True
        self._retitle()
        self._fit_content()
        QTimer.singleShot(0, self._fit_content)
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = bool(self._chapter) and not self._reason
        self.add_block_button.setEnabled(editable)
        self.save_button.setEnabled(editable and self._dirty)
        self.revert_button.setEnabled(editable and self._dirty)

    # ------------------------------------------------------------------ editing

    def current_blocks(self) -> list[AuthorBlock]:
        """The blocks as the page shows them now (saved or not)."""
        return [editor.block() for editor in self.blocks]

    def add_block(self) -> BlockEditor:
        """A new block starting at the first program without one, with one empty person."""
        assert self._chapter is not None
        taken = {editor.block().before_program for editor in self.blocks}
        free = next((n for n in range(len(self._chapter.programs)) if n not in taken), 0)
        editor = self._add_editor(AuthorBlock(before_program=free, caption=DEFAULT_CAPTION))
        editor.add_person()
        return editor

    def _remove_block(self, editor: BlockEditor) -> None:
        self.blocks.remove(editor)
        self.blocks_box.removeWidget(editor)
        editor.deleteLater()
        self._on_edited()

    def revert(self) -> None:
        if self._chapter is not None:
            self._show_blocks(self._chapter.author_blocks)

    def save(self) -> bool:
        """Write the page's blocks (one transaction, one undo step); ``False`` when refused (the page keeps them)."""
        chapter = self._chapter
        if chapter is None or self._reason or not self._dirty:
            return False
        old = copy.deepcopy(chapter.author_blocks)
        new = self.current_blocks()
        if not self.write(chapter.uid, copy.deepcopy(new), keep_edits=True):
            return False
        self.undo_stack.push(_SetBlocks(self, chapter.uid, f"{chapter.number}장", old, new))
        self.message.emit(f"{chapter.number}장 작성자를 저장했습니다.")
        return True

    def write(self, uid: str, blocks: list[AuthorBlock], *, keep_edits: bool = False) -> bool:
        """Save ``blocks`` as chapter ``uid``'s and show them if that chapter is shown; ``False`` when refused."""
        if self._saver is None:
            return False
        stored = self._saver(uid, blocks)
        if stored is None:
            return False
        if self._chapter is not None and self._chapter.uid == uid:
            self._chapter.author_blocks = copy.deepcopy(stored.author_blocks)
            self._show_blocks(self._chapter.author_blocks)
        elif keep_edits:
            self._dirty = False
        return True
