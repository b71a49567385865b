"""A report put together from its stored rows: the one place rows become domain objects.

Two loaders fetch the rows and hand them here: :mod:`.content` (SQLAlchemy
Core, on any database, inside a caller's transaction) and :mod:`.fastread`
(the standard library's ``sqlite3``, for a read-only command on a current
SQLite file, without importing SQLAlchemy). A row is any object with its
table's columns as attributes, JSON columns decoded and booleans as
``bool``: a SQLAlchemy ``Row``, or fastread's. Every list of rows comes in
the table's ``position`` order; outline rows come as plain tuples of
:data:`OUTLINE_COLUMNS` (the biggest table: unpacking by position is several
times faster than attribute access).

No SQLAlchemy here, and no queries: which rows belong to what is the
loaders' business; how they fit together is this module's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, TypeVar

from seri_desktop.domain import template
from seri_desktop.domain.model import (
    CELL_KIND_OF,
    ITEM_KIND_OF,
    AuthorBlock,
    AuthorEntry,
    BudgetLine,
    BudgetTable,
    BudgetTotal,
    Cell,
    Chapter,
    Department,
    FrontMatter,
    HistoryEntry,
    ListedProgram,
    OutlineItem,
    Program,
    Quarter,
    Report,
    SimpleTable,
    SummaryRow,
    TargetRow,
    Targets,
)
from seri_desktop.domain.template import Part

# Column prefixes of the four quarters (q1_kind, q1_value …).
QUARTERS: Final[tuple[str, ...]] = tuple(f"q{n}" for n in range(1, template.QUARTER_COUNT + 1))
# The outline_item columns a loader selects, in this order.
OUTLINE_COLUMNS: Final[tuple[str, ...]] = (
    "program_id",
    "department_id",
    "report_id",
    "field",
    "level",
    "kind",
    "text",
    "table_json",
)

# The kinds by value (model.CELL_KIND_OF): an unknown value is a KeyError, which the loaders report as damaged data.
_CELL_KINDS = CELL_KIND_OF
_ITEM_KINDS = ITEM_KIND_OF

OutlineKey = tuple[int | None, int | None, int | None, str]  # (program, department, report, field)
Outlines = dict[OutlineKey, list[OutlineItem]]

K = TypeVar("K")
V = TypeVar("V")


def group(rows: Iterable[Any], key: Callable[[Any], K], make: Callable[[Any], V]) -> dict[K, list[V]]:
    groups: dict[K, list[V]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(make(row))
    return groups


def cell(row: Any, prefix: str) -> Cell:
    return Cell(
        _CELL_KINDS[getattr(row, f"{prefix}_kind")],
        getattr(row, f"{prefix}_value"),
        getattr(row, f"{prefix}_raw"),
    )


def outlines(rows: Iterable[Sequence[Any]]) -> Outlines:
    """Outline items by owner and field, from tuples of :data:`OUTLINE_COLUMNS`."""
    found: Outlines = {}
    for program_id, department_id, report_id, field, level, kind, text, table in rows:
        item = OutlineItem(level=level, kind=_ITEM_KINDS[kind], text=text, table=table)
        found.setdefault((program_id, department_id, report_id, field), []).append(item)
    return found


def _put_outlines(found: Outlines, owner: Any, parts: tuple[Part, ...], key: Callable[[str], OutlineKey]) -> None:
    # Parts under a missing optional parent (a program without a budget) are dropped by put.
    for part in parts:
        template.put(owner, part, found.get(key(part.key), []))


def programs(
    program_rows: Iterable[Any], target_rows: Iterable[Any], line_rows: Iterable[Any], found: Outlines
) -> list[tuple[int, Program]]:
    """(chapter row id, program) of each program row, with its targets, budget lines and outlines."""
    targets = group(
        target_rows,
        lambda r: r.program_id,
        lambda r: TargetRow(**{name: getattr(r, name) for name in template.TARGET_FIELDS}),
    )
    lines = group(line_rows, lambda r: r.program_id, _budget_line)

    def program(row: Any) -> Program:
        pid: int = row.id
        budget = None
        if row.has_budget:
            budget = BudgetTable(
                unit=row.budget_unit,
                as_of=row.budget_as_of,
                lines=lines.get(pid, []),
                printed_total=_total(row) if row.has_printed_total else None,
            )
        read = Program(
            code=row.code,
            title=row.title,
            department=row.department,
            targets=Targets(qualifier=row.targets_qualifier, rows=targets.get(pid, [])) if row.has_targets else None,
            budget=budget,
            layout=row.layout,
            uid=row.uid,
        )
        _put_outlines(found, read, template.PROGRAM_OUTLINE_PARTS, lambda field: (pid, None, None, field))
        return read

    return [(int(r.chapter_id), program(r)) for r in program_rows]


def departments(rows: Iterable[Any], found: Outlines) -> list[Department]:
    """The departments of ``rows`` with their section II."""

    def department(row: Any) -> Department:
        read = Department(name=row.name, order=row.order_no, layout=row.layout, uid=row.uid)
        _put_outlines(found, read, template.SECTION_II_PARTS, lambda field: (None, row.id, None, field))
        return read

    return [department(r) for r in rows]


def front(
    report_row: Any,
    history_rows: Iterable[Any],
    table_rows: Iterable[Any],
    summary_rows: Iterable[Any],
    found: Outlines,
) -> Report:
    """The report row's fields and I. 일반 현황, without departments and chapters."""
    report_id: int = report_row.id
    front_tables = {r.key: SimpleTable(caption=r.caption, header=r.header_json, rows=r.rows_json) for r in table_rows}
    report = Report(
        year=report_row.year,
        title=report_row.title,
        meeting=report_row.meeting,
        committee=report_row.committee,
        subtitle=report_row.subtitle,
        date_label=report_row.date_label,
        institute=report_row.institute,
        unit=report_row.unit,
        as_of=report_row.as_of,
        front=FrontMatter(
            history=[HistoryEntry(date=r.date, text=r.text) for r in history_rows],
            organization=report_row.organization,
            budget_summary_caption=report_row.budget_summary_caption,
            budget_summary=[
                SummaryRow(
                    code=r.code,
                    title=r.title,
                    current=cell(r, "current"),
                    previous=cell(r, "previous"),
                    quarters=[cell(r, q) for q in QUARTERS],
                    page=r.page,
                )
                for r in summary_rows
            ],
        ),
        layout=report_row.layout,
    )
    for part in template.FRONT_TABLE_PARTS:
        template.put(report, part, front_tables.get(part.store_key, SimpleTable()))
    _put_outlines(found, report, template.FRONT_OUTLINE_PARTS, lambda field: (None, None, report_id, field))
    return report


def chapters(
    chapter_rows: Iterable[Any],
    read_programs: Iterable[tuple[int, Program]],
    block_rows: Iterable[Any],
    entry_rows: Iterable[Any],
    listed_rows: Iterable[Any],
) -> list[Chapter]:
    """The chapters of ``chapter_rows`` with their programs (from :func:`programs`), author blocks and lists."""
    by_chapter: dict[int, list[Program]] = {}
    for chapter_id, program in read_programs:
        by_chapter.setdefault(chapter_id, []).append(program)
    entries = group(
        entry_rows,
        lambda r: r.author_block_id,
        lambda r: AuthorEntry(role=r.role, name=r.name, phone=r.phone, department=r.department, line=r.line),
    )
    blocks = group(
        block_rows,
        lambda r: r.chapter_id,
        lambda r: AuthorBlock(before_program=r.before_program, entries=entries.get(r.id, []), caption=r.caption),
    )
    listed = group(listed_rows, lambda r: r.chapter_id, lambda r: ListedProgram(code=r.code, title=r.title))
    return [
        Chapter(
            number=r.number,
            title=r.title,
            department=r.department,
            programs=by_chapter.get(r.id, []),
            author_blocks=blocks.get(r.id, []),
            listed_programs=listed.get(r.id, []),
            layout=r.layout,
            uid=r.uid,
        )
        for r in chapter_rows
    ]


def _budget_line(row: Any) -> BudgetLine:
    return BudgetLine(
        name=row.name,
        current=cell(row, "current"),
        previous=cell(row, "previous"),
        quarters=[Quarter(amount=cell(row, q), note=getattr(row, f"{q}_note")) for q in QUARTERS],
        page=row.page,
        notes_below=row.notes_below,
    )


def _total(row: Any) -> BudgetTotal:
    return BudgetTotal(
        current=cell(row, "total_current"),
        previous=cell(row, "total_previous"),
        quarters=[cell(row, f"total_{q}") for q in QUARTERS],
    )
