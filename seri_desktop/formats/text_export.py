"""Write a stored report back in the report text format.

The output follows the template (:mod:`seri_desktop.domain.template`:
sections in their order, headings with the year, sub-headings, table
columns); where a program's ``layout`` records that the source printed
something differently (a heading without □, a header split over two lines
…) the exporter writes it that way, so importing and exporting a file
reproduces it. ``round_trip_share`` measures that fidelity.

Whatever an item, a title or a cell holds, the exporter writes it so that
the importer reads back the same report: it checks each line against the
importer's own rules and escapes what would be read as structure (see
:mod:`seri_desktop.formats.text_format`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from seri_desktop.domain import template as T
from seri_desktop.domain.model import (
    AuthorBlock,
    BudgetLine,
    BudgetTable,
    Cell,
    CellKind,
    Chapter,
    Department,
    ItemKind,
    ListedProgram,
    Outline,
    OutlineItem,
    Program,
    Quarter,
    Report,
    SimpleTable,
    Targets,
)
from seri_desktop.domain.summary import summary_rows
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.files import write_atomically
from seri_desktop.formats.text_import import parse_amount, parse_outline_line, split_quarter


def _affixes(layout: dict[str, object], group: str, key: str, canonical: tuple[str, str]) -> tuple[str, str]:
    table = layout.get(group)
    if isinstance(table, dict):
        pair = table.get(key)
        if isinstance(pair, list) and len(pair) == 2:
            return str(pair[0]), str(pair[1])
    return canonical


# --------------------------------------------------------------------------- lines and escapes


def _plain(piece: str) -> bool:
    """Whether ``piece`` can be written as an unmarked line and be read back as exactly this text."""
    return piece == piece.strip() and parse_outline_line(piece) is None and not tf.claims_line(piece)


def _text_line(piece: str) -> str:
    return piece if _plain(piece) else tf.write_escaped(piece)


def outline_lines(outline: Outline, shift: int = 0) -> list[str]:
    """An outline as text lines: ``○`` level 0, ``-`` level 1, `` -`` deeper; continuation lines indented."""
    out: list[str] = []
    previous: OutlineItem | None = None
    for item in outline:
        out.extend(_item_lines(item, shift, previous))
        previous = item
    return out


def _marker(item: OutlineItem, level: int) -> str:
    if item.kind is ItemKind.TEXT:
        return ""
    if item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE):
        mark = tf.NOTE_MARK if item.kind is ItemKind.NOTE else tf.FOOTNOTE_MARK
        space = "" if item.kind is ItemKind.FOOTNOTE and item.text.startswith(tf.FOOTNOTE_MARK) else " "
        return f"{mark}{space}" if level == 0 else f"{' ' * (level - 1)}- {mark}{space}"
    return "○ " if level == 0 else f"{' ' * (level - 1)}- "


def _item_lines(item: OutlineItem, shift: int, previous: OutlineItem | None) -> list[str]:
    if item.kind is ItemKind.TABLE:
        indent = " " * item.level
        return [indent + _table_row(row) for row in item.table or []]
    level = item.level + shift if item.level > 0 else item.level
    first, *rest = tf.drop_controls(item.text).split("\n")
    prefix = _marker(item, level)
    if item.kind is ItemKind.TEXT:
        # A bare line right after an item would continue it: a new paragraph there is escaped.
        starts_item = previous is None or previous.kind is ItemKind.TABLE
        line = first if starts_item and _plain(first) else tf.write_escaped(first)
    else:
        line = f"{prefix}{first}".rstrip()
        expected = (level, item.kind, first)
        if parse_outline_line(line) != expected or tf.claims_line(line.strip(), marked=True):
            line = prefix + tf.write_escaped(first)
    # A plain continuation line stands flush left, as the printed report's export wraps lines; an
    # escaped one is indented, which is what tells it from a new paragraph (see text_format).
    indent = " " * max(len(prefix), 2)
    return [line, *(piece if _plain(piece) else indent + tf.write_escaped(piece) for piece in rest)]


def _title(title: str, more: bool = False) -> str:
    """A program or chapter title on its header line; escaped when it would be misread."""
    if more or tf.needs_cell_escape(title) or title != " ".join(title.split()) or tf.claims_line(title):
        return tf.write_escaped(title, more=more)
    if T.section(T.OVERVIEW_LEAD.section).heading in tf.strip_emphasis(title):
        return tf.write_escaped(title)
    return title


def _table_row(row: list[str]) -> str:
    """A table row: cells joined by tabs, each escaped when it would be misread; never a blank line."""
    cells = [tf.write_cell(tf.drop_controls(cell)) for cell in row]
    if not any(cells):
        cells[0] = tf.write_escaped("")
    return "\t".join(cells)


def _table_lines(table: SimpleTable) -> list[str]:
    out = [table.caption] if table.caption else []
    out += [_table_row(row) for row in table.header]
    out += [_table_row(row) for row in table.rows]
    return out


# --------------------------------------------------------------------------- budget and targets cells


def _amount(cell: Cell) -> str:
    """A budget amount cell; text that is not an amount is escaped when it would read back otherwise."""
    text = cell.format()
    if parse_amount(text) == cell and not tf.needs_cell_escape(text):
        return text
    return tf.write_escaped(cell.raw)


def _quarter(q: Quarter) -> str:
    """A quarter's amount and note in one cell (``62,557 연구소 운영``), escaped where needed."""
    amount = q.amount.format()
    note = tf.drop_controls(q.note)
    plain = f"{amount} {note}".strip()
    if split_quarter(plain) == Quarter(q.amount, note) and not tf.needs_cell_escape(plain):
        return plain
    if q.amount.kind not in (CellKind.INVALID, CellKind.EMPTY):
        return f"{amount} {tf.write_escaped(note)}" if note else amount
    raw = q.amount.raw if q.amount.kind is CellKind.INVALID else ""
    return tf.write_escaped(raw, more=True) + (tf.write_cell(note) if note else "")


def _target_row(values: list[str]) -> str:
    cells = [tf.write_cell(tf.drop_controls(v)) for v in values]
    if cells[0] == T.TARGET_COLUMNS[0] or not any(cells):
        cells[0] = tf.write_escaped(values[0])  # not the header row, and never a blank line
    return "\t".join(cells)


def _budget_line_rows(line: BudgetLine, note_page: bool) -> list[str]:
    reserved = (T.BUDGET_LINE_NAME, T.TOTAL_ROW_LABEL, "")
    head = [tf.write_cell(tf.drop_controls(line.name), reserved), _amount(line.current), _amount(line.previous)]
    page = tf.write_cell(tf.drop_controls(line.page))
    if line.notes_below:
        amounts = [_quarter(Quarter(q.amount)) for q in line.quarters]
        notes = [tf.write_cell(tf.drop_controls(q.note)) for q in line.quarters]
        if not any(notes) and not (note_page and page):
            notes[0] = tf.write_escaped("")  # an empty notes row must not read as a blank line
        tail = [page] if note_page else [""]
        return ["\t".join([*head, *amounts, page]), "\t".join(["", "", "", *notes, *tail])]
    cells = [_quarter(q) for q in line.quarters]
    return ["\t".join([*head, *cells, page])]


# --------------------------------------------------------------------------- the writer


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.lines: list[str] = []

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def block(self, lines: Iterable[str]) -> None:
        """A paragraph: its lines, then a blank line as the source has."""
        lines = list(lines)
        if lines:
            self.lines.extend(lines)
            self.lines.append("")

    # -- whole report

    def write(self) -> str:
        self.cover()
        self.front()
        self.part_two()
        self.part_three()
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def cover(self) -> None:
        r = self.report
        self.emit("", "")
        self.block(x for x in (r.meeting, r.committee) if x)
        self.block(r.subtitle.split("\n") if r.subtitle else [])
        self.block([r.title])
        self.block([r.date_label] if r.date_label else [])
        self.block([r.institute] if r.institute else [])
        extra = r.layout.get("cover_extra")
        if isinstance(extra, list):
            self.block(str(x) for x in extra)

    def front_heading(self, part: T.Part) -> str:
        printed = self.report.layout.get("front_headings")
        if isinstance(printed, dict) and isinstance(printed.get(part.key), str):
            return str(printed[part.key])
        return tf.front_heading(part)

    def front(self) -> None:
        self.block([tf.PART_ONE_NUMERAL])
        self.block([T.FRONT_HEADING])
        for part in T.FRONT_PARTS:
            if part.heading:
                self.front_part(part)

    def front_part(self, part: T.Part) -> None:
        front = self.report.front
        heading = self.front_heading(part)
        if part.kind is T.PartKind.HISTORY:
            self.block([heading])
            history: list[str] = []
            for entry in front.history:
                first, *rest = tf.drop_controls(entry.text).split("\n")
                history.append(self.history_first(entry.date, first))
                history.extend("  " + _text_line(piece) for piece in rest)
            self.block(history)
        elif part.kind is T.PartKind.TEXT:
            organization = tf.drop_controls(T.get(self.report, part))
            text = tf.write_cell(organization) if organization else ""
            self.block([f"{heading} {text}".rstrip()])
        elif part.kind is T.PartKind.TABLE:
            self.block([heading])
            self.block(_table_lines(T.get(self.report, part)))
            if T.get(self.report, part) is front.staffing:
                for line in outline_lines(front.staffing_notes):
                    self.block([line])
        elif part.kind is T.PartKind.SUMMARY:
            self.block([heading])
            if front.budget_summary_caption:
                self.block([front.budget_summary_caption])
            self.summary_rows()
            for region, text in self._front_extra():
                self.block([f"{text}"] if region else [])

    @staticmethod
    def history_first(date: str, first: str) -> str:
        line = f"- {date} {first}".rstrip() if date else f"- {first}".rstrip()
        m = tf.RE_HISTORY.match(line)
        read = (" ".join(m.group(1).split()), m.group(2).strip()) if m else ("", line[1:].strip())
        if read == (date, first) and not first.startswith(tf.ESCAPE) and first == first.strip():
            return line
        return f"- {date} {tf.write_escaped(first)}" if date else f"- {tf.write_escaped(first)}"

    def _front_extra(self) -> list[tuple[str, str]]:
        extra = self.report.layout.get("front_extra")
        if not isinstance(extra, list):
            return []
        return [(str(e[0]), str(e[1])) for e in extra if isinstance(e, list) and len(e) == 2]

    def summary_rows(self) -> None:
        layout = self.report.layout
        header = layout.get("summary_header")
        if isinstance(header, list) and len(header) == 2:
            header_lines = ["\t".join(str(c) for c in row) for row in header if row]
        else:
            cy, py = self.report.year % 100, (self.report.year - 1) % 100
            header_lines = ["\t".join(c.format(cy=cy, py=py) for c in row) for row in tf.SUMMARY_HEADER]
        before = layout.get("summary_header_before")
        breaks = {int(x) for x in before} if isinstance(before, list) else {0}
        chunk: list[str] = []
        # The table is derived: a report that kept no printed copy (new, rolled over) writes none, so its
        # text reads back the same; one that kept some writes the derived row where the office accepted it.
        rows = summary_rows(self.report) if self.report.front.budget_summary else []
        for n, row in enumerate(rows):
            if n in breaks:
                self.block(chunk)
                chunk = list(header_lines)
            cells = [row.code, row.title, row.current.format(), row.previous.format()]
            cells += [q.format() for q in row.quarters] + [row.page]
            chunk.append("\t".join(cells))
        self.block(chunk)

    # -- II

    def part_two(self) -> None:
        self.block([tf.PART_TWO])
        self.block(_kept(self.report.layout, "part_two_extra"))
        for dept in self.report.departments:
            self.department(dept)

    def department(self, dept: Department) -> None:
        sep = dept.layout.get("number_sep", ". ")
        self.block([f"{dept.order}{sep}{dept.name}"])
        self.block(_kept(dept.layout, "part_two_extra"))
        for part in T.SECTION_II_PARTS:
            prefix, suffix = _affixes(dept.layout, "headings", part.key, tf.CANONICAL_HEADING)
            self.block([f"{prefix}{part.heading}{suffix}"])
            self.block(outline_lines(T.get(dept, part)))

    # -- III

    def part_three(self) -> None:
        self.block([tf.PART_THREE])
        self.block(f"{c.number}. {_title(c.title)}" for c in self.report.chapters)
        for chapter in self.report.chapters:
            self.chapter(chapter)

    def chapter(self, chapter: Chapter) -> None:
        self.emit("", "")
        self.block([f"{chapter.number}. {_title(chapter.title)}"])
        bullet = "- " if chapter.layout.get("list_bullet") else ""
        listed = chapter.listed_programs or [ListedProgram(p.code, p.title) for p in chapter.programs]
        self.block(f"{bullet}{p.code}. {_title(p.title)}" for p in listed)
        extra = chapter.layout.get("intro_extra")
        if isinstance(extra, list):
            self.block(str(x) for x in extra)
        for index, program in enumerate(chapter.programs):
            for block in chapter.author_blocks:
                if block.before_program == index:
                    self.author_block(block)
            self.program(program)
        for block in chapter.author_blocks:
            if block.before_program >= len(chapter.programs):
                self.author_block(block)

    def author_block(self, block: AuthorBlock) -> None:
        self.block([block.caption or tf.AUTHOR_CAPTION])
        by_line: dict[int, list[str]] = {}
        for e in block.entries:
            text = f"{e.role}: {e.name} {tf.PHONE_MARK} {e.phone}" if e.role else f"{e.name} {tf.PHONE_MARK} {e.phone}"
            by_line.setdefault(e.line, []).append(text)
        self.block(" ".join(parts) for _, parts in sorted(by_line.items()))

    def heading(self, program: Program, section: T.Section) -> None:
        prefix, suffix = _affixes(program.layout, "headings", section.key, tf.CANONICAL_HEADING)
        self.block([f"{prefix}{section.heading_for(self.report.year)}{suffix}"])

    def program(self, p: Program) -> None:
        layout = p.layout
        merged = layout.get("overview_merged")
        title = tf.drop_controls(p.title)
        if isinstance(merged, str):
            # An escaped title is closed by "\ ", so the merged heading can follow it on the line.
            escaped = _title(title) != title
            title_line = f"{_title(title, more=True)}{merged}" if escaped else f"{title} {merged}"
        else:
            title_line = _title(title)
        if layout.get("header_split"):
            self.block([p.code])
            self.block([title_line])
        else:
            self.block([f"{p.code} {title_line}"])
        for section in T.PROGRAM_SECTIONS:
            if section.key in tf.ITEM_SUBHEADING_SECTIONS:
                self.item_subheading_section(p, section, merged if isinstance(merged, str) else None)
            else:
                self.section(p, section)

    def item_subheading_section(self, p: Program, section: T.Section, merged: str | None) -> None:
        """사업 개요: the heading, the lead text, then each sub-heading (``○ 목적``) and its outline."""
        layout = p.layout
        has_content = any(T.get(p, part) for part in section.parts)
        merged_sub: T.Part | None = None
        if merged is not None:
            merged_sub = next((part for part in tf.subparts(section) if part.heading in merged), None)
        elif has_content:
            self.heading(p, section)
        shifted = layout.get("sub_shift")
        for part in section.parts:
            outline: Outline = T.get(p, part)
            if part in tf.subparts(section):
                key = part.key.rsplit(".", 1)[-1]
                prefix, suffix = _affixes(layout, "subheadings", key, tf.CANONICAL_SUBHEADING)
                if part is not merged_sub and (outline or (prefix, suffix) != tf.CANONICAL_SUBHEADING):
                    self.block([f"{prefix}{tf.subheading_text(part, self.report.year)}{suffix}"])
                shift = 1 if isinstance(shifted, list) and key in shifted else 0
                self.block(outline_lines(outline, shift=shift))
            else:
                self.block(outline_lines(outline))

    def section(self, p: Program, section: T.Section) -> None:
        """Any other section: its heading when it holds something, then its parts in order."""
        values = [T.get(p, part) for part in section.parts]
        if not any(_holds(part, value) for part, value in zip(section.parts, values, strict=True)):
            return
        self.heading(p, section)
        for part, value in zip(section.parts, values, strict=True):
            if part.kind is T.PartKind.TARGETS:
                self.targets(value)
            elif part.kind is T.PartKind.BUDGET:
                self.budget(p, value)
            elif part.kind is T.PartKind.OUTLINE and value:
                if part in tf.subparts(section):
                    self.block([tf.subheading_text(part, self.report.year)])
                self.block(outline_lines(value))

    def targets(self, targets: Targets) -> None:
        header = "\t".join((*T.TARGET_COLUMNS[:-1], tf.quantity_header(targets.qualifier)))
        rows = [header]
        rows += [_target_row([getattr(r, name) for name in T.TARGET_FIELDS]) for r in targets.rows]
        self.block(rows)

    def budget(self, p: Program, budget: BudgetTable) -> None:
        self.block([tf.unit_caption(budget.unit, budget.as_of)])
        header = p.layout.get("budget_header")
        first = [str(c) for c in header] if isinstance(header, list) else tf.budget_header_row(budget)
        rows = ["\t".join(first), "\t".join(tf.budget_second_header(self.report.year))]
        note_page = bool(p.layout.get("note_row_page"))
        for line in budget.lines:
            rows.extend(_budget_line_rows(line, note_page))
        total = budget.printed_total or budget.total()
        rows.append("\t".join([T.TOTAL_ROW_LABEL, *(c.format() for c in total.cells()), ""]))
        self.block(rows)


def _holds(part: T.Part, value: object) -> bool:
    """Whether a part has something to print (an empty outline does not; an empty table does)."""
    if part.kind is T.PartKind.OUTLINE:
        return bool(value)
    return value is not None


def _kept(layout: dict[str, object], key: str) -> list[str]:
    """Lines the importer kept verbatim under ``key`` of a layout dict."""
    kept = layout.get(key)
    return [str(x) for x in kept] if isinstance(kept, list) else []


def export_report_text(report: Report) -> str:
    """The report as text in the report text format."""
    return _Writer(report).write()


def write_report_file(report: Report, path: Path) -> None:
    """Write the text export atomically: a crash never leaves half a file; a Korean error when it cannot be written."""
    text = export_report_text(report)
    write_atomically(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"), "텍스트")


def round_trip_share(source: str, exported: str) -> tuple[float, list[str]]:
    """Share of the source's non-empty lines that the export reproduces.

    Lines are compared whitespace-normalised, as a multiset (a line printed
    twice must be reproduced twice). Returns the share and the lines missed.
    """
    src = [tf.normalize_for_compare(x) for x in source.lstrip("\ufeff").splitlines()]
    out = Counter(tf.normalize_for_compare(x) for x in exported.splitlines())
    missed: list[str] = []
    total = 0
    for line in src:
        if not line:
            continue
        total += 1
        if out[line] > 0:
            out[line] -= 1
        else:
            missed.append(line)
    return (1.0 - len(missed) / total) if total else 1.0, missed
