"""UI fixtures: a small hand-built report, the 2024 report in a database, windows with test-local settings.

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
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import (
    BudgetLine,
    BudgetTable,
    Cell,
    Chapter,
    Department,
    ItemKind,
    OutlineItem,
    Program,
    Quarter,
    Report,
    TargetRow,
    Targets,
)
from seri_desktop.fonts import find_korean_fonts
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.logs import setup_logging
from seri_desktop.paths import DATA_DIR_ENV_VAR
from seri_desktop.settings import set_user_name, user_name
from seri_desktop.ui import refcount_guard
from seri_desktop.ui.backend import StoreBackend, Workspace, open_workspace
from seri_desktop.ui.fonts_qt import install_korean_font
from seri_desktop.ui.main_window import MainWindow


def _line(name: str, current: int, previous: int | str) -> BudgetLine:
    prev = Cell.amount(previous) if isinstance(previous, int) else Cell.parse(previous)
    return BudgetLine(
        name=name,
        current=Cell.amount(current),
        previous=prev,
        quarters=[Quarter(Cell.amount(current // 4)) for _ in range(4)],
        page="12",
    )


def make_sample_report() -> Report:
    """2 chapters, 3 programs, 2 departments, budgets with amounts."""
    research = Department(
        name="교육연구부",
        order=1,
        results=[OutlineItem(0, ItemKind.ITEM, "연구 과제 12건 수행")],
        limits=[OutlineItem(0, ItemKind.ITEM, "현장 확산 부족")],
    )
    policy = Department(name="정책지원부", order=2)
    p11 = Program(
        code="1-1",
        title="미래교육 정책연구 강화",
        department="교육연구부",
        targets=Targets(rows=[TargetRow("기본 연구", "3~12월", "8건"), TargetRow("현안 연구", "연중", "4건")]),
        budget=BudgetTable(lines=[_line("정책연구 운영", 120_000, 100_000), _line("연구 성과 확산", 30_500, "-")]),
    )
    p12 = Program(
        code="1-2",
        title="교원 연수 운영",
        department="교육연구부",
        budget=BudgetTable(lines=[_line("연수 운영비", 45_000, 44_000)]),
    )
    p21 = Program(code="2-1", title="교육정책 현안 분석 및 지원", department="정책지원부")
    return Report(
        year=2024,
        meeting="제326회 서울특별시의회",
        committee="교육위원회 보고자료",
        date_label="2024. 9.",
        institute="서울특별시교육청교육연구정보원",
        departments=[research, policy],
        chapters=[
            Chapter(number=1, title="교육 연구 역량 강화", department="교육연구부", programs=[p11, p12]),
            Chapter(number=2, title="교육정책 지원", department="정책지원부", programs=[p21]),
        ],
    )


class MemoryBackend:
    """A :class:`ReportBackend` without a database: keeps the report and records every save."""

    def __init__(self, report: Report | None, path: Path | None = None) -> None:
        self.report = report
        self._path = path
        self.saves: list[tuple[str, str]] = []
        self.fail_with: Exception | None = None
        self.closed = False

    @property
    def path(self) -> Path | None:
        return self._path

    def load(self) -> Report | None:
        if self.fail_with is not None:
            raise self.fail_with
        return copy.deepcopy(self.report)

    def _saved(self, kind: str, name: str) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.saves.append((kind, name))

    def save_program(self, year: int, program: Program) -> None:
        self._saved("program", program.code)

    def save_department(self, year: int, department: Department) -> None:
        self._saved("department", department.name)

    def save_front(self, report: Report) -> None:
        self._saved("front", str(report.year))

    def has_report(self, year: int) -> bool:
        return self.report is not None and self.report.year == year

    def parse_text(self, path: Path) -> ImportResult:
        from seri_desktop.formats.text_import import import_report_file

        return import_report_file(path)

    def replace_report(self, report: Report) -> None:
        self.report = copy.deepcopy(report)

    def close(self) -> None:
        self.closed = True


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


OpenWindow = Callable[..., MainWindow]


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


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` (Hangul too, which QTest.keyClicks cannot send) into ``widget``."""
    for char in text:
        key = Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


@pytest.fixture(name="type_text")
def type_text_fixture() -> Callable[[QWidget, str], None]:
    return type_text


@pytest.fixture(name="memory_backend")
def memory_backend_fixture() -> type[MemoryBackend]:
    return MemoryBackend


class DialogAnswer:
    """What :func:`answer_modal` saw of the dialog it answered."""

    def __init__(self) -> None:
        self.seen: QWidget | None = None
        self.title = ""
        self.directory = ""
        self.filters: list[str] = []
        self.proposed = ""


def _answer_modal(kind: type[QWidget], answer: Callable[[Any], None], *, timeout_ms: int = 10_000) -> DialogAnswer:
    """When a modal dialog of ``kind`` opens (a real one, in its own event loop), call ``answer(dialog)``.

    For the file dialogs the app opens: the answer can ``selectFile`` and
    ``accept``; what the dialog proposed is kept in the returned record.
    """
    record = DialogAnswer()
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            record.seen = dialog
            record.title = dialog.windowTitle()
            if isinstance(dialog, QFileDialog):
                record.directory = dialog.directory().absolutePath()
                record.filters = dialog.nameFilters()
                selected = dialog.selectedFiles()
                record.proposed = Path(selected[0]).name if selected else ""
            answer(dialog)
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return record


def _answer_file_dialog(path: Path | None) -> DialogAnswer:
    """Answer the next file dialog with ``path`` (``None``: cancel it)."""

    def answer(dialog: QFileDialog) -> None:
        if path is None:
            dialog.reject()
            return
        dialog.setDirectory(str(path.parent))
        dialog.selectFile(path.name)
        name_field = dialog.findChild(QLineEdit, "fileNameEdit")
        if name_field is not None:  # Qt's own dialog: the name typed is what a save dialog takes
            name_field.setText(path.name)
        dialog.accept()

    return _answer_modal(QFileDialog, answer)


AnswerModal = Callable[..., DialogAnswer]


@pytest.fixture(name="answer_modal")
def answer_modal_fixture() -> AnswerModal:
    """``answer_modal(kind, answer)``: answer the next modal dialog of ``kind`` (see :func:`_answer_modal`)."""
    return _answer_modal


@pytest.fixture(name="answer_file_dialog")
def answer_file_dialog_fixture() -> Callable[[Path | None], DialogAnswer]:
    """``answer_file_dialog(path)``: choose ``path`` in the next file dialog (``None`` cancels it)."""
    return _answer_file_dialog


# --- windows with the real access rules, and the message boxes answered -------------------------------------


@pytest.fixture
def window_on(qtbot: QtBot, settings: QSettings) -> Iterator[Callable[[Path], MainWindow]]:
    """``window_on(path)``: a shown window on a database or package file, opened as the app opens it."""
    windows: list[MainWindow] = []

    def _open(path: Path) -> MainWindow:
        window = MainWindow(open_workspace(path), settings=settings, open_workspace=None)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.validator.flush()
        windows.append(window)
        return window

    yield _open
    for window in windows:
        backend = window.backend
        if backend is not None:
            backend.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the warnings and information boxes shown (each answered OK)."""
    calls: list[str] = []

    def record(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        calls.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "information", record)
    return calls


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
