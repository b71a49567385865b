"""The report's domain model (PRODUCT.md §2-3) as plain dataclasses.

Everything that reads or writes a report (importer, exporter, store, rules,
PDF, Excel, UI) works on these classes. No Qt and no database session here:
the store maps them to tables, the UI maps them to Qt item models.

Amounts are integers in the report's unit (천원); a budget cell knows whether
it holds an amount, nothing (``-``), money reallocated to another office
(``재배정``) or text that is not a valid value, so bad input is kept for the
rules to point at instead of being lost.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


def new_uid() -> str:
    """A fresh permanent identity for a chapter, program or department (a UUID string).

    Codes (``2-5``), chapter numbers and department names are display: they
    change when the office renumbers, moves or renames. The uid never does;
    review states, comments, the audit log, packages and submissions refer to it.
    """
    return str(uuid.uuid4())


class ItemKind(StrEnum):
    """What an outline line is."""

    ITEM = "item"  # ○ (level 0), - (level 1), deeper levels indented
    NOTE = "note"  # ※
    FOOTNOTE = "footnote"  # *
    TEXT = "text"  # a paragraph without marker: lead text, or a line kept verbatim
    TABLE = "table"  # a small table inside an outline; cells in ``table``


@dataclass
class OutlineItem:
    """One line of an outline (개조식).

    ``text`` may contain ``"\\n"`` where the source wrapped the item over
    several lines; renderers join those with a space, the text exporter
    writes them back as separate lines.
    """

    level: int
    kind: ItemKind
    text: str
    table: list[list[str]] | None = None


Outline = list[OutlineItem]


class CellKind(StrEnum):
    """What a budget cell holds."""

    EMPTY = "empty"
    AMOUNT = "amount"
    NONE = "none"  # "-"
    REALLOCATED = "reallocated"  # "재배정"
    NON_BUDGET = "non_budget"  # "비예산": a line or program without a budget of its own; valid, counted as 0
    INVALID = "invalid"  # anything else, kept verbatim in ``raw``


NEGATIVE_SIGN = "△"
NONE_MARK = "-"
REALLOCATED_MARK = "재배정"
NON_BUDGET_MARK = "비예산"
# Cells that hold no money and mean the same in a comparison ("-", "비예산", an empty cell): a total of
# such cells is "-", and a printed "-" where the lines say 비예산 is no disagreement.
# Kinds by their stored value: dict lookups instead of calling the enums, because a load
# converts thousands of kinds and Enum.__call__ is the slow path. Readers of the store and
# of submissions use these (an unknown value is a KeyError, or None with .get).
CELL_KIND_OF: dict[str, CellKind] = {kind.value: kind for kind in CellKind}
ITEM_KIND_OF: dict[str, ItemKind] = {kind.value: kind for kind in ItemKind}
NOTHING_KINDS: frozenset[CellKind] = frozenset({CellKind.EMPTY, CellKind.NONE, CellKind.NON_BUDGET})
CELL_MARKS: dict[str, CellKind] = {
    NONE_MARK: CellKind.NONE,
    REALLOCATED_MARK: CellKind.REALLOCATED,
    NON_BUDGET_MARK: CellKind.NON_BUDGET,
}
# The largest amount a cell may hold, in the report's unit (천원): 10^15 천원 is far above the whole
# national education budget, and below 2^63, so every engine stores it exactly as BIGINT.
MAX_AMOUNT = 10**15
# At most 16 digits: longer runs are refused before int() ever sees them (no huge-number parsing).
_AMOUNT_RE = re.compile(r"^(△)?(\d{1,3}(?:,\d{3}){1,5}|\d{1,16})$")
# The deepest outline level an item may have (○ is 0, - is 1, each indent one more); the form offers
# the same, and the text importer reports deeper nesting and keeps the item at this level.
MAX_OUTLINE_LEVEL = 4


@dataclass(frozen=True)
class Cell:
    """A budget amount cell: an integer in the report's unit, or a marker."""

    kind: CellKind = CellKind.EMPTY
    value: int | None = None
    raw: str = ""

    @classmethod
    def parse(cls, text: str) -> Cell:
        """Read a cell as printed; never raises (bad text becomes INVALID)."""
        s = text.strip()
        if not s:
            return cls()
        if s in CELL_MARKS:
            return cls(CELL_MARKS[s])
        m = _AMOUNT_RE.match(s)
        if m:
            value = int(m.group(2).replace(",", ""))
            if value <= MAX_AMOUNT:
                return cls(CellKind.AMOUNT, -value if m.group(1) else value)
        return cls(CellKind.INVALID, raw=s)

    @classmethod
    def amount(cls, value: int) -> Cell:
        """An amount cell; ``ValueError`` beyond ±MAX_AMOUNT (callers with outside input use :meth:`parse`)."""
        if not -MAX_AMOUNT <= value <= MAX_AMOUNT:
            raise ValueError(f"amount out of range: {value}")
        return cls(CellKind.AMOUNT, value)

    @property
    def in_range(self) -> bool:
        """Whether an AMOUNT's value is within ±MAX_AMOUNT (a cell built from outside data may not be)."""
        return self.value is None or -MAX_AMOUNT <= self.value <= MAX_AMOUNT

    def format(self) -> str:
        """The cell as printed: ``1,234``, ``△1,234``, ``-``, ``재배정``, ``비예산``."""
        if self.kind is CellKind.AMOUNT:
            assert self.value is not None
            sign = NEGATIVE_SIGN if self.value < 0 else ""
            return f"{sign}{abs(self.value):,}"
        for mark, kind in CELL_MARKS.items():
            if self.kind is kind:
                return mark
        if self.kind is CellKind.INVALID:
            return self.raw
        return ""

    @property
    def numeric(self) -> int:
        """The value for arithmetic: markers and empty cells count as 0."""
        return self.value if self.kind is CellKind.AMOUNT and self.value is not None else 0


@dataclass
class Quarter:
    """One quarter's cell of a budget line: the amount and what it pays for."""

    amount: Cell = field(default_factory=Cell)
    note: str = ""


def _four_quarters() -> list[Quarter]:
    return [Quarter() for _ in range(4)]


@dataclass
class BudgetLine:
    """A budget line (사업명) of a program's 예산 집행 계획."""

    name: str
    current: Cell = field(default_factory=Cell)
    previous: Cell = field(default_factory=Cell)
    quarters: list[Quarter] = field(default_factory=_four_quarters)
    page: str = ""  # 설명자료 쪽수: usually a number; "추경" and "-" occur
    notes_below: bool = False  # the source printed the notes on the row below


@dataclass
class BudgetTotal:
    """The 계 row: current, previous and the four quarters."""

    current: Cell = field(default_factory=Cell)
    previous: Cell = field(default_factory=Cell)
    quarters: list[Cell] = field(default_factory=lambda: [Cell() for _ in range(4)])

    def cells(self) -> list[Cell]:
        return [self.current, self.previous, *self.quarters]


def sum_cells(cells: list[Cell]) -> Cell:
    """Add cells the way the report does: markers count as nothing.

    A column with no amount at all totals ``-``, as the printed report does.
    """
    amounts = [c for c in cells if c.kind is CellKind.AMOUNT]
    if not amounts:
        return Cell(CellKind.NONE)
    return Cell.amount(sum(c.numeric for c in amounts))


@dataclass
class BudgetTable:
    """예산 집행 계획: lines, unit and as-of date; the total is computed."""

    unit: str = "천원"
    as_of: dt.date | None = None
    lines: list[BudgetLine] = field(default_factory=list)
    printed_total: BudgetTotal | None = None  # the 계 row as imported, for the rules
    notes: Outline = field(default_factory=list)  # ※ lines printed under the table

    def total(self) -> BudgetTotal:
        return BudgetTotal(
            current=sum_cells([line.current for line in self.lines]),
            previous=sum_cells([line.previous for line in self.lines]),
            quarters=[sum_cells([line.quarters[q].amount for line in self.lines]) for q in range(4)],
        )

    def executed_quarters(self) -> int:
        """How many quarters lie before the as-of date (their amounts are 집행액)."""
        if self.as_of is None:
            return 0
        # A quarter counts as executed once its last day is on or before the as-of date.
        ends = [dt.date(self.as_of.year, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
        return sum(1 for end in ends if end <= self.as_of)


@dataclass
class TargetRow:
    """추진 목표 row: 세부사업명 | 추진시기 | 물량."""

    name: str = ""
    period: str = ""
    quantity: str = ""


@dataclass
class Targets:
    """추진 목표 table; the quantity header may carry a qualifier (2-5)."""

    qualifier: str = ""
    rows: list[TargetRow] = field(default_factory=list)


@dataclass
class Overview:
    """사업 개요: optional lead text, then 목적, 근거 and 주요 내용."""

    lead: Outline = field(default_factory=list)
    purpose: Outline = field(default_factory=list)
    basis: Outline = field(default_factory=list)
    contents: Outline = field(default_factory=list)


@dataclass
class Plan:
    """추진 계획: the year's key improvements, then the plan itself."""

    improvements: Outline = field(default_factory=list)
    items: Outline = field(default_factory=list)


@dataclass
class Program:
    """One program (주요업무), numbered ``chapter-n``, in the standard template."""

    code: str
    title: str
    department: str
    overview: Overview = field(default_factory=Overview)
    previous_achievements: Outline = field(default_factory=list)
    targets: Targets | None = None
    plan: Plan = field(default_factory=Plan)
    achievements: Outline = field(default_factory=list)
    schedule: Outline = field(default_factory=list)
    budget: BudgetTable | None = None
    issues: Outline = field(default_factory=list)
    # How the source text laid this program out (split header line, headings
    # without □ ...), so the text exporter can write back what it read.
    # Content never lives here; an empty dict means the canonical layout.
    layout: dict[str, object] = field(default_factory=dict)
    # The permanent identity (see new_uid); not content, so two copies of a program compare equal.
    uid: str = field(default_factory=new_uid, compare=False)

    @property
    def chapter_number(self) -> int:
        return int(self.code.split("-", 1)[0])

    @property
    def number(self) -> int:
        return int(self.code.split("-", 1)[1])


@dataclass
class AuthorEntry:
    """A person in an author block: role (may be empty), name, phone extension."""

    role: str
    name: str
    phone: str
    department: str
    line: int = 0  # the block's line the entry stands on, as printed


@dataclass
class AuthorBlock:
    """작성자 block; it belongs to the run of programs that follows it."""

    before_program: int  # index in the chapter's programs of the first program of its run
    entries: list[AuthorEntry] = field(default_factory=list)
    caption: str = "작성자"


@dataclass
class ListedProgram:
    """A program as listed on the chapter's title page (printed, for the rules)."""

    code: str
    title: str


@dataclass
class Chapter:
    """A chapter of III. 주요업무, owned by one department."""

    number: int
    title: str
    department: str
    programs: list[Program] = field(default_factory=list)
    author_blocks: list[AuthorBlock] = field(default_factory=list)
    listed_programs: list[ListedProgram] = field(default_factory=list)
    layout: dict[str, object] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid, compare=False)


@dataclass
class Department:
    """A department: its place in the report and its section II evaluation."""

    name: str
    order: int
    results: Outline = field(default_factory=list)  # 성과
    limits: Outline = field(default_factory=list)  # 한계
    directions: Outline = field(default_factory=list)  # 개선 방향
    layout: dict[str, object] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid, compare=False)


@dataclass
class HistoryEntry:
    """연혁: a dated entry (the date may be empty for a sub-entry)."""

    date: str
    text: str


@dataclass
class SimpleTable:
    """A front-matter table kept as printed text cells (정·현원, 시설, 예산 현황)."""

    caption: str = ""  # e.g. "(단위: 명, '24.9.1.기준)"
    header: list[list[str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class SummaryRow:
    """A row of 주요업무별 예산 내역 as printed."""

    code: str
    title: str
    current: Cell = field(default_factory=Cell)
    previous: Cell = field(default_factory=Cell)
    quarters: list[Cell] = field(default_factory=lambda: [Cell() for _ in range(4)])
    page: str = ""


@dataclass
class FrontMatter:
    """I. 일반 현황."""

    history: list[HistoryEntry] = field(default_factory=list)
    organization: str = ""
    staffing: SimpleTable = field(default_factory=SimpleTable)
    staffing_notes: Outline = field(default_factory=list)
    facilities: SimpleTable = field(default_factory=SimpleTable)
    budget_overview: SimpleTable = field(default_factory=SimpleTable)
    budget_summary_caption: str = ""
    budget_summary: list[SummaryRow] = field(default_factory=list)


@dataclass
class Report:
    """The whole yearly report."""

    year: int
    title: str = "주요업무보고"
    meeting: str = ""  # 제326회 서울특별시의회
    committee: str = ""  # 교육위원회 보고자료
    subtitle: str = ""  # slogan lines, "\n"-separated
    date_label: str = ""  # "2024. 9."
    institute: str = ""
    unit: str = "천원"
    as_of: dt.date | None = None
    front: FrontMatter = field(default_factory=FrontMatter)
    departments: list[Department] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    layout: dict[str, object] = field(default_factory=dict)

    def programs(self) -> Iterator[Program]:
        for chapter in self.chapters:
            yield from chapter.programs

    def program(self, code: str) -> Program | None:
        return next((p for p in self.programs() if p.code == code), None)

    def program_by_uid(self, uid: str) -> Program | None:
        return next((p for p in self.programs() if p.uid == uid), None)

    def department(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name == name), None)


def department_contacts(report: Report, department: str) -> list[AuthorEntry]:
    """A department's contact people: everyone its chapters' author blocks list for it.

    Derived rather than stored, so the contacts cannot disagree with the blocks.
    """
    seen: set[tuple[str, str]] = set()
    people: list[AuthorEntry] = []
    for chapter in report.chapters:
        for block in chapter.author_blocks:
            for entry in block.entries:
                key = (entry.name, entry.phone)
                if entry.department == department and key not in seen:
                    seen.add(key)
                    people.append(entry)
    return people
