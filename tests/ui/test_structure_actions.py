"""Structure editing in the window on the imported 2024 report (issue 13, item 2).

Each change is made as a person makes it (the navigator's context menu, a
drop on the navigator, the toolbar, Ctrl+Z), confirmed where the window asks,
and checked in the navigator, in the stored report after closing and
reopening the database, and for the move in the PDF read back with pypdf.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.formats.pdf import build_department_pdf
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.store.audit import AuditAction, audit_log
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_program
from seri_desktop.ui.main_window import MainWindow
from tests.helpers.db import db_state, load_db

OpenWindow = Callable[..., MainWindow]




def labels(window: MainWindow) -> dict[str, str]:
    return {key: window.model.row(key).label for key in window.model.all_keys()}  # type: ignore[union-attr]


def entries(menu: QMenu) -> dict[str, QAction]:
    """Every entry of a menu and its submenus by text."""
    found: dict[str, QAction] = {}
    for action in menu.actions():
        if action.menu() is not None:
            found |= {f"{action.text()} › {k}": v for k, v in entries(action.menu()).items()}  # type: ignore[arg-type]
        elif not action.isSeparator():
            found[action.text()] = action
    return found


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the next text prompts are answered with (the test appends; first in, first out)."""
    answers: list[str] = []

    def answer(parent: QWidget | None, title: str, label: str, *args: object) -> tuple[str, bool]:
        return answers.pop(0), True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    return answers


def choose(window: MainWindow, key: str, entry: str, typed: list[str], answer: str) -> None:
    """Right-click row ``key``, choose ``entry`` and type ``answer`` into the prompt it opens."""
    typed.append(answer)
    entries(window.structure_actions.menu_for(key))[entry].trigger()


def reopen(open_window: OpenWindow, window: MainWindow, db: Path) -> MainWindow:
    window.close()
    assert window.backend is not None
    window.backend.close()
    return open_window(db)


def test_add_program_2_8_to_chapter_2_from_the_template(
    open_window: OpenWindow, db_2024: Path, typed: list[str], questions: list[str]
) -> None:
    window = open_window(db_2024)
    choose(window, "chapter:2", "2장에 새 사업…", typed, "학교평가 결과 나눔")
    assert window.current_key() == "program:2-8"
    assert labels(window)["program:2-8"] == "2-8 학교평가 결과 나눔"
    assert questions == []  # nothing renumbered: applied without a question
    assert window.undo_action.isEnabled() and "2-8" in window.undo_action.text()

    window = reopen(open_window, window, db_2024)
    program = load_db(db_2024).program("2-8")
    assert program is not None and program.department == "기획평가부"
    assert program.targets is not None and not program.targets.rows
    assert program.budget is not None and not program.budget.lines and not program.overview.purpose
    assert labels(window)["program:2-8"] == "2-8 학교평가 결과 나눔"


def drop(window: MainWindow, source: str, target: str) -> None:
    """Drop navigator row ``source`` on row ``target`` as a drag would end (the view's own dropEvent)."""
    tree = window.tree
    source_index = window.model.index_for_key(source)
    tree.setCurrentIndex(source_index)
    target_rect = tree.visualRect(window.model.index_for_key(target))
    mime: QMimeData = window.model.mimeData([source_index])
    event = QDropEvent(
        QPointF(target_rect.center()),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tree.dropEvent(event)


def test_move_4_9_to_chapter_5_by_a_drop_renumbers_the_navigator_and_the_pdf(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, questions: list[str], tmp_path: Path
) -> None:
    window = open_window(db_2024)
    uid = load_db(db_2024).program("4-9").uid  # type: ignore[union-attr]
    drop(window, "program:4-9", "chapter:5")
    qtbot.waitUntil(lambda: "program:5-8" in window.model.all_keys())
    assert len(questions) == 1 and "번호 바뀜: 4-9 → 5-8 디지털 역량 강화 교원 연수 지원(신규)" in questions[0]
    assert "program:4-9" not in window.model.all_keys()
    assert labels(window)["program:5-8"] == "5-8 디지털 역량 강화 교원 연수 지원(신규)"
    assert window.model.row("program:5-8").parent_key == "chapter:5"  # type: ignore[union-attr]
    assert window.current_key() == "program:5-8"

    assert window.report is not None
    pdf = tmp_path / "chapter5.pdf"
    build_department_pdf(window.report, "교육정보화부", pdf, workers=1)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "5-8" in text and "디지털 역량 강화 교원 연수 지원" in text.replace("\n", " ")
    other = tmp_path / "chapter4.pdf"
    build_department_pdf(window.report, "교수학습정보부", other, workers=1)
    text4 = " ".join(page.extract_text() for page in pypdf.PdfReader(other).pages)
    assert "4-9" not in text4

    window = reopen(open_window, window, db_2024)
    report = load_db(db_2024)
    moved = report.program_by_uid(uid)
    assert moved is not None and moved.code == "5-8" and moved.department == "교수학습정보부"
    assert [p.code for p in report.chapters[3].programs] == [f"4-{n}" for n in range(1, 9)]
    assert "program:5-8" in window.model.all_keys()


def test_a_drop_on_a_program_puts_it_in_that_place(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, questions: list[str]
) -> None:
    window = open_window(db_2024)
    title = load_db(db_2024).program("3-5").title  # type: ignore[union-attr]
    drop(window, "program:3-5", "program:3-2")  # on the row: it takes that row's place
    qtbot.waitUntil(lambda: labels(window)["program:3-2"] == f"3-2 {title}")
    assert "번호 바뀜: 3-5 → 3-2 서울진로진학정보센터 운영" in questions[0]
    assert "번호 바뀜: 3-2 → 3-3 초등 4학년 사회과 보완도서 개발·보급" in questions[0]
    assert [p.title for p in load_db(db_2024).chapters[2].programs].index(title) == 1


def test_rename_department_every_program_follows(
    open_window: OpenWindow, db_2024: Path, typed: list[str], questions: list[str]
) -> None:
    window = open_window(db_2024)
    choose(window, "department:교수학습정보부", "'교수학습정보부' 이름 바꾸기…", typed, "디지털교수학습부")
    assert "department:디지털교수학습부" in window.model.all_keys()
    assert "department:교수학습정보부" not in window.model.all_keys()
    assert window.current_key() == "department:디지털교수학습부"
    window.select_key("program:4-3")
    assert window.program_form.isVisible()

    window = reopen(open_window, window, db_2024)
    report = load_db(db_2024)
    assert [p.department for p in report.chapters[3].programs] == ["디지털교수학습부"] * 9
    assert report.chapters[3].department == "디지털교수학습부"
    assert not any(p.department == "교수학습정보부" for p in report.programs())
    assert report.department("디지털교수학습부") is not None and report.department("디지털교수학습부").results  # type: ignore[union-attr]


def test_delete_a_program_and_undo_it(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, questions: list[str]
) -> None:
    window = open_window(db_2024)
    before = load_db(db_2024)
    text_before = export_report_text(before)
    window.select_key("program:3-3")
    menu = window.structure_actions.menu_for("program:3-3")
    entries(menu)["3-3 사업 삭제…"].trigger()
    assert len(questions) == 1 and "삭제: 3-3 인정도서 심의" in questions[0] and "번호 바뀜: 3-4 → 3-3" in questions[0]
    assert labels(window)["program:3-3"] == "3-3 대학진학지도 지원"
    assert load_db(db_2024).program("3-3").title == "대학진학지도 지원"  # type: ignore[union-attr]

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: labels(window).get("program:3-3") == "3-3 인정도서 심의")
    assert export_report_text(load_db(db_2024)) == text_before  # back as it was, content and all

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: labels(window).get("program:3-3") == "3-3 대학진학지도 지원")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: labels(window).get("program:3-3") == "3-3 인정도서 심의")

    window = reopen(open_window, window, db_2024)
    again = load_db(db_2024)
    assert export_report_text(again) == text_before
    assert again.program("3-3").uid == before.program("3-3").uid  # type: ignore[union-attr]
    engine = create_engine_for(db_2024)
    try:
        log = audit_log(engine, 2024)
    finally:
        engine.dispose()
    summaries = [e.new for e in log if e.action == AuditAction.STRUCTURE]
    assert summaries == [
        "3-3 사업 '인정도서 심의'을(를) 삭제합니다.",
        "되돌리기: 3-3 사업 '인정도서 심의'을(를) 삭제합니다.",
        "다시 실행: 3-3 사업 '인정도서 심의'을(를) 삭제합니다.",
        "되돌리기: 3-3 사업 '인정도서 심의'을(를) 삭제합니다.",
    ]
    assert any((e.detail or {}).get("content", {}).get("title") == "인정도서 심의" for e in log)


def test_undo_keeps_what_was_typed_since(
    open_window: OpenWindow, db_2024: Path, typed: list[str], questions: list[str]
) -> None:
    """Undoing a rename restores the title only: a program edited after the rename keeps its edit."""
    window = open_window(db_2024)
    assert window.structure_actions.rename_program("1-2", "종단연구 새 이름")
    program = load_db(db_2024).program("1-3")  # edited elsewhere after the rename
    assert program is not None and len(program.achievements) > 1
    program.achievements = program.achievements[:1]
    engine = create_engine_for(db_2024)
    try:
        save_program(engine, 2024, program)
    finally:
        engine.dispose()
    window.undo_action.trigger()
    report = load_db(db_2024)
    assert report.program("1-2").title == "서울교육종단연구 2020 운영"  # type: ignore[union-attr]
    assert len(report.program("1-3").achievements) == 1  # type: ignore[union-attr]


def test_refusal_in_the_window_changes_nothing(
    open_window: OpenWindow, db_2024: Path, warnings: list[str]
) -> None:
    window = open_window(db_2024)
    before = db_state(db_2024, 2024)
    assert not window.structure_actions.add_department("기획평가부")
    assert not window.structure_actions.move_program("2-1", -1)
    assert any("'기획평가부' 부서가 이미 있습니다" in w for w in warnings)
    assert any("2-1 사업은 2장의 맨 위에 있어" in w for w in warnings)
    assert db_state(db_2024, 2024) == before
    assert not window.structure_actions.stack.canUndo()


def test_the_context_menu_of_each_row(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    program = entries(window.structure_actions.menu_for("program:4-9"))
    for text in (
        "4-9 사업 이름 바꾸기…",
        "위로 옮기기",
        "다른 장으로 옮기기 › 5. 미래 교육을 지원하는 디지털 환경 구축",
        "부서 바꾸기 › 기획평가부",
        "4-9의 구성을 본뜬 새 사업…",
        "4-9 사업 삭제…",
        "4장에 새 사업…",
        "새 장…",
    ):
        assert text in program, text
    assert not program["아래로 옮기기"].isEnabled()  # the last of its chapter
    assert not program["부서 바꾸기 › 교수학습정보부"].isEnabled()
    chapter = entries(window.structure_actions.menu_for("chapter:1"))
    assert {"1장 제목 바꾸기…", "장 아래로 옮기기", "1장 삭제…"} <= set(chapter)
    assert not chapter["장 위로 옮기기"].isEnabled()
    department = entries(window.structure_actions.menu_for("department:교육정보화부"))
    assert not department["'교육정보화부' 빼기"].isEnabled()
    assert "다른 부서에 합치기 › 기획평가부" in department


def test_the_toolbar_follows_the_current_row(
    open_window: OpenWindow, db_2024: Path, questions: list[str]
) -> None:
    window = open_window(db_2024)
    actions = window.structure_actions
    window.select_key("program:2-3")
    assert actions.up_action.isEnabled() and actions.delete_action.isEnabled()
    actions.down_action.trigger()
    assert window.current_key() == "program:2-4"
    assert load_db(db_2024).program("2-4").title == "학교 간 교원학습공동체 운영 지원"  # type: ignore[union-attr]
    window.select_key("section:front")
    assert not actions.up_action.isEnabled() and not actions.add_program_action.isEnabled()


def test_a_package_window_offers_no_structure_change(
    open_window: OpenWindow, db_2024: Path, tmp_path: Path, window_on: Callable[[Path], MainWindow]
) -> None:
    from seri_desktop.exchange.package import create_package

    engine = create_engine_for(db_2024)
    package = tmp_path / "dept.seripkg"
    create_package(engine, "기획평가부", package, who="기획팀")
    engine.dispose()
    window = window_on(package)
    menu = entries(window.structure_actions.menu_for("program:2-1"))
    assert list(menu) == ["구성은 기획 부서의 데이터베이스에서 바꿉니다"]
    assert not window.structure_actions.add_chapter_action.isEnabled()


def test_the_menu_opens_where_the_row_is(
    open_window: OpenWindow, db_2024: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(db_2024)
    popped: list[tuple[list[str], QPoint]] = []
    # The offscreen platform cannot show a popup; the menu the right click builds and where it goes are kept.
    monkeypatch.setattr(
        QMenu, "popup", lambda menu, where, *args: popped.append(([a.text() for a in menu.actions()], where))
    )
    rect = window.tree.visualRect(window.model.index_for_key("program:1-2"))
    window.tree.customContextMenuRequested.emit(rect.center())
    assert len(popped) == 1 and "1-2 사업 이름 바꾸기…" in popped[0][0]
    assert popped[0][1] == window.tree.viewport().mapToGlobal(rect.center())


def test_the_tree_model_after_changes_passes_the_model_tester(
    qtmodeltester: object, open_window: OpenWindow, db_2024: Path, questions: list[str]
) -> None:
    window = open_window(db_2024)
    assert window.structure_actions.move_to_chapter("4-9", 5)
    assert window.structure_actions.add_chapter("새 장", "기획평가부")
    qtmodeltester.check(window.model)  # type: ignore[attr-defined]
    flags = window.model.flags
    assert flags(window.model.index_for_key("program:5-8")) & Qt.ItemFlag.ItemIsDragEnabled
    assert flags(window.model.index_for_key("chapter:6")) & Qt.ItemFlag.ItemIsDropEnabled
    assert not flags(window.model.index_for_key("chapter:6")) & Qt.ItemFlag.ItemIsDragEnabled
    assert not flags(window.model.index_for_key("section:front")) & Qt.ItemFlag.ItemIsDropEnabled
