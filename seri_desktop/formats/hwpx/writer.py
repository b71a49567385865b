"""The report laid out as an HWPX document: the whole report, one department's section, or one program.

The layout follows the PDF's (:mod:`seri_desktop.formats.pdf.story`): cover,
contents, I, II and III; each department, chapter and program on a new page;
a program's title bar, then its sections in template order. The program
sections are walked from :mod:`seri_desktop.domain.template` (sections, their
headings with the year, their parts); nothing here names a section.

A department's or a program's file is for editing in 한글, so it also prints
the headings of empty sections and parts and empty tables, giving the editor a
place to write; the whole report, for reading, leaves them out as the PDF does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seri_desktop.domain import template as T
from seri_desktop.domain.model import (
    BudgetTable,
    Chapter,
    Department,
    ItemKind,
    Outline,
    OutlineItem,
    Program,
    Report,
    Targets,
)
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.hwpx import layout as L
from seri_desktop.formats.hwpx import tables
from seri_desktop.formats.hwpx.blocks import Canvas, CellSpec, TableSpec
from seri_desktop.formats.hwpx.errors import HwpxCancelled
from seri_desktop.formats.hwpx.layout import Para
from seri_desktop.formats.pdf.blocks import run_label
from seri_desktop.formats.pdf.story import PARTS, TOC_TITLE
from seri_desktop.formats.pdf.text import join_lines
from seri_desktop.formats.printed import budget_caption, summary_caption

if TYPE_CHECKING:
    from hwpx.oxml import HwpxOxmlParagraph

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

LEVEL0_MARK = "○"
LEVEL_MARK = "-"
FRONT_KEYS = tuple(tf.FRONT_HEADINGS)


def item_mark(item: OutlineItem) -> tuple[str, str]:
    """The mark an outline item is printed with and its text: ``("○", text)``, ``("※", text)``, ``("", text)``."""
    text = join_lines(item.text)
    if item.kind is ItemKind.TEXT:
        return "", text
    if item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE):
        mark = tf.NOTE_MARK if item.kind is ItemKind.NOTE else tf.FOOTNOTE_MARK
        if item.kind is ItemKind.FOOTNOTE and text.startswith(tf.FOOTNOTE_MARK):
            return mark, text  # "**" footnotes: the extra stars are the text's
        return mark, text
    return (LEVEL0_MARK if item.level <= 0 else LEVEL_MARK), text


def item_line(item: OutlineItem) -> str:
    """An outline item's paragraph text: its mark, a space, its text (a ``**`` footnote keeps its stars together)."""
    mark, text = item_mark(item)
    if not mark:
        return text
    if item.kind is ItemKind.FOOTNOTE and text.startswith(tf.FOOTNOTE_MARK):
        return f"{mark}{text}"
    return f"{mark} {text}"


@dataclass
class Progress:
    """Counts units of work, reports them and raises :class:`HwpxCancelled` when asked to stop."""

    total: int
    report: ProgressFn | None = None
    cancel: CancelFn | None = None
    done: int = 0

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise HwpxCancelled()

    def step(self, units: int = 1) -> None:
        self.check()
        self.done = min(self.total, self.done + units)
        if self.report is not None:
            self.report(self.done, self.total)


@dataclass
class Anchors:
    """Where things start, to number the contents and the summary table once the pages are known."""

    programs: dict[str, HwpxOxmlParagraph] = field(default_factory=dict)  # code → title bar paragraph
    targets: dict[str, HwpxOxmlParagraph] = field(default_factory=dict)  # contents key → paragraph
    # Cells that show the page of an anchor: (table paragraph, row, column, anchor key)
    page_cells: list[tuple[Any, int, int, str]] = field(default_factory=list)


class ReportWriter:
    """Lays a report out on a :class:`Canvas`."""

    def __init__(self, report: Report, *, editable: bool, progress: Progress) -> None:
        self.report = report
        self.editable = editable
        self.progress = progress
        self.canvas = Canvas()
        self.anchors = Anchors()

    # -- the three documents

    def whole_report(self) -> None:
        r = self.report
        self.cover()
        self.contents()
        self.part_banner(0)
        self.front()
        self.part_banner(1)
        for n, dept in enumerate(r.departments):
            self.department_review(dept, new_page=n > 0)
        self.part_banner(2)
        for chapter in r.chapters:
            self.canvas.para(f"{LEVEL0_MARK} {chapter.number}. {chapter.title}", L.SUBHEADING, L.item_para(0, "○", 11))
        for chapter in r.chapters:
            self.chapter(chapter)

    def department(self, name: str, dept: Department | None, chapters: list[Chapter]) -> None:
        r = self.report
        self.canvas.para(f"{r.year}년 {r.title} · {name}", L.CAPTION, Para(align="RIGHT", line=130))
        if dept is not None:
            self.part_banner(1, new_page=False)
            self.department_review(dept, new_page=False)
        for chapter in chapters:
            self.chapter(chapter)

    def single_program(self, program: Program) -> None:
        r = self.report
        caption = f"{r.year}년 {r.title} · {program.department}"
        self.canvas.para(caption, L.CAPTION, Para(align="RIGHT", line=130))
        self.program(program, new_page=False)

    # -- pieces

    def cover(self) -> None:
        r, c = self.report, self.canvas
        centre = Para(align="CENTER", line=130)
        c.para(r.meeting, L.COVER_MEETING, Para(align="CENTER", before=110, line=130))
        c.para(r.committee, L.COVER_COMMITTEE, centre)
        lines = [x.strip() for x in r.subtitle.split("\n") if x.strip()]
        for n, line in enumerate(lines):
            c.para(line, L.COVER_SUBTITLE, Para(align="CENTER", before=60 if n == 0 else 6, line=130))
        c.para(r.title, L.COVER_TITLE, Para(align="CENTER", before=40 if lines else 160, after=20, line=130))
        c.para(r.date_label, L.COVER_DATE, Para(align="CENTER", before=90, line=130))
        c.para(r.institute, L.COVER_INSTITUTE, Para(align="CENTER", before=120, line=130))

    def contents(self) -> None:
        r, c = self.report, self.canvas
        c.para(TOC_TITLE, L.TOC_TITLE, Para(align="CENTER", after=14, line=130), page_break=True)
        rows: list[tuple[str, L.Run, int, str]] = [(f"{PARTS[0][0]}. {PARTS[0][1]}", L.TOC_PART, 0, "part1")]
        rows += [(tf.FRONT_HEADINGS[k], L.TOC_ENTRY, 1, f"front{n}") for n, k in enumerate(FRONT_KEYS)]
        rows.append((f"{PARTS[1][0]}. {PARTS[1][1]}", L.TOC_PART, 0, "part2"))
        rows += [(f"{d.order}. {d.name}", L.TOC_ENTRY, 1, f"dept{n}") for n, d in enumerate(r.departments)]
        rows.append((f"{PARTS[2][0]}. {PARTS[2][1]}", L.TOC_PART, 0, "part3"))
        for n, chapter in enumerate(r.chapters):
            rows.append((f"{chapter.number}. {chapter.title}", L.TOC_ENTRY, 1, f"chap{n}"))
            rows += [(f"{p.code} {p.title}", L.TOC_ENTRY, 2, f"prog:{p.code}") for p in chapter.programs]
        table = c.table(tables.page_list([(t, run, i) for t, run, i, _ in rows], [""] * len(rows)))
        for n, (*_rest, key) in enumerate(rows):
            self.anchors.page_cells.append((table, n, 1, key))

    def part_banner(self, index: int, *, new_page: bool = True) -> None:
        numeral, title = PARTS[index]
        spec = tables.number_bar(numeral, title, L.PART_NUMBER, L.PART_TITLE, 14, L.mm(12))
        table = self.canvas.table(spec, page_break=new_page)
        self.anchors.targets[f"part{index + 1}"] = table.paragraph
        self.canvas.blank(8)

    def heading(self, text: str, key: str = "") -> HwpxOxmlParagraph:
        paragraph = self.canvas.para(text, L.HEADING, Para(align="LEFT", before=12, after=4, keep_with_next=True))
        if key:
            self.anchors.targets[key] = paragraph
        return paragraph

    def section_heading(self, title: str) -> HwpxOxmlParagraph:
        """□ heading of a program section or of a department's evaluation."""
        shape = Para(
            align="LEFT", left=0, indent=-L.hang(tf.SECTION_MARK, 12.5), before=11, after=3, keep_with_next=True
        )
        return self.canvas.para(f"{tf.SECTION_MARK} {title}", L.SECTION, shape)

    def subheading(self, title: str) -> None:
        shape = L.item_para(0, LEVEL0_MARK, 11)
        shape = Para(shape.align, shape.left, shape.indent, before=4, keep_with_next=True)
        self.canvas.para(f"{LEVEL0_MARK} {title}", L.SUBHEADING, shape)

    def outline(self, outline: Outline) -> None:
        for item in outline:
            self.item(item)

    def item(self, item: OutlineItem) -> None:
        level = max(item.level, 0)
        if item.kind is ItemKind.TABLE:
            rows = [list(r) for r in item.table or []]
            if any(rows):  # a table without a single cell prints nothing, as an empty one
                indent = L.marker_x(level)
                self.canvas.table(tables.grid_table(rows[:1], rows[1:], L.BODY_WIDTH - indent, indent))
            return
        mark, _text = item_mark(item)
        note = item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE)
        run = L.NOTE if note else L.BODY
        self.canvas.para(item_line(item), run, L.item_para(level, mark, run.size))

    # -- I

    def front(self) -> None:
        r, c = self.report, self.canvas
        front = r.front
        titles = [tf.FRONT_HEADINGS[k] for k in FRONT_KEYS]
        self.heading(titles[0], "front0")
        c.table(tables.history_table(front.history))
        self.heading(titles[1], "front1")
        if front.organization:
            c.para(front.organization, L.BODY, L.item_para(0, "", L.BODY.size))
        for n, simple in ((2, front.staffing), (3, front.facilities), (4, front.budget_overview)):
            self.heading(titles[n], f"front{n}")
            if simple.caption:
                c.para(simple.caption, L.CAPTION, Para(align="RIGHT", line=130))
            spec = tables.simple_table(simple)
            if spec is not None:
                c.table(spec)
            if n == 2 and front.staffing_notes:
                self.outline(front.staffing_notes)
        self.heading(titles[5], "front5")
        c.para(summary_caption(r), L.CAPTION, Para(align="RIGHT", line=130))
        table = c.table(tables.summary_table(r, {}))
        for n, program in enumerate(r.programs(), start=2):
            self.anchors.page_cells.append((table, n, 8, f"prog:{program.code}"))
        self.progress.step()

    # -- II

    def department_review(self, dept: Department, *, new_page: bool) -> None:
        self.progress.check()
        index = self.report.departments.index(dept)
        paragraph = self.heading(f"{dept.order}. {dept.name}", f"dept{index}")
        if new_page:
            paragraph.element.set("pageBreak", "1")
        for part in T.SECTION_II_PARTS:
            outline: Outline = T.get(dept, part)
            if outline or self.editable:
                self.section_heading(part.heading)
                self.outline(outline)
        self.progress.step()

    # -- III

    def chapter(self, chapter: Chapter) -> None:
        """The chapter's title page (programs, author blocks), then its programs."""
        c = self.canvas
        index = self.report.chapters.index(chapter)
        spec = tables.number_bar(str(chapter.number), chapter.title, L.CHAPTER_NUMBER, L.CHAPTER_TITLE, 20, L.mm(18))
        table = c.table(spec, page_break=True)
        self.anchors.targets[f"chap{index}"] = table.paragraph
        c.blank(20)
        rows = [(f"{p.code}. {p.title}", L.LIST_ENTRY, 0) for p in chapter.programs]
        listing = c.table(tables.page_list(rows, [""] * len(rows)))
        for n, p in enumerate(chapter.programs):
            self.anchors.page_cells.append((listing, n, 1, f"prog:{p.code}"))
        self.author_blocks(chapter)
        self.progress.step()
        for program in chapter.programs:
            self.program(program)

    def author_blocks(self, chapter: Chapter) -> None:
        blocks = sorted(chapter.author_blocks, key=lambda b: b.before_program)
        for n, block in enumerate(blocks):
            label = run_label(chapter, blocks, n) if len(blocks) > 1 else ""
            lines: dict[int, list[str]] = {}
            for e in block.entries:
                role = f"{e.role}: " if e.role else ""
                lines.setdefault(e.line, []).append(f"{role}{e.name} {tf.PHONE_MARK} {e.phone}".strip())
            caption = block.caption.replace(" ", "") or tf.AUTHOR_CAPTION
            captions = [(caption, L.AUTHOR_CAPTION)] + ([(f"({label})", L.AUTHOR_CAPTION)] if label else [])
            people = [("   ".join(parts), L.AUTHOR) for _, parts in sorted(lines.items())] or [("", L.AUTHOR)]
            cap_w = L.mm(22)
            spec = TableSpec(
                cells=[
                    [
                        CellSpec(box=L.AUTHOR_CAPTION_BOX, lines=captions),
                        CellSpec(box=L.AUTHOR_BOX, align="LEFT", lines=people),
                    ]
                ],
                widths=[cap_w, L.BODY_WIDTH - cap_w],
                heights=[L.mm(14)],
            )
            self.canvas.blank(10)
            self.canvas.table(spec)

    def program(self, program: Program, *, new_page: bool = True) -> None:
        """A program in template order: its title bar, then each section with its parts."""
        self.progress.check()
        table = self.canvas.table(tables.program_bar(program.code, program.title), page_break=new_page)
        self.anchors.programs[program.code] = table.paragraph
        self.anchors.targets[f"prog:{program.code}"] = table.paragraph
        year = self.report.year
        for section in T.PROGRAM_SECTIONS:
            if not (self.editable or any(self._has(program, part) for part in section.parts)):
                continue
            self.section_heading(section.heading_for(year))
            for part in section.parts:
                self.part(program, section, part)
        self.progress.step()

    def _has(self, program: Program, part: T.Part) -> bool:
        value = T.get(program, part)
        if part.kind is T.PartKind.TARGETS:
            return isinstance(value, Targets) and bool(value.rows)
        if part.kind is T.PartKind.BUDGET:
            return value is not None
        return bool(value)

    def part(self, program: Program, section: T.Section, part: T.Part) -> None:
        year = self.report.year
        value = T.get(program, part)
        if part.kind is T.PartKind.TARGETS:
            targets = value if isinstance(value, Targets) else None
            if (targets is not None and targets.rows) or self.editable:
                self.canvas.table(tables.targets_table(targets or Targets()))
            return
        if part.kind is T.PartKind.BUDGET:
            budget = value if isinstance(value, BudgetTable) else None
            if budget is None and self.editable:
                budget = BudgetTable(unit=self.report.unit, as_of=self.report.as_of)
            if budget is not None:
                self.canvas.para(budget_caption(budget), L.CAPTION, Para(align="RIGHT", line=130, keep_with_next=True))
                self.canvas.table(tables.budget_table(self.report, budget))
            return
        if part.kind is not T.PartKind.OUTLINE:
            return
        if part.optional_parent and T.get(program, T.part(part.optional_parent)) is None:
            return
        outline: Outline = value
        heading = part.heading_for(year)
        if part == T.PLAN_IMPROVEMENTS:
            if outline or self.editable:
                self.improvements(heading, outline)
            return
        if heading and heading != section.heading_for(year) and (outline or self.editable):
            self.subheading(heading)
        self.outline(outline)

    def improvements(self, heading: str, outline: Outline) -> None:
        """The year's key improvements: a box holding the label and the items."""
        lines: list[tuple[str, L.Run, Para]] = [(heading, L.LABEL, Para(align="LEFT", line=130))]
        for item in outline:
            if item.kind is ItemKind.TABLE:
                continue  # a table cannot sit in the box's text; printed after it
            mark, _ = item_mark(item)
            run = L.NOTE if item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE) else L.BODY
            lines.append((item_line(item), run, L.item_para(max(item.level, 0), mark, run.size)))
        spec = tables.label_box(lines)
        table = self.canvas.table(spec)
        cell = table.cell(0, 0)
        for paragraph, (_text, _run, shape) in zip(cell.paragraphs, lines, strict=True):
            self.canvas.st.apply(paragraph, shape)
        for item in outline:
            if item.kind is ItemKind.TABLE:
                self.item(item)


def department_chapters(report: Report, name: str) -> list[Chapter]:
    return [c for c in report.chapters if c.department == name]


def creation_time() -> str:
    """Now, as the document properties keep it (UTC, ISO 8601 with Z)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
