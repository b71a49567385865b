"""Small building blocks of the forms: text fields that leave undo to the session, headings, table views.

Qt's text widgets answer Ctrl+Z themselves; ours pass the undo and redo
shortcuts on to the window, whose actions undo through the unit's
:class:`~PySide6.QtGui.QUndoStack`, so one Ctrl+Z means the same thing
wherever the cursor is.

Keyboard: Tab and Shift+Tab move from field to field everywhere; in a table
they move from cell to cell and leave the table after its last (or before
its first) cell; Ctrl+Tab and Ctrl+Shift+Tab leave a table or a multi-line
field at once. Typing into a table cell replaces its text, F2 edits it in
place (the caret at the end), and an editor that is open keeps what the
user typed when the table is refreshed around it (problems re-checked).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QWidget,
)

from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui import marks
from seri_desktop.ui.style import focus_rule

_REDO_ALT = QKeySequence("Ctrl+Shift+Z")


def is_undo_shortcut(event: QEvent) -> bool:
    """A ShortcutOverride for Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, which the window's actions should get."""
    if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
        return False
    return (
        event.matches(QKeySequence.StandardKey.Undo)
        or event.matches(QKeySequence.StandardKey.Redo)
        or QKeySequence(event.keyCombination()) == _REDO_ALT
    )


def leave_direction(event: QKeyEvent) -> bool | None:
    """Ctrl+Tab → ``True`` (next field), Ctrl+Shift+Tab → ``False`` (previous); ``None`` for any other key."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if not modifiers & Qt.KeyboardModifier.ControlModifier:
        return None
    if event.key() == Qt.Key.Key_Backtab or (
        event.key() == Qt.Key.Key_Tab and modifiers & Qt.KeyboardModifier.ShiftModifier
    ):
        return False
    return True if event.key() == Qt.Key.Key_Tab else None


def leave(widget: QWidget, forward: bool) -> None:
    """Move the focus to the next (or previous) field, whatever ``widget`` does with Tab itself."""
    QWidget.focusNextPrevChild(widget, forward)


class LineField(QLineEdit):
    """A one-line field whose undo is the session's; marks problems with a red or orange frame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []

    def event(self, event: QEvent) -> bool:
        if is_undo_shortcut(event):
            event.ignore()
            return True
        return super().event(event)

    def setReadOnly(self, readonly: bool) -> None:
        super().setReadOnly(readonly)
        self.setStyleSheet(self._style())

    def _style(self) -> str:
        rules = []
        color = marks.mark_color(marks.worst(self._problems))
        if color is not None:
            rules.append(f"border: 2px solid {color.name()};")
        if self.isReadOnly():
            rules.append("background: #f4f4f4;")
        # A field's own sheet wins over the app's: it repeats the focus frame, or the focus would not show.
        return f"QLineEdit {{ {' '.join(rules)} }} {focus_rule('QLineEdit')}" if rules else ""

    def set_text_keeping_cursor(self, text: str) -> None:
        if text != self.text():
            position = self.cursorPosition()
            self.setText(text)
            self.setCursorPosition(min(position, len(text)))

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self._problems = list(problems)
        self.setStyleSheet(self._style())
        self.setToolTip(marks.tooltip(self._problems) if self._problems else "")

    def problems(self) -> list[Problem]:
        return list(self._problems)


class PlainTextField(QPlainTextEdit):
    """A multi-line plain-text field (조직, the cover's subtitle) without an undo of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)

    def event(self, event: QEvent) -> bool:
        if is_undo_shortcut(event):
            event.ignore()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        forward = leave_direction(event)
        if forward is not None:
            leave(self, forward)
            return
        super().keyPressEvent(event)

    def set_text_keeping_cursor(self, text: str) -> None:
        if text != self.toPlainText():
            position = self.textCursor().position()
            self.setPlainText(text)
            cursor = self.textCursor()
            cursor.setPosition(min(position, len(text)))
            self.setTextCursor(cursor)


class SectionHeading(QWidget):
    """A heading as printed (``□ 추진 목표``) with the count of its problems beside it."""

    def __init__(self, text: str, *, level: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(text)
        font = self.label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + (2 if level == 0 else 0.5))
        self.label.setFont(font)
        self.badge = QLabel()
        self.badge.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 10 if level == 0 else 4, 0, 2)
        layout.addWidget(self.label)
        layout.addWidget(self.badge)
        layout.addStretch(1)

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()

    def set_problems(self, problems: Sequence[Problem]) -> None:
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        warnings = len(problems) - errors
        if not problems:
            self.badge.setVisible(False)
            return
        parts = []
        if errors:
            parts.append(f"오류 {errors}")
        if warnings:
            parts.append(f"경고 {warnings}")
        color = marks.mark_color(Severity.ERROR if errors else Severity.WARNING)
        assert color is not None
        self.badge.setText(" · ".join(parts))
        self.badge.setStyleSheet(
            f"QLabel {{ color: white; background: {color.name()}; border-radius: 3px; padding: 0 5px; }}"
        )
        self.badge.setToolTip(marks.tooltip(problems))
        self.badge.setVisible(True)


class KeepTypingDelegate(QStyledItemDelegate):
    """The default cell editor, which keeps the user's text and selection when its cell is refreshed unchanged.

    A table is refreshed as a whole when its problems are re-checked (a
    fraction of a second after an edit); Qt then reloads every open editor,
    which drops the selection that makes typing replace the text.
    """

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QLineEdit) and editor.text() == str(index.data(Qt.ItemDataRole.EditRole) or ""):
            return
        super().setEditorData(editor, index)


class EditTableView(QTableView):
    """A table view for the forms: as tall as its rows (the form scrolls), Delete clears cells; see the module docstring."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # The form scrolls, never the table: its columns fit the width, its height fits the rows.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.setTabKeyNavigation(True)
        self.setItemDelegate(KeepTypingDelegate(self))

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab walks the cells; past the last one (or before the first) it leaves the table like any field.
        model = self.model()
        current = self.currentIndex()
        if model is not None and current.isValid() and not self._at_edge(model, current, next):
            return super().focusNextPrevChild(next)
        return QWidget.focusNextPrevChild(self, next)

    def _at_edge(self, model: QAbstractItemModel, current: QModelIndex, forward: bool) -> bool:
        last_row, last_column = model.rowCount() - 1, model.columnCount() - 1
        span_end = current.column() + max(self.columnSpan(current.row(), current.column()), 1) - 1
        if forward:
            return current.row() + max(self.rowSpan(current.row(), current.column()), 1) - 1 >= last_row and (
                span_end >= last_column
            )
        return current.row() == 0 and current.column() == 0

    def edit(  # type: ignore[override]
        self,
        index: QModelIndex | QPersistentModelIndex,
        trigger: QAbstractItemView.EditTrigger | None = None,
        event: QEvent | None = None,
    ) -> bool | None:
        if trigger is None:  # the public edit(index)
            super().edit(index)
            return None
        if event is None:  # Qt's edit() takes an event; no event means none to hand on
            event = QEvent(QEvent.Type.None_)
        opened = super().edit(index, trigger, event)
        if opened and trigger == QAbstractItemView.EditTrigger.EditKeyPressed:
            # F2: edit in place, the caret after the text (typing replaces the text otherwise).
            editor = QApplication.focusWidget()
            if isinstance(editor, QLineEdit):
                editor.deselect()
                editor.end(False)
        return opened

    def keyPressEvent(self, event: QKeyEvent) -> None:
        forward = leave_direction(event)
        if forward is not None and self.state() != self.State.EditingState:
            leave(self, forward)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            model = self.model()
            for index in self.selectedIndexes():
                if model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                    model.setData(index, "")
            self.cleared.emit()
            return
        super().keyPressEvent(event)

    def fit_height(self) -> None:
        """Make the view exactly as tall as its header and rows.

        Asked of the header's size hint and hidden flag, not its height and
        visibility: a form is often filled while it is not shown yet.
        """
        header = self.horizontalHeader()
        height = 0 if header.isHidden() else max(header.height(), header.sizeHint().height())
        model = self.model()
        if model is not None:
            height += sum(self.rowHeight(r) for r in range(model.rowCount()))
        self.setFixedHeight(height + 2 * self.frameWidth() + 1)

    def select_cell(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        self.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)
        self.setFocus(Qt.FocusReason.OtherFocusReason)


def tool_button(text: str, tip: str, parent: QWidget | None = None) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(False)
    return button
