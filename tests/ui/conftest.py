"""UI fixtures: a small hand-built report, the 2024 report in a database, windows with test-local settings.

Helpers without anything to clean up are imported from ``tests.helpers`` (the
in-memory backend, typing into widgets, answering modal dialogs).

Every window gets its own ``QSettings`` file under the test's tmp folder, so
no test reads or writes the user's settings. The 2024 report is imported
into a database once per module; each test works on its own copy of it.
"""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import Program, Report
from seri_desktop.fonts import find_korean_fonts
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.logs import setup_logging
from seri_desktop.paths import DATA_DIR_ENV_VAR
from seri_desktop.settings import set_user_name, user_name
from seri_desktop.ui import refcount_guard
from seri_desktop.ui.backend import StoreBackend, Workspace, open_workspace
from seri_desktop.ui.fonts_qt import install_korean_font
from seri_desktop.ui.main_window import MainWindow
from tests.helpers.reports import make_sample_report
from tests.helpers.types import OpenWindow, WindowOn


@pytest.fixture(scope="session", autouse=True)
def _refcount_guard() -> None:
    """The guard the app installs (see seri_desktop.ui.refcount_guard), for the whole test session."""
    refcount_guard.install()


@pytest.fixture(scope="session", autouse=True)
def _no_user_data_folder(tmp_path_factory: pytest.TempPathFactory, _session_data_dir: Path) -> Iterator[Path]:
    """The app's data folder (log, default database) in a session folder, for the tests and the apps they start.

    It carries the recorded name of the session's folder (every write needs one).
    """
    folder = tmp_path_factory.mktemp("data")
    previous = os.environ.get(DATA_DIR_ENV_VAR)
    os.environ[DATA_DIR_ENV_VAR] = str(folder)
    name = user_name(_session_data_dir)
    if name is not None:
        set_user_name(name, folder)
    setup_logging(folder / "logs")
    yield folder
    if previous is None:
        os.environ.pop(DATA_DIR_ENV_VAR, None)
    else:
        os.environ[DATA_DIR_ENV_VAR] = previous


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """This test's own log file (bugs are logged there), and the session's again afterwards."""
    path = setup_logging(tmp_path / "logs")
    yield path
    setup_logging(Path(os.environ[DATA_DIR_ENV_VAR]) / "logs")


@pytest.fixture(scope="session", autouse=True)
def _no_user_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point QSettings' default files at a session folder: no test may touch the user's settings."""
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(settings_format, scope, folder)


@pytest.fixture
def sample_report() -> Report:
    """A fresh small report (tests may change it): :func:`tests.helpers.reports.make_sample_report`."""
    return make_sample_report()


@pytest.fixture(scope="session")
def korean_family(qapp: QApplication) -> str:
    """Install the Korean UI font once for the whole session, as run_app does."""
    return install_korean_font(qapp, find_korean_fonts())


@pytest.fixture(autouse=True)
def _korean_ui_font(korean_family: str) -> str:
    return korean_family


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of this test (never the user's)."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="module")
def db_2024_template(tmp_path_factory: pytest.TempPathFactory, imported_2024: ImportResult) -> Path:
    """The 2024 report in a database, made once per module (tests copy it)."""
    from seri_desktop.store.repository import save_report

    path = tmp_path_factory.mktemp("db2024") / "report-2024.sqlite"
    backend = StoreBackend.open(path)
    save_report(backend.engine, copy.deepcopy(imported_2024.report))
    backend.close()
    return path


@pytest.fixture
def db_2024(db_2024_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the 2024 database."""
    path = tmp_path / "report.sqlite"
    shutil.copyfile(db_2024_template, path)
    return path


@pytest.fixture
def open_window(qtbot: QtBot, settings: QSettings) -> Iterator[OpenWindow]:
    """``open_window(db, department=None, states=None)``: a shown window on a database file."""
    backends: list[StoreBackend] = []

    def _open(
        db: Path, *, department: str | None = None, states: dict[str, str] | None = None, fast: bool = True
    ) -> MainWindow:
        backend = StoreBackend.open(db)
        backends.append(backend)
        workspace = Workspace(
            backend,
            editable_department=department,
            review_states=lambda year: dict(states or {}),
        )
        window = MainWindow(workspace, settings=settings, open_workspace=None)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # Shortcuts (Ctrl+Z, Ctrl+F) only reach the active window.
        with qtbot.waitActive(window):
            window.activateWindow()
        if fast:
            window.validator.flush()
        return window

    yield _open
    for backend in backends:
        backend.close()


# --- windows with the real access rules, and the message boxes answered -------------------------------------


def _window_factory(qtbot: QtBot, settings: QSettings, *, can_open_others: bool, flush: bool) -> Iterator[WindowOn]:
    windows: list[MainWindow] = []

    def _open(path: Path) -> MainWindow:
        window = MainWindow(
            open_workspace(path), settings=settings, open_workspace=open_workspace if can_open_others else None
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        if flush:  # the checks done now, not after the validator's pause
            window.validator.flush()
        windows.append(window)
        return window

    yield _open
    for window in windows:
        backend = window.backend
        if backend is not None:
            backend.close()


@pytest.fixture
def window_on(qtbot: QtBot, settings: QSettings) -> Iterator[WindowOn]:
    """``window_on(path)``: a shown window on a database or package file, opened as the app opens it."""
    yield from _window_factory(qtbot, settings, can_open_others=False, flush=True)


@pytest.fixture
def app_window(qtbot: QtBot, settings: QSettings) -> Iterator[WindowOn]:
    """``app_window(path)``: as :func:`window_on`, and the window can open other databases (as the app's can)."""
    yield from _window_factory(qtbot, settings, can_open_others=True, flush=False)


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """The desktop's file manager, answered here: the URLs the app asked it to open."""
    urls: list[QUrl] = []

    def record(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    return urls


def _answer_boxes(
    monkeypatch: pytest.MonkeyPatch, kinds: tuple[str, ...], button: QMessageBox.StandardButton
) -> list[str]:
    """Answer the message boxes of ``kinds`` (QMessageBox's static functions) with ``button``; their texts."""
    calls: list[str] = []

    def record(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        calls.append(text)
        return button

    for kind in kinds:
        monkeypatch.setattr(QMessageBox, kind, record)
    return calls


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the warnings and information boxes shown (each answered OK)."""
    return _answer_boxes(monkeypatch, ("warning", "information"), QMessageBox.StandardButton.Ok)


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the questions asked (each answered yes)."""
    return _answer_boxes(monkeypatch, ("question",), QMessageBox.StandardButton.Yes)


def submission_changing(db: Path, tmp_path: Path, code: str, change: Callable[[Program], None]) -> Path:
    """A real submission of ``code``'s department from a package of ``db``, with ``change`` made to ``code``."""
    from seri_desktop.exchange.package import create_package
    from seri_desktop.exchange.submission import create_submission
    from seri_desktop.store.engine import create_engine_for
    from seri_desktop.store.repository import load_report, save_program

    office = create_engine_for(db)
    report = load_report(office, 2024)
    assert report is not None
    program = report.program(code)
    assert program is not None
    package = tmp_path / "dept.seripkg"
    create_package(office, program.department, package, who="기획팀")
    office.dispose()
    department = create_engine_for(package)
    change(program)
    save_program(department, 2024, program)
    submission = tmp_path / "dept.serisub"
    create_submission(department, submission, author="홍길동")
    department.dispose()
    return submission
