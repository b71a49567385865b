"""The report as a platypus story: cover, contents, I, II, III, or one department's section.

Every part, department, chapter and program starts on a new page behind an
:class:`~.flowables.Anchor`, so the page it lands on is known when the file
is saved; the contents, the chapter pages and the budget summary refer to
those pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from seri_desktop.domain.model import BudgetTable, Chapter, Department, Outline, Program, Report
from seri_desktop.formats import text_format as tf
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
from seri_desktop.formats.pdf.document import BODY_TEMPLATE, Progress
from seri_desktop.formats.pdf.flowables import Anchor, AtBottom, Milestone, PageLog, PageRef
from seri_desktop.formats.pdf.outline import LEVEL0_MARK, outline_flowables
from seri_desktop.formats.pdf.styles import Styles
from seri_desktop.formats.pdf.tables import budget_table, grid_table, summary_table, targets_table
from seri_desktop.formats.pdf.text import as_of_label

PARTS = (("Ⅰ", "일반 현황"), ("Ⅱ", "업무 평가 및 개선 방향"), ("Ⅲ", "주요업무"))
TOC_TITLE = "목  차"
FRONT_KEYS = ("history", "organization", "staffing", "facilities", "budget_overview", "budget_summary")


@dataclass
class Story:
    """Flowables plus what the document needs to report on them."""

    flowables: list[Flowable] = field(default_factory=list)
    units: int = 0  # Milestones in the story: the progress total, less the final save
    program_keys: dict[str, str] = field(default_factory=dict)  # program code → anchor key

    def add(self, *flowables: Flowable) -> None:
        self.flowables.extend(flowables)

    def milestone(self) -> None:
        self.flowables.append(Milestone())
        self.units += 1


class StoryBuilder:
    """Builds the story of the whole report or of one department."""

    def __init__(self, report: Report, st: Styles, log: PageLog, progress: Progress) -> None:
        self.report = report
        self.st = st
        self.log = log
        self.progress = progress
        self.story = Story()
        # Keys are assigned up front so that the contents can refer to pages laid out later.
        self.story.program_keys = {p.code: f"prog{n}" for n, p in enumerate(report.programs())}

    # -- the two documents

    def whole_report(self) -> Story:
        """Cover, contents, I, II (every department), III (every chapter and program)."""
        r = self.report
        self.story.add(NextPageTemplate(BODY_TEMPLATE), PageBreak())
        self.contents()
        self.story.milestone()
        self.part_banner(0, new_page=True)
        self.front()
        self.story.milestone()
        self.part_banner(1, new_page=True)
        for n, dept in enumerate(r.departments):
            self.department_review(dept, n, level=1, new_page=n > 0)
        self.part_banner(2, new_page=True)
        for chapter in r.chapters:
            self.story.add(para(f"{chapter.number}. {chapter.title}", self.st.item(0), self.st, bulletText=LEVEL0_MARK))
        for n, chapter in enumerate(r.chapters):
            self.chapter(chapter, n, level=1)
        return self.story

    def department(self, name: str, dept: Department | None, chapters: list[Chapter]) -> Story:
        """A department's section: its II, its chapters' title pages and its programs."""
        r = self.report
        self.story.add(para(f"{r.year}년 {r.title} · {name}", self.st.caption, self.st), Spacer(1, 4))
        if dept is not None:
            self.part_banner(1, level=0)
            self.department_review(dept, r.departments.index(dept), level=1, new_page=False)
        for chapter in chapters:
            self.chapter(chapter, r.chapters.index(chapter), level=0)
        return self.story

    # -- shared pieces

    def part_banner(self, index: int, *, new_page: bool = False, level: int = 0) -> None:
        numeral, title = PARTS[index]
        if new_page:
            self.story.add(PageBreak())
        bar = number_bar(
            numeral, title, self.st.part_number, self.st.part_title, self.st, number_width=40, pad=6, space_after=10
        )
        self.story.add(Anchor(self.log, f"part{index + 1}", f"{numeral}. {title}", level), bar)

    def heading(self, text: str, key: str, level: int = 1) -> None:
        """A numbered heading of the front matter or of section II, with its anchor."""
        self.story.add(Anchor(self.log, key, text, level), para(text, self.st.heading, self.st))

    def outline(self, outline: Outline) -> list[Flowable]:
        return outline_flowables(outline, self.st)

    def page_ref(self, program: Program) -> Flowable:
        """The page where ``program`` starts, centred in a summary table cell."""
        key = self.story.program_keys[program.code]
        return PageRef(self.log, key, self.st.faces.sans, S.TABLE_SIZE, S.TABLE_LEADING, align="center")

    # -- contents

    def contents(self) -> None:
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
        self.story.add(
            Anchor(self.log, "toc", "목차", 0),
            para(TOC_TITLE, st.toc_title, st),
            page_list(rows, self.log, st, S.BODY_WIDTH),
        )

    def front_titles(self) -> list[str]:
        return [tf.FRONT_HEADINGS[k] for k in FRONT_KEYS]

    # -- I

    def front(self) -> None:
        st = self.st
        front = self.report.front
        titles = self.front_titles()
        self.heading(titles[0], "front0")
        self.story.add(history_table(front.history, st))
        self.heading(titles[1], "front1")
        if front.organization:
            self.story.add(para(front.organization, st.text(0), st))
        for n, table in ((2, front.staffing), (3, front.facilities), (4, front.budget_overview)):
            self.heading(titles[n], f"front{n}")
            if table.caption:
                self.story.add(para(table.caption, st.caption, st))
            if table.header or table.rows:
                self.story.add(grid_table(table.header, table.rows, st, S.BODY_WIDTH))
            if n == 2 and front.staffing_notes:
                self.story.add(Spacer(1, 3), *self.outline(front.staffing_notes))
        self.heading(titles[5], "front5")
        self.story.add(para(self.summary_caption(), st.caption, st), summary_table(self.report, st, self.page_ref))

    def summary_caption(self) -> str:
        r = self.report
        if r.front.budget_summary_caption:
            return r.front.budget_summary_caption
        if r.as_of is None:
            return f"(단위: {r.unit})"
        return f"(단위: {r.unit}, {as_of_label(r.as_of.year, r.as_of.month, r.as_of.day)})"

    # -- II

    def department_review(self, dept: Department, index: int, *, level: int, new_page: bool) -> None:
        """A department's 성과 / 한계 / 개선 방향."""
        self.progress.check()
        if new_page:
            self.story.add(PageBreak())
        self.heading(f"{dept.order}. {dept.name}", f"dept{index}", level)
        for key, title in tf.REVIEW_TITLES.items():
            outline: Outline = getattr(dept, key)
            if outline:
                self.story.add(section_heading(title, self.st), *self.outline(outline))
        self.story.milestone()

    # -- III

    def chapter(self, chapter: Chapter, index: int, *, level: int) -> None:
        """The chapter's title page (programs with their pages, author blocks), then its programs."""
        st = self.st
        banner = number_bar(
            str(chapter.number), chapter.title, st.chapter_number, st.chapter_title, st, number_width=56, pad=12
        )
        entry = dotted_style(st.list_entry, 0, space_before=3)
        keys = self.story.program_keys
        programs = page_list(
            [(f"{p.code}. {p.title}", entry, keys[p.code]) for p in chapter.programs], self.log, st, S.BODY_WIDTH - 40
        )
        self.story.add(
            PageBreak(),
            Anchor(self.log, f"chap{index}", f"{chapter.number}. {chapter.title}", level),
            Spacer(1, 60),
            banner,
            Spacer(1, 28),
            programs,
        )
        blocks = author_blocks(chapter, st)
        if blocks:
            self.story.add(AtBottom(blocks))
        self.story.milestone()
        for program in chapter.programs:
            self.program(program, level + 1)

    def program(self, program: Program, level: int) -> None:
        """A program in template order, on a new page."""
        self.progress.check()
        st = self.st
        bar = number_bar(
            program.code, program.title, st.program_code, st.program_title, st, number_width=50, pad=5, space_after=4
        )
        key = self.story.program_keys[program.code]
        self.story.add(PageBreak(), Anchor(self.log, key, f"{program.code} {program.title}", level), bar)
        self.story.add(*self.program_sections(program))
        self.story.milestone()

    def program_sections(self, p: Program) -> Iterator[Flowable]:
        st = self.st
        year = self.report.year
        ov = p.overview
        if any((ov.lead, ov.purpose, ov.basis, ov.contents)):
            yield section_heading(tf.SECTION_TITLES[tf.SECTION_OVERVIEW], st)
            yield from self.outline(ov.lead)
            for key, title in tf.SUBHEADING_TITLES.items():
                outline: Outline = getattr(ov, key)
                if outline:
                    yield para(title, st.subsection, st, bulletText=LEVEL0_MARK)
                    yield from self.outline(outline)
        if p.previous_achievements:
            yield section_heading(tf.previous_achievements_heading(year), st)
            yield from self.outline(p.previous_achievements)
        if p.targets is not None and p.targets.rows:
            yield section_heading(tf.SECTION_TITLES[tf.SECTION_TARGETS], st)
            yield Spacer(1, 2)
            yield targets_table(p.targets, st, S.BODY_WIDTH)
        if p.plan.improvements or p.plan.items:
            yield section_heading(tf.SECTION_TITLES[tf.SECTION_PLAN], st)
            if p.plan.improvements:
                yield label_box(tf.improvements_heading(year), st)
                yield from self.outline(p.plan.improvements)
                if p.plan.items:
                    yield Spacer(1, 4)
            yield from self.outline(p.plan.items)
        for key, outline in ((tf.SECTION_ACHIEVEMENTS, p.achievements), (tf.SECTION_SCHEDULE, p.schedule)):
            if outline:
                yield section_heading(tf.SECTION_TITLES[key], st)
                yield from self.outline(outline)
        if p.budget is not None:
            yield section_heading(tf.SECTION_TITLES[tf.SECTION_BUDGET], st)
            yield para(budget_caption(p.budget), st.caption, st)
            yield budget_table(self.report, p.budget, st, S.BODY_WIDTH)
            if p.budget.notes:
                yield Spacer(1, 3)
                yield from self.outline(p.budget.notes)
        if p.issues:
            yield section_heading(tf.SECTION_TITLES[tf.SECTION_ISSUES], st)
            yield from self.outline(p.issues)


def budget_caption(budget: BudgetTable) -> str:
    """ "(단위: 천원, '24.6.30.기준)" above a budget table."""
    if budget.as_of is None:
        return f"(단위: {budget.unit})"
    d = budget.as_of
    return f"(단위: {budget.unit}, {as_of_label(d.year, d.month, d.day)})"
