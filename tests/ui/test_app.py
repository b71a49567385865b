"""Starting the app: database path, missing fonts, the screenshot mode, the import summary."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from seri_desktop.domain.model import Report
from seri_desktop.fonts import FontNotFoundError, KoreanFonts
from seri_desktop.ui import app as app_module
from seri_desktop.ui.app import default_db_path, import_summary, run_app, text_importer
from seri_desktop.ui.main_window import MainWindow


@dataclass
class FakeWarning:
    line: int
    message: str


@dataclass
class FakeResult:
    report: Report
    warnings: list[FakeWarning] = field(default_factory=list)


class FakeStore:
    """The store and importer modules as run_app sees them, without a database."""

    def __init__(self, imported: Report) -> None:
        self.imported = imported
        self.engines: list[Path] = []
        self.saved: list[tuple[Report, bool]] = []
        self.report: Report | None = None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        engine_mod = types.ModuleType("seri_desktop.store.engine")
        engine_mod.create_engine_for = self.create_engine_for  # type: ignore[attr-defined]
        repo_mod = types.ModuleType("seri_desktop.store.repository")
        repo_mod.load_report = self.load_report  # type: ignore[attr-defined]
        repo_mod.save_report = self.save_report  # type: ignore[attr-defined]
        import_mod = types.ModuleType("seri_desktop.formats.text_import")
        import_mod.import_report_file = self.import_report_file  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "seri_desktop.store.engine", engine_mod)
        monkeypatch.setitem(sys.modules, "seri_desktop.store.repository", repo_mod)
        monkeypatch.setitem(sys.modules, "seri_desktop.formats.text_import", import_mod)

    def create_engine_for(self, path: Path) -> str:
        self.engines.append(path)
        return f"engine:{path}"

    def load_report(self, engine: object, year: int | None = None) -> Report | None:
        return self.report

    def save_report(self, engine: object, report: Report, *, replace: bool = False) -> None:
        self.saved.append((report, replace))
        self.report = report

    def import_report_file(self, path: Path) -> FakeResult:
        return FakeResult(
            self.imported, [FakeWarning(12, "금액을 읽을 수 없습니다"), FakeWarning(40, "빈 표")]
        )


@pytest.fixture
def fake_store(monkeypatch: pytest.MonkeyPatch, sample_report: Report) -> FakeStore:
    store = FakeStore(sample_report)
    store.install(monkeypatch)
    return store


def _close_main_windows() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()
            widget.deleteLater()


def test_default_db_path(qapp: QApplication) -> None:
    path = default_db_path()
    assert path.name == "seri-desktop.sqlite"
    assert "seri-desktop" in path.parent.parts
    assert QApplication.organizationName() == QApplication.applicationName() == "seri-desktop"


def test_missing_font_shows_the_message_and_exits_2(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_db: Path
) -> None:
    shown: list[str] = []

    def no_fonts(override: Path | None = None) -> KoreanFonts:
        raise FontNotFoundError("한글 트루타입 글꼴(TTF)을 찾지 못했습니다.")

    def critical(parent: QWidget | None, title: str, text: str) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(app_module, "find_korean_fonts", no_fonts)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert run_app(tmp_db) == 2
    assert shown == ["한글 트루타입 글꼴(TTF)을 찾지 못했습니다."]
    assert not tmp_db.exists()


def test_screenshot_mode_saves_the_window_and_quits(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_db: Path, fake_store: FakeStore
) -> None:
    fake_store.report = fake_store.imported
    shot = tmp_path / "shot.png"
    monkeypatch.setenv("SERI_SCREENSHOT", str(shot))
    try:
        assert run_app(tmp_db) == 0
    finally:
        _close_main_windows()
    assert fake_store.engines == [tmp_db]
    image = QImage(str(shot))
    assert not image.isNull()
    assert image.width() >= 600 and image.height() >= 400


def test_database_that_cannot_open_is_reported(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_db: Path, fake_store: FakeStore
) -> None:
    shown: list[str] = []

    def broken(path: Path) -> None:
        raise RuntimeError("migration failed")

    def critical(parent: QWidget | None, title: str, text: str) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(sys.modules["seri_desktop.store.engine"], "create_engine_for", broken)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert run_app(tmp_db) == app_module.EXIT_NO_DATABASE
    assert len(shown) == 1 and str(tmp_db) in shown[0] and "migration failed" in shown[0]


def test_text_importer_saves_with_replace_and_summarises(fake_store: FakeStore, tmp_path: Path) -> None:
    message = text_importer("engine")(tmp_path / "report.txt")  # type: ignore[arg-type]
    assert message.splitlines()[0] == "2024년 보고서를 가져왔습니다: 2개 장, 3개 사업 (확인할 줄 2개)"
    assert "12번째 줄: 금액을 읽을 수 없습니다" in message
    assert [replace for _report, replace in fake_store.saved] == [True]


def test_import_summary_without_warnings_is_one_line(sample_report: Report) -> None:
    assert import_summary(sample_report, []) == "2024년 보고서를 가져왔습니다: 2개 장, 3개 사업"


def test_import_summary_lists_only_the_first_warnings(sample_report: Report) -> None:
    warnings = [(n, "확인") for n in range(1, 16)]
    lines = import_summary(sample_report, warnings).splitlines()
    assert lines[0].endswith("(확인할 줄 15개)")
    assert lines[-1] == "… 외 5개"
    assert len([line for line in lines if "번째 줄" in line]) == 10
