"""The main window over a hand-built report: tree, detail pane, empty database, import errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QRawFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import Cell, Report
from seri_desktop.ui.main_window import EMPTY_MESSAGE, MainWindow

SCREENSHOT = Path("/tmp/seri-ui-sample.png")

# The offscreen platform plugin says this whenever a QMainWindow with a menu bar
# or central widget is shown; it is the test platform talking, not the app.


class Recorder:
    """Stands in for a blocking QMessageBox static function."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(
        self, parent: QWidget | None, title: str, text: str, *args: object
    ) -> QMessageBox.StandardButton:
        self.calls.append((title, text))
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", recorder)
    return recorder


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(QMessageBox, "information", recorder)
    return recorder


def _no_import(path: Path) -> str:
    raise AssertionError(f"unexpected import of {path}")


def make_window(qtbot: QtBot, report: Report | None) -> MainWindow:
    window = MainWindow(load=lambda: report, import_text=_no_import, db_path=Path("/data/report.sqlite"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _visible_labels(window: MainWindow) -> list[str]:
    labels = []
    index = window.tree.model().index(0, 0)
    while index.isValid():
        labels.append(index.data())
        index = window.tree.indexBelow(index)
    return labels


def test_tree_lists_chapters_and_programs_expanded(qtbot: QtBot, sample_report: Report) -> None:
    window = make_window(qtbot, sample_report)
    assert window.windowTitle() == "seri-desktop — 2024년 주요업무보고"
    # indexBelow walks only expanded rows: everything shows without clicking.
    assert _visible_labels(window) == [
        "I. 일반 현황",
        "II. 업무 평가 및 개선 방향",
        "교육연구부",
        "정책지원부",
        "III. 주요업무",
        "1. 교육 연구 역량 강화",
        "1-1 미래교육 정책연구 강화",
        "1-2 교원 연수 운영",
        "2. 교육정책 지원",
        "2-1 교육정책 현안 분석 및 지원",
    ]
    assert "/data/report.sqlite" in window.db_label.text()
    assert window.db_label.isVisible()


def test_selecting_a_program_shows_its_details(qtbot: QtBot, sample_report: Report) -> None:
    window = make_window(qtbot, sample_report)
    index = window.model.index_for_key("program:1-1")
    # Click like a user does, so the selection signal path is the real one.
    window.tree.scrollTo(index)
    QTest.mouseClick(
        window.tree.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        window.tree.visualRect(index).center(),
    )
    assert window.current_key() == "program:1-1"
    text = window.detail.toPlainText()
    assert "1-1 미래교육 정책연구 강화" in text
    assert "교육연구부" in text
    assert "150,500 천원" in text  # 120,000 + 30,500
    assert "100,000 천원" in text  # previous year: "-" counts as nothing
    assert "2개" in text  # budget lines
    assert "2행" in text  # target rows


def test_program_without_budget(qtbot: QtBot, sample_report: Report) -> None:
    window = make_window(qtbot, sample_report)
    assert window.select_key("program:2-1")
    text = window.detail.toPlainText()
    assert "2-1 교육정책 현안 분석 및 지원" in text
    assert "예산 집행 계획" in text and "없음" in text


def test_unreadable_amounts_get_no_unit(qtbot: QtBot, sample_report: Report) -> None:
    program = sample_report.program("1-2")
    assert program is not None and program.budget is not None
    program.budget.lines[0].current = Cell.parse("비예산")
    window = make_window(qtbot, sample_report)
    window.select_key("program:1-2")
    text = window.detail.toPlainText()
    assert "천원" in text  # the previous year is an amount
    assert "- 천원" not in text and "비예산 천원" not in text


def test_other_rows_show_summaries(qtbot: QtBot, sample_report: Report) -> None:
    window = make_window(qtbot, sample_report)
    assert "왼쪽 목록" in window.detail.toPlainText()  # nothing selected: the report summary
    window.select_key("chapter:1")
    assert "1. 교육 연구 역량 강화" in window.detail.toPlainText()
    window.select_key("department:교육연구부")
    assert "1. 교육 연구 역량 강화" in window.detail.toPlainText()  # the chapters it owns
    window.select_key("section:programs")
    assert "3개" in window.detail.toPlainText()


def test_empty_database_says_what_to_do(qtbot: QtBot) -> None:
    window = make_window(qtbot, None)
    assert window.windowTitle() == "seri-desktop"
    assert window.detail.toPlainText().strip() == EMPTY_MESSAGE
    assert window.model.rowCount() == 0


def test_failing_import_warns_and_keeps_the_window(
    qtbot: QtBot, sample_report: Report, warnings: Recorder, tmp_path: Path
) -> None:
    def import_text(path: Path) -> str:
        raise ValueError("보고서 연도를 찾을 수 없습니다.")

    window = MainWindow(load=lambda: sample_report, import_text=import_text)
    qtbot.addWidget(window)
    window.show()
    window.select_key("program:1-2")
    assert not window.import_file(tmp_path / "broken.txt")
    assert len(warnings.calls) == 1
    _title, text = warnings.calls[0]
    assert "broken.txt" in text and "보고서 연도를 찾을 수 없습니다." in text
    assert window.isVisible()
    assert window.current_key() == "program:1-2"
    assert QApplication.overrideCursor() is None


def test_successful_import_reloads_the_tree(
    qtbot: QtBot, sample_report: Report, infos: Recorder, tmp_path: Path
) -> None:
    stored: list[Report] = []

    def import_text(path: Path) -> str:
        stored.append(sample_report)
        return "2024년 보고서를 가져왔습니다: 2개 장, 3개 사업"

    window = MainWindow(load=lambda: stored[-1] if stored else None, import_text=import_text)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 0
    assert window.import_file(tmp_path / "report.txt")
    assert window.model.index_for_key("program:2-1").isValid()
    assert window.windowTitle().endswith("2024년 주요업무보고")
    assert infos.calls == [("가져오기 완료", "2024년 보고서를 가져왔습니다: 2개 장, 3개 사업")]
    assert window.statusBar().currentMessage().startswith("2024년 보고서를 가져왔습니다")


def test_failing_load_warns_and_shows_the_empty_state(qtbot: QtBot, warnings: Recorder) -> None:
    def load() -> Report | None:
        raise RuntimeError("database disk image is malformed")

    window = MainWindow(load=load, import_text=_no_import)
    qtbot.addWidget(window)
    assert len(warnings.calls) == 1
    assert "malformed" in warnings.calls[0][1]
    assert window.detail.toPlainText().strip() == EMPTY_MESSAGE


def test_menu_actions(qtbot: QtBot) -> None:
    window = make_window(qtbot, None)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["파일"]
    assert window.import_action.text() == "텍스트 가져오기…"
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.quit_action.text() == "끝내기"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    window.quit_action.trigger()
    assert not window.isVisible()


def test_application_font_renders_hangul(korean_family: str) -> None:
    font = QApplication.font()
    assert font.family() == korean_family
    assert "NanumGothic" in korean_family or "나눔고딕" in korean_family
    assert QFontMetrics(font).inFontUcs4(ord("가"))
    # QFontMetrics answers for the font plus its fallbacks; the raw font is the file itself.
    assert QRawFont.fromFont(font).supportsCharacter(ord("가"))


def test_screenshot(qtbot: QtBot, sample_report: Report) -> None:
    window = make_window(qtbot, sample_report)
    window.select_key("program:1-1")
    # Let posted layout requests run, or the status bar's size grip is drawn where it started.
    qtbot.wait(50)
    SCREENSHOT.unlink(missing_ok=True)
    assert window.grab().save(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 0
