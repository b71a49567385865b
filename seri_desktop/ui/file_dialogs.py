"""The app's file dialogs: where they start, what they filter, how a chosen name gets its suffix.

Every open and save dialog of the app is made here, so they all behave the
same: they start in the folder the user last chose a file in, else in the
user's Documents folder (``QStandardPaths.DocumentsLocation``), never in the
hidden app-data folder; they filter by the kinds of
:mod:`seri_desktop.formats.file_names` and propose the name it makes; a
saved name without the kind's suffix gets it. The labels Qt's own file
dialog leaves untranslated in its Korean catalog are set here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from seri_desktop.formats.file_names import FileKind, dialog_filter, with_suffix

SETTINGS_LAST_DIR = "files/lastDir"
# Qt's Korean catalog has no translation for these two labels of its own dialog.
LABELS = {
    QFileDialog.DialogLabel.LookIn: "위치(&L):",
    QFileDialog.DialogLabel.FileType: "파일 형식(&T):",
    QFileDialog.DialogLabel.FileName: "파일 이름(&N):",
}


def documents_dir() -> Path:
    """The user's Documents folder if it exists, else the home folder."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_dir(settings: QSettings) -> Path:
    """Where a file dialog starts: the last folder chosen (while it exists), else Documents."""
    last = str(settings.value(SETTINGS_LAST_DIR, "") or "")
    return Path(last) if last and Path(last).is_dir() else documents_dir()


def remember_dir(settings: QSettings, chosen: Path) -> None:
    settings.setValue(SETTINGS_LAST_DIR, str(chosen.parent))


def file_dialog(
    parent: QWidget | None, title: str, start: Path, name_filter: str, *, save: bool = False, suffix: str = ""
) -> QFileDialog:
    """A file dialog as the app makes them (tests find it as the active modal widget and answer it)."""
    dialog = QFileDialog(parent, title, str(start), name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if suffix:
        dialog.setDefaultSuffix(suffix.lstrip("."))
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    return dialog


def _run(dialog: QFileDialog) -> Path | None:
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.selectedFiles()
        return Path(chosen[0]) if chosen else None
    finally:
        dialog.deleteLater()


def choose_open(
    parent: QWidget | None, settings: QSettings, title: str, kinds: Sequence[FileKind], *, together: str = ""
) -> Path | None:
    """Ask for an existing file of one of ``kinds``; ``None`` when cancelled. The folder is remembered."""
    dialog = file_dialog(parent, title, start_dir(settings), dialog_filter(kinds, together=together))
    chosen = _run(dialog)
    if chosen is not None:
        remember_dir(settings, chosen)
    return chosen


def choose_save(parent: QWidget | None, settings: QSettings, title: str, kind: FileKind, name: str) -> Path | None:
    """Ask where to write a file of ``kind``, proposing ``name``; the result has the kind's suffix."""
    dialog = file_dialog(
        parent, title, start_dir(settings) / name, dialog_filter([kind]), save=True, suffix=kind.suffix
    )
    chosen = _run(dialog)
    if chosen is None:
        return None
    remember_dir(settings, chosen)
    return with_suffix(chosen, kind)
