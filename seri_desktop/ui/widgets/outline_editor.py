"""The outline (개조식) editor: one text line per item, the marker drawn as typeset.

Every block of the text document is one item of the outline (a table item
is one block per table row, cells separated by tabs as in the report text).
A block's level and kind live in its ``userState`` (an int), so they travel
with the text when the user splits or joins lines. The marker (``○`` at
level 0, ``-`` below, ``※`` note, ``*`` footnote) is not part of the text:
it is painted in the block's left margin, so it cannot be typed over and the
text wraps with a hanging indent the way the printed report does.

Keys: Tab / Shift+Tab change the level of the item when the caret is at its
start (or of the selected items when several are selected), and otherwise
move to the next or previous field like everywhere else; arriving in the
editor by Tab, they go on to the next field until the user types, clicks or
moves the caret, so tabbing through the form never changes an outline; Ctrl+Tab and Esc leave the editor (Ctrl+Shift+Tab
backwards). In a table row, Tab inside the text adds a cell. Enter starts a
new item at the same level; Shift+Enter breaks the line inside an item (the
``\\n`` of a wrapped item); ``※``, ``*``, ``○`` or ``-`` typed at the start of
an item followed by a space make it a note, a footnote, a level-0 or a
dash item. Pasting several lines in the report's text format makes items of
them (the importer's own line reader); copying several items gives that
format back.

The editor emits :attr:`OutlineEditor.edited` with the whole new outline;
it has no undo of its own (the session's stack has it) and ignores the undo
shortcuts so the window's actions get them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QEvent, QMimeData, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFocusEvent,
    QFontMetrics,
    QGuiApplication,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QTextEdit, QToolTip, QWidget

from seri_desktop.domain.model import ItemKind, Outline, OutlineItem
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui import marks
from seri_desktop.ui.menus import make_action
from seri_desktop.ui.widgets.fields import is_undo_shortcut, leave, leave_direction
from seri_desktop.ui.widgets.outline_blocks import (
    LINE_SEPARATOR,
    MAX_LEVEL,
    READONLY_BACKGROUND,
    TYPED_MARKS,
    BlockState,
    ItemProblems,
    changed_position,
    format_block,
    item_blocks,
    looks_like_outline,
    marker,
    paint_markers,
    parse_items,
    state_of,
)

__all__ = ["BlockState", "OutlineEditor", "marker"]


class OutlineEditor(QTextEdit):
    """Edits one outline; see the module docstring."""

    # the new outline (list[OutlineItem]); True when the edit is structural (never merged into typing)
    edited = Signal(object, bool)

    def __init__(
        self,
        *,
        default_level: int = 1,
        default_kind: ItemKind = ItemKind.ITEM,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._default = BlockState(default_level, default_kind)
        self._loading = False
        self._batch = False
        self._last: Outline = []
        self._item_blocks: list[int] = []  # first block number of each item
        self._problems = ItemProblems()
        self._fitted_height = -1
        self._passing_through = False  # arrived by Tab: Tab goes on to the next field

        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._placeholder = placeholder or "항목을 입력하십시오. 항목 맨 앞에서 Tab: 한 단계 아래로, Shift+Tab: 위로"
        self.setPlaceholderText(self._placeholder)
        doc = self.document()
        doc.setDocumentMargin(4)
        option = doc.defaultTextOption()
        option.setTabStopDistance(96)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        doc.contentsChanged.connect(self._on_contents_changed)
        self._build_context_actions()
        self.set_outline([])

    # ------------------------------------------------------------------ public API

    def set_outline(self, outline: Outline) -> None:
        """Show ``outline`` (no :attr:`edited`); the cursor goes where the text changed (undo, redo)."""
        position = self.textCursor().position()
        old_text = self.document().toRawText()
        self._loading = True
        try:
            doc = self.document()
            doc.clear()
            cursor = QTextCursor(doc)
            cursor.beginEditBlock()
            first = True
            for item in outline:
                for state, text in item_blocks(item):
                    if not first:
                        cursor.insertBlock()
                    first = False
                    cursor.insertText(text)
                    self._format_block(cursor, state)
            if first:
                self._format_block(cursor, self._default)
            cursor.endEditBlock()
            position = changed_position(old_text, doc.toRawText(), position)
            cursor.setPosition(min(position, max(doc.characterCount() - 1, 0)))
            self.setTextCursor(cursor)
        finally:
            self._loading = False
        self._last = self.outline()
        self._fit_height()
        self.viewport().update()

    def outline(self) -> Outline:
        """The outline the document holds now (empty lines are not items)."""
        items: Outline = []
        item_blocks: list[int] = []
        previous: BlockState | None = None
        block = self.document().begin()
        while block.isValid():
            state = self._state_of(block, previous)
            text = block.text().replace(LINE_SEPARATOR, "\n")
            if state.kind is ItemKind.TABLE:
                row = text.split("\t")
                last = items[-1] if items else None
                continues = previous is not None and previous.kind is ItemKind.TABLE and not state.table_start
                if continues and last is not None and last.table is not None:
                    last.table.append(row)
                else:
                    items.append(OutlineItem(state.level, ItemKind.TABLE, "", [row]))
                    item_blocks.append(block.blockNumber())
            elif text.strip():
                items.append(OutlineItem(state.level, state.kind, text))
                item_blocks.append(block.blockNumber())
            previous = state
            block = block.next()
        self._item_blocks = item_blocks
        return items

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Mark items (problems with a row) and the whole field (problems without one)."""
        self._problems = ItemProblems(problems)
        self.viewport().update()

    def problems(self) -> list[Problem]:
        return self._problems.all()

    def set_editable(self, editable: bool) -> None:
        self.setReadOnly(not editable)
        for action in self._kind_actions:
            action.setEnabled(editable)
        # Read-only looks it: a grey page and no invitation to type.
        palette = self.palette()
        base = self.style().standardPalette().color(QPalette.ColorRole.Base)
        palette.setColor(QPalette.ColorRole.Base, base if editable else READONLY_BACKGROUND)
        self.setPalette(palette)
        self.setPlaceholderText(self._placeholder if editable else "(내용 없음)")

    def select_item(self, row: int, start: int = 0, length: int = 0) -> bool:
        """Put the cursor on item ``row`` (1-based), selecting ``length`` characters from ``start``."""
        self.outline()  # refresh the item → block map
        if not 1 <= row <= len(self._item_blocks):
            return False
        block = self.document().findBlockByNumber(self._item_blocks[row - 1])
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + min(start, max(block.length() - 1, 0)))
        if length:
            end = min(block.position() + start + length, block.position() + block.length() - 1)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def item_rect(self, row: int) -> QRect:
        """Where item ``row`` (1-based) is, in this widget's coordinates (for scrolling to it)."""
        if not 1 <= row <= len(self._item_blocks):
            return self.rect()
        block = self.document().findBlockByNumber(self._item_blocks[row - 1])
        rect = self.document().documentLayout().blockBoundingRect(block).toRect()
        return rect.translated(self.viewport().pos())

    def current_item_state(self) -> BlockState:
        return self._state_of(self.textCursor().block(), None)

    def set_kind(self, kind: ItemKind) -> None:
        """Make the selected items notes, footnotes, items, plain text or table rows."""
        if self.isReadOnly():
            return

        def convert(state: BlockState) -> BlockState:
            return BlockState(state.level, kind, False)

        self._restate_selection(convert)

    def change_level(self, delta: int) -> None:
        """Move the selected items ``delta`` levels deeper (positive) or up (negative)."""
        if self.isReadOnly():
            return

        def shift(state: BlockState) -> BlockState:
            return state._replace(level=max(0, min(MAX_LEVEL, state.level + delta)))

        self._restate_selection(shift)

    # ------------------------------------------------------------------ Qt overrides

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(self._fitted_height, self.minimumSizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        line = QFontMetrics(self.font()).lineSpacing()
        return QSize(120, line + 2 * int(self.document().documentMargin()) + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()

    def event(self, event: QEvent) -> bool:
        if is_undo_shortcut(event):
            # Undo and redo belong to the session's stack: let the window's actions have them.
            event.ignore()
            return True
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tooltip(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if event.matches(QKeySequence.StandardKey.Cut):
            self.cut()
            return
        forward = leave_direction(event)
        if forward is not None or (key == Qt.Key.Key_Escape and modifiers == Qt.KeyboardModifier.NoModifier):
            leave(self, forward is not False)
            return
        backtab = key == Qt.Key.Key_Backtab or (
            key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.ShiftModifier
        )
        tab = key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier
        if not (tab or backtab) and key not in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt):
            self._passing_through = False
        if (tab or backtab) and (self.isReadOnly() or self._passing_through or not self._indents_here(forward=tab)):
            leave(self, tab)
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        if backtab:
            self.change_level(-1)
            return
        if tab:
            if self.current_item_state().kind is ItemKind.TABLE and not self.textCursor().hasSelection():
                if self.textCursor().positionInBlock() == 0:
                    self.change_level(1)
                else:
                    self.textCursor().insertText("\t")  # a new cell, as in the report text
            else:
                self.change_level(1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers == Qt.KeyboardModifier.NoModifier:
            self._new_item()
            return
        if key == Qt.Key.Key_Space and modifiers == Qt.KeyboardModifier.NoModifier and self._typed_mark():
            return
        super().keyPressEvent(event)

    def _indents_here(self, *, forward: bool) -> bool:
        """Whether Tab (``forward``) or Shift+Tab changes a level here rather than moving to another field."""
        cursor = self.textCursor()
        doc = self.document()
        if doc.findBlock(cursor.selectionStart()).blockNumber() != doc.findBlock(cursor.selectionEnd()).blockNumber():
            return True  # several items selected: they are what Tab is for
        state = self.current_item_state()
        if state.kind is ItemKind.TABLE and forward and cursor.positionInBlock() > 0:
            return True  # a cell separator
        if doc.findBlock(cursor.selectionStart()).position() != cursor.selectionStart():
            return False
        return state.level < MAX_LEVEL if forward else state.level > 0

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._passing_through = event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
        )
        super().focusInEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._passing_through = False
        super().mousePressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text().replace("\r\n", "\n").replace("\r", "\n")
        lines = text.strip("\n").split("\n")
        if len(lines) < 2 and not looks_like_outline(lines[0] if lines else ""):
            self.textCursor().insertText(text.replace("\n", ""))
            return
        self._insert_items(parse_items(lines))

    def selection_as_report_text(self) -> str:
        """The selection as text; several items come out in the report's format, keeping their levels."""
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        if first.blockNumber() == last.blockNumber():
            return cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n")
        from seri_desktop.formats.text_export import outline_lines

        items = _outline_of_blocks(self, first.blockNumber(), last.blockNumber())
        return "\n".join(outline_lines(items))

    def copy(self) -> None:
        # Not through createMimeDataFromSelection: a QMimeData made in Python and handed to
        # the clipboard stays owned by Python and is freed twice at exit (PySide6 6.11 segfault).
        # QClipboard.setText makes the mime data in C++.
        if self.textCursor().hasSelection():
            QGuiApplication.clipboard().setText(self.selection_as_report_text())

    def cut(self) -> None:
        if self.textCursor().hasSelection() and not self.isReadOnly():
            self.copy()
            self.textCursor().removeSelectedText()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        menu.addSeparator()
        for action in self._kind_actions:
            menu.addAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        try:
            self._paint_markers(painter, event.rect())
        finally:
            painter.end()

    # ------------------------------------------------------------------ internals

    def _build_context_actions(self) -> None:
        self._kind_actions: list[QAction] = [
            make_action(self, label, partial(self.set_kind, kind))
            for label, kind in (
                ("항목으로 (○, -)", ItemKind.ITEM),
                ("※ 주석으로", ItemKind.NOTE),
                ("* 각주로", ItemKind.FOOTNOTE),
                ("표시 없는 글로", ItemKind.TEXT),
                ("표의 행으로 (칸은 Tab)", ItemKind.TABLE),
            )
        ]

    def _state_of(self, block: QTextBlock, previous: BlockState | None) -> BlockState:
        return state_of(block, previous, self._default)

    def _format_block(self, cursor: QTextCursor, state: BlockState) -> None:
        format_block(cursor, state)

    def _restate_selection(self, change: Callable[[BlockState], BlockState]) -> None:
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart()).blockNumber()
        last = doc.findBlock(cursor.selectionEnd()).blockNumber()
        self._batch = True
        try:
            edit = QTextCursor(doc)
            edit.beginEditBlock()
            previous: BlockState | None = None
            for number in range(first, last + 1):
                block = doc.findBlockByNumber(number)
                state = self._state_of(block, previous)
                new_state = change(state)
                edit.setPosition(block.position())
                self._format_block(edit, new_state)
                previous = new_state
            edit.endEditBlock()
        finally:
            self._batch = False
        self._emit(structural=True)
        self.viewport().update()

    def _new_item(self) -> None:
        cursor = self.textCursor()
        state = self._state_of(cursor.block(), None)
        self._batch = True
        try:
            cursor.beginEditBlock()
            if cursor.hasSelection():
                cursor.removeSelectedText()
            if state.kind is ItemKind.TABLE and not cursor.block().text().strip():
                # Enter on an empty table row leaves the table.
                self._format_block(cursor, BlockState(state.level, ItemKind.ITEM))
                cursor.endEditBlock()
            else:
                cursor.insertBlock()
                if state.kind is ItemKind.TABLE:
                    new_state = BlockState(state.level, ItemKind.TABLE)
                elif state.kind is ItemKind.TEXT:
                    new_state = BlockState(state.level, ItemKind.TEXT)
                else:
                    new_state = BlockState(state.level, ItemKind.ITEM)
                self._format_block(cursor, new_state)
                cursor.endEditBlock()
                self.setTextCursor(cursor)
        finally:
            self._batch = False
        self._emit(structural=True)
        self.ensureCursorVisible()

    def _typed_mark(self) -> bool:
        """``※ `` (or ``*``, ``○``, ``-``) typed at the start of an item: change its kind, drop the mark."""
        cursor = self.textCursor()
        block = cursor.block()
        if cursor.hasSelection() or cursor.positionInBlock() != 1:
            return False
        mark = block.text()[:1]
        typed = TYPED_MARKS.get(mark)
        state = self._state_of(block, None)
        if typed is None or state.kind is ItemKind.TABLE:
            return False
        kind, level = typed
        self._batch = True
        try:
            cursor.beginEditBlock()
            cursor.setPosition(block.position())
            cursor.setPosition(block.position() + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            self._format_block(cursor, BlockState(state.level if level is None else level, kind))
            cursor.endEditBlock()
        finally:
            self._batch = False
        self._emit(structural=True)
        self.viewport().update()
        return True

    def _insert_items(self, items: Outline) -> None:
        if not items:
            return
        cursor = self.textCursor()
        self._batch = True
        try:
            cursor.beginEditBlock()
            if cursor.hasSelection():
                cursor.removeSelectedText()
            replace_current = not cursor.block().text().strip()
            if not replace_current:
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            first = True
            for item in items:
                for state, text in item_blocks(item):
                    if not (first and replace_current):
                        cursor.insertBlock()
                    first = False
                    cursor.insertText(text)
                    self._format_block(cursor, state)
            cursor.endEditBlock()
            self.setTextCursor(cursor)
        finally:
            self._batch = False
        self._emit(structural=True)
        self.viewport().update()

    def _on_contents_changed(self) -> None:
        if self._loading:
            return
        self._fit_height()
        if not self._batch:
            self._emit(structural=False)

    def _emit(self, *, structural: bool) -> None:
        outline = self.outline()
        if outline == self._last:
            return
        self._last = outline
        self.edited.emit(outline, structural)

    def _fit_height(self) -> None:
        # The editor grows with its text; the form around it scrolls, never the editor.
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        height = int(doc.size().height()) + 2 * self.frameWidth() + 1
        height = max(height, self.minimumSizeHint().height())
        if height != self._fitted_height:
            self._fitted_height = height
            self.setFixedHeight(height)

    def _paint_markers(self, painter: QPainter, clip: QRect) -> None:
        paint_markers(self, painter, clip, self._default, self._problem_blocks(), marks.worst(self._problems.field))

    def _problem_blocks(self) -> dict[int, Severity]:
        return self._problems.by_block(self._item_blocks)

    def _show_tooltip(self, event: QHelpEvent) -> None:
        block = self.cursorForPosition(self.viewport().mapFrom(self, event.pos())).block().blockNumber()
        problems = self._problems.at_block(block, self._item_blocks)
        if problems:
            QToolTip.showText(event.globalPos(), marks.tooltip(problems), self)
        else:
            QToolTip.hideText()
            event.ignore()


def _outline_of_blocks(editor: OutlineEditor, first: int, last: int) -> Outline:
    full = editor.outline()
    blocks = editor._item_blocks
    return [item for item, block in zip(full, blocks, strict=True) if first <= block <= last]
