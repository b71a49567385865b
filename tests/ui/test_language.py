"""Korean throughout (issue 14): Qt's own Korean catalog is loaded, and no English word is left in the window.

The walk collects every text a person reads on the window's chrome (menu
titles, actions, buttons, check boxes, labels, dock and window titles,
headers) and on every dialog the window opens, Qt's standard dialogs
included, and fails on any word of Latin letters that is not a name
(PDF, Excel, HWPX, seri-desktop …), a key name or a file suffix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import Program
from seri_desktop.ui.guards import GuardDialog
from seri_desktop.ui.mnemonics import plain
from seri_desktop.ui.review_dialogs import MergeReviewDialog, StateDialog
from seri_desktop.ui.translations import install_qt_translations
from tests.helpers.qt import answer_modal
from tests.helpers.types import OpenWindow
from tests.ui.conftest import submission_changing

# Names, key names, file suffixes and units that stay as they are in Korean software.
ALLOWED = {
    "pdf", "hwpx", "excel", "csv", "seri", "desktop", "python", "qt", "pyside", "sqlite", "postgresql", "reportlab",
    "ctrl", "shift", "tab", "esc", "enter", "alt", "pgdown", "pgup", "del", "f",
    "txt", "db", "seripkg", "serisub", "xlsx",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{2,}")
# A path or a file name the user chose is their text, not the program's.
PATH = re.compile(r"\S*[/\\]\S*|\S+\.(?:sqlite|db|seripkg|serisub|pdf|xlsx|hwpx|csv|txt|log)\b")


def english_words(texts: Iterable[str]) -> list[str]:
    found = []
    for text in texts:
        shown = QTextDocumentFragment.fromHtml(text).toPlainText() if "<" in text else text
        for word in WORD.findall(PATH.sub(" ", plain(shown))):
            if word.lower() not in ALLOWED:
                found.append(f"{word!r} in {text!r}")
    return found


def chrome_texts(root: QWidget) -> list[str]:
    """What a person reads on ``root``'s chrome (not the report's content in its fields and tables)."""
    texts = [root.windowTitle()]
    for action in root.findChildren(QAction):
        texts += [action.text(), action.toolTip(), action.statusTip()]
    for menu in root.findChildren(QMenu):
        texts.append(menu.title())
    for button in root.findChildren(QAbstractButton):
        texts += [button.text(), button.toolTip()]
    for label in root.findChildren(QLabel):
        texts.append(label.text())
    for box in root.findChildren(QGroupBox):
        texts.append(box.title())
    for dock in root.findChildren(QDockWidget):
        texts.append(dock.windowTitle())
    for field in root.findChildren(QLineEdit):
        texts.append(field.placeholderText())
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is not None and not isinstance(view.parent(), QFileDialog):
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column, no header to read
                continue
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
    return [t for t in texts if t]


def test_qt_korean_catalog_is_loaded(qapp: QApplication) -> None:
    assert "qtbase" in install_qt_translations(qapp)
    assert (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_ko.qm").is_file()
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Yes
    )
    assert {plain(b.text()) for b in box.buttons()} == {"확인", "취소", "예"}
    field = QLineEdit()
    menu = field.createStandardContextMenu()
    assert english_words(a.text().split("\t")[0] for a in menu.actions()) == []
    assert "붙여넣기" in {plain(a.text().split("\t")[0]) for a in menu.actions()}


def test_no_english_word_on_the_window_and_its_dialogs(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path
) -> None:
    window = open_window(db_2024)
    window.select_key("program:1-2")
    for menu in window.menus.menus():
        menu.aboutToShow.emit()
    texts = chrome_texts(window)
    editor = window.program_form.editors["overview.purpose"]
    texts += [a.text() for a in editor._kind_actions]  # the outline's own context menu entries
    seen: list[str] = []

    def read(dialog: QWidget) -> None:
        seen.append(type(dialog).__name__)
        texts.extend(chrome_texts(dialog))
        if isinstance(dialog, QDialog):
            dialog.reject()

    # Qt's own dialogs: a file dialog, a question, a choice.
    answer_modal(QFileDialog, read)
    window.exchange_actions._on_merge()
    answer_modal(QMessageBox, read)
    window.context.ask("질문", "계속할까요?")
    answer_modal(QInputDialog, read)
    window.print_actions.ask_scope("PDF로 내보내기")
    # Our dialogs.
    answer_modal(StateDialog, read)
    window.exchange_actions.state_action.trigger()
    guard = GuardDialog("확정", "확정", window.open_problems()[:3], waiver=True, parent=window)
    texts += chrome_texts(guard)
    for dialog in (
        window.exchange_actions.open_dashboard(),
        window.exchange_actions.open_audit(),
        window.help_actions.show_guide(),
        window.help_actions.show_about(),
    ):
        assert dialog is not None
        texts += [t for t in chrome_texts(dialog) if "<h3>" not in t]
        dialog.close()
    assert seen == ["QFileDialog", "QMessageBox", "QInputDialog", "StateDialog"]

    # The merge review of a real submission.
    def change(program: Program) -> None:
        program.title += " 보완"

    submission = submission_changing(db_2024, tmp_path, "1-1", change)
    answer_modal(MergeReviewDialog, read)
    window.exchange_actions.import_submission(submission)
    assert seen[-1] == "MergeReviewDialog"

    found = english_words(texts)
    assert found == [], "\n".join(found)
