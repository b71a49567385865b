"""새 보고서… (issue 13 item 3): one dialog with three starts; the template's front-matter tables have their columns.

The window's start from the template and ``seri-desktop new-report`` make the same
report (one declaration: template.FRONT_TABLE_TEMPLATES); its captions and as-of date follow the year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from seri_desktop.cli import main
from seri_desktop.domain import template
from seri_desktop.domain.rules import check_report
from seri_desktop.ui.backend import open_workspace
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.mnemonics import plain
from seri_desktop.ui.new_report_dialog import Start
from tests.helpers.db import load_db
from tests.helpers.qt import answer_file_dialog

SHOTS = Path("/work/notes/shots")


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings, tmp_path: Path) -> Any:
    made = MainWindow(open_workspace(tmp_path / "empty.sqlite"), settings=settings, open_workspace=open_workspace)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    if made.backend is not None:
        made.backend.close()


def test_the_dialog_offers_three_starts(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.file_actions.new_report_dialog()
    qtbot.addWidget(dialog)
    texts = [b.text() for b in dialog.buttons.values()]
    assert texts == ["서식에서 (빈 보고서)", "작년 보고서에서", "텍스트 파일에서"]
    assert dialog.start() is Start.TEMPLATE and dialog.year_spin.isEnabled()
    dialog.buttons[Start.TEXT].setChecked(True)
    assert not dialog.year_spin.isEnabled()  # the text says its own year
    dialog.buttons[Start.TEMPLATE].setChecked(True)
    dialog.year_spin.setValue(2025)
    dialog.show()
    qtbot.waitExposed(dialog)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "new-report-dialog.png"))
    # The menu and the welcome page lead to this one dialog.
    assert plain(window.file_actions.new_action.text()) == "새 보고서…"
    assert plain(window.stack.welcome.buttons[0].text()) == "새 보고서…"


def test_from_the_template_the_front_tables_have_their_columns(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, capsys: Any
) -> None:
    target = tmp_path / "2025.sqlite"
    asked = answer_file_dialog(target)
    window.file_actions.start_new_report(Start.TEMPLATE, 2025)
    assert asked.proposed == "2025-주요업무보고.sqlite"
    qtbot.waitUntil(lambda: window.report is not None and window.report.year == 2025, timeout=30_000)
    made = load_db(target)
    staffing = made.front.staffing
    assert staffing.caption == "(단위: 명, '25.9.1.기준)"
    assert [c for c in staffing.header[0] if c][:4] == ["구 분", "교육전문직", "교육행정·사무운영직", "전산직"]
    assert staffing.header[0][-1] == "총 계" and "소 계" in staffing.header[1]
    assert [row[0] for row in staffing.rows] == ["정원", "현원"]
    overview = made.front.budget_overview
    assert overview.caption == "(단위: 천원, '25.6.30.기준)"
    assert overview.header[0][1] == "2025년도" and overview.header[0][3] == "2024년도"
    assert overview.header[1][1] == "본예산(A)" and overview.header[0][5:] == ["증감 (A-B)", "증감율 (%)"]
    assert made.front.facilities.header == [["구 분", "소 재 지", "건 물 면 적", "비 고"]]
    assert made.front.budget_summary == [] and made.front.budget_summary_caption == "(단위: 천원, '25.6.30.기준)"
    assert made.as_of is not None and made.as_of.isoformat() == "2025-06-30" and made.date_label == "2025. 9."
    assert check_report(made) == []
    # The form shows the columns.
    assert window.select_key("section:front")
    table = window.front_form.tables[template.STAFFING.key]
    assert table.model.columnCount() == len(staffing.header[0])

    # The command line makes the same report (the front matter and cover are derived from one declaration).
    cli_db = tmp_path / "cli.sqlite"
    assert main(["new-report", "--db", str(cli_db), "--year", "2025"]) == 0
    by_cli = load_db(cli_db)
    assert by_cli.front == made.front
    assert (by_cli.as_of, by_cli.date_label, by_cli.committee) == (made.as_of, made.date_label, made.committee)
    # Again: refused, the file unchanged.
    assert main(["new-report", "--db", str(cli_db), "--year", "2025"]) == 2
    assert "이미 있습니다" in capsys.readouterr().err
    assert load_db(cli_db) == by_cli
