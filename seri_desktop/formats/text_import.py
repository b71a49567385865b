"""Import the report text (the export of the printed report) into the domain model.

The file is read line by line by a small state machine: cover, I. 일반 현황,
II. 업무 평가 및 개선 방향, III. 주요업무 with its chapters and programs.
The export has quirks (headings with or without □, program headers split
over two lines, a title merged with its first heading, amounts and notes in
one cell or the notes on the next row, wrapped lines); they are read into
the same structure, and how a program was laid out is kept in its
``layout`` dict so the exporter can write back what it read. The program
template (sections, their headings, sub-headings and table columns) comes
from :mod:`seri_desktop.domain.template`; the escapes that make the format
unambiguous are described in :mod:`seri_desktop.formats.text_format`.

A line the importer does not understand is never dropped: it is kept as a
text item in the nearest section and reported with its line number; so is
every line that looks like a heading the importer could not place.
What cannot be a report is refused with a Korean message: a program code
that appears twice (both lines named), a NUL character, bytes that are no
text in UTF-8, UTF-16 with BOM or CP949. Other control characters are
removed with a warning; nesting deeper than the model keeps is reported
and kept at the deepest level.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from seri_desktop.domain import template as T
from seri_desktop.domain.model import (
    MAX_OUTLINE_LEVEL,
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

# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_NOT_TEXT = (
    "파일을 읽을 수 없습니다: UTF-8 또는 CP949(한글 Windows) 텍스트도, BOM 있는 UTF-16 텍스트도 아닙니다. "
    "메모장 등에서 'UTF-8'로 다시 저장해 주십시오."
)


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


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def decode_report_bytes(data: bytes) -> str:
    """Bytes to text: UTF-8, UTF-16 or UTF-32 with BOM, UTF-8 without BOM, else CP949 (Korean Windows)."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise TextImportError(
                    f"파일을 읽을 수 없습니다: {name} 표시(BOM)가 있지만 {exc.start:,}번째 바이트부터 {name}가 아닙니다."
                    if name == "UTF-8"
                    else _NOT_TEXT
                ) from exc
            # Random bytes may start like a UTF-16 mark and decode to a line-less string of
            # unusual characters: a report always has lines and never holds noncharacters.
            if name != "UTF-8" and text and ("\n" not in text or "\ufffe" in text or "\uffff" in text):
                raise TextImportError(_NOT_TEXT)
            return text.lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp949")
        except UnicodeDecodeError as exc:
            line = _line_of(data, min(utf8_error.start, exc.start))
            raise TextImportError(f"{_NOT_TEXT} ({line}번째 줄에 읽을 수 없는 바이트가 있습니다.)") from exc


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
    wide = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))  # and UTF-32 LE
    if not wide and b"\x00" in data:
        line = _line_of(data, data.index(b"\x00"))
        raise TextImportError(
            f"{path.name}: 텍스트 파일이 아닙니다(이진 파일): {line}번째 줄에 NUL 문자가 있습니다. "
            "UTF-16 텍스트라면 BOM을 넣어 저장하십시오."
        )
    try:
        text = decode_report_bytes(data)
    except TextImportError as exc:
        raise TextImportError(f"{path.name}: {exc.message}") from exc
    return parse_report_text(text)


def parse_report_text(text: str) -> ImportResult:
    """Parse the whole report text."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    warnings: list[ImportWarning] = []
    for i, line in enumerate(lines):
        found = tf.RE_CONTROL.findall(line)
        if not found:
            continue
        if "\x00" in found:
            raise TextImportError(
                f"텍스트 파일이 아닙니다(이진 파일): {i + 1}번째 줄에 NUL 문자가 있습니다. "
                "보고서를 텍스트로 다시 내보내십시오."
            )
        lines[i] = tf.RE_CONTROL.sub("", line)
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(set(found)))
        warnings.append(ImportWarning(i + 1, f"제어 문자({codes})를 지웠습니다.", lines[i].strip()))
    return _Parser(lines, warnings).parse()


# --------------------------------------------------------------------------- outlines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \u3000"))


def _unescaped(text: str) -> str:
    return tf.read_escaped(text)[0] if text.startswith(tf.ESCAPE) else text


def parse_outline_line(line: str) -> tuple[int, ItemKind, str] | None:
    """(level, kind, text) of a marked outline line; None for an unmarked line.

    ``○`` is level 0, ``-`` level 1, `` -`` (indented) level 2 and so on, one
    level per space; ``※`` and ``*`` mark notes and footnotes at the level of
    their dash. The text after the marker may be escaped (``- \\1-1 …``). The
    level may exceed the model's limit; :class:`OutlineBuilder` reports that.
    """
    raw = line.rstrip()
    s = raw.strip()
    if not s or s.startswith(tf.ESCAPE):
        return None
    indent = _indent(raw)
    dash = False
    level = 0
    if s == "-" or s.startswith("- "):
        dash = True
        level = 1 + indent
        s = s[1:].strip()
    if s.startswith(tf.NOTE_MARK):
        return level, ItemKind.NOTE, _unescaped(s[1:].strip())
    if s.startswith(tf.FOOTNOTE_MARK) and not (s.startswith("**") and s.endswith("**")):
        # "** …" is the second footnote of an item: the text keeps the extra star.
        rest = s[1:]
        return level, ItemKind.FOOTNOTE, rest if rest.startswith("*") else _unescaped(rest.strip())
    if not dash and s[:1] in tf.FIRST_LEVEL_MARKS and len(s) > 1:
        return 0, ItemKind.ITEM, _unescaped(s[1:].strip())
    if dash:
        return level, ItemKind.ITEM, _unescaped(s)
    return None


Warn = Callable[[int, str], None]


class OutlineBuilder:
    """Appends lines to an outline: marked items, continuation lines, escaped lines, tables.

    ``warn(line_index, message)`` receives what the builder had to change or
    could not place (too deep a level, a line that looks like a heading);
    ``place`` names the outline in those messages.
    """

    def __init__(self, outline: Outline, warn: Warn | None = None, place: str = "") -> None:
        self.outline = outline
        self.in_table = False
        self._warn = warn
        self._place = f"{place}: " if place else ""

    def warn(self, index: int, message: str) -> None:
        if self._warn is not None:
            self._warn(index, self._place + message)

    def add(self, line: str, index: int = -1) -> None:
        s = line.strip()
        last = self.outline[-1] if self.outline else None
        if "\t" in line:
            # A table row (escaped text never holds a tab: it writes one as \\t).
            row = [tf.read_cell(cell.strip()) for cell in line.split("\t")]
            if self.in_table and last is not None and last.table is not None:
                last.table.append(row)
            else:
                # A table's level is the indent of its first row.
                level = min(_indent(line), MAX_OUTLINE_LEVEL)
                self.outline.append(OutlineItem(level, ItemKind.TABLE, "", [row]))
            self.in_table = True
            return
        if s.startswith(tf.ESCAPE):
            # Escaped text: indented, it continues the item above; flush left it is a new paragraph.
            self.in_table = False
            text = tf.read_escaped(s)[0]
            if _indent(line) > 0 and last is not None and last.kind is not ItemKind.TABLE:
                last.text = f"{last.text}\n{text}"
            else:
                self.outline.append(OutlineItem(0, ItemKind.TEXT, text))
            return
        self.in_table = False
        parsed = parse_outline_line(line)
        if parsed is not None:
            level, kind, text = parsed
            if level > MAX_OUTLINE_LEVEL:
                self.warn(
                    index,
                    f"개조식 수준 {level}은(는) 너무 깊습니다(가장 깊은 수준은 {MAX_OUTLINE_LEVEL}, "
                    f"'-' 앞 공백 {MAX_OUTLINE_LEVEL - 1}칸). 수준 {MAX_OUTLINE_LEVEL}로 둡니다.",
                )
                level = MAX_OUTLINE_LEVEL
            if tf.heading_through_marker(s):
                self.warn(index, f"'{s}'은(는) 이 자리의 제목이 아닙니다(항목으로 보관합니다).")
            self.outline.append(OutlineItem(level, kind, text))
            return
        if tf.looks_like_heading(s):
            self.warn(index, f"알 수 없는 제목 '{s}'입니다(내용으로 보관합니다).")
        if last is not None and last.kind is not ItemKind.TABLE:
            # An unmarked line right after an item is the item wrapped onto the next line.
            last.text = f"{last.text}\n{s}"
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
    """``62,557 연구소 운영`` → amount 62557 and note; ``- -`` → none and note ``-``.

    Escaped forms (see :mod:`~seri_desktop.formats.text_format`): ``62,557 \\…``
    (an escaped note), ``\\\\ 연구소`` (a note without an amount), ``\\1 x\\ 메모``
    (text that is not an amount, then its note).
    """
    s = cell.strip()
    if s.startswith(tf.ESCAPE):
        raw, rest = tf.read_escaped(s)
        amount = Cell(CellKind.INVALID, raw=raw) if raw else Cell()
        return Quarter(amount, _unescaped(rest))
    m = tf.RE_QUARTER.match(s)
    if m:
        return Quarter(Cell.parse(m.group(1)), _unescaped((m.group(2) or "").strip()))
    return Quarter(Cell.parse(s), "")


def parse_amount(cell: str) -> Cell:
    """A budget amount cell; escaped text (``\\…``) is text that is not an amount, kept as written."""
    s = cell.strip()
    if s.startswith(tf.ESCAPE):
        return Cell(CellKind.INVALID, raw=tf.read_escaped(s)[0])
    return Cell.parse(s)


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


def _layout_key(part: T.Part) -> str:
    # Layout hints name a sub-heading by the last word of its key ("purpose"), as stored since version 1.
    return part.key.rsplit(".", 1)[-1]


# --------------------------------------------------------------------------- the parser


class _Parser:
    def __init__(self, lines: list[str], warnings: list[ImportWarning] | None = None) -> None:
        self.lines = lines
        self.warnings: list[ImportWarning] = list(warnings or [])
        self.report = Report(year=0)

    # -- helpers

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(ImportWarning(index + 1, message, self.lines[index].strip() if index >= 0 else ""))

    def builder(self, outline: Outline, place: str = "") -> OutlineBuilder:
        return OutlineBuilder(outline, self.warn, place)

    def heading_text(self, index: int) -> str:
        """Line ``index`` stripped, as a candidate heading: a line with a tab is a table row, never one."""
        line = self.lines[index]
        return "" if "\t" in line else line.strip()

    def find(self, start: int, predicate: Callable[[str], bool]) -> int | None:
        for i in range(start, len(self.lines)):
            if predicate(self.heading_text(i)):
                return i
        return None

    # -- top level

    def parse(self) -> ImportResult:
        part3 = self.find(0, lambda s: bool(tf.RE_PART_THREE.match(s)))
        if part3 is None:
            raise TextImportError(
                f"보고서 텍스트 형식이 아닙니다: '{tf.PART_THREE}' 줄을 찾지 못했습니다. "
                "주요업무보고를 텍스트로 내보낸 파일인지 확인하십시오."
            )
        part2 = self.find(0, lambda s: bool(tf.RE_PART_TWO.match(s)))
        if part2 is None or part2 > part3:
            part2 = part3
        part1 = self.find(0, lambda s: s in tf.PART_ONE_LINES and s != T.FRONT_HEADING)
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
        self.warnings.sort(key=lambda w: w.line)
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
        region: T.Part | None = None
        outline_builder: OutlineBuilder | None = None
        table: SimpleTable | None = None
        tables = {p: T.get(self.report, p) for p in T.FRONT_TABLE_PARTS}
        notes_started = False
        for i in range(start, end):
            line = self.lines[i]
            s = line.strip()
            if not s:
                continue
            heading = self.heading_text(i)
            if heading in tf.PART_ONE_LINES:
                continue
            part = tf.front_part_of_heading(heading) if heading else None
            if part is not None:
                region = part
                table = tables.get(part)
                printed = s
                if part is tf.FRONT_ORGANIZATION:
                    rest = s.split(part.heading, 1)[1].strip() if part.heading in s else ""
                    front.organization = _unescaped(rest)
                    printed = s[: len(s) - len(rest)].strip() if rest else s
                if printed != tf.front_heading(part):
                    headings = self.report.layout.setdefault("front_headings", {})
                    assert isinstance(headings, dict)
                    headings[part.key] = printed
                notes_started = False
                if table is front.staffing:
                    outline_builder = self.builder(front.staffing_notes, T.STAFFING_NOTES.label)
                continue
            if region is T.part("front.history"):
                self._history_line(i, s)
            elif region is T.BUDGET_SUMMARY:
                self._summary_line(i, line)
            elif table is not None and not notes_started and (s.startswith(tf.UNIT_PREFIX) or "\t" in line):
                if s.startswith(tf.UNIT_PREFIX):
                    table.caption = s
                else:
                    cells = [tf.read_cell(c.strip()) for c in line.split("\t")]
                    if not table.rows and (not table.header or not cells[0]):
                        table.header.append(cells)
                    else:
                        table.rows.append(cells)
            elif region is not None and table is front.staffing and outline_builder is not None:
                outline_builder.add(line, i)
                notes_started = True  # a table row from here on is a table in the notes
            else:
                self.warn(i, "일반 현황에서 알 수 없는 줄입니다(그대로 보관합니다).")
                extra = self.report.layout.setdefault("front_extra", [])
                assert isinstance(extra, list)
                extra.append([region.key.split(".", 1)[1] if region is not None else "", s])

    def _history_line(self, i: int, s: str) -> None:
        history = self.report.front.history
        m = tf.RE_HISTORY.match(s)
        if m:
            history.append(HistoryEntry(" ".join(m.group(1).split()), _unescaped(m.group(2).strip())))
        elif s.startswith("- ") or s == "-":
            history.append(HistoryEntry("", _unescaped(s[1:].strip())))
        elif history:
            if tf.looks_like_heading(s):
                self.warn(i, f"연혁: 알 수 없는 제목 '{s}'입니다(앞 항목의 내용으로 보관합니다).")
            history[-1].text += "\n" + _unescaped(s)
        else:
            self.warn(i, "연혁의 첫 줄은 '- 날짜 내용' 형식이어야 합니다(그대로 보관합니다).")
            history.append(HistoryEntry("", _unescaped(s)))

    def _summary_line(self, i: int, line: str) -> None:
        front = self.report.front
        s = line.strip()
        if s.startswith(tf.UNIT_PREFIX):
            front.budget_summary_caption = s
            return
        cells = _cells(line, 9)
        if cells[0] == tf.SUMMARY_HEADER[0][0]:
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
            labels = T.budget_amount_columns(self.report.year)
            for label, cell in zip(labels, (row.current, row.previous), strict=False):
                if cell.kind is CellKind.INVALID:
                    self.warn(i, f"{T.BUDGET_SUMMARY.label} {row.code} {label} 칸 '{cell.raw}'은(는) 금액이 아닙니다.")
            return
        self.warn(i, f"{T.BUDGET_SUMMARY.label}에서 알 수 없는 줄입니다(그대로 보관합니다).")
        extra = self.report.layout.setdefault("front_extra", [])
        assert isinstance(extra, list)
        extra.append([T.BUDGET_SUMMARY.key.split(".", 1)[1], s])

    # -- II. 업무 평가 및 개선 방향

    def parse_part_two(self, start: int, end: int) -> None:
        department: Department | None = None
        builder: OutlineBuilder | None = None
        first_line: dict[str, int] = {}
        for i in range(start, end):
            line = self.lines[i]
            s = line.strip()
            if not s:
                if builder:
                    builder.blank()
                continue
            m = tf.RE_DEPARTMENT.match(self.heading_text(i))
            if m:
                name = m.group(3)
                if name in first_line:
                    raise TextImportError(
                        f"{T.SECTION_II_HEADING}: 부서 '{name}'이(가) 두 번 있습니다({first_line[name] + 1}번째 줄과 "
                        f"{i + 1}번째 줄). 부서마다 한 번만 적으십시오."
                    )
                first_line[name] = i
                department = Department(name, len(self.report.departments) + 1)
                if m.group(2).strip() != ".":
                    department.layout["number_sep"] = m.group(2)
                self.report.departments.append(department)
                builder = None
                continue
            part = tf.review_part_of_heading(self.heading_text(i))
            if department is not None and part is not None and len(s) < 20:
                builder = self.builder(T.get(department, part), f"{department.name} {part.label}")
                affixes = tf.split_affixes(s, part.heading)
                if affixes != tf.CANONICAL_HEADING:
                    headings = department.layout.setdefault("headings", {})
                    assert isinstance(headings, dict)
                    headings[part.key] = list(affixes)
                continue
            if builder is None:
                self.warn(
                    i,
                    f"{T.SECTION_II_HEADING}에서 부서나 제목"
                    f"({'·'.join(p.heading for p in T.SECTION_II_PARTS)}) 앞에 있는 줄입니다(그대로 보관합니다).",
                )
                holder = department.layout if department is not None else self.report.layout
                kept = holder.setdefault("part_two_extra", [])
                assert isinstance(kept, list)
                kept.append(s)
                continue
            if self.heading_text(i).startswith(tf.SECTION_MARK):
                self.warn(i, f"알 수 없는 제목 '{s}'입니다(내용으로 보관합니다).")
                builder.add_verbatim(line)
                continue
            builder.add(line, i)

    # -- III. 주요업무

    def parse_part_three(self, start: int, end: int) -> None:
        # The list of chapter titles right after the part heading.
        listed: dict[int, str] = {}
        i = start
        while i < end:
            s = self.lines[i].strip()
            m = tf.RE_CHAPTER.match(self.heading_text(i))
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
            raise TextImportError(f"{tf.PART_THREE}에서 장 제목(예: '1. 공존의 ...')을 찾지 못했습니다.")
        for n, first in enumerate(chapter_starts):
            last = chapter_starts[n + 1] if n + 1 < len(chapter_starts) else end
            self.parse_chapter(first, last)

    def _chapter_starts(self, start: int, end: int, listed: dict[int, str]) -> list[int]:
        starts: list[int] = []
        for j in range(start, end):
            m = tf.RE_CHAPTER.match(self.heading_text(j))
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
        chapter = Chapter(number, _unescaped(m.group(2).strip()), owner)
        self.report.chapters.append(chapter)
        program_starts: list[tuple[int, str, str]] = []  # (line index, code, title on the line)
        seen: dict[int, int] = {}  # program number → line index of its header
        for j in range(start + 1, end):
            pm = tf.RE_PROGRAM_HEADER.match(self.heading_text(j))
            if not pm or int(pm.group(1)) != number:
                continue
            n = int(pm.group(2))
            if n in seen:
                raise TextImportError(
                    f"{number}-{n} 사업이 두 번 있습니다: {seen[n] + 1}번째 줄과 {j + 1}번째 줄. "
                    "한 사업은 한 번만 적고, 다른 사업이면 번호를 고치십시오."
                )
            seen[n] = j
            program_starts.append((j, f"{number}-{n}", (pm.group(3) or "").strip()))
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
                title = _unescaped(lm.group(4).strip())
                chapter.listed_programs.append(ListedProgram(f"{lm.group(2)}-{lm.group(3)}", title))
                if lm.group(1):
                    chapter.layout["list_bullet"] = True
                i += 1
                continue
            if tf.is_author_caption(self.heading_text(i)):
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
        pending: T.Section | None = None
        pending_sub: str | None = None
        overview = T.section(T.OVERVIEW_LEAD.section)
        overview_title = overview.heading
        merged = ""
        if title.startswith(tf.ESCAPE):
            # An escaped title is exactly the title; what follows its closing mark is a merged heading.
            program.title, merged = tf.read_escaped(title)
        else:
            # A title merged with the first heading: "교과교육연구회 활동 지원 사업 개요",
            # "… **사업 개요**○ **목적**".
            plain = tf.strip_emphasis(title)
            if overview_title in plain and not plain.startswith(overview_title):
                cut = (
                    title.find("**" + overview_title) if "**" + overview_title in title else title.find(overview_title)
                )
                merged = title[cut:]
                title = title[:cut].strip()
            program.title = " ".join(title.split())
        if merged:
            layout["overview_merged"] = merged
            rest = tf.strip_emphasis(merged).replace(overview_title, "", 1).strip()
            pending = overview
            if rest:
                pending_sub = rest
        chapter.programs.append(program)
        _ProgramReader(self, program, self.report).read(i, end, pending, pending_sub)


class _ProgramReader:
    """Reads the sections of one program, in the template's terms."""

    def __init__(self, parser: _Parser, program: Program, report: Report) -> None:
        self.parser = parser
        self.program = program
        self.report = report
        self.section: T.Section | None = None
        self.builder: OutlineBuilder | None = None
        self.opened: dict[str, int] = {}  # section key → line index of its heading
        self.sub_shift = 0
        self.sub_key = ""
        self.block_open = False  # a bare sub-heading's block (주요 개선 사항) runs to the first blank line
        self.block_seen_item = False
        self.budget_started = False
        self.budget_closed = False

    @property
    def code(self) -> str:
        return self.program.code

    def set_affixes(self, group: str, key: str, affixes: tuple[str, str], canonical: tuple[str, str]) -> None:
        if affixes != canonical:
            table = self.program.layout.setdefault(group, {})
            assert isinstance(table, dict)
            table[key] = list(affixes)

    def open_part(self, part: T.Part) -> None:
        program = self.program
        if part.kind is T.PartKind.OUTLINE:
            label = part.label_for(self.report.year) if self.report.year else part.label
            self.builder = self.parser.builder(T.get(program, part), f"{self.code} {label}")
        elif part is T.TARGETS:
            self.builder = None
            if program.targets is None:
                program.targets = Targets()
        elif part is T.BUDGET:
            self.builder = None
            if program.budget is None:
                program.budget = BudgetTable(unit=self.report.unit)

    def open_section(self, section: T.Section) -> None:
        self.section = section
        self.sub_shift = 0
        self.block_open = False
        self.open_part(tf.default_part(section))

    def read(self, start: int, end: int, pending: T.Section | None, pending_sub: str | None) -> None:
        if pending is not None:
            self.open_section(pending)
            if pending_sub:
                sub = tf.subpart_of_heading(pending, pending_sub)
                if sub is not None:
                    self.open_part(sub)
        lines = self.parser.lines
        i = start
        while i < end:
            line = lines[i]
            s = line.strip()
            if not s:
                if self.builder:
                    self.builder.blank()
                if self.block_open and self.block_seen_item and self.section is not None:
                    # The key improvements are the first block of the plan; a blank line ends them.
                    self.block_open = False
                    self.open_part(tf.default_part(self.section))
                i += 1
                continue
            section = tf.section_of_heading(s) if "\t" not in line and len(s) < 40 else None
            if section is not None:
                if section.key in self.opened:
                    self.parser.warn(
                        i,
                        f"{self.code}: '{tf.normalize_heading(s)}' 제목이 두 번 있습니다"
                        f"({self.opened[section.key] + 1}번째 줄에 처음). 내용을 앞의 것에 이어 붙입니다.",
                    )
                self.opened.setdefault(section.key, i)
                self.open_section(section)
                heading = tf.normalize_heading(s)
                self.set_affixes("headings", section.key, tf.split_affixes(s, heading), tf.CANONICAL_HEADING)
                i += 1
                continue
            if tf.is_author_caption(self.parser.heading_text(i)):
                chapter = self.parser.report.chapters[-1]
                i = self.parser.parse_author_block(chapter, i, end)
                continue
            self.line(i, line)
            i += 1

    def line(self, i: int, line: str) -> None:
        s = line.strip()
        program = self.program
        section = self.section
        if section is not None and "\t" not in line:
            item_style = section.key in tf.ITEM_SUBHEADING_SECTIONS
            sub = tf.subpart_of_heading(section, s) if not item_style or len(s) < 20 else None
            if sub is not None and item_style:
                self.open_part(sub)
                core = tf.subheading_core(s)
                affixes = tf.split_affixes(s, core)
                self.set_affixes("subheadings", _layout_key(sub), affixes, tf.CANONICAL_SUBHEADING)
                # "- 목적" may put its items one level deeper (" - …"); decided on the first item.
                self.sub_shift = -1 if affixes[0].startswith("-") else 0
                self.sub_key = _layout_key(sub)
                return
            if sub is not None:
                self.open_part(sub)
                self.block_open = True
                self.block_seen_item = False
                return
        if program.targets is not None and section is not None and T.TARGETS in section.parts:
            self.targets_line(i, line)
            return
        if program.budget is not None and section is not None and T.BUDGET in section.parts:
            self.budget_line(i, line)
            return
        if self.builder is None:
            self.parser.warn(i, f"{self.code}: 제목 앞에 있는 줄입니다(사업 개요에 보관합니다).")
            self.open_section(T.section(T.OVERVIEW_LEAD.section))
            assert self.builder is not None
        heading = self.parser.heading_text(i)
        if heading.startswith(tf.SECTION_MARK):
            self.parser.warn(i, f"{self.code}: 알 수 없는 제목 '{s}'입니다(내용으로 보관합니다).")
            self.builder.add_verbatim(line)
            return
        if heading in tf.SYMBOL_LINES:
            self.parser.warn(i, f"{self.code}: 내용 없는 기호 줄입니다(그대로 보관합니다).")
            self.builder.add_verbatim(line)
            return
        before = len(self.builder.outline)
        self.builder.add(line, i)
        if self.block_open:
            self.block_seen_item = True
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

    def outline_before(self, part: T.Part) -> Outline:
        """The outline printed just before ``part`` (where a stray line next to a table is kept)."""
        index = T.PROGRAM_PARTS.index(part)
        before = next(p for p in reversed(T.PROGRAM_PARTS[:index]) if p.kind is T.PartKind.OUTLINE)
        outline: Outline = T.get(self.program, before)
        return outline

    def targets_line(self, i: int, line: str) -> None:
        targets = self.program.targets
        assert targets is not None
        s = line.strip()
        label = T.TARGETS.label
        if "\t" not in line:
            self.parser.warn(i, f"{self.code} {label}: 표 밖의 줄입니다(앞 절의 내용으로 보관합니다).")
            self.outline_before(T.TARGETS).append(OutlineItem(0, ItemKind.TEXT, _unescaped(s)))
            return
        cells = [c.strip() for c in line.split("\t")]
        width = len(T.TARGET_COLUMNS)
        if cells[0] == T.TARGET_COLUMNS[0]:
            qualifier = tf.parse_quantity_header(cells[width - 1] if len(cells) >= width else "")
            if qualifier is not None:
                targets.qualifier = qualifier
            return
        row_no = len(targets.rows) + 1
        if len(cells) < width:
            self.parser.warn(
                i,
                f"{self.code} {label} {row_no}행: 칸이 {len(cells)}개뿐입니다"
                f"({'·'.join(T.TARGET_COLUMNS)} {width}칸이 필요합니다).",
            )
        cells += [""] * (width - len(cells))
        if len(cells) > width and any(cells[width:]):
            self.parser.warn(i, f"{self.code} {label} {row_no}행: 넷째 칸부터는 {T.TARGET_COLUMNS[-1]}에 붙입니다.")
            cells[width - 1] = " ".join(c for c in cells[width - 1 :] if c)
        values = {name: tf.read_cell(cell) for name, cell in zip(T.TARGET_FIELDS, cells, strict=False)}
        targets.rows.append(TargetRow(**values))

    def budget_line(self, i: int, line: str) -> None:
        budget = self.program.budget
        assert budget is not None
        s = line.strip()
        label = T.BUDGET.label
        if s.startswith(tf.UNIT_PREFIX) and not self.budget_started:
            m = tf.RE_UNIT_LINE.match(s)
            if m:
                budget.unit = m.group(1).strip()
                if m.group(2):
                    budget.as_of = parse_as_of(m.group(2), self.report.year)
            else:
                self.parser.warn(
                    i, f"{self.code} {label}: 단위 줄을 읽지 못했습니다('(단위: 천원, '24.6.30.기준)' 형식)."
                )
            return
        if "\t" not in line or self.budget_closed:
            # After the total row the table is over: what follows (a table too) is the notes below it.
            if budget.lines or budget.notes or self.budget_started:
                if self.builder is None:
                    self.builder = self.parser.builder(budget.notes, f"{self.code} {T.BUDGET_NOTES.label}")
                self.builder.add(line, i)
            else:
                self.parser.warn(i, f"{self.code} {label}: 표 앞의 알 수 없는 줄입니다(표 아래 메모로 보관합니다).")
                budget.notes.append(OutlineItem(0, ItemKind.TEXT, s))
            return
        self.builder = None
        cells = _cells(line, 8)
        if cells[0] == T.BUDGET_LINE_NAME:
            self.budget_started = True
            printed = [c.strip() for c in line.rstrip("\t").split("\t")]
            if printed != tf.budget_header_row(budget):
                self.program.layout["budget_header"] = printed
            return
        if not cells[0] and not budget.lines and ("'" in line or "분기" in line):
            self.budget_started = True
            return  # second header row: '24 '23 1분기 …
        if cells[0] == T.TOTAL_ROW_LABEL:
            self.budget_closed = True
            budget.printed_total = BudgetTotal(
                Cell.parse(cells[1]), Cell.parse(cells[2]), [Cell.parse(c) for c in cells[3:7]]
            )
            return
        if not cells[0]:
            if not budget.lines:
                self.parser.warn(i, f"{self.code} {label}: 사업명이 없는 줄입니다(표 아래 메모로 보관합니다).")
                budget.notes.append(OutlineItem(0, ItemKind.TEXT, s))
                return
            # Notes printed on the row below the amounts.
            target = budget.lines[-1]
            target.notes_below = True
            for q in range(T.QUARTER_COUNT):
                target.quarters[q].note = tf.read_cell(cells[3 + q])
            if len(line.split("\t")) > 8 or cells[7]:
                self.program.layout["note_row_page"] = True
            return
        raw_cells = line.split("\t")
        row_no = len(budget.lines) + 1
        name = tf.read_cell(cells[0])
        if len(raw_cells) < 7:
            self.parser.warn(
                i,
                f"{self.code} {label} {row_no}행 '{name}': 칸이 {len(raw_cells)}개뿐입니다"
                f"({T.BUDGET_LINE_NAME}·예산액 2개·분기 {T.QUARTER_COUNT}개·쪽수가 필요합니다). 빈 칸으로 둡니다.",
            )
        new = BudgetLine(
            name=name,
            current=parse_amount(cells[1]),
            previous=parse_amount(cells[2]),
            quarters=[split_quarter(c) for c in cells[3:7]],
            page=tf.read_cell(cells[7]),
        )
        labels = T.budget_amount_columns(self.report.year)
        for column, cell in zip(labels, [new.current, new.previous, *(q.amount for q in new.quarters)], strict=True):
            if cell.kind is CellKind.INVALID:
                self.parser.warn(
                    i,
                    f"{self.code} {label} {row_no}행 '{new.name}' {column}: '{cell.raw}'은(는) 금액이 아닙니다.",
                )
        budget.lines.append(new)


def budget_header_row(budget: BudgetTable) -> list[str]:
    """The first header row of a budget table, as the template prints it (see :mod:`text_format`)."""
    return tf.budget_header_row(budget)
