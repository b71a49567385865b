"""Report content in the store: the one report loader and one writer per aggregate, inside a caller's transaction.

The aggregates are what people edit as a whole, and what review states,
revisions and the audit log name (:class:`~seri_desktop.domain.identity.ItemRef`):

========================  ==============================  ========================================
aggregate                 writer                          what it writes
========================  ==============================  ========================================
the whole report          :func:`save_report_in`          every row of the report (new or replaced)
a program                 :func:`save_program_in`         the program at its place in its chapter
a department's section II :func:`save_section_ii_in`      성과 / 한계 / 개선 방향, order and layout
the front matter          :func:`save_front_matter_in`    cover fields, I. 일반 현황, printed summary
========================  ==============================  ========================================

and :func:`load_report_in` (or :func:`find_report_in`) reads a report back.
Every function takes a ``Connection`` inside a transaction the caller opened
with :func:`seri_desktop.store.engine.transaction`, so a caller can read,
check and write several aggregates (and their review records and audit
entries) in one transaction; :mod:`seri_desktop.store.repository` wraps each
in a transaction of its own. Every writer validates first
(:mod:`seri_desktop.store.validation`) and touches only its aggregate's rows.

Which outlines an owner has, their ``outline_item.field`` values and the
front tables' keys all come from the template
(:mod:`seri_desktop.domain.template`): reading and writing walk its parts.

The work goes through SQLAlchemy Core rather than ORM objects: a report is
~2,000 outline lines, and building Pydantic-backed ORM rows for each would
cost more than the whole load budget. Loading runs a fixed number of queries
(one per table, filtered by report) and groups the rows in Python; saving
inserts the parents one by one (their ids are needed) and every leaf table
with a single ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from sqlalchemy import ColumnElement, Connection, Row, Table, delete, insert, select, update

from seri_desktop.domain import template
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
    Program,
    Quarter,
    Report,
    SimpleTable,
    SummaryRow,
    TargetRow,
    Targets,
)
from seri_desktop.domain.template import Part
from seri_desktop.store.engine import StoreError, database_path
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
from seri_desktop.store.validation import (
    validate_department,
    validate_front_matter,
    validate_program,
    validate_report,
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

# Column prefixes of the four quarters (q1_kind, q1_value …).
QUARTERS: Final[tuple[str, ...]] = tuple(f"q{n}" for n in range(1, template.QUARTER_COUNT + 1))

# Dict lookups instead of calling the enums: a load converts thousands of
# kinds, and Enum.__call__ is the slow path. An unknown value is a KeyError,
# which the loader reports as damaged data.
_CELL_KINDS: dict[str, CellKind] = {kind.value: kind for kind in CellKind}
_ITEM_KINDS: dict[str, ItemKind] = {kind.value: kind for kind in ItemKind}


class ReportExistsError(StoreError):
    """A report of that year is already stored and ``replace`` was not asked for."""

    default_code = "report-exists"


class ReportNotFoundError(StoreError):
    """No report of that year is stored."""

    default_code = "report-not-found"


class ProgramNotFoundError(StoreError):
    """The report has no program with that code."""

    default_code = "program-not-found"


class DepartmentNotFoundError(StoreError):
    """The report has no department of that name."""

    default_code = "department-not-found"


@dataclass(frozen=True)
class StoredReport:
    """A report as read from the store, with the row id its writers need.

    ``id`` is valid in the database it was read from until the report is
    replaced (``save_report_in(..., replace=True)`` gives it a new one).
    """

    id: int
    report: Report


# --- reading --------------------------------------------------------------------------------------------


def report_id_in(conn: Connection, year: int) -> int | None:
    """The row id of the stored report of ``year``, ``None`` when there is none."""
    value = conn.execute(select(REPORT.c.id).where(REPORT.c.year == year)).scalar()
    return int(value) if value is not None else None


def require_report_id_in(conn: Connection, year: int) -> int:
    """The row id of the stored report of ``year``; :class:`ReportNotFoundError` when there is none."""
    report_id = report_id_in(conn, year)
    if report_id is None:
        raise ReportNotFoundError(f"{year}년 보고서가 없습니다.")
    return report_id


def report_years_in(conn: Connection) -> list[int]:
    """The years of the stored reports, oldest first."""
    return list(conn.execute(select(REPORT.c.year).order_by(REPORT.c.year)).scalars())


def find_report_in(conn: Connection, year: int | None) -> StoredReport | None:
    """The stored report of ``year`` (the newest when ``None``), or ``None`` when there is none.

    Damaged rows (unknown kinds, unreadable JSON or dates) are a Korean
    :class:`StoreError` naming the file, never a crash.
    """
    query = select(REPORT)
    query = query.order_by(REPORT.c.year.desc()).limit(1) if year is None else query.where(REPORT.c.year == year)
    row = conn.execute(query).first()
    if row is None:
        return None
    try:
        return StoredReport(int(row.id), _read_report(conn, row))
    except (KeyError, ValueError) as exc:
        raise StoreError(
            f"'{database_path(conn.engine)}' 의 {row.year}년 보고서 자료가 올바르지 않습니다: {exc}"
        ) from exc


def load_report_in(conn: Connection, year: int | None) -> StoredReport:
    """As :func:`find_report_in`, but a missing report is :class:`ReportNotFoundError`."""
    found = find_report_in(conn, year)
    if found is None:
        raise ReportNotFoundError(f"{year}년 보고서가 없습니다." if year is not None else "저장된 보고서가 없습니다.")
    return found


def program_codes_in(conn: Connection, year: int) -> list[str]:
    """The codes of the programs of the report of ``year``, in report order."""
    return [code for _uid, code in program_identities_in(conn, year)]


def program_identities_in(conn: Connection, year: int) -> list[tuple[str, str]]:
    """(uid, code) of every program of the report of ``year``, in report order."""
    query = (
        select(PROGRAM.c.uid, PROGRAM.c.code)
        .join_from(PROGRAM, CHAPTER, PROGRAM.c.chapter_id == CHAPTER.c.id)
        .join_from(CHAPTER, REPORT, CHAPTER.c.report_id == REPORT.c.id)
        .where(REPORT.c.year == year)
        .order_by(CHAPTER.c.position, PROGRAM.c.position)
    )
    return [(str(uid), str(code)) for uid, code in conn.execute(query).all()]


def program_department_in(conn: Connection, year: int, uid: str) -> str | None:
    """The department of the program ``uid`` of the report of ``year``, ``None`` when there is none."""
    found = conn.execute(
        select(PROGRAM.c.department)
        .join_from(PROGRAM, CHAPTER, PROGRAM.c.chapter_id == CHAPTER.c.id)
        .join_from(CHAPTER, REPORT, CHAPTER.c.report_id == REPORT.c.id)
        .where(REPORT.c.year == year, PROGRAM.c.uid == uid)
        .order_by(CHAPTER.c.position, PROGRAM.c.position)
        .limit(1)
    ).scalar()
    return str(found) if found is not None else None


# --- writing the aggregates -------------------------------------------------------------------------------


def save_report_in(conn: Connection, report: Report, *, replace: bool = False) -> int:
    """Write the whole report; returns its new row id.

    An existing report of the same year raises :class:`ReportExistsError`
    unless ``replace``, which deletes it (and, by cascade, everything of it)
    first. The exchange, review and audit records are keyed by year and stay.
    """
    validate_report(report)
    existing = report_id_in(conn, report.year)
    if existing is not None:
        if not replace:
            raise ReportExistsError(f"{report.year}년 보고서가 이미 있습니다. 바꾸려면 --replace 를 쓰십시오.")
        conn.execute(delete(REPORT).where(REPORT.c.id == existing))
    return _write_report(conn, report)


def delete_report_in(conn: Connection, year: int) -> bool:
    """Delete the report of ``year`` with everything of it; ``False`` if there was none."""
    return conn.execute(delete(REPORT).where(REPORT.c.year == year)).rowcount > 0


def save_program_in(conn: Connection, report_id: int, program: Program) -> None:
    """Replace the content of the program ``program.uid`` at its place (its chapter and position).

    The program's code and place are the report's structure: the stored row
    keeps its uid, code, chapter and position, whatever ``program`` says. A
    program built without the stored uid (an old caller) is found by its code,
    the first in report order should a (faulty) report hold the code twice.
    Every other write goes through :mod:`seri_desktop.store.unit`, which
    passes programs read from the store.
    """
    validate_program(program)
    located = select(PROGRAM.c.id, PROGRAM.c.chapter_id, PROGRAM.c.position, PROGRAM.c.uid, PROGRAM.c.code).join_from(
        PROGRAM, CHAPTER, PROGRAM.c.chapter_id == CHAPTER.c.id
    )
    order = (CHAPTER.c.position, PROGRAM.c.position)
    found = conn.execute(
        located.where(CHAPTER.c.report_id == report_id, PROGRAM.c.uid == program.uid).order_by(*order).limit(1)
    ).first()
    if found is None:
        found = conn.execute(
            located.where(CHAPTER.c.report_id == report_id, PROGRAM.c.code == program.code).order_by(*order).limit(1)
        ).first()
    if found is None:
        raise ProgramNotFoundError(f"{_where(conn, report_id)}에 {program.code} 사업이 없습니다.")
    # Deleting the row cascades to its outlines, targets and budget lines;
    # the program is then written afresh at the same place, with the same identity.
    conn.execute(delete(PROGRAM).where(PROGRAM.c.id == found.id))
    pending = _Pending()
    _write_program(conn, pending, found.chapter_id, found.position, program, identity=(found.uid, found.code))
    pending.flush(conn)


def save_section_ii_in(conn: Connection, report_id: int, department: Department) -> None:
    """Replace the section II (성과, 한계, 개선 방향), order and layout of the department ``department.uid``.

    A department built without the stored uid is found by its name (the
    first in report order, the one ``Report.department(name)`` returns).
    """
    validate_department(department)
    by_uid = DEPARTMENT.c.uid == department.uid
    department_id = conn.execute(
        select(DEPARTMENT.c.id).where(DEPARTMENT.c.report_id == report_id, by_uid).limit(1)
    ).scalar()
    if department_id is None:
        department_id = conn.execute(
            select(DEPARTMENT.c.id)
            .where(DEPARTMENT.c.report_id == report_id, DEPARTMENT.c.name == department.name)
            .order_by(DEPARTMENT.c.position)
            .limit(1)
        ).scalar()
    if department_id is None:
        raise DepartmentNotFoundError(f"{_where(conn, report_id)}에 '{department.name}' 부서가 없습니다.")
    conn.execute(
        update(DEPARTMENT)
        .where(DEPARTMENT.c.id == department_id)
        .values(order_no=department.order, layout=department.layout)
    )
    conn.execute(delete(OUTLINE).where(OUTLINE.c.department_id == department_id))
    pending = _Pending()
    _queue_outlines(pending, department, template.SECTION_II_PARTS, department_id=department_id)
    pending.flush(conn)


def save_front_matter_in(conn: Connection, report_id: int, report: Report) -> None:
    """Replace the cover fields and the front matter (I. 일반 현황) of the stored report ``report_id``.

    Written: the report row's cover fields, unit, as-of date and layout;
    연혁, 조직, the front tables, the front outlines and 주요업무별 예산 내역
    as printed. Departments, chapters and programs are left alone.
    """
    validate_front_matter(report)
    conn.execute(update(REPORT).where(REPORT.c.id == report_id).values(**_report_columns(report)))
    for table in (HISTORY, FRONT_TABLE, SUMMARY):
        conn.execute(delete(table).where(table.c.report_id == report_id))
    # The report's own outlines are all front matter.
    conn.execute(delete(OUTLINE).where(OUTLINE.c.report_id == report_id))
    pending = _Pending()
    _queue_front_matter(pending, report_id, report)
    pending.flush(conn)


def _where(conn: Connection, report_id: int) -> str:
    year = conn.execute(select(REPORT.c.year).where(REPORT.c.id == report_id)).scalar()
    return f"{year}년 보고서" if year is not None else "보고서"


# --- row writers ------------------------------------------------------------------------------------------


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


def _queue_outlines(pending: _Pending, owner: Any, parts: tuple[Part, ...], **owner_id: int) -> None:
    """Queue every outline of ``parts`` on ``owner``; the part's key is the row's ``field``."""
    for part, outline in template.outlines(owner, parts):
        _queue_outline(pending, outline, part.key, **owner_id)


def _report_columns(report: Report) -> dict[str, Any]:
    """The report row's columns: the cover, the unit and the front matter's scalar fields."""
    return {
        "title": report.title,
        "meeting": report.meeting,
        "committee": report.committee,
        "subtitle": report.subtitle,
        "date_label": report.date_label,
        "institute": report.institute,
        "unit": report.unit,
        "as_of": report.as_of,
        "organization": report.front.organization,
        "budget_summary_caption": report.front.budget_summary_caption,
        "layout": report.layout,
    }


def _write_report(conn: Connection, report: Report) -> int:
    report_id = _insert_one(conn, REPORT, {"year": report.year, **_report_columns(report)})
    pending = _Pending()
    _queue_front_matter(pending, report_id, report)
    for position, department in enumerate(report.departments):
        _write_department(conn, pending, report_id, position, department)
    for position, chapter in enumerate(report.chapters):
        _write_chapter(conn, pending, report_id, position, chapter)
    pending.flush(conn)
    return report_id


def _queue_front_matter(pending: _Pending, report_id: int, report: Report) -> None:
    """Queue the rows of I. 일반 현황 (history, front tables, summary, front outlines)."""
    front = report.front
    for position, entry in enumerate(front.history):
        pending.add(HISTORY, {"report_id": report_id, "position": position, "date": entry.date, "text": entry.text})
    for part in template.FRONT_TABLE_PARTS:
        simple: SimpleTable = template.get(report, part)
        pending.add(
            FRONT_TABLE,
            {
                "report_id": report_id,
                "key": part.store_key,
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
    _queue_outlines(pending, report, template.FRONT_OUTLINE_PARTS, report_id=report_id)


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
            "uid": department.uid,
        },
    )
    _queue_outlines(pending, department, template.SECTION_II_PARTS, department_id=department_id)


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
            "uid": chapter.uid,
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


def _write_program(
    conn: Connection,
    pending: _Pending,
    chapter_id: int,
    position: int,
    program: Program,
    *,
    identity: tuple[str, str] | None = None,
) -> None:
    """Insert ``program`` at ``position`` of the chapter; ``identity`` (uid, code) overrides the program's own."""
    uid, code = identity if identity is not None else (program.uid, program.code)
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
            "code": code,
            "uid": uid,
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
            row = {name: getattr(target, name) for name in template.TARGET_FIELDS}
            pending.add(TARGET, {"program_id": program_id, "position": row_position, **row})
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
    _queue_outlines(pending, program, template.PROGRAM_OUTLINE_PARTS, program_id=program_id)


# --- row readers ------------------------------------------------------------------------------------------

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


def _put_outlines(
    outlines: dict[_OutlineKey, list[OutlineItem]],
    owner: Any,
    parts: tuple[Part, ...],
    key: Callable[[str], _OutlineKey],
) -> None:
    # Parts under a missing optional parent (a program without a budget) are dropped by put.
    for part in parts:
        template.put(owner, part, outlines.get(key(part.key), []))


def _read_programs(conn: Connection, program_ids: Any) -> list[tuple[int, Program]]:
    """(chapter row id, program) of the program rows ``program_ids`` (a subquery) selects, in position order."""
    outlines = _read_outlines(conn, OUTLINE.c.program_id.in_(program_ids))
    targets = _group(
        _select_where(conn, TARGET, TARGET.c.program_id.in_(program_ids)),
        lambda r: r.program_id,
        lambda r: TargetRow(**{name: getattr(r, name) for name in template.TARGET_FIELDS}),
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
        _put_outlines(outlines, read, template.PROGRAM_OUTLINE_PARTS, lambda field: (pid, None, None, field))
        return read

    return [(int(r.chapter_id), program(r)) for r in _select_where(conn, PROGRAM, PROGRAM.c.id.in_(program_ids))]


def _read_departments(conn: Connection, condition: ColumnElement[bool]) -> list[Department]:
    """The departments ``condition`` selects, with their section II, in position order."""
    rows = _select_where(conn, DEPARTMENT, condition)
    outlines = _read_outlines(conn, OUTLINE.c.department_id.in_(select(DEPARTMENT.c.id).where(condition)))

    def department(row: Row[Any]) -> Department:
        read = Department(name=row.name, order=row.order_no, layout=row.layout, uid=row.uid)
        _put_outlines(outlines, read, template.SECTION_II_PARTS, lambda field: (None, row.id, None, field))
        return read

    return [department(r) for r in rows]


def _read_front(conn: Connection, report_row: Row[Any]) -> Report:
    """The report row's fields and I. 일반 현황, without departments and chapters."""
    report_id: int = report_row.id
    outlines = _read_outlines(conn, OUTLINE.c.report_id == report_id)
    front_tables = {
        r.key: SimpleTable(caption=r.caption, header=r.header_json, rows=r.rows_json)
        for r in conn.execute(select(FRONT_TABLE).where(FRONT_TABLE.c.report_id == report_id))
    }
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
            history=[
                HistoryEntry(date=r.date, text=r.text)
                for r in _select_where(conn, HISTORY, HISTORY.c.report_id == report_id)
            ],
            organization=report_row.organization,
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
        ),
        layout=report_row.layout,
    )
    for part in template.FRONT_TABLE_PARTS:
        template.put(report, part, front_tables.get(part.store_key, SimpleTable()))
    _put_outlines(outlines, report, template.FRONT_OUTLINE_PARTS, lambda field: (None, None, report_id, field))
    return report


def _read_report(conn: Connection, report_row: Row[Any]) -> Report:
    report_id: int = report_row.id
    # Subqueries rather than id lists: the whole load stays one query per
    # table however many programs there are.
    chapter_ids = select(CHAPTER.c.id).where(CHAPTER.c.report_id == report_id)
    program_ids = select(PROGRAM.c.id).where(PROGRAM.c.chapter_id.in_(chapter_ids))
    block_ids = select(AUTHOR_BLOCK.c.id).where(AUTHOR_BLOCK.c.chapter_id.in_(chapter_ids))

    report = _read_front(conn, report_row)
    programs: dict[int, list[Program]] = {}
    for chapter_id, program in _read_programs(conn, program_ids):
        programs.setdefault(chapter_id, []).append(program)
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
    report.chapters = [
        Chapter(
            number=r.number,
            title=r.title,
            department=r.department,
            programs=programs.get(r.id, []),
            author_blocks=blocks.get(r.id, []),
            listed_programs=listed.get(r.id, []),
            layout=r.layout,
            uid=r.uid,
        )
        for r in _select_where(conn, CHAPTER, CHAPTER.c.report_id == report_id)
    ]
    report.departments = _read_departments(conn, DEPARTMENT.c.report_id == report_id)
    return report


# --- reading one aggregate (the unit of work's "before", without loading the whole report) ----------------


def _damaged(conn: Connection, year: int, exc: Exception) -> StoreError:
    return StoreError(f"'{database_path(conn.engine)}' 의 {year}년 보고서 자료가 올바르지 않습니다: {exc}")


def load_program_in(conn: Connection, report_id: int, uid: str) -> Program | None:
    """The stored program ``uid`` of the report ``report_id``, or ``None``."""
    chapter_ids = select(CHAPTER.c.id).where(CHAPTER.c.report_id == report_id)
    ids = select(PROGRAM.c.id).where(PROGRAM.c.chapter_id.in_(chapter_ids), PROGRAM.c.uid == uid)
    try:
        found = _read_programs(conn, ids)
    except (KeyError, ValueError) as exc:
        raise _damaged(conn, report_id, exc) from exc
    return found[0][1] if found else None


def load_department_in(conn: Connection, report_id: int, uid: str) -> Department | None:
    """The stored department ``uid`` (with its section II) of the report ``report_id``, or ``None``."""
    try:
        found = _read_departments(conn, (DEPARTMENT.c.report_id == report_id) & (DEPARTMENT.c.uid == uid))
    except (KeyError, ValueError) as exc:
        raise _damaged(conn, report_id, exc) from exc
    return found[0] if found else None


def load_front_in(conn: Connection, report_id: int) -> Report:
    """The stored report's own fields and front matter (no departments, no chapters)."""
    row = conn.execute(select(REPORT).where(REPORT.c.id == report_id)).first()
    if row is None:
        raise ReportNotFoundError("보고서가 없습니다.")
    try:
        return _read_front(conn, row)
    except (KeyError, ValueError) as exc:
        raise _damaged(conn, int(row.year), exc) from exc


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
