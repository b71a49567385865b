"""UI fixtures: a small hand-built report and the Korean fonts installed in the test QApplication."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

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
from seri_desktop.ui.fonts_qt import install_korean_font


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
        targets=Targets(
            rows=[TargetRow("기본 연구", "3~12월", "8건"), TargetRow("현안 연구", "연중", "4건")]
        ),
        budget=BudgetTable(
            lines=[_line("정책연구 운영", 120_000, 100_000), _line("연구 성과 확산", 30_500, "-")]
        ),
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
