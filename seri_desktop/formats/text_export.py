"""Write a stored report back in the report text format.

The output follows the template (PRODUCT.md §3); where a program's
``layout`` records that the source printed something differently (a heading
without □, a header split over two lines …) the exporter writes it that way,
so importing and exporting a file reproduces it. ``round_trip_share``
measures that fidelity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from seri_desktop.domain.model import (
    AuthorBlock,
    BudgetLine,
    BudgetTable,
    Chapter,
    Department,
    ItemKind,
    ListedProgram,
    Outline,
    OutlineItem,
    Program,
    Report,
    SimpleTable,
)
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.text_import import budget_header_row


def _affixes(layout: dict[str, object], group: str, key: str, canonical: tuple[str, str]) -> tuple[str, str]:
    table = layout.get(group)
    if isinstance(table, dict):
        pair = table.get(key)
        if isinstance(pair, list) and len(pair) == 2:
            return str(pair[0]), str(pair[1])
    return canonical


def outline_lines(outline: Outline, shift: int = 0) -> list[str]:
    """An outline as text lines: ``○`` level 0, ``-`` level 1, `` -`` deeper."""
    out: list[str] = []
    for item in outline:
        out.extend(_item_lines(item, shift))
    return out


def _item_lines(item: OutlineItem, shift: int) -> list[str]:
    if item.kind is ItemKind.TABLE:
        return ["\t".join(row) for row in item.table or []]
    level = item.level + shift if item.level > 0 else item.level
    first, *rest = item.text.split("\n")
    if item.kind is ItemKind.TEXT:
        prefix = ""
    elif item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE):
        mark = tf.NOTE_MARK if item.kind is ItemKind.NOTE else tf.FOOTNOTE_MARK
        space = "" if item.kind is ItemKind.FOOTNOTE and item.text.startswith(tf.FOOTNOTE_MARK) else " "
        prefix = f"{mark}{space}" if level == 0 else f"{' ' * (level - 1)}- {mark}{space}"
    elif level == 0:
        prefix = "○ "
    else:
        prefix = f"{' ' * (level - 1)}- "
    return [f"{prefix}{first}".rstrip(), *rest]


def _table_lines(table: SimpleTable) -> list[str]:
    out = [table.caption] if table.caption else []
    out += ["\t".join(row) for row in table.header]
    out += ["\t".join(row) for row in table.rows]
    return out


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

    def front(self) -> None:
        front = self.report.front
        h = tf.FRONT_HEADINGS
        self.block(tf.PART_ONE[:1])
        self.block(tf.PART_ONE[1:])
        self.block([h["history"]])
        history: list[str] = []
        for entry in front.history:
            first, *rest = entry.text.split("\n")
            history.append(f"- {entry.date} {first}" if entry.date else f"- {first}")
            history.extend(rest)
        self.block(history)
        self.block([f"{h['organization']} {front.organization}".rstrip()])
        self.block([h["staffing"]])
        self.block(_table_lines(front.staffing))
        for line in outline_lines(front.staffing_notes):
            self.block([line])
        self.block([h["facilities"]])
        self.block(_table_lines(front.facilities))
        self.block([h["budget_overview"]])
        self.block(_table_lines(front.budget_overview))
        self.block([h["budget_summary"]])
        if front.budget_summary_caption:
            self.block([front.budget_summary_caption])
        self.summary_rows()
        for region, text in self._front_extra():
            self.block([f"{text}"] if region else [])

    def _front_extra(self) -> list[tuple[str, str]]:
        extra = self.report.layout.get("front_extra")
        if not isinstance(extra, list):
            return []
        return [(str(e[0]), str(e[1])) for e in extra if isinstance(e, list) and len(e) == 2]

    def summary_rows(self) -> None:
        front = self.report.front
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
        for n, row in enumerate(front.budget_summary):
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
        for key, title in tf.REVIEW_TITLES.items():
            outline: Outline = getattr(dept, key)
            prefix, suffix = _affixes(dept.layout, "headings", key, tf.CANONICAL_HEADING)
            self.block([f"{prefix}{title}{suffix}"])
            self.block(outline_lines(outline))

    # -- III

    def part_three(self) -> None:
        self.block([tf.PART_THREE])
        self.block(f"{c.number}. {c.title}" for c in self.report.chapters)
        for chapter in self.report.chapters:
            self.chapter(chapter)

    def chapter(self, chapter: Chapter) -> None:
        self.emit("", "")
        self.block([f"{chapter.number}. {chapter.title}"])
        bullet = "- " if chapter.layout.get("list_bullet") else ""
        listed = chapter.listed_programs or [ListedProgram(p.code, p.title) for p in chapter.programs]
        self.block(f"{bullet}{p.code}. {p.title}" for p in listed)
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

    def heading(self, program: Program, key: str, title: str) -> None:
        prefix, suffix = _affixes(program.layout, "headings", key, tf.CANONICAL_HEADING)
        self.block([f"{prefix}{title}{suffix}"])

    def program(self, p: Program) -> None:
        layout = p.layout
        merged = layout.get("overview_merged")
        title_line = f"{p.title} {merged}" if isinstance(merged, str) else p.title
        if layout.get("header_split"):
            self.block([p.code])
            self.block([title_line])
        else:
            self.block([f"{p.code} {title_line}"])
        ov = p.overview
        has_overview = any((ov.lead, ov.purpose, ov.basis, ov.contents))
        merged_sub = ""
        if isinstance(merged, str):
            merged_sub = next((k for k, v in tf.SUBHEADING_TITLES.items() if v in merged), "")
        elif has_overview:
            self.heading(p, tf.SECTION_OVERVIEW, tf.SECTION_TITLES[tf.SECTION_OVERVIEW])
        self.block(outline_lines(ov.lead))
        for key, title in tf.SUBHEADING_TITLES.items():
            outline: Outline = getattr(ov, key)
            prefix, suffix = _affixes(layout, "subheadings", key, tf.CANONICAL_SUBHEADING)
            if key != merged_sub and (outline or (prefix, suffix) != tf.CANONICAL_SUBHEADING):
                self.block([f"{prefix}{title}{suffix}"])
            shifted = layout.get("sub_shift")
            self.block(outline_lines(outline, shift=1 if isinstance(shifted, list) and key in shifted else 0))
        year = self.report.year
        if p.previous_achievements:
            self.heading(p, tf.SECTION_PREVIOUS, tf.previous_achievements_heading(year))
            self.block(outline_lines(p.previous_achievements))
        if p.targets is not None:
            self.heading(p, tf.SECTION_TARGETS, tf.SECTION_TITLES[tf.SECTION_TARGETS])
            quantity = tf.TARGET_HEADER[2] + (f" ({p.targets.qualifier})" if p.targets.qualifier else "")
            rows = ["\t".join((*tf.TARGET_HEADER[:2], quantity))]
            rows += ["\t".join((r.name, r.period, r.quantity)) for r in p.targets.rows]
            self.block(rows)
        if p.plan.improvements or p.plan.items:
            self.heading(p, tf.SECTION_PLAN, tf.SECTION_TITLES[tf.SECTION_PLAN])
            if p.plan.improvements:
                self.block([tf.improvements_heading(year)])
                self.block(outline_lines(p.plan.improvements))
            self.block(outline_lines(p.plan.items))
        for key, outline in ((tf.SECTION_ACHIEVEMENTS, p.achievements), (tf.SECTION_SCHEDULE, p.schedule)):
            if outline:
                self.heading(p, key, tf.SECTION_TITLES[key])
                self.block(outline_lines(outline))
        if p.budget is not None:
            self.heading(p, tf.SECTION_BUDGET, tf.SECTION_TITLES[tf.SECTION_BUDGET])
            self.budget(p, p.budget)
        if p.issues:
            self.heading(p, tf.SECTION_ISSUES, tf.SECTION_TITLES[tf.SECTION_ISSUES])
            self.block(outline_lines(p.issues))

    def budget(self, p: Program, budget: BudgetTable) -> None:
        if budget.as_of is not None:
            as_of = f"'{budget.as_of.year % 100:02d}.{budget.as_of.month}.{budget.as_of.day}.기준"
            self.block([f"(단위: {budget.unit}, {as_of})"])
        else:
            self.block([f"(단위: {budget.unit})"])
        header = p.layout.get("budget_header")
        first = [str(c) for c in header] if isinstance(header, list) else budget_header_row(budget)
        yy, py = self.report.year % 100, (self.report.year - 1) % 100
        rows = ["\t".join(first), f"\t'{yy:02d}\t'{py:02d}\t1분기\t2분기\t3분기\t4분기\t"]
        note_page = bool(p.layout.get("note_row_page"))
        for line in budget.lines:
            rows.extend(_budget_line_rows(line, note_page))
        total = budget.printed_total or budget.total()
        rows.append("\t".join([tf.BUDGET_TOTAL_LABEL, *(c.format() for c in total.cells()), ""]))
        self.block(rows)
        self.block(outline_lines(budget.notes))


def _budget_line_rows(line: BudgetLine, note_page: bool) -> list[str]:
    head = [line.name, line.current.format(), line.previous.format()]
    if line.notes_below:
        amounts = [q.amount.format() for q in line.quarters]
        notes = [q.note for q in line.quarters]
        tail = [line.page] if note_page else [""]
        return ["\t".join([*head, *amounts, line.page]), "\t".join(["", "", "", *notes, *tail])]
    cells = [f"{q.amount.format()} {q.note}".strip() for q in line.quarters]
    return ["\t".join([*head, *cells, line.page])]


def _kept(layout: dict[str, object], key: str) -> list[str]:
    """Lines the importer kept verbatim under ``key`` of a layout dict."""
    kept = layout.get(key)
    return [str(x) for x in kept] if isinstance(kept, list) else []


def export_report_text(report: Report) -> str:
    """The report as text in the report text format."""
    return _Writer(report).write()


def write_report_file(report: Report, path: Path) -> None:
    """Write the text export atomically: a crash never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(export_report_text(report), encoding="utf-8")
    tmp.replace(path)


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
