"""Reading and writing reports in the store: whole reports, and single programs for autosave.

Every function takes an :class:`~sqlalchemy.Engine` from
:func:`seri_desktop.store.engine.create_engine_for` and runs in one
transaction of its own, so a failure anywhere leaves the database as it was.
Writes begin ``IMMEDIATE`` (see the engine module): the existence check and
the writes that depend on it see the same database.

The work goes through SQLAlchemy Core on the tables of
:mod:`seri_desktop.store.tables` rather than ORM objects: a report is ~2,000
outline lines, and building Pydantic-backed ORM rows for each would cost more
than the whole load budget. Loading runs a fixed number of queries (one per
table, filtered by report) and groups the rows in Python; saving inserts the
parents one by one (their ids are needed) and every leaf table with a single
``executemany``.

Errors the user can act on are :class:`~seri_desktop.store.engine.StoreError`
subclasses with Korean messages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, Row, Table, delete, insert, or_, select

from seri_desktop.domain.model import (
    AuthorBlock,
    AuthorEntry,
    BudgetLine,
    BudgetTable,
    BudgetTotal,
    Cell,
    CellKind,
    Chapter,
    Department,
    FrontMatter,
    HistoryEntry,
    ItemKind,
    ListedProgram,
    Outline,
    OutlineItem,
    Overview,
    Plan,
    Program,
    Quarter,
    Report,
    SimpleTable,
    SummaryRow,
    TargetRow,
    Targets,
)
from seri_desktop.store.engine import StoreError, database_path, transaction
from seri_desktop.store.tables import (
    AuthorBlockRow,
    AuthorEntryRow,
    BudgetLineRow,
    ChapterRow,
    DepartmentRow,
    FrontTableRow,
    HistoryEntryRow,
    ListedProgramRow,
    OutlineItemRow,
    ProgramRow,
    ReportRow,
    SummaryRowRow,
    TargetRowRow,
    table_of,
)

REPORT = table_of(ReportRow)
HISTORY = table_of(HistoryEntryRow)
FRONT_TABLE = table_of(FrontTableRow)
SUMMARY = table_of(SummaryRowRow)
DEPARTMENT = table_of(DepartmentRow)
CHAPTER = table_of(ChapterRow)
AUTHOR_BLOCK = table_of(AuthorBlockRow)
AUTHOR_ENTRY = table_of(AuthorEntryRow)
LISTED = table_of(ListedProgramRow)
PROGRAM = table_of(ProgramRow)
TARGET = table_of(TargetRowRow)
BUDGET_LINE = table_of(BudgetLineRow)
OUTLINE = table_of(OutlineItemRow)

QUARTERS = ("q1", "q2", "q3", "q4")

# Dict lookups instead of calling the enums: a load converts thousands of
# kinds, and Enum.__call__ is the slow path. An unknown value is a KeyError,
# which load_report reports as damaged data.
_CELL_KINDS: dict[str, CellKind] = {kind.value: kind for kind in CellKind}
_ITEM_KINDS: dict[str, ItemKind] = {kind.value: kind for kind in ItemKind}


class ReportExistsError(StoreError):
    """A report of that year is already stored and ``replace`` was not asked for."""


class ReportNotFoundError(StoreError):
    """No report of that year is stored."""


class ProgramNotFoundError(StoreError):
    """The report has no program with that code."""


# --- public API ----------------------------------------------------------------------------------------


def save_report(engine: Engine, report: Report, *, replace: bool = False) -> None:
    """Write the whole report in one transaction.

    An existing report of the same year raises :class:`ReportExistsError`
    unless ``replace``, which deletes it (and, by cascade, everything of it)
    in the same transaction as the new write.
    """
    _validate_report(report)
    with transaction(engine, write=True) as conn:
        existing = conn.execute(select(REPORT.c.id).where(REPORT.c.year == report.year)).scalar()
        if existing is not None:
            if not replace:
                raise ReportExistsError(f"{report.year}년 보고서가 이미 있습니다. 바꾸려면 --replace 를 쓰십시오.")
            conn.execute(delete(REPORT).where(REPORT.c.id == existing))
        _write_report(conn, report)


def load_report(engine: Engine, year: int | None = None) -> Report | None:
    """The stored report of ``year`` (the newest when ``None``), or ``None`` if there is none."""
    with transaction(engine, write=False) as conn:
        query = select(REPORT)
        if year is None:
            query = query.order_by(REPORT.c.year.desc()).limit(1)
        else:
            query = query.where(REPORT.c.year == year)
        row = conn.execute(query).first()
        if row is None:
            return None
        try:
            return _read_report(conn, row)
        except (KeyError, ValueError) as exc:  # unknown kinds, unreadable JSON or dates
            raise StoreError(
                f"'{database_path(engine)}' 의 {row.year}년 보고서 자료가 올바르지 않습니다: {exc}"
            ) from exc


def report_years(engine: Engine) -> list[int]:
    """The years of the stored reports, oldest first."""
    with transaction(engine, write=False) as conn:
        return list(conn.execute(select(REPORT.c.year).order_by(REPORT.c.year)).scalars())


def delete_report(engine: Engine, year: int) -> bool:
    """Delete the report of ``year`` with everything of it; ``False`` if there was none."""
    with transaction(engine, write=True) as conn:
        return conn.execute(delete(REPORT).where(REPORT.c.year == year)).rowcount > 0


def save_program(engine: Engine, year: int, program: Program) -> None:
    """Replace the content of the program with ``program.code`` in the report of ``year``.

    The program keeps its chapter and place. Should a (faulty) report hold
    the code twice, the first one in report order is replaced, the one
    ``Report.program(code)`` returns.
    """
    _validate_program(program)
    with transaction(engine, write=True) as conn:
        report_id = conn.execute(select(REPORT.c.id).where(REPORT.c.year == year)).scalar()
        if report_id is None:
            raise ReportNotFoundError(f"{year}년 보고서가 없습니다.")
        replace_program_in(conn, report_id, program, where=f"{year}년 보고서")


# --- transactions ------------------------------------------------------------------------------------


def replace_program_in(conn: Connection, report_id: int, program: Program, *, where: str = "보고서") -> None:
    """Replace a program's content at its place, inside the caller's transaction."""
    found = conn.execute(
        select(PROGRAM.c.id, PROGRAM.c.chapter_id, PROGRAM.c.position)
        .join_from(PROGRAM, CHAPTER, PROGRAM.c.chapter_id == CHAPTER.c.id)
        .where(CHAPTER.c.report_id == report_id, PROGRAM.c.code == program.code)
        .order_by(CHAPTER.c.position, PROGRAM.c.position)
        .limit(1)
    ).first()
    if found is None:
        raise ProgramNotFoundError(f"{where}에 {program.code} 사업이 없습니다.")
    # Deleting the row cascades to its outlines, targets and budget lines;
    # the program is then written afresh at the same place.
    conn.execute(delete(PROGRAM).where(PROGRAM.c.id == found.id))
    pending = _Pending()
    _write_program(conn, pending, found.chapter_id, found.position, program)
    pending.flush(conn)


# --- validation ----------------------------------------------------------------------------------------
# Done before anything is written, so bad input is a clear StoreError rather
# than a half-built transaction failing on some row, and so nothing is saved
# that would not load back equal.


def _check_layout(layout: Mapping[str, object], where: str) -> None:
    try:
        same = json.loads(json.dumps(layout)) == layout
    except (TypeError, ValueError):
        same = False
    if not same:
        raise StoreError(f"{where}의 layout 에 JSON 으로 그대로 저장할 수 없는 값이 있습니다: {layout!r}")


def _check_cell(cell: Cell, where: str) -> None:
    if cell.kind not in CellKind.__members__.values():
        raise StoreError(f"{where}: 알 수 없는 칸 종류 {cell.kind!r}")


def _check_quarters(count: int, where: str) -> None:
    if count != len(QUARTERS):
        raise StoreError(f"{where}: 분기 칸이 {count}개입니다(4개여야 합니다).")


def _check_outline(outline: Outline, where: str) -> None:
    for item in outline:
        if item.kind not in ItemKind.__members__.values():
            raise StoreError(f"{where}: 알 수 없는 항목 종류 {item.kind!r}")


def _validate_program(program: Program) -> None:
    where = f"{program.code} 사업"
    _check_layout(program.layout, where)
    for _field, outline in _program_outlines(program):
        _check_outline(outline, where)
    if program.budget is not None:
        for line in program.budget.lines:
            _check_quarters(len(line.quarters), f"{where} 예산 '{line.name}'")
            for cell in (line.current, line.previous, *(q.amount for q in line.quarters)):
                _check_cell(cell, where)
        total = program.budget.printed_total
        if total is not None:
            _check_quarters(len(total.quarters), f"{where} 예산 계")
            for cell in total.cells():
                _check_cell(cell, where)


def _validate_report(report: Report) -> None:
    _check_layout(report.layout, f"{report.year}년 보고서")
    _check_outline(report.front.staffing_notes, "정·현원 주석")
    for summary in report.front.budget_summary:
        where = f"주요업무별 예산 내역 '{summary.code}'"
        _check_quarters(len(summary.quarters), where)
        for cell in (summary.current, summary.previous, *summary.quarters):
            _check_cell(cell, where)
    for department in report.departments:
        _check_layout(department.layout, f"{department.name} 부서")
        for _field, outline in _department_outlines(department):
            _check_outline(outline, f"{department.name} 부서")
    for chapter in report.chapters:
        _check_layout(chapter.layout, f"{chapter.number}장")
        for program in chapter.programs:
            _validate_program(program)


# --- the model's outlines and their ``field`` names --------------------------------------------------
# The names must match tables.PROGRAM_OUTLINES / DEPARTMENT_OUTLINES / REPORT_OUTLINES.


def _program_outlines(program: Program) -> list[tuple[str, Outline]]:
    outlines = [
        ("overview.lead", program.overview.lead),
        ("overview.purpose", program.overview.purpose),
        ("overview.basis", program.overview.basis),
        ("overview.contents", program.overview.contents),
        ("previous_achievements", program.previous_achievements),
        ("plan.improvements", program.plan.improvements),
        ("plan.items", program.plan.items),
        ("achievements", program.achievements),
        ("schedule", program.schedule),
        ("issues", program.issues),
    ]
    if program.budget is not None:
        outlines.append(("budget.notes", program.budget.notes))
    return outlines


def _department_outlines(department: Department) -> list[tuple[str, Outline]]:
    return [
        ("results", department.results),
        ("limits", department.limits),
        ("directions", department.directions),
    ]


# --- writing ---------------------------------------------------------------------------------------------


class _Pending:
    """Leaf rows gathered while their parents are inserted, written with one executemany per table."""

    def __init__(self) -> None:
        self._rows: dict[Table, list[dict[str, Any]]] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self._rows.setdefault(table, []).append(row)

    def flush(self, conn: Connection) -> None:
        # Parents are inserted before their children are queued, so any table order is valid.
        for table, rows in self._rows.items():
            conn.execute(insert(table), rows)
        self._rows.clear()


def _insert_one(conn: Connection, table: Table, row: dict[str, Any]) -> int:
    key = conn.execute(insert(table), row).inserted_primary_key
    if key is None or key[0] is None:
        raise StoreError(f"{table.name} 행의 번호를 받지 못했습니다.")
    return int(key[0])


def _cell_columns(prefix: str, cell: Cell) -> dict[str, Any]:
    return {f"{prefix}_kind": str(cell.kind), f"{prefix}_value": cell.value, f"{prefix}_raw": cell.raw}


def _six_cells(prefix: str, current: Cell, previous: Cell, quarters: list[Cell]) -> dict[str, Any]:
    columns = _cell_columns(f"{prefix}current", current) | _cell_columns(f"{prefix}previous", previous)
    for name, cell in zip(QUARTERS, quarters, strict=True):
        columns |= _cell_columns(f"{prefix}{name}", cell)
    return columns


def _queue_outline(
    pending: _Pending,
    outline: Outline,
    field: str,
    *,
    program_id: int | None = None,
    department_id: int | None = None,
    report_id: int | None = None,
) -> None:
    for position, item in enumerate(outline):
        pending.add(
            OUTLINE,
            {
                "program_id": program_id,
                "department_id": department_id,
                "report_id": report_id,
                "field": field,
                "position": position,
                "level": item.level,
                "kind": str(item.kind),
                "text": item.text,
                "table_json": item.table,
            },
        )


def _write_report(conn: Connection, report: Report) -> None:
    front = report.front
    report_id = _insert_one(
        conn,
        REPORT,
        {
            "year": report.year,
            "title": report.title,
            "meeting": report.meeting,
            "committee": report.committee,
            "subtitle": report.subtitle,
            "date_label": report.date_label,
            "institute": report.institute,
            "unit": report.unit,
            "as_of": report.as_of,
            "organization": front.organization,
            "budget_summary_caption": front.budget_summary_caption,
            "layout": report.layout,
        },
    )
    pending = _Pending()
    _queue_front_matter(pending, report_id, front)

    for position, department in enumerate(report.departments):
        _write_department(conn, pending, report_id, position, department)
    for position, chapter in enumerate(report.chapters):
        _write_chapter(conn, pending, report_id, position, chapter)
    pending.flush(conn)


def _queue_front_matter(pending: _Pending, report_id: int, front: FrontMatter) -> None:
    """Queue the rows of I. 일반 현황 (history, front tables, summary, staffing notes)."""
    for position, entry in enumerate(front.history):
        pending.add(HISTORY, {"report_id": report_id, "position": position, "date": entry.date, "text": entry.text})
    for key, simple in _front_tables(front).items():
        pending.add(
            FRONT_TABLE,
            {
                "report_id": report_id,
                "key": key,
                "caption": simple.caption,
                "header_json": simple.header,
                "rows_json": simple.rows,
            },
        )
    for position, summary in enumerate(front.budget_summary):
        pending.add(
            SUMMARY,
            {
                "report_id": report_id,
                "position": position,
                "code": summary.code,
                "title": summary.title,
                "page": summary.page,
            }
            | _six_cells("", summary.current, summary.previous, summary.quarters),
        )
    _queue_outline(pending, front.staffing_notes, "front.staffing_notes", report_id=report_id)


def _front_tables(front: FrontMatter) -> dict[str, SimpleTable]:
    # Keys are tables.FRONT_TABLE_KEYS.
    return {
        "staffing": front.staffing,
        "facilities": front.facilities,
        "budget_overview": front.budget_overview,
    }


def _write_department(
    conn: Connection, pending: _Pending, report_id: int, position: int, department: Department
) -> None:
    department_id = _insert_one(
        conn,
        DEPARTMENT,
        {
            "report_id": report_id,
            "position": position,
            "name": department.name,
            "order_no": department.order,
            "layout": department.layout,
        },
    )
    for field, outline in _department_outlines(department):
        _queue_outline(pending, outline, field, department_id=department_id)


def _write_chapter(conn: Connection, pending: _Pending, report_id: int, position: int, chapter: Chapter) -> None:
    chapter_id = _insert_one(
        conn,
        CHAPTER,
        {
            "report_id": report_id,
            "position": position,
            "number": chapter.number,
            "title": chapter.title,
            "department": chapter.department,
            "layout": chapter.layout,
        },
    )
    for listed_position, listed in enumerate(chapter.listed_programs):
        pending.add(
            LISTED,
            {
                "chapter_id": chapter_id,
                "position": listed_position,
                "code": listed.code,
                "title": listed.title,
            },
        )
    for block_position, block in enumerate(chapter.author_blocks):
        block_id = _insert_one(
            conn,
            AUTHOR_BLOCK,
            {
                "chapter_id": chapter_id,
                "position": block_position,
                "before_program": block.before_program,
                "caption": block.caption,
            },
        )
        for entry_position, entry in enumerate(block.entries):
            pending.add(
                AUTHOR_ENTRY,
                {
                    "author_block_id": block_id,
                    "position": entry_position,
                    "role": entry.role,
                    "name": entry.name,
                    "phone": entry.phone,
                    "department": entry.department,
                    "line": entry.line,
                },
            )
    for program_position, program in enumerate(chapter.programs):
        _write_program(conn, pending, chapter_id, program_position, program)


def _write_program(conn: Connection, pending: _Pending, chapter_id: int, position: int, program: Program) -> None:
    budget = program.budget
    total = budget.printed_total if budget is not None else None
    # Without a printed total the total columns hold empty cells, never read back.
    shown_total = total if total is not None else BudgetTotal()
    program_id = _insert_one(
        conn,
        PROGRAM,
        {
            "chapter_id": chapter_id,
            "position": position,
            "code": program.code,
            "title": program.title,
            "department": program.department,
            "layout": program.layout,
            "has_targets": program.targets is not None,
            "targets_qualifier": program.targets.qualifier if program.targets is not None else "",
            "has_budget": budget is not None,
            "budget_unit": budget.unit if budget is not None else "",
            "budget_as_of": budget.as_of if budget is not None else None,
            "has_printed_total": total is not None,
        }
        | _six_cells("total_", shown_total.current, shown_total.previous, shown_total.quarters),
    )
    if program.targets is not None:
        for row_position, target in enumerate(program.targets.rows):
            pending.add(
                TARGET,
                {
                    "program_id": program_id,
                    "position": row_position,
                    "name": target.name,
                    "period": target.period,
                    "quantity": target.quantity,
                },
            )
    if budget is not None:
        for line_position, line in enumerate(budget.lines):
            columns = {
                "program_id": program_id,
                "position": line_position,
                "name": line.name,
                "page": line.page,
                "notes_below": line.notes_below,
            } | _six_cells("", line.current, line.previous, [q.amount for q in line.quarters])
            for name, quarter in zip(QUARTERS, line.quarters, strict=True):
                columns[f"{name}_note"] = quarter.note
            pending.add(BUDGET_LINE, columns)
    for field, outline in _program_outlines(program):
        _queue_outline(pending, outline, field, program_id=program_id)


# --- reading ---------------------------------------------------------------------------------------------

_OutlineKey = tuple[int | None, int | None, int | None, str]


K = TypeVar("K")
V = TypeVar("V")


def _group(rows: Iterable[Row[Any]], key: Callable[[Row[Any]], K], make: Callable[[Row[Any]], V]) -> dict[K, list[V]]:
    groups: dict[K, list[V]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(make(row))
    return groups


def _cell(row: Row[Any], prefix: str) -> Cell:
    return Cell(
        _CELL_KINDS[getattr(row, f"{prefix}_kind")],
        getattr(row, f"{prefix}_value"),
        getattr(row, f"{prefix}_raw"),
    )


def _read_outlines(conn: Connection, owned: ColumnElement[bool]) -> dict[_OutlineKey, list[OutlineItem]]:
    # The biggest table of a report (~2,000 rows): plain tuples unpacked by
    # position, which is several times faster than Row attribute access.
    columns = OUTLINE.c
    query = (
        select(
            columns.program_id,
            columns.department_id,
            columns.report_id,
            columns.field,
            columns.level,
            columns.kind,
            columns.text,
            columns.table_json,
        )
        .where(owned)
        .order_by(columns.position)
    )
    outlines: dict[_OutlineKey, list[OutlineItem]] = {}
    for program_id, department_id, report_id, field, level, kind, text, table in conn.execute(query).all():
        item = OutlineItem(level=level, kind=_ITEM_KINDS[kind], text=text, table=table)
        outlines.setdefault((program_id, department_id, report_id, field), []).append(item)
    return outlines


def _select_where(conn: Connection, table: Table, condition: ColumnElement[bool]) -> list[Row[Any]]:
    # .all() fetches in one call; iterating the result would fetch row by row, twice as slow here.
    return list(conn.execute(select(table).where(condition).order_by(table.c.position)).all())


def _read_report(conn: Connection, report_row: Row[Any]) -> Report:
    report_id: int = report_row.id
    # Subqueries rather than id lists: the whole load stays one query per
    # table however many programs there are.
    chapter_ids = select(CHAPTER.c.id).where(CHAPTER.c.report_id == report_id)
    department_ids = select(DEPARTMENT.c.id).where(DEPARTMENT.c.report_id == report_id)
    program_ids = select(PROGRAM.c.id).where(PROGRAM.c.chapter_id.in_(chapter_ids))
    block_ids = select(AUTHOR_BLOCK.c.id).where(AUTHOR_BLOCK.c.chapter_id.in_(chapter_ids))

    outlines = _read_outlines(
        conn,
        or_(
            OUTLINE.c.report_id == report_id,
            OUTLINE.c.department_id.in_(department_ids),
            OUTLINE.c.program_id.in_(program_ids),
        ),
    )

    def outline(field: str, *, program: int | None = None, department: int | None = None) -> Outline:
        owner_report = report_id if program is None and department is None else None
        return outlines.get((program, department, owner_report, field), [])

    targets = _group(
        _select_where(conn, TARGET, TARGET.c.program_id.in_(program_ids)),
        lambda r: r.program_id,
        lambda r: TargetRow(name=r.name, period=r.period, quantity=r.quantity),
    )
    lines = _group(
        _select_where(conn, BUDGET_LINE, BUDGET_LINE.c.program_id.in_(program_ids)),
        lambda r: r.program_id,
        _budget_line,
    )

    def program(row: Row[Any]) -> Program:
        pid: int = row.id
        budget = None
        if row.has_budget:
            budget = BudgetTable(
                unit=row.budget_unit,
                as_of=row.budget_as_of,
                lines=lines.get(pid, []),
                printed_total=_total(row) if row.has_printed_total else None,
                notes=outline("budget.notes", program=pid),
            )
        return Program(
            code=row.code,
            title=row.title,
            department=row.department,
            overview=Overview(
                lead=outline("overview.lead", program=pid),
                purpose=outline("overview.purpose", program=pid),
                basis=outline("overview.basis", program=pid),
                contents=outline("overview.contents", program=pid),
            ),
            previous_achievements=outline("previous_achievements", program=pid),
            targets=Targets(qualifier=row.targets_qualifier, rows=targets.get(pid, [])) if row.has_targets else None,
            plan=Plan(
                improvements=outline("plan.improvements", program=pid),
                items=outline("plan.items", program=pid),
            ),
            achievements=outline("achievements", program=pid),
            schedule=outline("schedule", program=pid),
            budget=budget,
            issues=outline("issues", program=pid),
            layout=row.layout,
        )

    programs = _group(
        _select_where(conn, PROGRAM, PROGRAM.c.chapter_id.in_(chapter_ids)), lambda r: r.chapter_id, program
    )
    entries = _group(
        _select_where(conn, AUTHOR_ENTRY, AUTHOR_ENTRY.c.author_block_id.in_(block_ids)),
        lambda r: r.author_block_id,
        lambda r: AuthorEntry(role=r.role, name=r.name, phone=r.phone, department=r.department, line=r.line),
    )
    blocks = _group(
        _select_where(conn, AUTHOR_BLOCK, AUTHOR_BLOCK.c.chapter_id.in_(chapter_ids)),
        lambda r: r.chapter_id,
        lambda r: AuthorBlock(before_program=r.before_program, entries=entries.get(r.id, []), caption=r.caption),
    )
    listed = _group(
        _select_where(conn, LISTED, LISTED.c.chapter_id.in_(chapter_ids)),
        lambda r: r.chapter_id,
        lambda r: ListedProgram(code=r.code, title=r.title),
    )
    chapters = [
        Chapter(
            number=r.number,
            title=r.title,
            department=r.department,
            programs=programs.get(r.id, []),
            author_blocks=blocks.get(r.id, []),
            listed_programs=listed.get(r.id, []),
            layout=r.layout,
        )
        for r in _select_where(conn, CHAPTER, CHAPTER.c.report_id == report_id)
    ]
    departments = [
        Department(
            name=r.name,
            order=r.order_no,
            results=outline("results", department=r.id),
            limits=outline("limits", department=r.id),
            directions=outline("directions", department=r.id),
            layout=r.layout,
        )
        for r in _select_where(conn, DEPARTMENT, DEPARTMENT.c.report_id == report_id)
    ]

    front_tables = {
        r.key: SimpleTable(caption=r.caption, header=r.header_json, rows=r.rows_json)
        for r in conn.execute(select(FRONT_TABLE).where(FRONT_TABLE.c.report_id == report_id))
    }
    front = FrontMatter(
        history=[
            HistoryEntry(date=r.date, text=r.text)
            for r in _select_where(conn, HISTORY, HISTORY.c.report_id == report_id)
        ],
        organization=report_row.organization,
        staffing=front_tables.get("staffing", SimpleTable()),
        staffing_notes=outline("front.staffing_notes"),
        facilities=front_tables.get("facilities", SimpleTable()),
        budget_overview=front_tables.get("budget_overview", SimpleTable()),
        budget_summary_caption=report_row.budget_summary_caption,
        budget_summary=[
            SummaryRow(
                code=r.code,
                title=r.title,
                current=_cell(r, "current"),
                previous=_cell(r, "previous"),
                quarters=[_cell(r, q) for q in QUARTERS],
                page=r.page,
            )
            for r in _select_where(conn, SUMMARY, SUMMARY.c.report_id == report_id)
        ],
    )
    return Report(
        year=report_row.year,
        title=report_row.title,
        meeting=report_row.meeting,
        committee=report_row.committee,
        subtitle=report_row.subtitle,
        date_label=report_row.date_label,
        institute=report_row.institute,
        unit=report_row.unit,
        as_of=report_row.as_of,
        front=front,
        departments=departments,
        chapters=chapters,
        layout=report_row.layout,
    )


def _budget_line(row: Row[Any]) -> BudgetLine:
    return BudgetLine(
        name=row.name,
        current=_cell(row, "current"),
        previous=_cell(row, "previous"),
        quarters=[Quarter(amount=_cell(row, q), note=getattr(row, f"{q}_note")) for q in QUARTERS],
        page=row.page,
        notes_below=row.notes_below,
    )


def _total(row: Row[Any]) -> BudgetTotal:
    return BudgetTotal(
        current=_cell(row, "total_current"),
        previous=_cell(row, "total_previous"),
        quarters=[_cell(row, f"total_{q}") for q in QUARTERS],
    )
