"""The sample reports the tests build by hand: :func:`make_report` fills every field, :func:`make_sample_report` is small.

``make_report`` is what the store, exchange and format tests round-trip
(every cell kind, empty and missing parts, layouts); ``make_sample_report``
is the window tests' few programs with budgets, quick to show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from seri_desktop.domain import model as m


def _items(prefix: str, *, with_table: bool = False) -> list[m.OutlineItem]:
    items = [
        m.OutlineItem(0, m.ItemKind.ITEM, f"{prefix} 첫 항목"),
        m.OutlineItem(1, m.ItemKind.ITEM, f"{prefix} 하위 항목\n두 줄에 걸친 글"),
        m.OutlineItem(2, m.ItemKind.ITEM, f"{prefix} 더 깊은 항목"),
        m.OutlineItem(1, m.ItemKind.NOTE, f"{prefix} ※ 참고"),
        m.OutlineItem(1, m.ItemKind.FOOTNOTE, f"{prefix} * 각주"),
        m.OutlineItem(0, m.ItemKind.TEXT, f"{prefix} 그대로 둔 줄"),
    ]
    if with_table:
        items.append(
            m.OutlineItem(
                1,
                m.ItemKind.TABLE,
                "",
                table=[["구분", "'23년", "'24년"], ["참여 학교", "12", "△3"], ["", "", "재배정"]],
            )
        )
    return items


def _program(code: str, *, department: str, number: int) -> m.Program:
    """A program with every part filled; ``number`` varies the amounts."""
    n = number
    return m.Program(
        code=code,
        title=f"사업 {code} 제목",
        department=department,
        overview=m.Overview(
            lead=_items(f"{code} 개요 머리글"),
            purpose=_items(f"{code} 목적"),
            basis=_items(f"{code} 근거"),
            contents=_items(f"{code} 주요 내용", with_table=True),
        ),
        previous_achievements=_items(f"{code} 전년도 실적"),
        targets=m.Targets(
            qualifier="(누적)",
            rows=[
                m.TargetRow(f"{code} 세부 1", "3~12월", "10개교"),
                m.TargetRow(f"{code} 세부 2", "연중", ""),
                m.TargetRow("", "", ""),
            ],
        ),
        plan=m.Plan(improvements=_items(f"{code} 개선"), items=_items(f"{code} 계획", with_table=True)),
        achievements=_items(f"{code} 성과"),
        schedule=_items(f"{code} 일정"),
        budget=m.BudgetTable(
            unit="천원",
            as_of=dt.date(2024, 8, 31),
            lines=[
                m.BudgetLine(
                    name=f"{code} 운영비",
                    current=m.Cell.amount(1_234_567 * n),
                    previous=m.Cell.amount(-4_321 * n),
                    quarters=[
                        m.Quarter(m.Cell.amount(100 * n), "강사비"),
                        m.Quarter(m.Cell(m.CellKind.NONE), ""),
                        m.Quarter(m.Cell(m.CellKind.REALLOCATED), "교육지원청"),
                        m.Quarter(m.Cell(m.CellKind.INVALID, raw="1,23,4"), "잘못 적은 칸"),
                    ],
                    page="12",
                    notes_below=True,
                ),
                m.BudgetLine(
                    name=f"{code} 추경 사업",
                    current=m.Cell(),
                    previous=m.Cell.amount(0),
                    quarters=[
                        m.Quarter(m.Cell.amount(-1)),
                        m.Quarter(),
                        m.Quarter(m.Cell.amount(2**40)),
                        m.Quarter(m.Cell(m.CellKind.NON_BUDGET)),
                    ],
                    page="추경",
                ),
                m.BudgetLine(name=f"{code} 빈 줄", page="-"),
            ],
            printed_total=m.BudgetTotal(
                current=m.Cell.amount(1_234_567 * n),
                previous=m.Cell(m.CellKind.INVALID, raw="합계?"),
                quarters=[m.Cell.amount(99), m.Cell(m.CellKind.NONE), m.Cell(m.CellKind.REALLOCATED), m.Cell()],
            ),
            notes=[m.OutlineItem(0, m.ItemKind.NOTE, f"{code} ※ 예산 주석")],
        ),
        issues=_items(f"{code} 문제점"),
        layout={"header": "split", "headings": [1, 2, {"bare": True}], "blank": None, "ratio": 0.5},
    )


def _bare_program(code: str, *, department: str) -> m.Program:
    """A program without budget and targets, and with every outline empty."""
    return m.Program(code=code, title=f"사업 {code}", department=department)


def _empty_tables_program(code: str, *, department: str) -> m.Program:
    """Targets present but empty, a budget without lines, printed total or notes."""
    return m.Program(
        code=code,
        title=f"사업 {code}",
        department=department,
        targets=m.Targets(),
        budget=m.BudgetTable(unit="백만원"),
        overview=m.Overview(purpose=[m.OutlineItem(0, m.ItemKind.ITEM, f"{code} 목적만")]),
    )


def make_report(year: int = 2024, *, programs_per_chapter: int = 3) -> m.Report:
    """A report with every kind of field filled (two chapters, several programs)."""
    chapter1_programs = [
        _program(f"1-{i + 1}", department="교육연구부", number=i + 1) for i in range(programs_per_chapter)
    ]
    chapter2_programs = [
        _program("2-1", department="정책지원부", number=7),
        _bare_program("2-2", department="정책지원부"),
        _empty_tables_program("2-3", department="정책지원부"),
        *[_program(f"2-{i + 4}", department="정책지원부", number=i) for i in range(programs_per_chapter - 3)],
    ]
    return m.Report(
        year=year,
        title="주요업무보고",
        meeting="제326회 서울특별시의회",
        committee="교육위원회 보고자료",
        subtitle="함께 배우는 교육\n미래를 여는 연구",
        date_label=f"{year}. 9.",
        institute="서울특별시교육청교육연구정보원",
        unit="천원",
        as_of=dt.date(year, 9, 1),
        front=m.FrontMatter(
            history=[
                m.HistoryEntry("1962. 3. 1.", "개원"),
                m.HistoryEntry("", "하위 연혁 줄"),
                m.HistoryEntry("2024. 3. 1.", "조직 개편"),
            ],
            organization="원장\n  교육연구부\n  정책지원부",
            staffing=m.SimpleTable(
                caption="(단위: 명, '24.9.1.기준)",
                header=[["구분", "계", "일반직"], ["", "", "정원"]],
                rows=[["정원", "120", "80"], ["현원", "118", "△2"]],
            ),
            staffing_notes=_items("정현원 주석"),
            facilities=m.SimpleTable(caption="(시설)", header=[["건물", "면적"]], rows=[["본관", "1,234㎡"]]),
            budget_overview=m.SimpleTable(caption="", header=[], rows=[["세입", "-"]]),
            budget_summary_caption="(단위: 천원)",
            budget_summary=[
                m.SummaryRow(
                    code="1-1",
                    title="첫 사업",
                    current=m.Cell.amount(1_000),
                    previous=m.Cell.amount(-250),
                    quarters=[m.Cell.amount(1), m.Cell(m.CellKind.NONE), m.Cell(m.CellKind.REALLOCATED), m.Cell()],
                    page="12",
                ),
                m.SummaryRow(
                    code="2-1",
                    title="둘째 사업",
                    current=m.Cell(m.CellKind.INVALID, raw="1.5"),
                    previous=m.Cell(),
                    page="",
                ),
            ],
        ),
        departments=[
            m.Department(
                name="교육연구부",
                order=1,
                results=_items("교육연구부 성과"),
                limits=_items("교육연구부 한계", with_table=True),
                directions=_items("교육연구부 개선 방향"),
                layout={"title": "교육연구부 평가"},
            ),
            m.Department(name="정책지원부", order=2),
        ],
        chapters=[
            m.Chapter(
                number=1,
                title="교육 연구",
                department="교육연구부",
                programs=chapter1_programs,
                author_blocks=[
                    m.AuthorBlock(
                        before_program=0,
                        entries=[
                            m.AuthorEntry("부장", "김연구", "1234", "교육연구부", line=0),
                            m.AuthorEntry("", "이담당", "1235", "교육연구부", line=1),
                        ],
                    ),
                    m.AuthorBlock(
                        before_program=2,
                        entries=[m.AuthorEntry("팀장", "박팀장", "2345", "교육연구부", line=0)],
                        caption="작성자(2)",
                    ),
                ],
                listed_programs=[m.ListedProgram(p.code, p.title) for p in chapter1_programs],
                layout={"title_page": True},
            ),
            m.Chapter(
                number=2,
                title="정책 지원",
                department="정책지원부",
                programs=chapter2_programs,
                author_blocks=[m.AuthorBlock(before_program=0)],
                listed_programs=[m.ListedProgram("2-1", "목록에만 있는 제목")],
            ),
        ],
        layout={"cover": {"lines": ["주요업무보고", ""]}, "pages": 42, "toc": False},
    )


def _line(name: str, current: int, previous: int | str) -> m.BudgetLine:
    prev = m.Cell.amount(previous) if isinstance(previous, int) else m.Cell.parse(previous)
    return m.BudgetLine(
        name=name,
        current=m.Cell.amount(current),
        previous=prev,
        quarters=[m.Quarter(m.Cell.amount(current // 4)) for _ in range(4)],
        page="12",
    )


def make_sample_report() -> m.Report:
    """2 chapters, 3 programs, 2 departments, budgets with amounts."""
    research = m.Department(
        name="교육연구부",
        order=1,
        results=[m.OutlineItem(0, m.ItemKind.ITEM, "연구 과제 12건 수행")],
        limits=[m.OutlineItem(0, m.ItemKind.ITEM, "현장 확산 부족")],
    )
    policy = m.Department(name="정책지원부", order=2)
    p11 = m.Program(
        code="1-1",
        title="미래교육 정책연구 강화",
        department="교육연구부",
        targets=m.Targets(rows=[m.TargetRow("기본 연구", "3~12월", "8건"), m.TargetRow("현안 연구", "연중", "4건")]),
        budget=m.BudgetTable(lines=[_line("정책연구 운영", 120_000, 100_000), _line("연구 성과 확산", 30_500, "-")]),
    )
    p12 = m.Program(
        code="1-2",
        title="교원 연수 운영",
        department="교육연구부",
        budget=m.BudgetTable(lines=[_line("연수 운영비", 45_000, 44_000)]),
    )
    p21 = m.Program(code="2-1", title="교육정책 현안 분석 및 지원", department="정책지원부")
    return m.Report(
        year=2024,
        meeting="제326회 서울특별시의회",
        committee="교육위원회 보고자료",
        date_label="2024. 9.",
        institute="서울특별시교육청교육연구정보원",
        departments=[research, policy],
        chapters=[
            m.Chapter(number=1, title="교육 연구 역량 강화", department="교육연구부", programs=[p11, p12]),
            m.Chapter(number=2, title="교육정책 지원", department="정책지원부", programs=[p21]),
        ],
    )


def edit_first_item(program: m.Program, suffix: str, section: str = "achievements") -> tuple[str, str]:
    """Append ``suffix`` to the first plain item of a program's outline; returns (old text, new text)."""
    outline: list[m.OutlineItem] = getattr(program, section)
    item = next(i for i in outline if i.kind is m.ItemKind.ITEM)
    old = item.text
    item.text = f"{old}{suffix}"
    return old, item.text


def field_diff(a: object, b: object) -> list[str]:
    """The paths of the fields that differ between two model objects (``chapters[0].programs[0].title``)."""
    out: list[str] = []
    _diff(a, b, "", out)
    return out


def _diff(a: object, b: object, path: str, out: list[str]) -> None:
    if dataclasses.is_dataclass(a) and not isinstance(a, type) and type(a) is type(b):
        for f in dataclasses.fields(a):
            _diff(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}" if path else f.name, out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(path)
