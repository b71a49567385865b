"""Keyboard-only use (issue 14): the focus chain, outlines that give Tab back, F6, mnemonics, focus frames, cells."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.mnemonics import mnemonic_of, plain
from seri_desktop.ui.style import FOCUS_COLOR
from seri_desktop.ui.widgets.fields import EditTableView
from seri_desktop.ui.widgets.outline_editor import OutlineEditor
from tests.helpers.types import OpenWindow


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, key, modifiers)


def open_2_5(open_window: OpenWindow, db: Path) -> MainWindow:
    window = open_window(db)
    window.resize(1264, 752)
    assert window.select_key("program:2-5")
    return window


def test_tab_walks_every_field_of_a_program_and_changes_nothing(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window = open_2_5(open_window, db_2024)
    form = window.program_form
    session = form.session
    assert session is not None
    form.title.setFocus()
    qtbot.waitUntil(lambda: focused() is form.title)
    seen: list[QWidget] = []
    for _ in range(400):
        press(qtbot, Qt.Key.Key_Tab)
        widget = focused()
        assert widget is not None
        seen.append(widget)
        if widget is form.title:
            break
    editors = [e for e in form.editors.values() if e.isVisible()]
    assert editors and all(editor in seen for editor in editors)
    assert form.targets_editor.rows_editor.view in seen and form.budget_editor.view in seen
    assert form.targets_editor.qualifier in seen
    # The walk went through the whole form and came back round (through the navigator and the problems panel).
    assert window.tree in seen and window.problems_panel.view in seen
    assert seen[-1] is form.title
    # Tabbing through outlines and tables changed nothing.
    assert session.stack.count() == 0 and not window.autosaver.is_dirty()

    # Shift+Tab goes back the same way.
    back: list[QWidget] = []
    for _ in range(400):
        press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        widget = focused()
        assert widget is not None
        back.append(widget)
        if widget is form.title:
            break
    assert all(editor in back for editor in editors) and back[-1] is form.title
    assert session.stack.count() == 0


def test_tab_in_an_outline_indents_only_at_the_start_of_an_item(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window = open_2_5(open_window, db_2024)
    form = window.program_form
    editor: OutlineEditor = form.editors["overview.purpose"]
    before = editor.outline()
    level = before[0].level
    editor.setFocus()
    editor.select_item(1, 3)  # inside the text
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not editor and editor.outline() == before

    editor.select_item(1, 0)  # at the start of the item
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor and editor.outline()[0].level == level + 1
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is editor and editor.outline()[0].level == level

    # Ctrl+Tab and Esc leave the editor wherever the caret is, and change nothing.
    editor.select_item(1, 0)
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert focused() is not editor
    editor.select_item(1, 0)
    press(qtbot, Qt.Key.Key_Escape)
    assert focused() is not editor
    editor.select_item(1, 0)
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert focused() is not editor
    assert editor.outline() == before


def test_f6_cycles_navigator_form_problems(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_2_5(open_window, db_2024)
    window.tree.setFocus()
    qtbot.waitUntil(lambda: focused() is window.tree)
    press(qtbot, Qt.Key.Key_F6)
    assert window.stack.isAncestorOf(focused())
    window.program_form.budget_editor.view.setFocus()  # the form remembers where the user was
    press(qtbot, Qt.Key.Key_F6)
    assert focused() is window.problems_panel.view
    press(qtbot, Qt.Key.Key_F6)
    assert focused() is window.tree
    press(qtbot, Qt.Key.Key_F6)
    assert focused() is window.program_form.budget_editor.view
    press(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is window.tree
    # With the problems panel closed, F6 skips it.
    window.problems_dock.hide()
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_F6)
    assert focused() is window.tree
    window.program_form.title.setFocus()
    window.navigator_action.trigger()
    assert focused() is window.tree


def test_menus_actions_and_buttons_have_mnemonics(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_2_5(open_window, db_2024)
    titles = [mnemonic_of(menu.title()) for menu in window.menus.menus()]
    assert titles == ["F", "E", "V", "H"]
    for menu in window.menus.menus():
        menu.aboutToShow.emit()  # undo's text follows its stack: the letter is added before the menu shows
        actions = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        letters = [mnemonic_of(a.text()) for a in actions]
        assert all(letters), [a.text() for a in actions if not mnemonic_of(a.text())]
        assert len(set(letters)) == len(letters), (menu.title(), letters)
    for page in (window.program_form, window.stack.welcome, window.front_form, window.problems_panel):
        buttons = [b for b in page.findChildren(QAbstractButton) if plain(b.text()).strip()]
        assert buttons and all(mnemonic_of(b.text()) for b in buttons), [b.text() for b in buttons]
        assert not {mnemonic_of(b.text()) for b in buttons} & set(titles)


def test_a_focused_field_shows_a_clear_frame(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_2_5(open_window, db_2024)
    title = window.program_form.title
    window.tree.setFocus()
    unfocused = title.grab().toImage()
    title.setFocus()
    qtbot.waitUntil(lambda: title.hasFocus())
    framed = title.grab().toImage()

    def frame_pixels(image: QImage) -> int:
        target = QColor(FOCUS_COLOR)
        return sum(
            1
            for x in range(image.width())
            for y in (0, 1, image.height() - 1, image.height() - 2)
            if abs(image.pixelColor(x, y).red() - target.red()) < 30
            and abs(image.pixelColor(x, y).blue() - target.blue()) < 30
            and abs(image.pixelColor(x, y).green() - target.green()) < 30
        )

    assert frame_pixels(framed) > title.width()  # a 2-pixel line along the top and the bottom
    assert frame_pixels(unfocused) < 10


def open_cell_editor(view: EditTableView) -> QLineEdit:
    (editor,) = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    return editor


def test_typing_replaces_a_cell_tab_keeps_replacing_f2_edits_in_place(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window = open_2_5(open_window, db_2024)
    targets = window.program_form.targets_editor
    view = targets.rows_editor.view
    model = targets.rows_editor.model
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClicks(view, "A")
    editor = open_cell_editor(view)
    assert editor.text() == "A"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # commits, opens the next cell with its text selected
    # The table is refreshed around the open editor (the problems are re-checked): the selection stays.
    targets.set_problems([Problem("x", Severity.WARNING, "시험", "2-5", "targets", 1, "추진시기")])
    window.validator.flush()
    QApplication.processEvents()
    editor = open_cell_editor(view)
    qtbot.keyClicks(editor, "B")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    rows = targets.rows_editor.rows()
    assert rows[0][0] == "A" and rows[0][1] == "B"

    view.setCurrentIndex(model.index(1, 0))
    old = model.index(1, 0).data()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = open_cell_editor(view)
    assert editor.selectedText() == "" and editor.cursorPosition() == len(old)
    qtbot.keyClicks(editor, "Z")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert targets.rows_editor.rows()[1][0] == old + "Z"
    # Ctrl+Tab leaves the table at once.
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert focused() is not view


def test_outline_placeholder_says_where_tab_indents(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_2_5(open_window, db_2024)
    editor = window.program_form.editors["overview.lead"]
    assert re.search("맨 앞에서 Tab", editor.placeholderText())
