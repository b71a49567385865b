"""Import the report text (the export of the printed report) into the domain model.

The file is read line by line by a small state machine: cover, I. 일반 현황,
II. 업무 평가 및 개선 방향, III. 주요업무 with its chapters and programs.
The export has quirks (headings with or without □, program headers split
over two lines, a title merged with its first heading, amounts and notes in
one cell or the notes on the next row, wrapped lines); they are read into
the same structure, and how a program was laid out is kept in its
``layout`` dict so the exporter can write back what it read.

A line the importer does not understand is never dropped: it is kept as a
text item in the nearest section and reported with its line number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
from seri_desktop.errors import UserError
from seri_desktop.formats import text_format as tf

MAX_FILE_BYTES = 20 * 1024 * 1024  # a yearly report is ~200 KB; refuse what cannot be one


class TextImportError(UserError, ValueError):
    """The file cannot be read as a report at all (the message is Korean)."""

    default_code = "text-import"


@dataclass
class ImportWarning:
    """A line the importer kept as text, or a value it could not read."""

    line: int
    message: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.line}번째 줄: {self.message}"


@dataclass
class ImportResult:
    """The imported report and what the importer could not fully understand."""

    report: Report
    warnings: list[ImportWarning] = field(default_factory=list)


def decode_report_bytes(data: bytes) -> str:
    """Bytes to text: UTF-8 with or without BOM, else CP949 (Korean Windows)."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextImportError("파일을 읽을 수 없습니다: UTF-8 또는 CP949(한글 Windows) 텍스트가 아닙니다.")


def import_report_file(path: Path) -> ImportResult:
    """Read and parse a report text file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TextImportError(
                f"{path.name}: 파일이 너무 큽니다({size:,} 바이트). 보고서 텍스트 파일이 맞는지 확인하십시오."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise TextImportError(f"{path}: 파일을 열 수 없습니다 ({exc.strerror or exc}).") from exc
    if b"\x00" in data[:4096]:
        raise TextImportError(f"{path.name}: 텍스트 파일이 아닙니다(이진 파일).")
    return parse_report_text(decode_report_bytes(data))


def parse_report_text(text: str) -> ImportResult:
    """Parse the whole report text."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _Parser(text.split("\n")).parse()


# --------------------------------------------------------------------------- outlines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \u3000"))


def parse_outline_line(line: str) -> tuple[int, ItemKind, str] | None:
    """(level, kind, text) of a marked outline line; None for an unmarked line.

    ``○`` is level 0, ``-`` level 1, `` -`` (indented) level 2 and deeper;
    ``※`` and ``*`` mark notes and footnotes at the level of their dash.
    """
    raw = line.rstrip()
    s = raw.strip()
    if not s:
        return None
    indent = _indent(raw)
    dash = False
    level = 0
    if s == "-" or s.startswith("- "):
        dash = True
        level = 1 + min(indent, 2)
        s = s[1:].strip()
    if s.startswith(tf.NOTE_MARK):
        return level, ItemKind.NOTE, s[1:].strip()
    if s.startswith(tf.FOOTNOTE_MARK) and not (s.startswith("**") and s.endswith("**")):
        # "** …" is the second footnote of an item: the text keeps the extra star.
        rest = s[1:]
        return level, ItemKind.FOOTNOTE, rest if rest.startswith("*") else rest.strip()
    if not dash and s[:1] in tf.FIRST_LEVEL_MARKS and len(s) > 1:
        return 0, ItemKind.ITEM, s[1:].strip()
    if dash:
        return level, ItemKind.ITEM, s
    return None


class OutlineBuilder:
    """Appends lines to an outline: marked items, wrapped lines, tables."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.in_table = False

    def add(self, line: str) -> None:
        if "\t" in line:
            row = line.split("\t")
            last = self.outline[-1] if self.outline else None
            if self.in_table and last is not None and last.table is not None:
                last.table.append(row)
            else:
                self.outline.append(OutlineItem(0, ItemKind.TABLE, "", [row]))
            self.in_table = True
            return
        self.in_table = False
        parsed = parse_outline_line(line)
        if parsed is not None:
            level, kind, text = parsed
            self.outline.append(OutlineItem(level, kind, text))
            return
        s = line.strip()
        last = self.outline[-1] if self.outline else None
        if last is not None and last.kind is not ItemKind.TABLE:
            # An unmarked line right after an item is the item wrapped onto the next line.
            last.text = f"{last.text}\n{s}" if last.text else s
        else:
            self.outline.append(OutlineItem(0, ItemKind.TEXT, s))

    def add_verbatim(self, line: str) -> None:
        """Keep a line the importer does not understand, as printed."""
        self.in_table = False
        self.outline.append(OutlineItem(0, ItemKind.TEXT, line.strip()))

    def blank(self) -> None:
        self.in_table = False


# --------------------------------------------------------------------------- budget cells


def split_quarter(cell: str) -> Quarter:
    """``62,557 연구소 운영`` → amount 62557 and note; ``- -`` → none and note ``-``."""
    s = cell.strip()
    m = tf.RE_QUARTER.match(s)
    if m:
        return Quarter(Cell.parse(m.group(1)), (m.group(2) or "").strip())
    return Quarter(Cell.parse(s), "")


def parse_as_of(text: str, year: int) -> dt.date | None:
    """``'24.6.30.`` → 2024-06-30 (two-digit years are taken in the report's century)."""
    m = tf.RE_AS_OF.search(text)
    if not m:
        return None
    y = int(m.group(1))
    if y < 100:
        y += (year // 100) * 100
    try:
        return dt.date(y, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _cells(line: str, width: int) -> list[str]:
    cells = [c.strip() for c in line.split("\t")]
    return cells + [""] * (width - len(cells))


# --------------------------------------------------------------------------- the parser


class _Parser:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.warnings: list[ImportWarning] = []
        self.report = Report(year=0)

    # -- helpers

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(ImportWarning(index + 1, message, self.lines[index].strip()))

    def find(self, start: int, predicate: Callable[[str], bool]) -> int | None:
        for i in range(start, len(self.lines)):
            if predicate(self.lines[i].strip()):
                return i
        return None

    # -- top level

    def parse(self) -> ImportResult:
        part3 = self.find(0, lambda s: bool(tf.RE_PART_THREE.match(s)))
        if part3 is None:
            raise TextImportError(
                "보고서 텍스트 형식이 아닙니다: 'Ⅲ. 주요업무' 줄을 찾지 못했습니다. "
                "주요업무보고를 텍스트로 내보낸 파일인지 확인하십시오."
            )
        part2 = self.find(0, lambda s: bool(tf.RE_PART_TWO.match(s)))
        if part2 is None or part2 > part3:
            part2 = part3
        part1 = self.find(0, lambda s: s in ("I", "Ⅰ", "I 일반 현황", "Ⅰ. 일반 현황"))
        if part1 is None or part1 > part2:
            part1 = part2
        self.parse_cover(0, part1)
        self.parse_front(part1, part2)
        self.parse_part_two(part2 + 1 if part2 < part3 else part2, part3)
        self.parse_part_three(part3 + 1, len(self.lines))
        if self.report.year == 0:
            raise TextImportError(
                "보고서 연도를 찾지 못했습니다: 표지의 날짜(예: '2024. 9.')나 'YYYY년 주요 개선 사항' 줄이 필요합니다."
            )
        self.finish()
        return ImportResult(self.report, self.warnings)

    def finish(self) -> None:
        report = self.report
        # The as-of date of the budget tables stands for the report's.
        for program in report.programs():
            if program.budget is not None and program.budget.as_of is not None:
                report.as_of = program.budget.as_of
                break

    # -- cover

    def parse_cover(self, start: int, end: int) -> None:
        report = self.report
        texts = [(i, self.lines[i].strip()) for i in range(start, end) if self.lines[i].strip()]
        subtitle: list[str] = []
        for i, s in texts:
            date = tf.RE_DATE_LABEL.match(s)
            if s.startswith("제") and "회" in s and not report.meeting:
                report.meeting = s
            elif s.endswith("보고자료") and not report.committee:
                report.committee = s
            elif s.endswith("업무보고"):
                report.title = s
            elif date:
                report.date_label = s
                report.year = int(date.group(1))
            elif report.date_label:
                if report.institute:
                    self.warn(i, "표지에서 알 수 없는 줄입니다.")
                    report.layout.setdefault("cover_extra", [])
                    extra = report.layout["cover_extra"]
                    assert isinstance(extra, list)
                    extra.append(s)
                else:
                    report.institute = s
            else:
                subtitle.append(s)
        report.subtitle = "\n".join(subtitle)

    # -- I. 일반 현황

    def parse_front(self, start: int, end: int) -> None:
        front = self.report.front
        region = ""
        outline_builder: OutlineBuilder | None = None
        table: SimpleTable | None = None
        for i in range(start, end):
            line = self.lines[i]
            s = line.strip()
            if not s:
                continue
            if s in ("I", "Ⅰ", "일반 현황", "I 일반 현황", "Ⅰ. 일반 현황"):
                continue
            key = self._front_heading(s)
            if key is not None:
                region = key
                table = None
                if key == "organization":
                    front.organization = s.split("조직", 1)[1].strip()
                elif key == "staffing":
                    table = front.staffing
                    outline_builder = OutlineBuilder(front.staffing_notes)
                elif key == "facilities":
                    table = front.facilities
                elif key == "budget_overview":
                    table = front.budget_overview
                continue
            if region == "history":
                self._history_line(i, s)
            elif region == "budget_summary":
                self._summary_line(i, line)
            elif table is not None and (s.startswith("(단위") or "\t" in line):
                if s.startswith("(단위"):
                    table.caption = s
                else:
                    cells = [c.strip() for c in line.split("\t")]
                    if not table.rows and (not table.header or not cells[0]):
                        table.header.append(cells)
                    else:
                        table.rows.append(cells)
            elif region == "staffing" and outline_builder is not None:
                outline_builder.add(line)
            else:
                self.warn(i, "일반 현황에서 알 수 없는 줄입니다(그대로 보관합니다).")
                notes = self.report.front.staffing_notes if region == "staffing" else None
                if notes is not None:
                    notes.append(OutlineItem(0, ItemKind.TEXT, s))
                else:
                    extra = self.report.layout.setdefault("front_extra", [])
                    assert isinstance(extra, list)
                    extra.append([region, s])

    @staticmethod
    def _front_heading(s: str) -> str | None:
        compact = s.replace(" ", "")
        for key, heading in tf.FRONT_HEADINGS.items():
            words = heading.replace(" ", "")
            if compact == words or (key == "organization" and compact.startswith(words)):
                return key
        return None

    def _history_line(self, i: int, s: str) -> None:
        history = self.report.front.history
        m = tf.RE_HISTORY.match(s)
        if m:
            history.append(HistoryEntry(" ".join(m.group(1).split()), m.group(2).strip()))
        elif s.startswith("- "):
            history.append(HistoryEntry("", s[2:].strip()))
        elif history:
            history[-1].text += "\n" + s
        else:
            self.warn(i, "연혁의 첫 줄은 '- 날짜 내용' 형식이어야 합니다(그대로 보관합니다).")
            history.append(HistoryEntry("", s))

    def _summary_line(self, i: int, line: str) -> None:
        front = self.report.front
        s = line.strip()
        if s.startswith("(단위"):
            front.budget_summary_caption = s
            return
        cells = _cells(line, 9)
        if cells[0] == "번호":
            self.report.layout.setdefault("summary_header", [cells, []])
            before = self.report.layout.setdefault("summary_header_before", [])
            assert isinstance(before, list)
            before.append(len(front.budget_summary))
            return
        if not cells[0] and "분기" in line:
            header = self.report.layout.get("summary_header")
            if isinstance(header, list) and len(header) == 2 and not header[1]:
                header[1] = cells
            return
        if tf.RE_PROGRAM_HEADER.match(cells[0]) and "\t" in line:
            quarters = [Cell.parse(c) for c in cells[4:8]]
            row = SummaryRow(cells[0], cells[1], Cell.parse(cells[2]), Cell.parse(cells[3]), quarters, cells[8])
            front.budget_summary.append(row)
            for label, cell in (("예산액('24)", row.current), ("예산액('23)", row.previous)):
                if cell.kind is CellKind.INVALID:
                    self.warn(i, f"주요업무별 예산 내역 {row.code} {label} 칸 '{cell.raw}'은(는) 금액이 아닙니다.")
            return
        self.warn(i, "주요업무별 예산 내역에서 알 수 없는 줄입니다(그대로 보관합니다).")
        extra = self.report.layout.setdefault("front_extra", [])
        assert isinstance(extra, list)
        extra.append(["budget_summary", s])

    # -- II. 업무 평가 및 개선 방향

    def parse_part_two(self, start: int, end: int) -> None:
        department: Department | None = None
        builder: OutlineBuilder | None = None
        titles = {v: k for k, v in tf.REVIEW_TITLES.items()}
        for i in range(start, end):
            line = self.lines[i]
            s = line.strip()
            if not s:
                if builder:
                    builder.blank()
                continue
            m = tf.RE_DEPARTMENT.match(s)
            if m:
                department = Department(m.group(3), len(self.report.departments) + 1)
                if m.group(2).strip() != ".":
                    department.layout["number_sep"] = m.group(2)
                self.report.departments.append(department)
                builder = None
                continue
            heading = tf.normalize_heading(s)
            if department is not None and heading in titles and len(s) < 20:
                key = titles[heading]
                builder = OutlineBuilder(getattr(department, key))
                affixes = tf.split_affixes(s, heading)
                if affixes != tf.CANONICAL_HEADING:
                    headings = department.layout.setdefault("headings", {})
                    assert isinstance(headings, dict)
                    headings[key] = list(affixes)
                continue
            if builder is None:
                self.warn(
                    i,
                    "업무 평가 및 개선 방향에서 부서나 제목(성과·한계·개선 방향) 앞에 있는 줄입니다(그대로 보관합니다).",
                )
                holder = department.layout if department is not None else self.report.layout
                kept = holder.setdefault("part_two_extra", [])
                assert isinstance(kept, list)
                kept.append(s)
                continue
            if s.startswith(tf.SECTION_MARK):
                self.warn(i, "알 수 없는 제목입니다(내용으로 보관합니다).")
                builder.add_verbatim(line)
                continue
            builder.add(line)

    # -- III. 주요업무

    def parse_part_three(self, start: int, end: int) -> None:
        # The list of chapter titles right after the part heading.
        listed: dict[int, str] = {}
        i = start
        while i < end:
            s = self.lines[i].strip()
            m = tf.RE_CHAPTER.match(s)
            if not s:
                i += 1
                continue
            if m and int(m.group(1)) == len(listed) + 1:
                listed[int(m.group(1))] = m.group(2).strip()
                i += 1
                continue
            break
        chapter_starts = self._chapter_starts(i, end, listed)
        if not chapter_starts:
            # No list of chapters before the first chapter: what looked like one is the heading.
            chapter_starts = self._chapter_starts(start, end, {})
        if not chapter_starts:
            raise TextImportError("Ⅲ. 주요업무에서 장 제목(예: '1. 공존의 ...')을 찾지 못했습니다.")
        for n, first in enumerate(chapter_starts):
            last = chapter_starts[n + 1] if n + 1 < len(chapter_starts) else end
            self.parse_chapter(first, last)

    def _chapter_starts(self, start: int, end: int, listed: dict[int, str]) -> list[int]:
        starts: list[int] = []
        for j in range(start, end):
            m = tf.RE_CHAPTER.match(self.lines[j].strip())
            expected = len(starts) + 1
            if m and int(m.group(1)) == expected and m.group(2).strip() == listed.get(expected, m.group(2).strip()):
                starts.append(j)
        return starts

    def parse_chapter(self, start: int, end: int) -> None:
        m = tf.RE_CHAPTER.match(self.lines[start].strip())
        assert m is not None
        number = int(m.group(1))
        departments = self.report.departments
        owner = departments[number - 1].name if number <= len(departments) else ""
        chapter = Chapter(number, m.group(2).strip(), owner)
        self.report.chapters.append(chapter)
        program_starts: list[tuple[int, str, str]] = []  # (line index, code, title on the line)
        seen: set[int] = set()
        for j in range(start + 1, end):
            pm = tf.RE_PROGRAM_HEADER.match(self.lines[j].strip())
            if pm and int(pm.group(1)) == number and int(pm.group(2)) not in seen:
                seen.add(int(pm.group(2)))
                program_starts.append((j, f"{number}-{int(pm.group(2))}", (pm.group(3) or "").strip()))
        intro_end = program_starts[0][0] if program_starts else end
        self.parse_chapter_intro(chapter, start + 1, intro_end)
        for n, (first, code, title) in enumerate(program_starts):
            last = program_starts[n + 1][0] if n + 1 < len(program_starts) else end
            self.parse_program(chapter, first, last, code, title)

    def parse_chapter_intro(self, chapter: Chapter, start: int, end: int) -> None:
        i = start
        while i < end:
            s = self.lines[i].strip()
            if not s:
                i += 1
                continue
            lm = tf.RE_LISTED_PROGRAM.match(s)
            if lm and int(lm.group(2)) == chapter.number:
                chapter.listed_programs.append(ListedProgram(f"{lm.group(2)}-{lm.group(3)}", lm.group(4).strip()))
                if lm.group(1):
                    chapter.layout["list_bullet"] = True
                i += 1
                continue
            if s.replace(" ", "") == tf.AUTHOR_CAPTION:
                i = self.parse_author_block(chapter, i, end)
                continue
            self.warn(i, f"{chapter.number}장 첫머리에서 알 수 없는 줄입니다(그대로 보관합니다).")
            extra = chapter.layout.setdefault("intro_extra", [])
            assert isinstance(extra, list)
            extra.append(s)
            i += 1

    def parse_author_block(self, chapter: Chapter, start: int, end: int) -> int:
        """Read a 작성자 block starting at its caption; return the index after it."""
        block = AuthorBlock(len(chapter.programs), caption=self.lines[start].strip())
        department = chapter.department
        line_no = 0
        i = start + 1
        while i < end:
            s = self.lines[i].strip()
            if not s:
                i += 1
                continue
            if tf.PHONE_MARK not in s:
                break
            for m in tf.RE_AUTHOR_ENTRY.finditer(s):
                role = m.group(1) or ""
                if role.endswith("장") and len(role) > 2 and not role.startswith("담당"):
                    # "교육과정진로진학부장: …" names the unit of the people that follow.
                    department = role[:-1]
                block.entries.append(AuthorEntry(role, m.group(2), m.group(3), department, line_no))
            line_no += 1
            i += 1
        if not block.entries:
            self.warn(start, "작성자 표에 사람이 없습니다(이름 ☎ 번호 형식이 필요합니다).")
        chapter.author_blocks.append(block)
        return i

    # -- a program

    def parse_program(self, chapter: Chapter, start: int, end: int, code: str, title: str) -> None:
        program = Program(code, "", chapter.department)
        layout = program.layout
        i = start + 1
        if not title:
            layout["header_split"] = True
            while i < end and not self.lines[i].strip():
                i += 1
            title = self.lines[i].strip() if i < end else ""
            i += 1
        pending_heading: str | None = None
        pending_sub: str | None = None
        # A title merged with the first heading: "교과교육연구회 활동 지원 사업 개요",
        # "… **사업 개요**○ **목적**".
        plain = tf.strip_emphasis(title)
        overview_title = tf.SECTION_TITLES[tf.SECTION_OVERVIEW]
        if overview_title in plain and not plain.startswith(overview_title):
            cut = title.find("**" + overview_title) if "**" + overview_title in title else title.find(overview_title)
            layout["overview_merged"] = title[cut:]
            rest = tf.strip_emphasis(title[cut:]).replace(overview_title, "", 1).strip()
            title = title[:cut].strip()
            pending_heading = tf.SECTION_OVERVIEW
            if rest:
                pending_sub = tf.normalize_heading(rest.lstrip("○◦- "))
        program.title = " ".join(title.split())
        chapter.programs.append(program)
        _ProgramReader(self, program, self.report).read(i, end, pending_heading, pending_sub)


class _ProgramReader:
    """Reads the sections of one program."""

    def __init__(self, parser: _Parser, program: Program, report: Report) -> None:
        self.parser = parser
        self.program = program
        self.report = report
        self.section = ""
        self.builder: OutlineBuilder | None = None
        self.sub_shift = 0
        self.sub_key = ""
        self.improvements_open = False
        self.improvements_seen_item = False

    @property
    def code(self) -> str:
        return self.program.code

    def set_affixes(self, group: str, key: str, affixes: tuple[str, str], canonical: tuple[str, str]) -> None:
        if affixes != canonical:
            table = self.program.layout.setdefault(group, {})
            assert isinstance(table, dict)
            table[key] = list(affixes)

    def section_of(self, s: str) -> str | None:
        heading = tf.normalize_heading(s)
        for key, title in tf.SECTION_TITLES.items():
            if title and heading == title:
                return key
        if tf.RE_PREVIOUS_HEADING.match(heading):
            return tf.SECTION_PREVIOUS
        return None

    def open_section(self, key: str) -> None:
        program = self.program
        self.section = key
        self.builder = None
        self.sub_shift = 0
        if key == tf.SECTION_OVERVIEW:
            self.builder = OutlineBuilder(program.overview.lead)
        elif key == tf.SECTION_PREVIOUS:
            self.builder = OutlineBuilder(program.previous_achievements)
        elif key == tf.SECTION_TARGETS:
            program.targets = program.targets or Targets()
        elif key == tf.SECTION_PLAN:
            self.builder = OutlineBuilder(program.plan.items)
        elif key == tf.SECTION_ACHIEVEMENTS:
            self.builder = OutlineBuilder(program.achievements)
        elif key == tf.SECTION_SCHEDULE:
            self.builder = OutlineBuilder(program.schedule)
        elif key == tf.SECTION_BUDGET:
            program.budget = program.budget or BudgetTable(unit=self.report.unit)
        elif key == tf.SECTION_ISSUES:
            self.builder = OutlineBuilder(program.issues)

    def open_subheading(self, key: str) -> None:
        overview = self.program.overview
        self.builder = OutlineBuilder(getattr(overview, key))

    def read(self, start: int, end: int, pending: str | None, pending_sub: str | None) -> None:
        if pending:
            self.open_section(pending)
        if pending_sub:
            sub = next((k for k, v in tf.SUBHEADING_TITLES.items() if v == pending_sub), None)
            if sub:
                self.open_subheading(sub)
        lines = self.parser.lines
        i = start
        while i < end:
            line = lines[i]
            s = line.strip()
            if not s:
                if self.builder:
                    self.builder.blank()
                if self.improvements_open and self.improvements_seen_item:
                    # The key improvements are the first block of the plan; a blank line ends them.
                    self.improvements_open = False
                    self.builder = OutlineBuilder(self.program.plan.items)
                i += 1
                continue
            key = self.section_of(s) if "\t" not in line and len(s) < 40 else None
            if key is not None:
                self.open_section(key)
                heading = tf.normalize_heading(s)
                self.set_affixes("headings", key, tf.split_affixes(s, heading), tf.CANONICAL_HEADING)
                i += 1
                continue
            if s.replace(" ", "") == tf.AUTHOR_CAPTION:
                chapter = self.parser.report.chapters[-1]
                i = self.parser.parse_author_block(chapter, i, end)
                continue
            self.line(i, line)
            i += 1

    def line(self, i: int, line: str) -> None:
        s = line.strip()
        program = self.program
        if self.section == tf.SECTION_OVERVIEW and "\t" not in line:
            core = tf.normalize_heading(s.lstrip("○◦- "))
            sub = next((k for k, v in tf.SUBHEADING_TITLES.items() if v == core), None)
            if sub is not None and len(s) < 20:
                self.open_subheading(sub)
                affixes = tf.split_affixes(s, core)
                self.set_affixes("subheadings", sub, affixes, tf.CANONICAL_SUBHEADING)
                # "- 목적" may put its items one level deeper (" - …"); decided on the first item.
                self.sub_shift = -1 if affixes[0].startswith("-") else 0
                self.sub_key = sub
                return
        if self.section == tf.SECTION_PLAN and tf.RE_IMPROVEMENTS.match(tf.normalize_heading(s)):
            self.builder = OutlineBuilder(program.plan.improvements)
            self.improvements_open = True
            self.improvements_seen_item = False
            return
        if self.section == tf.SECTION_TARGETS and program.targets is not None:
            self.targets_line(i, line)
            return
        if self.section == tf.SECTION_BUDGET and program.budget is not None:
            self.budget_line(i, line)
            return
        if self.builder is None:
            self.parser.warn(i, f"{self.code}: 제목 앞에 있는 줄입니다(사업 개요에 보관합니다).")
            self.open_section(tf.SECTION_OVERVIEW)
            assert self.builder is not None
        if s.startswith(tf.SECTION_MARK):
            self.parser.warn(i, f"{self.code}: 알 수 없는 제목 '{s}'입니다(내용으로 보관합니다).")
            self.builder.add_verbatim(line)
            return
        if s in ("·", "-", "○"):
            self.parser.warn(i, f"{self.code}: 내용 없는 기호 줄입니다(그대로 보관합니다).")
            self.builder.add_verbatim(line)
            return
        before = len(self.builder.outline)
        self.builder.add(line)
        if self.improvements_open:
            self.improvements_seen_item = True
        if self.sub_shift and len(self.builder.outline) > before:
            item = self.builder.outline[-1]
            if self.sub_shift < 0:
                self.sub_shift = 1 if item.level >= 2 else 0
                if self.sub_shift:
                    shifted = self.program.layout.setdefault("sub_shift", [])
                    assert isinstance(shifted, list)
                    shifted.append(self.sub_key)
            if self.sub_shift and item.kind is not ItemKind.TABLE and item.level > 0:
                item.level -= self.sub_shift

    def targets_line(self, i: int, line: str) -> None:
        targets = self.program.targets
        assert targets is not None
        s = line.strip()
        if "\t" not in line:
            self.parser.warn(i, f"{self.code} 추진 목표: 표 밖의 줄입니다(앞 절의 내용으로 보관합니다).")
            nearest = self.program.previous_achievements
            nearest.append(OutlineItem(0, ItemKind.TEXT, s))
            return
        cells = [c.strip() for c in line.split("\t")]
        if cells[0] == tf.TARGET_HEADER[0]:
            quantity = cells[2] if len(cells) > 2 else ""
            if quantity.startswith(tf.TARGET_HEADER[2]):
                targets.qualifier = quantity[len(tf.TARGET_HEADER[2]) :].strip().strip("()").strip()
            return
        if len(cells) < 3:
            self.parser.warn(
                i,
                f"{self.code} 추진 목표 {len(targets.rows) + 1}행: 칸이 {len(cells)}개뿐입니다(세부사업명·추진시기·물량 3칸이 필요합니다).",
            )
        cells += [""] * (3 - len(cells))
        if len(cells) > 3 and any(cells[3:]):
            self.parser.warn(i, f"{self.code} 추진 목표 {len(targets.rows) + 1}행: 넷째 칸부터는 물량에 붙입니다.")
            cells[2] = " ".join(c for c in cells[2:] if c)
        targets.rows.append(TargetRow(cells[0], cells[1], cells[2]))

    def budget_line(self, i: int, line: str) -> None:
        budget = self.program.budget
        assert budget is not None
        s = line.strip()
        if s.startswith("(단위"):
            m = tf.RE_UNIT_LINE.match(s)
            if m:
                budget.unit = m.group(1).strip()
                if m.group(2):
                    budget.as_of = parse_as_of(m.group(2), self.report.year)
            else:
                self.parser.warn(i, f"{self.code} 예산: 단위 줄을 읽지 못했습니다('(단위: 천원, '24.6.30.기준)' 형식).")
            return
        if "\t" not in line:
            if budget.lines or budget.notes:
                OutlineBuilder(budget.notes).add(line)
            else:
                self.parser.warn(i, f"{self.code} 예산: 표 앞의 알 수 없는 줄입니다(표 아래 메모로 보관합니다).")
                budget.notes.append(OutlineItem(0, ItemKind.TEXT, s))
            return
        cells = _cells(line, 8)
        if cells[0] == "사업명":
            printed = [c.strip() for c in line.rstrip("\t").split("\t")]
            if printed != budget_header_row(budget):
                self.program.layout["budget_header"] = printed
            return
        if not cells[0] and not budget.lines and ("'" in line or "분기" in line):
            return  # second header row: '24 '23 1분기 …
        if cells[0] == tf.BUDGET_TOTAL_LABEL:
            budget.printed_total = BudgetTotal(
                Cell.parse(cells[1]), Cell.parse(cells[2]), [Cell.parse(c) for c in cells[3:7]]
            )
            return
        if not cells[0]:
            if not budget.lines:
                self.parser.warn(i, f"{self.code} 예산: 사업명이 없는 줄입니다(표 아래 메모로 보관합니다).")
                budget.notes.append(OutlineItem(0, ItemKind.TEXT, s))
                return
            # Notes printed on the row below the amounts.
            target = budget.lines[-1]
            target.notes_below = True
            for q in range(4):
                target.quarters[q].note = cells[3 + q]
            if len([c for c in line.split("\t")]) > 8 or cells[7]:
                self.program.layout["note_row_page"] = True
            return
        raw_cells = line.split("\t")
        row_no = len(budget.lines) + 1
        if len(raw_cells) < 7:
            self.parser.warn(
                i,
                f"{self.code} 예산 {row_no}행 '{cells[0]}': 칸이 {len(raw_cells)}개뿐입니다(사업명·예산액 2개·분기 4개·쪽수가 필요합니다). 빈 칸으로 둡니다.",
            )
        new = BudgetLine(
            name=cells[0],
            current=Cell.parse(cells[1]),
            previous=Cell.parse(cells[2]),
            quarters=[split_quarter(c) for c in cells[3:7]],
            page=cells[7],
        )
        labels = ["예산액('24)", "예산액('23)", "1분기", "2분기", "3분기", "4분기"]
        for label, cell in zip(labels, [new.current, new.previous, *(q.amount for q in new.quarters)], strict=True):
            if cell.kind is CellKind.INVALID:
                self.parser.warn(
                    i,
                    f"{self.code} 예산 {row_no}행 '{new.name}' {label}: '{cell.raw}'은(는) 금액이 아닙니다.",
                )
        budget.lines.append(new)


def budget_header_row(budget: BudgetTable) -> list[str]:
    """The first header row of a budget table, as the template prints it."""
    executed = budget.executed_quarters() if budget.as_of else 2
    row = ["사업명", "예산액", ""]
    groups = [("집행액 / 집행내용", executed), ("집행예정액 / 집행내용", 4 - executed)]
    for label, span in groups:
        if span:
            row += [label] + [""] * (span - 1)
    return [*row, "주요사업별 설명자료 쪽수"]
