"""What the importer and the exporter of the report text agree on: marks, headings, structure lines, escapes.

The text format is the export of the printed report: one visual line per
text line, tables tab-separated, outline markers (``○``, ``-``, ``※``, ``*``)
at the start of a line. The headings come from the template
(:mod:`seri_desktop.domain.template`); this module adds only what is
particular to the text: the part numerals, the numbering of the front
matter's headings, the author caption, the escape, and the test that tells
whether a line would be read as structure.

Escapes (issue 12 item 8)
-------------------------
An item's text may hold anything a person can type: line breaks, lines that
look like headings (``Ⅲ. 주요업무``, ``□ 추진 목표``), chapter titles
(``1. …``), program codes (``1-1 …``), outline markers, tab-separated rows, a
``작성자`` line. The exporter writes every such line so that the importer gives
back the same report, and a person reading the file still sees the text:

* the lines of a multi-line item after its first are *continuation lines*:
  a plain one flush left (as the printed report's export wraps a line), an
  escaped one indented under the item's text;
* a line whose text would otherwise be read as structure (a heading, a code,
  a marker, a table row, a blank line, leading or trailing spaces, a leading
  ``\\``) is written with the escape prefix ``\\``: ``  \\Ⅲ. 주요업무``. The
  importer removes the prefix and takes the rest as text. In escaped text,
  ``\\\\`` is a backslash, ``\\t`` a tab and, in one-line fields (titles and
  table cells), ``\\n`` a line break; a ``\\`` at the end of the text (before
  a space and what follows, or at the end of the line) closes it, so that
  trailing spaces survive;
* a paragraph without a marker (a text item) right after another item is
  written escaped and *not* indented, which is what makes it a new item
  rather than the previous item's next line (unindented plain lines after
  an item stay continuation lines, as in the printed report's export);
* a title or a table cell that would be misread is written escaped in its
  place (``1-1 \\…``, a quarter cell ``62,557 \\…`` whose note is escaped,
  ``\\\\ 연구소`` for a note without an amount).
* a line that holds a tab is a table row and never a heading, a program
  code or a 작성자 caption, whatever its first cell says; a table cell that
  would be misread (spaces at either end, a leading ``\\``, a tab or line
  break inside) is escaped like a title, and a row of empty cells is
  written with an escaped empty first cell (``\\`` and tabs) so that it is
  not a blank line;
* a table in an outline is indented by its level (one space a level);
  under a budget table's 계 row a table belongs to the table's notes, and
  under the 정·현원 table a table that follows a note belongs to the notes.

Limits of the format: two tables in a row are one table, and a table as the
first of the 정·현원 notes reads as more rows of the 정·현원 table.

The printed 2024 report contains none of these, so it reads and writes as
before. Control characters other than tab and line break are not report
content: the importer removes them with a warning and the exporter leaves
them out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Final

from seri_desktop.domain import outline
from seri_desktop.domain import template as T
from seri_desktop.domain.model import CELL_MARKS, BudgetTable

SECTION_MARK: Final = "□"
FIRST_LEVEL_MARKS: Final = ("○", "◦")
# The note and footnote markers are the outline convention's, declared in the domain.
NOTE_MARK: Final = outline.NOTE_MARK
FOOTNOTE_MARK: Final = outline.FOOTNOTE_MARK
PHONE_MARK: Final = "☎"
ESCAPE: Final = "\\"
# Lines that are only an outline symbol: the importer keeps them verbatim with a warning.
SYMBOL_LINES: Final = ("·", "-", "○")

# Canonical prefix/suffix of a section heading; a program's layout keeps
# the printed pair where the source differs ("추진 목표" without □, bold …).
CANONICAL_HEADING: Final = ("□ ", "")
# The overview's sub-headings (목적, 근거, 주요 내용) print as first-level items; other
# sub-headings (the plan's key improvements) print bare.
CANONICAL_SUBHEADING: Final = ("○ ", "")
ITEM_SUBHEADING_SECTIONS: Final = frozenset({T.OVERVIEW_LEAD.section})

# --- the report's parts ------------------------------------------------------------------------------

PART_ONE_NUMERAL: Final = "I"
PART_ONE_LINES: Final = frozenset(
    {PART_ONE_NUMERAL, "Ⅰ", T.FRONT_HEADING, f"I {T.FRONT_HEADING}", f"Ⅰ. {T.FRONT_HEADING}"}
)
PART_TWO: Final = f"II {T.SECTION_II_HEADING}"
PROGRAMS_HEADING: Final = "주요업무"
PART_THREE: Final = f"Ⅲ. {PROGRAMS_HEADING}"
AUTHOR_CAPTION: Final = "작성자"


def _loose(words: str) -> str:
    """A regex for ``words`` where every space may be any run of spaces (or none)."""
    return r"\s*".join(re.escape(w) for w in words.split())


def heading_pattern(heading: str) -> re.Pattern[str]:
    """A template heading (``{previous_year}년 추진 실적``) as a regex over a normalised line."""
    parts = re.split(r"\{(?:year|previous_year)\}", heading)
    return re.compile("^" + r"(\d{4})".join(_loose(p) for p in parts) + "$")


RE_PART_TWO: Final = re.compile(rf"^(II|Ⅱ)\.?\s*{_loose(T.SECTION_II_HEADING)}")
RE_PART_THREE: Final = re.compile(rf"^(III|Ⅲ)\.?\s*{_loose(PROGRAMS_HEADING)}$")
# Any other part numeral that starts a heading ("Ⅳ. 기타"): structure the importer does not know.
RE_OTHER_PART: Final = re.compile(r"^(I{1,3}|IV|VI{0,3}|IX|X|[Ⅰ-Ⅻ])(\.\s*|\s+)\S")
RE_CHAPTER: Final = re.compile(r"^(\d+)\.\s*(\S.*)$")
RE_LISTED_PROGRAM: Final = re.compile(r"^(-\s+)?(\d+)-(\d+)\.\s*(.*)$")
RE_PROGRAM_HEADER: Final = re.compile(r"^(\d+)-(\d+)(?:\s+(.*))?$")
RE_DEPARTMENT: Final = re.compile(r"^(\d+)(\.?\s+)([\w·]*[가-힣\d](?:부|소|과|원|센터|실))$")
RE_UNIT_LINE: Final = re.compile(r"^\(단위:\s*([^,)]+?)\s*(?:,\s*(.*?)\s*기준)?\s*\)$")
UNIT_PREFIX: Final = "(단위"


def unit_caption(unit: str, as_of: dt.date | None) -> str:
    """The unit line above a budget table: ``(단위: 천원, '24.6.30.기준)``; what :data:`RE_UNIT_LINE` reads."""
    if as_of is None:
        return f"{UNIT_PREFIX}: {unit})"
    return f"{UNIT_PREFIX}: {unit}, '{as_of.year % 100:02d}.{as_of.month}.{as_of.day}.기준)"


RE_AS_OF: Final = re.compile(r"'?(\d{2,4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?")
RE_HISTORY: Final = re.compile(r"^-\s*(\d{4}\.\s*\d{1,2}\.\s*\d{1,2}\.)\s*(.*)$")
RE_AUTHOR_ENTRY: Final = re.compile(r"(?:([^\s:☎]+)\s*:\s*)?([^\s:☎]+)\s*☎\s*([\d#\-]+)")
# A quarter cell: an amount or one of the model's marks (-, 재배정, 비예산), then its note.
RE_QUARTER: Final = re.compile(rf"^(△?\d[\d,]*|{'|'.join(map(re.escape, CELL_MARKS))})(?:\s+(.+))?$")
RE_DATE_LABEL: Final = re.compile(r"^(\d{4})\.\s*(\d{1,2})\.$")

# --- program sections and their headings (from the template) -----------------------------------------

_SECTION_PATTERNS: Final = tuple((section, heading_pattern(section.heading)) for section in T.PROGRAM_SECTIONS)
# Headings that carry the year (the HWPX reader takes the report's year from them): group 1 is the year printed.
RE_PREVIOUS_HEADING: Final = heading_pattern(T.PREVIOUS_ACHIEVEMENTS.heading)  # 2023년 추진 실적
RE_IMPROVEMENTS: Final = heading_pattern(T.PLAN_IMPROVEMENTS.heading)  # 2024년 주요 개선 사항


def default_part(section: T.Section) -> T.Part:
    """The part a section's lines go to until a sub-heading says otherwise (사업 개요 → its lead text)."""
    return next(p for p in section.parts if p.heading in ("", section.heading))


def subparts(section: T.Section) -> tuple[T.Part, ...]:
    """The parts of a section that have a sub-heading of their own (목적, 근거, 주요 내용; 주요 개선 사항)."""
    return tuple(p for p in section.parts if p.heading and p.heading != section.heading)


_SUBHEADINGS: Final = tuple(
    (section, part, heading_pattern(part.heading)) for section in T.PROGRAM_SECTIONS for part in subparts(section)
)


def section_of_heading(line: str) -> T.Section | None:
    """The program section whose heading ``line`` is (with or without □ and bold marks)."""
    heading = normalize_heading(line)
    return next((section for section, pattern in _SECTION_PATTERNS if pattern.match(heading)), None)


def subheading_core(line: str) -> str:
    """A sub-heading line reduced to its words: ``○ **목적**`` → ``목적``."""
    return normalize_heading(line.strip().lstrip("○◦- "))


def subpart_of_heading(section: T.Section, line: str) -> T.Part | None:
    """The sub-part of ``section`` whose heading ``line`` is."""
    core = subheading_core(line)
    return next((p for s, p, pattern in _SUBHEADINGS if s is section and pattern.match(core)), None)


def subheading_text(part: T.Part, year: int) -> str:
    """A sub-heading's printed words in the report of ``year``."""
    return part.heading_for(year)


def review_part_of_heading(line: str) -> T.Part | None:
    """The section II part (성과, 한계, 개선 방향) whose heading ``line`` is."""
    heading = normalize_heading(line)
    return next((p for p in T.SECTION_II_PARTS if p.heading == heading), None)


# The front matter's headings are numbered in the text: "1. 연혁" … "6. 주요업무별 예산 내역".
_FRONT_NUMBERED: Final[tuple[tuple[T.Part, str], ...]] = tuple(
    (part, f"{n}. {part.heading}") for n, part in enumerate((p for p in T.FRONT_PARTS if p.heading), start=1)
)
FRONT_ORGANIZATION: Final = T.part("front.organization")
# Keyed by the part's name without ``front.`` ("history"), for the modules that print these headings.
FRONT_HEADINGS: Final[dict[str, str]] = {part.key.split(".", 1)[1]: text for part, text in _FRONT_NUMBERED}


def front_heading(part: T.Part) -> str:
    """The numbered heading of a front-matter part as the text prints it (``1. 연혁``)."""
    return next(text for p, text in _FRONT_NUMBERED if p is part)


def front_part_of_heading(line: str) -> T.Part | None:
    """The front-matter part whose numbered heading ``line`` is (spacing ignored: ``1. 연 혁``)."""
    compact = line.replace(" ", "")
    for part, text in _FRONT_NUMBERED:
        words = text.replace(" ", "")
        if compact == words or (part is FRONT_ORGANIZATION and compact.startswith(words)):
            return part
    return None


def is_author_caption(line: str) -> bool:
    return line.replace(" ", "") == AUTHOR_CAPTION


# --- tables ------------------------------------------------------------------------------------------

# The words of the printed 주요업무별 예산 내역 table (the workbook's summary sheet uses them too).
SUMMARY_TITLE: Final = "주요업무명"
SUMMARY_BUDGET: Final = "예산액"
SUMMARY_EXECUTED: Final = "집행액"
SUMMARY_PLANNED: Final = "집행계획"
SUMMARY_PAGE: Final = "쪽수"
SUMMARY_HEADER: Final = (
    (T.label("code"), SUMMARY_TITLE, SUMMARY_BUDGET, "", SUMMARY_EXECUTED, "", SUMMARY_PLANNED, "", SUMMARY_PAGE),
    ("", "", "'{cy} (1차추경예산 포함)", "'{py} (최종예산)", *T.QUARTER_LABELS, ""),
)
PRINTED_BUDGET_PAGE: Final = f"주요사업별 {T.BUDGET_PAGE}"


def budget_header_row(budget: BudgetTable) -> list[str]:
    """The first header row of a budget table, as the template prints it."""
    executed = budget.executed_quarters() if budget.as_of else 2
    row = [T.BUDGET_LINE_NAME, SUMMARY_BUDGET, ""]
    groups = [("집행액 / 집행내용", executed), ("집행예정액 / 집행내용", T.QUARTER_COUNT - executed)]
    for label, span in groups:
        if span:
            row += [label] + [""] * (span - 1)
    return [*row, PRINTED_BUDGET_PAGE]


def budget_second_header(year: int) -> list[str]:
    """The second header row: the two years, then the quarters."""
    return ["", f"'{year % 100:02d}", f"'{(year - 1) % 100:02d}", *T.QUARTER_LABELS, ""]


def quantity_header(qualifier: str) -> str:
    """The targets table's quantity column header, with its qualifier when there is one."""
    quantity = T.TARGET_COLUMNS[-1]
    if not qualifier:
        return quantity
    if needs_cell_escape(qualifier) or qualifier != qualifier.strip("()"):
        return f"{quantity} {write_escaped(qualifier)}"
    return f"{quantity} ({qualifier})"


def parse_quantity_header(cell: str) -> str | None:
    """The qualifier of a quantity header cell (``물량 (출품작 수 대비 입상비율)``); None if it is not one."""
    quantity = T.TARGET_COLUMNS[-1]
    if not cell.startswith(quantity):
        return None
    rest = cell[len(quantity) :].strip()
    if rest.startswith(ESCAPE):
        return read_escaped(rest)[0]
    return rest.strip("()").strip()


# --- normalising -------------------------------------------------------------------------------------


def strip_emphasis(text: str) -> str:
    """Drop the ``**bold**`` marks some lines of the export carry."""
    return text.replace("**", "")


def normalize_heading(line: str) -> str:
    """A heading line reduced to its words: no □, no bold marks, single spaces."""
    s = strip_emphasis(line).strip()
    if s.startswith(SECTION_MARK):
        s = s[1:]
    return " ".join(s.split())


def split_affixes(line: str, core: str) -> tuple[str, str]:
    """The printed prefix and suffix around a heading's words (for layout hints)."""
    s = line.strip()
    pos = s.find(core)
    if pos < 0:
        return CANONICAL_HEADING
    return s[:pos], s[pos + len(core) :]


def normalize_for_compare(line: str) -> str:
    """Whitespace-normalised form used by the round-trip fidelity measure."""
    return " ".join(line.split())


# --- control characters ------------------------------------------------------------------------------

# C0 controls except tab and line feed, DEL, and C1 controls (ESC [ … and CSI move a terminal's cursor).
RE_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drop_controls(text: str) -> str:
    """``text`` without control characters (a carriage return is a line ending, never content)."""
    return RE_CONTROL.sub("", text.replace("\r\n", "\n"))


# --- structure lines ---------------------------------------------------------------------------------


def heading_through_marker(s: str) -> bool:
    """Whether the stripped line ``s`` is a heading even with an outline marker in front.

    ``- 목적`` is the overview's sub-heading and ``- 1-1. …`` a chapter's
    program list entry, though both start like an item.
    """
    return bool(
        any(pattern.match(subheading_core(s)) for _section, _part, pattern in _SUBHEADINGS)
        or RE_LISTED_PROGRAM.match(s)
    )


def claims_line(s: str, *, marked: bool = False) -> bool:
    """Whether the importer would read the stripped line ``s`` as structure rather than as text.

    ``marked``: ``s`` is the first line of an item and starts with its
    marker, so outline markers are expected; the rules that look through a
    marker (``- 목적`` as the overview's sub-heading, ``- 1-1. …`` in a
    chapter's program list) still count.
    """
    if not s or "\t" in s or s.startswith(ESCAPE) or s.startswith(SECTION_MARK) or s in SYMBOL_LINES:
        return True
    if heading_through_marker(s):
        return True
    if marked:
        return False
    return bool(
        section_of_heading(s) is not None
        or review_part_of_heading(s) is not None
        or front_part_of_heading(s) is not None
        or s in PART_ONE_LINES
        or RE_PART_TWO.match(s)
        or RE_PART_THREE.match(s)
        or RE_OTHER_PART.match(s)
        or RE_CHAPTER.match(s)
        or RE_PROGRAM_HEADER.match(s)
        or RE_DEPARTMENT.match(s)
        or is_author_caption(s)
        or s.startswith(UNIT_PREFIX)
    )


def looks_like_heading(s: str) -> bool:
    """Whether an unescaped content line looks like a heading the importer did not place (it warns).

    Narrower than :func:`claims_line`: a heading, a part, chapter or program
    line, a caption, not merely a line with a tab or a marker.
    """
    if not s or s.startswith(ESCAPE) or "\t" in s or s in SYMBOL_LINES:
        return False
    return claims_line(s)


# --- escapes -----------------------------------------------------------------------------------------

_ESCAPES: Final = {"\\": "\\", "t": "\t", "n": "\n"}
_WRITE_ESCAPES: Final = {"\\": "\\\\", "\t": "\\t", "\n": "\\n"}


def write_escaped(text: str, *, more: bool = False) -> str:
    """``text`` in escaped form: ``\\`` + the text with ``\\``, tab and line break written as sequences.

    ``more``: something follows on the same line (a quarter's note after its
    amount); the escaped text is then closed by ``\\`` and a space. A text
    ending in whitespace is closed too, so the whitespace survives.
    """
    body = "".join(_WRITE_ESCAPES.get(ch, ch) for ch in text)
    if more:
        return f"{ESCAPE}{body}{ESCAPE} "
    if text[-1:].isspace():
        return f"{ESCAPE}{body}{ESCAPE}"
    return ESCAPE + body


def read_escaped(s: str) -> tuple[str, str]:
    """The text of an escaped field ``s`` (which starts with ``\\``) and what follows it on the line.

    Unknown sequences (``\\x``) are kept as written: a person may have typed
    a backslash into a file by hand.
    """
    out: list[str] = []
    i, n = 1, len(s)
    while i < n:
        ch = s[i]
        if ch != ESCAPE:
            out.append(ch)
            i += 1
            continue
        nxt = s[i + 1] if i + 1 < n else ""
        if nxt in ("", " "):
            return "".join(out), s[i + 2 :]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
        else:
            out.append(ch + nxt)
        i += 2
    return "".join(out), ""


def needs_cell_escape(text: str, reserved: Iterable[str] = ()) -> bool:
    """Whether a one-line field (a title, a table cell) must be escaped to read back as ``text``."""
    return text != text.strip() or text.startswith(ESCAPE) or any(ch in text for ch in "\t\n") or text in reserved


def write_cell(text: str, reserved: Iterable[str] = ()) -> str:
    """A table cell as the text writes it: plain, or escaped when it would be misread."""
    return write_escaped(text) if needs_cell_escape(text, reserved) else text


def read_cell(cell: str) -> str:
    """A stripped table cell back to its text."""
    return read_escaped(cell)[0] if cell.startswith(ESCAPE) else cell
