"""The report as a platypus story: cover, contents, I, II, III, or one department's section.

The program template, section II and the front matter are walked as
:mod:`seri_desktop.domain.template` declares them (order, printed headings
with the year, sub-headings, table columns); nothing here lists them again.

Every part, department, chapter and program starts on a new page behind an
:class:`~.flowables.Anchor`, so the page it lands on is known when the file
is saved; the contents, the chapter pages and the budget summary refer to
those pages.

The story is a list of :class:`Segment` s, each made into flowables only
when the layout reaches it (a thousand programs are never held as
paragraphs at once). A segment that starts a page can also start a separate
document: that is how the parallel build cuts the report in two, at a chapter
or at a program.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from seri_desktop.domain import template as T
from seri_desktop.domain.model import BudgetTable, Chapter, Department, Program, Report, Targets
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.blocks import (
    author_blocks,
    dotted_style,
    history_table,
    label_box,
    number_bar,
    page_list,
    para,
    section_heading,
)
from seri_desktop.formats.pdf.document import BODY_TEMPLATE
from seri_desktop.formats.pdf.flowables import Anchor, KeepRoom, Milestone, PageLog, PageRef, TailGuard, TitlePage
from seri_desktop.formats.pdf.outline import LEVEL0_MARK, outline_flowables
from seri_desktop.formats.pdf.styles import Styles
from seri_desktop.formats.pdf.tables import budget_table, grid_table, summary_table, targets_table
from seri_desktop.formats.printed import budget_caption, summary_caption

PROGRAMS_HEADING = "주요업무"
PARTS = (("Ⅰ", T.FRONT_HEADING), ("Ⅱ", T.SECTION_II_HEADING), ("Ⅲ", PROGRAMS_HEADING))
TOC_TITLE = "목  차"
# The last page of a program or a department's review holds at least this much (the rest is white).
TAIL_MIN = 0.2 * S.BODY_HEIGHT
# Room a table's heading needs with the table's header and first rows before the page ends.
TABLE_START = 120.0
# The printed parts of I (the staffing notes print under the staffing table, without a heading).
FRONT_PRINTED: tuple[T.Part, ...] = tuple(p for p in T.FRONT_PARTS if p.heading)


@dataclass
class Segment:
    """A run of the story made when laid out; ``new_page``: it starts a page (and may start a document)."""

    make: Callable[[], list[Flowable]]
    new_page: bool
    cost: int = 1  # a rough measure of its layout work, for sharing chapters between processes
    milestone: bool = True
    chapter: int | None = None  # the chapter it belongs to (None: the front of the report)


@dataclass
class Story:
    """The segments plus what the document needs to report on them."""

    segments: list[Segment] = field(default_factory=list)
    program_keys: dict[str, str] = field(default_factory=dict)  # program code → anchor key

    @property
    def units(self) -> int:
        """Milestones in the story: the progress total, less the final save."""
        return sum(1 for s in self.segments if s.milestone)

    def flowables(self, segments: list[Segment] | None = None) -> Iterator[list[Flowable]]:
        """The flowables of ``segments`` (default: all), one segment at a time; the first opens no page."""
        for n, seg in enumerate(self.segments if segments is None else segments):
            out: list[Flowable] = [PageBreak()] if seg.new_page and n else []
            out += seg.make()
            if seg.milestone:
                out.append(Milestone())
            yield out


class StoryBuilder:
    """Builds the story of the whole report or of one department."""

    def __init__(self, report: Report, st: Styles, log: PageLog) -> None:
        self.report = report
        self.st = st
        self.log = log
        self.story = Story()
        # Keys are assigned up front so that the contents can refer to pages laid out later.
        self.story.program_keys = {p.code: f"prog{n}" for n, p in enumerate(report.programs())}

    def add(self, make: Callable[[], list[Flowable]], *, new_page: bool, **kw: Any) -> None:
        self.story.segments.append(Segment(make, new_page, **kw))

    # -- the two documents

    def whole_report(self) -> Story:
        """Cover, contents, I, II (every department), III (every chapter and program)."""
        r = self.report
        programs = sum(len(c.programs) for c in r.chapters)
        front = r.front
        tables = sum(len(t.rows) for t in (front.staffing, front.facilities, front.budget_overview))
        self.add(
            lambda: [NextPageTemplate(BODY_TEMPLATE), PageBreak(), *self.contents()],
            new_page=False,
            cost=10 + programs + len(r.chapters),
        )
        self.add(
            lambda: [*self.part_banner(0), *self.guarded(self.front())],
            new_page=True,
            cost=30 + len(front.history) + tables + 2 * programs,
        )
        for n, dept in enumerate(r.departments):
            first = n == 0

            def review(dept: Department = dept, n: int = n, first: bool = first) -> list[Flowable]:
                banner = self.part_banner(1) if first else []
                return [*banner, *self.department_review(dept, n, level=1)]

            self.add(review, new_page=True, cost=_review_cost(dept))
        self.add(lambda: [*self.part_banner(2), *self.chapter_list()], new_page=True, milestone=False)
        for n, chapter in enumerate(r.chapters):
            self.chapter(chapter, n, level=1)
        return self.story

    def department(self, name: str, dept: Department | None, chapters: list[Chapter]) -> Story:
        """A department's section: its II, its chapters' title pages and its programs."""
        r = self.report

        def opening() -> list[Flowable]:
            out: list[Flowable] = [para(f"{r.year}년 {r.title} · {name}", self.st.caption, self.st), Spacer(1, 4)]
            if dept is not None:
                out += self.part_banner(1, level=0)
                out += self.department_review(dept, r.departments.index(dept), level=1)
            return out

        self.add(opening, new_page=False, milestone=dept is not None, cost=1 if dept is None else _review_cost(dept))
        for chapter in chapters:
            self.chapter(chapter, r.chapters.index(chapter), level=0)
        return self.story

    # -- shared pieces

    def part_banner(self, index: int, *, level: int = 0) -> list[Flowable]:
        numeral, title = PARTS[index]
        bar = number_bar(
            numeral, title, self.st.part_number, self.st.part_title, self.st, number_width=40, pad=6, space_after=10
        )
        return [Anchor(self.log, f"part{index + 1}", f"{numeral}. {title}", level), bar]

    def heading(self, text: str, key: str, level: int = 1, *, keep: bool = True) -> list[Flowable]:
        """A numbered heading of the front matter or of section II, with its anchor."""
        p = para(text, self.st.heading, self.st)
        if not keep:
            p.keepWithNext = 0
        return [Anchor(self.log, key, text, level), p]

    def page_ref(self, program: Program) -> Flowable:
        """The page where ``program`` starts, centred in a summary table cell."""
        key = self.story.program_keys[program.code]
        return PageRef(self.log, key, self.st.faces.sans, S.TABLE_SIZE, S.TABLE_LEADING, align="center")

    def guarded(self, content: list[Flowable]) -> list[Flowable]:
        """``content`` whose last page is never nearly empty (see :class:`TailGuard`)."""
        return [TailGuard(content, TAIL_MIN, S.BODY_HEIGHT)] if content else []

    # -- contents

    def contents(self) -> list[Flowable]:
        st = self.st
        r = self.report
        keys = self.story.program_keys
        part = dotted_style(st.toc_part, 0, space_before=7)
        entry = dotted_style(st.toc_entry, 12, space_before=2)
        program = dotted_style(st.toc_entry, 30, space_before=0, size=st.toc_entry.fontSize - 0.5)
        rows: list[tuple[str, ParagraphStyle, str]] = [(f"{PARTS[0][0]}. {PARTS[0][1]}", part, "part1")]
        rows += [(title, entry, f"front{n}") for n, title in enumerate(self.front_titles())]
        rows.append((f"{PARTS[1][0]}. {PARTS[1][1]}", part, "part2"))
        rows += [(f"{d.order}. {d.name}", entry, f"dept{n}") for n, d in enumerate(r.departments)]
        rows.append((f"{PARTS[2][0]}. {PARTS[2][1]}", part, "part3"))
        for n, chapter in enumerate(r.chapters):
            rows.append((f"{chapter.number}. {chapter.title}", entry, f"chap{n}"))
            rows += [(f"{p.code} {p.title}", program, keys[p.code]) for p in chapter.programs]
        return [
            Anchor(self.log, "toc", "목차", 0),
            para(TOC_TITLE, st.toc_title, st),
            page_list(rows, self.log, st, S.BODY_WIDTH),
        ]

    def front_titles(self) -> list[str]:
        return [f"{n}. {p.heading}" for n, p in enumerate(FRONT_PRINTED, start=1)]

    # -- I

    def front(self) -> list[Flowable]:
        st = self.st
        r = self.report
        titles = dict(zip(FRONT_PRINTED, self.front_titles(), strict=True))
        out: list[Flowable] = []
        for part in T.FRONT_PARTS:
            value = T.get(r, part)
            key = f"front{FRONT_PRINTED.index(part)}" if part in FRONT_PRINTED else ""
            if part.kind is T.PartKind.HISTORY:
                out += [*self.heading(titles[part], key), history_table(value, st)]
            elif part.kind is T.PartKind.TEXT:
                out += self.heading(titles[part], key)
                if value:
                    out.append(para(value, st.text(0), st))
            elif part.kind is T.PartKind.TABLE:
                out += self.front_table(titles[part], key, value)
            elif part.kind is T.PartKind.OUTLINE:
                if value:  # notes under the table before them (정·현원)
                    out += [Spacer(1, 3), *outline_flowables(value, st)]
            elif part.kind is T.PartKind.SUMMARY:
                out += [
                    KeepRoom(TABLE_START),
                    *self.heading(titles[part], key, keep=False),
                    self.caption(summary_caption(r)),
                    summary_table(r, st, self.page_ref),
                ]
        return out

    def front_table(self, title: str, key: str, table: Any) -> list[Flowable]:
        out: list[Flowable] = [KeepRoom(TABLE_START), *self.heading(title, key, keep=False)]
        if table.caption:
            out.append(self.caption(table.caption))
        if table.header or table.rows:
            out.append(grid_table(table.header, table.rows, self.st, S.BODY_WIDTH))
        return out

    def caption(self, text: str) -> Flowable:
        """A caption right above a table: it starts a page with the table (see :data:`TABLE_START`)."""
        p = para(text, self.st.caption, self.st)
        p.keepWithNext = 0
        return p

    # -- II

    def department_review(self, dept: Department, index: int, *, level: int) -> list[Flowable]:
        """A department's 성과 / 한계 / 개선 방향."""
        body: list[Flowable] = []
        for part in T.SECTION_II_PARTS:
            outline = T.get(dept, part)
            if outline:
                body += [section_heading(part.heading, self.st), *outline_flowables(outline, self.st)]
        # The heading goes inside the guard: kept with what follows, it would take the guard along whole.
        return self.guarded([*self.heading(f"{dept.order}. {dept.name}", f"dept{index}", level), *body])

    # -- III

    def chapter_list(self) -> list[Flowable]:
        """The chapters under the Ⅲ banner."""
        return [
            para(f"{c.number}. {c.title}", self.st.item(0), self.st, bulletText=LEVEL0_MARK)
            for c in self.report.chapters
        ]

    def chapter(self, chapter: Chapter, index: int, *, level: int) -> None:
        """The chapter's title page (programs with their pages, author blocks), then its programs."""
        self.add(lambda: self.chapter_page(chapter, index, level=level), new_page=True, chapter=index, cost=15)
        for program in chapter.programs:

            def make(program: Program = program) -> list[Flowable]:
                return self.program(program, level + 1)

            self.add(make, new_page=True, cost=_program_cost(program), chapter=index)

    def chapter_page(self, chapter: Chapter, index: int, *, level: int) -> list[Flowable]:
        st = self.st
        banner = number_bar(
            str(chapter.number), chapter.title, st.chapter_number, st.chapter_title, st, number_width=56, pad=12
        )
        entry = dotted_style(st.list_entry, 0, space_before=3)
        keys = self.story.program_keys
        programs = page_list(
            [(f"{p.code}. {p.title}", entry, keys[p.code]) for p in chapter.programs], self.log, st, S.BODY_WIDTH - 40
        )
        top: list[Flowable] = [
            Anchor(self.log, f"chap{index}", f"{chapter.number}. {chapter.title}", level),
            banner,
            Spacer(1, 28),
            programs,
        ]
        return [TitlePage(top, author_blocks(chapter, st))]

    def program(self, program: Program, level: int) -> list[Flowable]:
        """A program in template order, on a new page."""
        st = self.st
        bar = number_bar(
            program.code, program.title, st.program_code, st.program_title, st, number_width=50, pad=5, space_after=4
        )
        key = self.story.program_keys[program.code]
        head: list[Flowable] = [Anchor(self.log, key, f"{program.code} {program.title}", level), bar]
        return [*head, *self.guarded(list(self.program_sections(program)))]

    def program_sections(self, p: Program) -> Iterator[Flowable]:
        """The template's sections in order: a □ heading, then its parts (sub-headings, outlines, tables)."""
        st = self.st
        year = self.report.year
        for sec in T.PROGRAM_SECTIONS:
            parts = [(part, T.get(p, part)) for part in sec.parts]
            parts = [(part, value) for part, value in parts if _printable(part, value)]
            if not parts:
                continue
            heading = section_heading(sec.heading_for(year), st)
            if parts[0][0].kind in (T.PartKind.TARGETS, T.PartKind.BUDGET):
                # A table right under its heading: the heading keeps the table's first rows, not all of it.
                heading.keepWithNext = 0
                yield KeepRoom(TABLE_START)
            yield heading
            for n, (part, value) in enumerate(parts):
                yield from self.program_part(part, value, year, last=n == len(parts) - 1)

    def program_part(self, part: T.Part, value: Any, year: int, *, last: bool) -> Iterator[Flowable]:
        st = self.st
        if part.kind is T.PartKind.TARGETS:
            yield Spacer(1, 2)
            yield targets_table(value, st, S.BODY_WIDTH)
        elif part.kind is T.PartKind.BUDGET:
            yield self.caption(budget_caption(value))
            yield budget_table(self.report, value, st, S.BODY_WIDTH)
        elif part is T.PLAN_IMPROVEMENTS:
            yield label_box(part.heading_for(year), st)
            yield from outline_flowables(value, st)
            if not last:
                yield Spacer(1, 4)
        elif _is_subheading(part):
            yield para(part.heading_for(year), st.subsection, st, bulletText=LEVEL0_MARK)
            yield from outline_flowables(value, st)
        else:
            if part is T.BUDGET_NOTES:
                yield Spacer(1, 3)
            yield from outline_flowables(value, st)


def _is_subheading(part: T.Part) -> bool:
    """A part printed under a sub-heading of its own inside its section ("○ 목적")."""
    return bool(part.heading) and part.heading != T.section(part.section).heading


def _printable(part: T.Part, value: Any) -> bool:
    if part.kind is T.PartKind.TARGETS:
        return isinstance(value, Targets) and bool(value.rows)
    if part.kind is T.PartKind.BUDGET:
        return isinstance(value, BudgetTable)
    return bool(value)


def _review_cost(dept: Department) -> int:
    """About how much layout a department's review (section II) is: its outline items."""
    return 10 + sum(len(T.get(dept, part)) for part in T.SECTION_II_PARTS)


def _program_cost(program: Program) -> int:
    """About how much layout a program is: its outline items and table rows."""
    items = sum(len(T.get(program, part)) for part in T.PROGRAM_OUTLINE_PARTS)
    rows = (len(program.targets.rows) if program.targets else 0) + (
        len(program.budget.lines) * 3 if program.budget else 0
    )
    return 10 + items + rows
