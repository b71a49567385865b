"""Reading an HWPX laid out as our export (and edited in 한글) back into programs and section II.

The reader relies on what a 한글 user sees and keeps, not on ids or shapes a
save may renumber:

* a program starts at its title bar, a one-row table whose first cell is the
  program's code (``2-5``); the document properties list the codes the file
  was made with (:mod:`.properties`);
* a section starts at a paragraph ``□ heading``, matched against the
  template's headings for the file's year; a part at ``○ heading`` (목적 …),
  the year's key improvements at their box;
* an outline item is a paragraph with its literal mark (○ - ※ *, none for
  plain text); its level is read from its left margin
  (:func:`.layout.level_for_indent`), which a paragraph made by pressing
  Enter after another keeps;
* the targets and budget tables by their columns, merged cells included.

What cannot be placed (a paragraph outside every part, an unknown □ heading
and what follows it, a table of another shape) is returned in
:attr:`HwpxReading.unplaced` with its program, section and text; nothing is
dropped silently. The cover, the contents and I. 일반 현황 are the office's and
are not read; the chapter title pages are skipped, anything unexpected on them
listed.

The input is never trusted: the file's size, the archive's entry count and
unpacked size are bounded before the library opens it, and every failure is a
Korean :class:`~.errors.HwpxReadError`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from seri_desktop.domain import template as T
from seri_desktop.domain.model import (
    BudgetLine,
    BudgetTable,
    Cell,
    ItemKind,
    Outline,
    OutlineItem,
    Program,
    Quarter,
    TargetRow,
    Targets,
)
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.hwpx import layout as L
from seri_desktop.formats.hwpx import tables
from seri_desktop.formats.hwpx.errors import HwpxReadError, HwpxYearError
from seri_desktop.formats.hwpx.properties import PROGRAM_CODE, Identity, code_from_field_name, parse_identity
from seri_desktop.formats.pdf.story import PARTS
from seri_desktop.formats.text_import import parse_as_of

if TYPE_CHECKING:
    from hwpx import HwpxDocument
    from hwpx.oxml import HwpxOxmlParagraph, HwpxOxmlTable

MAX_FILE_BYTES: Final = 50 * 1024 * 1024
MAX_UNPACKED_BYTES: Final = 400 * 1024 * 1024
MAX_ENTRIES: Final = 5_000
MAX_RATIO: Final = 200  # a part unpacking to more than 200 times its packed size is a zip bomb

_FIRST_MARKS: Final = tf.FIRST_LEVEL_MARKS
_DEPARTMENT: Final = re.compile(r"^(\d+)\.\s*(\S.*)$")
_CHAPTER: Final = re.compile(r"^\d+$")
_CHAPTER_ENTRY: Final = re.compile(r"^[○◦]\s*\d+\.\s")  # III's list of chapters
_QUALIFIER: Final = re.compile(r"^" + re.escape(T.TARGET_COLUMNS[2]) + r"\s*(?:\((.*)\))?\s*$")
_PART_NUMERALS: Final = frozenset({numeral for numeral, _ in PARTS} | {"I", "II", "III"})
_HEADING_SPACE: Final = re.compile(r"\s+")
CHAPTER_PAGE: Final = "장 표지"
BEFORE_SECTIONS: Final = "제목 아래"


@dataclass(frozen=True)
class Unplaced:
    """Content the reader could not place: its program ("" outside programs), its place, its text."""

    program: str
    section: str
    text: str

    def describe(self) -> str:
        where = " › ".join(x for x in (self.program, self.section) if x)
        return f"{where}: {self.text}" if where else self.text


@dataclass
class ReadProgram:
    """A program as the file has it: what each part the file holds reads as."""

    code: str
    title: str
    program: Program  # department unknown (""); only the parts in ``parts`` come from the file
    parts: set[str] = field(default_factory=set)
    field_code: str | None = None  # the code in the title bar's field name, when 한글 kept it


@dataclass
class HwpxReading:
    """Everything read from one file."""

    name: str
    year: int
    identity: Identity | None
    programs: list[ReadProgram] = field(default_factory=list)
    section_ii: dict[str, dict[str, Outline]] = field(default_factory=dict)  # department → part key → outline
    unplaced: list[Unplaced] = field(default_factory=list)

    def program(self, code: str) -> ReadProgram | None:
        return next((p for p in self.programs if p.code == code), None)


def read_hwpx(source: Path | str | bytes, *, name: str = "") -> HwpxReading:
    """Read ``source`` (a path or the file's bytes); :class:`HwpxReadError` when it cannot be read as our export."""
    data, name = _load(source, name)
    _check_archive(data, name)
    document = _open(data, name)
    identity = parse_identity(document.parts.metadata.keyword if document.parts.metadata else None)
    blocks = list(_blocks(document))
    year = identity.year if identity is not None else _year_from_headings(blocks)
    if year is None:
        raise HwpxReadError(
            f"'{name}' 은(는) seri-desktop에서 내보낸 한글 문서가 아닙니다: 문서 정보의 키워드와 "
            "사업의 □ 제목에서 보고서 연도를 찾지 못했습니다. '한글(HWPX)로 내보내기'로 만든 파일을 고쳐서 가져오십시오.",
            "not-ours",
        )
    reading = HwpxReading(name, year, identity)
    _Parser(reading, document).run(blocks)
    if not reading.programs and not reading.section_ii:
        raise HwpxReadError(
            f"'{name}' 에서 사업도 업무 평가도 찾지 못했습니다. 사업마다 번호와 제목이 있는 제목 표(예: 2-5 | 제목)가 있어야 합니다.",
            "empty",
        )
    return reading


def expect_year(reading: HwpxReading, year: int) -> None:
    """Refuse a file of another year's report."""
    if reading.year != year:
        raise HwpxYearError(
            f"'{reading.name}' 은(는) {reading.year}년 보고서의 문서입니다. 지금 보고서는 {year}년입니다. "
            "같은 연도의 보고서에서 내보낸 파일을 가져오십시오.",
            "year",
        )


# --- the file --------------------------------------------------------------------------------------------


def _load(source: Path | str | bytes, name: str) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        if len(source) > MAX_FILE_BYTES:
            raise HwpxReadError(_too_large(name or "파일", len(source)), "too-large")
        return source, name or "한글 문서"
    path = Path(source)
    name = name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise HwpxReadError(_too_large(name, size), "too-large")
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise HwpxReadError(f"'{name}' 파일을 읽을 수 없습니다: {exc.strerror or exc}", "io") from exc
    if len(data) > MAX_FILE_BYTES:
        raise HwpxReadError(_too_large(name, len(data)), "too-large")
    return data, name


def _too_large(name: str, size: int) -> str:
    return (
        f"'{name}' 은(는) {size / 1024 / 1024:.0f}MB로 너무 큽니다. 보고서의 한글 문서는 "
        f"{MAX_FILE_BYTES // 1024 // 1024}MB를 넘지 않습니다."
    )


def _check_archive(data: bytes, name: str) -> None:
    not_hwpx = (
        f"'{name}' 은(는) 한글(HWPX) 문서가 아닙니다. 한글에서 '다른 이름으로 저장 > 한글 문서(*.hwpx)'로 "
        "저장한 파일을 고르십시오."
    )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise HwpxReadError(
            f"'{name}' 은(는) 예전 한글 형식(.hwp)입니다. 한글에서 .hwpx로 저장한 뒤 가져오십시오.", "hwp5"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise HwpxReadError(
                    f"'{name}' 에 든 항목이 {len(infos)}개로 너무 많습니다(손상되었거나 한글 문서가 아닙니다).",
                    "too-large",
                )
            total = 0
            for info in infos:
                total += info.file_size
                if (
                    info.file_size > MAX_UNPACKED_BYTES
                    or total > MAX_UNPACKED_BYTES
                    or (
                        info.compress_size
                        and info.file_size > MAX_RATIO * info.compress_size
                        and info.file_size > 1 << 20
                    )
                ):
                    raise HwpxReadError(
                        f"'{name}' 은(는) 풀면 비정상적으로 커지는 압축 파일입니다. 열지 않았습니다.", "zip-bomb"
                    )
            names = {info.filename for info in infos}
            if "mimetype" not in names or not any(n.startswith("Contents/section") for n in names):
                raise HwpxReadError(not_hwpx, "not-hwpx")
            if archive.read("mimetype").strip() != b"application/hwp+zip":
                raise HwpxReadError(not_hwpx, "not-hwpx")
    except zipfile.BadZipFile as exc:
        raise HwpxReadError(not_hwpx, "not-hwpx") from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise HwpxReadError(f"'{name}' 한글 문서가 손상되어 읽을 수 없습니다: {exc}", "damaged") from exc


def _open(data: bytes, name: str) -> HwpxDocument:
    from hwpx import HwpxDocument

    try:
        return HwpxDocument.open(data)
    except Exception as exc:  # the library raises anything from its own errors to lxml's and zipfile's
        raise HwpxReadError(
            f"'{name}' 한글 문서가 손상되어 읽을 수 없습니다: {type(exc).__name__}: {exc}", "damaged"
        ) from exc


# --- blocks: the body's paragraphs and tables in reading order --------------------------------------------


@dataclass
class _Text:
    text: str
    left: int


@dataclass
class _Table:
    table: HwpxOxmlTable
    left: int


def _blocks(document: HwpxDocument) -> Iterator[_Text | _Table]:
    margins: dict[str | None, int] = {}
    properties = document.styles.paragraph_properties

    def left_of(paragraph: HwpxOxmlParagraph) -> int:
        ref = paragraph.para_pr_id_ref
        if ref not in margins:
            prop = properties.get(ref or "")
            try:
                margins[ref] = int(prop.margin.left or 0) if prop is not None and prop.margin is not None else 0
            except (TypeError, ValueError):
                margins[ref] = 0
        return margins[ref]

    for paragraph in document.paragraphs:
        left = left_of(paragraph)
        text = _clean(paragraph.text)
        found = paragraph.tables
        if text or not found:
            yield _Text(text, left)
        for table in found:
            yield _Table(table, left)


def _clean(text: str | None) -> str:
    return " ".join((text or "").replace("\t", " ").split())


def _year_from_headings(blocks: list[_Text | _Table]) -> int | None:
    """The report's year from a heading that carries it (□ 2023년 추진 실적, 2024년 주요 개선 사항)."""
    for block in blocks:
        if isinstance(block, _Text):
            body = block.text.lstrip(tf.SECTION_MARK).strip()
            m = tf.RE_PREVIOUS_HEADING.match(body)
            if m:
                return int(m.group(1)) + 1
            m = tf.RE_IMPROVEMENTS.match(body)
            if m:
                return int(m.group(1))
    return None


# --- table cells ------------------------------------------------------------------------------------------


def _grid(table: HwpxOxmlTable) -> list[list[tuple[str, bool]]] | None:
    """Each logical cell's text and whether it is its cell's anchor; ``None`` for a grid the library cannot map."""
    try:
        cells = table.get_cell_map()
    except (IndexError, ValueError):
        return None
    return [[(_clean(e.cell.text), e.is_anchor) for e in row] for row in cells]


def _table_text(grid: list[list[tuple[str, bool]]] | None, table: HwpxOxmlTable) -> str:
    if grid is None:
        return " | ".join(_clean(c.text) for row in table.rows for c in row.cells if c.text)
    return " / ".join(" | ".join(t for t, anchor in row if anchor) for row in grid)


def _banner(grid: list[list[tuple[str, bool]]] | None) -> tuple[str, str] | None:
    """(number, title) of a one-row number bar (part, chapter, program); ``None`` for any other table."""
    if grid is None or len(grid) != 1 or len(grid[0]) < 2:
        return None
    return grid[0][0][0], " ".join(t for t, anchor in grid[0][1:] if anchor)


# --- the parser -------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, reading: HwpxReading, document: HwpxDocument) -> None:
        self.reading = reading
        self.document = document
        self.year = reading.year
        self.region = "front"  # front | review | chapter | program
        self.current: ReadProgram | None = None
        self.section: T.Section | None = None
        self.part: T.Part | None = None
        self.unknown_heading = ""
        self.department = ""
        self.review_part: T.Part | None = None
        self.headings = {self._key(s.heading_for(self.year)): s for s in T.PROGRAM_SECTIONS}
        self.review_headings = {self._key(p.heading): p for p in T.SECTION_II_PARTS}

    @staticmethod
    def _key(heading: str) -> str:
        return _HEADING_SPACE.sub("", heading)

    def unplaced(self, section: str, text: str) -> None:
        code = self.current.code if self.current is not None and self.region == "program" else ""
        self.reading.unplaced.append(Unplaced(code, section, text))

    def run(self, blocks: list[_Text | _Table]) -> None:
        for block in blocks:
            if isinstance(block, _Table):
                self.table(block)
            elif block.text:
                self.text(block)

    # -- tables

    def table(self, block: _Table) -> None:
        grid = _grid(block.table)
        banner = _banner(grid)
        if banner is not None:
            number, title = banner
            field_code = self._field_code(block.table)
            if PROGRAM_CODE.match(number) or field_code is not None:
                self.start_program(number if PROGRAM_CODE.match(number) else str(field_code), title, field_code)
                return
            if number in _PART_NUMERALS:
                self.region = (
                    "review"
                    if number in (PARTS[1][0], "II")
                    else ("chapter" if number in (PARTS[2][0], "III") else "front")
                )
                self.current = None
                return
            if _CHAPTER.match(number):
                self.region, self.current = "chapter", None
                return
        if self.region == "program":
            self.program_table(block, grid)
        elif self.region == "review" and self.review_part is not None:
            self._review_outline().append(self._table_item(block, grid))
        elif self.region == "review":
            self.unplaced(T.SECTION_II_HEADING, _table_text(grid, block.table))
        # Tables on the cover, the contents, I. 일반 현황 and the chapter pages are the office's.

    def _field_code(self, table: HwpxOxmlTable) -> str | None:
        try:
            first = table.rows[0].cells[0]
        except IndexError:
            return None
        return code_from_field_name(first.field_name)

    def _table_item(self, block: _Table, grid: list[list[tuple[str, bool]]] | None) -> OutlineItem:
        rows = [[t if anchor else "" for t, anchor in row] for row in grid or []]
        return OutlineItem(L.level_for_indent(block.left), ItemKind.TABLE, "", rows)

    def program_table(self, block: _Table, grid: list[list[tuple[str, bool]]] | None) -> None:
        program = self.current
        assert program is not None
        section = self.section
        label = section.label if section is not None else (self.unknown_heading or BEFORE_SECTIONS)
        if section is not None and section.key == T.TARGETS.section:
            targets = _targets(grid)
            if targets is None:
                self.unplaced(f"{label} (표 모양이 다름)", _table_text(grid, block.table))
            else:
                program.program.targets = targets
                program.parts.add(T.TARGETS.key)
            return
        if section is not None and section.key == T.BUDGET.section:
            budget = program.program.budget or BudgetTable()
            if _budget(grid, budget):
                program.program.budget = budget
                program.parts.update((T.BUDGET.key, T.BUDGET_NOTES.key))
                self.part = T.BUDGET_NOTES
            else:
                self.unplaced(f"{label} (표 모양이 다름)", _table_text(grid, block.table))
            return
        if section is not None and section.key == T.PLAN_IMPROVEMENTS.section and self._improvements(block):
            return
        if self.part is not None and self.part.kind is T.PartKind.OUTLINE:
            self._outline(program, self.part).append(self._table_item(block, grid))
            return
        self.unplaced(label, _table_text(grid, block.table))

    def _improvements(self, block: _Table) -> bool:
        """The box of the year's key improvements: its label, then its items, read into that part."""
        table = block.table
        if table.row_count != 1 or table.column_count != 1:
            return False
        paragraphs = table.cell(0, 0).paragraphs
        heading = self._key(T.PLAN_IMPROVEMENTS.heading_for(self.year))
        if not paragraphs or self._key(_clean(paragraphs[0].text)) != heading:
            return False
        program = self.current
        assert program is not None
        outline = self._outline(program, T.PLAN_IMPROVEMENTS)
        margins = self.document.styles.paragraph_properties
        for paragraph in paragraphs[1:]:
            text = _clean(paragraph.text)
            if text:
                prop = margins.get(paragraph.para_pr_id_ref or "")
                left = int(prop.margin.left or 0) if prop is not None and prop.margin is not None else 0
                outline.append(parse_item(text, left))
        self.part = T.PLAN_ITEMS
        return True

    # -- paragraphs

    def text(self, block: _Text) -> None:
        if self.region == "program":
            self.program_text(block)
        elif self.region == "review":
            self.review_text(block)
        elif self.region == "chapter" and not (
            tf.RE_LISTED_PROGRAM.match(block.text) or _CHAPTER_ENTRY.match(block.text)
        ):
            self.unplaced(CHAPTER_PAGE, block.text)

    def start_program(self, code: str, title: str, field_code: str | None) -> None:
        program = Program(code=code, title=title, department="")
        # Every outline the file may fill starts empty; targets and budget only when the file has them.
        program.budget = None
        self.current = ReadProgram(code, title, program, {T.TITLE.key}, field_code)
        self.reading.programs.append(self.current)
        self.region, self.section, self.part, self.unknown_heading = "program", None, None, ""

    def program_text(self, block: _Text) -> None:
        program = self.current
        assert program is not None
        text = block.text
        if text.startswith(tf.SECTION_MARK):
            found = self.headings.get(self._key(text[1:]))
            if found is None:
                self.section, self.part, self.unknown_heading = None, None, text
                self.unplaced(text, text)
                return
            self.section, self.unknown_heading = found, ""
            self.part = _default_part(found, self.year)
            for part in found.parts:
                if part.kind is T.PartKind.OUTLINE and not part.optional_parent:
                    program.parts.add(part.key)
            return
        section = self.section
        if section is None:
            self.unplaced(self.unknown_heading or BEFORE_SECTIONS, text)
            return
        sub = self._subheading(section, text)
        if sub is not None:
            self.part = sub
            return
        if section.key == T.BUDGET.section and text.startswith("(단위"):
            m = tf.RE_UNIT_LINE.match(text)
            if m:
                budget = program.program.budget or BudgetTable(lines=[])
                budget.unit = m.group(1).strip()
                budget.as_of = parse_as_of(m.group(2), self.year) if m.group(2) else None
                program.program.budget = budget
                return
        if self.part is None or self.part.kind is not T.PartKind.OUTLINE:
            self.unplaced(section.label, text)
            return
        if self.part.optional_parent and program.program.budget is None:
            self.unplaced(section.label, text)
            return
        self._outline(program, self.part).append(parse_item(text, block.left))

    def _subheading(self, section: T.Section, text: str) -> T.Part | None:
        if not text.startswith(_FIRST_MARKS):
            return None
        body = self._key(text[1:])
        for part in section.parts:
            heading = part.heading_for(self.year)
            if heading and heading != section.heading_for(self.year) and self._key(heading) == body:
                return part
        return None

    def _outline(self, program: ReadProgram, part: T.Part) -> Outline:
        program.parts.add(part.key)
        outline: Outline = T.get(program.program, part)
        return outline

    def review_text(self, block: _Text) -> None:
        text = block.text
        if text.startswith(tf.SECTION_MARK):
            part = self.review_headings.get(self._key(text[1:]))
            if part is None or not self.department:
                self.review_part = None
                self.unplaced(T.SECTION_II_HEADING, text)
                return
            self.review_part = part
            self._review_outline()
            return
        m = _DEPARTMENT.match(text)
        if m and not text.startswith(_FIRST_MARKS):
            self.department, self.review_part = m.group(2).strip(), None
            self.reading.section_ii.setdefault(self.department, {p.key: [] for p in T.SECTION_II_PARTS})
            return
        if self.review_part is None:
            self.unplaced(T.SECTION_II_HEADING, text)
            return
        self._review_outline().append(parse_item(text, block.left))

    def _review_target(self) -> dict[str, Outline]:
        return self.reading.section_ii.setdefault(self.department, {p.key: [] for p in T.SECTION_II_PARTS})

    def _review_outline(self) -> Outline:
        assert self.review_part is not None
        return self._review_target()[self.review_part.key]


def _default_part(section: T.Section, year: int) -> T.Part | None:
    """The outline part that text under a section's heading goes to before any ○ subheading."""
    for part in section.parts:
        if part.kind is T.PartKind.OUTLINE and part != T.PLAN_IMPROVEMENTS:
            heading = part.heading_for(year)
            if not heading or heading == section.heading_for(year):
                return part
    return None


def parse_item(text: str, left: int) -> OutlineItem:
    """An outline item from its paragraph: the literal mark says the kind, the left margin the level."""
    if text.startswith(_FIRST_MARKS):
        return OutlineItem(0, ItemKind.ITEM, text[1:].strip())
    if text.startswith("-"):
        return OutlineItem(L.level_for_indent(left, lowest=1), ItemKind.ITEM, text[1:].strip())
    if text.startswith(tf.NOTE_MARK):
        return OutlineItem(L.level_for_indent(left), ItemKind.NOTE, text[1:].strip())
    if text.startswith(tf.FOOTNOTE_MARK):
        rest = text[1:]
        return OutlineItem(L.level_for_indent(left), ItemKind.FOOTNOTE, rest if rest.startswith("*") else rest.strip())
    return OutlineItem(L.level_for_indent(left), ItemKind.TEXT, text)


def _targets(grid: list[list[tuple[str, bool]]] | None) -> Targets | None:
    if grid is None or not grid or len(grid[0]) != tables.TARGET_COLUMNS:
        return None
    head = [t for t, _ in grid[0]]
    if head[0] != T.TARGET_COLUMNS[0] or head[1] != T.TARGET_COLUMNS[1]:
        return None
    m = _QUALIFIER.match(head[2])
    if m is None:
        return None
    rows = [TargetRow(*(t if anchor else "" for t, anchor in row)) for row in grid[1:]]
    return Targets(qualifier=(m.group(1) or "").strip(), rows=rows)


def _budget(grid: list[list[tuple[str, bool]]] | None, budget: BudgetTable) -> bool:
    """Read the lines of a budget table into ``budget``; ``False`` (nothing changed) for another shape."""
    if grid is None or len(grid) < tables.BUDGET_HEADER_ROWS or any(len(r) != tables.BUDGET_COLUMNS for r in grid):
        return False
    if grid[0][0][0] != T.BUDGET_LINE_NAME:
        return False
    body = grid[tables.BUDGET_HEADER_ROWS :]
    if body and body[-1][0][0] == T.TOTAL_ROW_LABEL:
        body = body[:-1]  # the 계 row is computed, never read
    lines: list[BudgetLine] = []
    r = 0
    while r < len(body):
        row = body[r]
        if not row[0][1]:
            r += 1  # a row of notes whose line was not read (its name cell covered from above)
            continue
        notes = body[r + 1] if r + 1 < len(body) and not body[r + 1][0][1] else None
        quarters = [
            Quarter(Cell.parse(row[3 + q][0]), notes[3 + q][0] if notes is not None and notes[3 + q][1] else "")
            for q in range(T.QUARTER_COUNT)
        ]
        lines.append(BudgetLine(row[0][0], Cell.parse(row[1][0]), Cell.parse(row[2][0]), quarters, row[7][0]))
        r += 2 if notes is not None else 1
    budget.lines = lines
    return True
