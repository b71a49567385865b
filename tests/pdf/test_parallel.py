"""The report laid out in two processes and joined: the same pages, numbers, contents and bookmarks as in one."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pypdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from seri_desktop.domain.model import Chapter, Department, ItemKind, OutlineItem, Program, Report
from seri_desktop.formats.pdf import PdfCancelled, build_department_pdf, build_report_pdf, parallel
from seri_desktop.formats.pdf.flowables import PageLog
from seri_desktop.formats.pdf.join import Bookmark, join_pdfs
from seri_desktop.formats.pdf.story import StoryBuilder
from seri_desktop.formats.pdf.styles import styles_for
from seri_desktop.formats.pdf.typefaces import load_typefaces
from seri_desktop.formats.text_import import ImportResult


def _outline(pdf: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, pdf.get_destination_page_number(item) + 1))

    walk(pdf.outline, 0)
    return out


def _canvas_pdf(path: Path, texts: list[str]) -> None:
    canv = Canvas(str(path))
    canv.setTitle("첫 파일")
    for text in texts:
        canv.beginForm(f"f-{text}")
        canv.drawString(0, 0, f"form {text}")
        canv.endForm()
        canv.drawString(72, 720, text)
        canv.doForm(f"f-{text}")
        canv.showPage()
    canv.save()


def test_join_keeps_pages_in_order_with_their_resources_and_writes_one_outline(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "out.pdf"
    _canvas_pdf(a, ["one", "two"])
    _canvas_pdf(b, ["three", "four", "five"])
    marks = [
        Bookmark("part", 0, 0),
        Bookmark("chapter", 1, 1, closed=True),
        Bookmark("program", 2, 3),
        Bookmark("second part", 0, 4),
    ]
    assert join_pdfs([a, b], out, marks) == 5
    reader = pypdf.PdfReader(out)
    texts = [p.extract_text() for p in reader.pages]
    assert [t.split()[0] for t in texts] == ["one", "two", "three", "four", "five"]
    assert all(f"form {t.split()[0]}" in t for t in texts)  # each page's form came along from its own file
    assert _outline(reader) == [(0, "part", 1), (1, "chapter", 2), (2, "program", 4), (0, "second part", 5)]
    assert reader.metadata is not None and reader.metadata.title == "첫 파일"


def _report(chapters: int, programs: int) -> Report:
    chs = []
    for c in range(1, chapters + 1):
        progs = [
            Program(
                f"{c}-{n}",
                f"{c}장의 사업 {n}",
                "연구부",
                achievements=[
                    OutlineItem(1, ItemKind.ITEM, f"실적 {i}: 연수 과정 운영과 결과 공유") for i in range(18 * n)
                ],
            )
            for n in range(1, programs + 1)
        ]
        chs.append(Chapter(c, f"시험 장 {c}", "연구부", progs))
    return Report(
        year=2024,
        institute="시험 기관",
        departments=[Department("연구부", 1, results=[OutlineItem(1, ItemKind.ITEM, "성과")])],
        chapters=chs,
    )


def test_two_processes_print_what_one_does(tmp_path: Path) -> None:
    report = _report(chapters=4, programs=3)
    one = build_report_pdf(report, tmp_path / "one.pdf", workers=1)
    two = build_report_pdf(report, tmp_path / "two.pdf", workers=2)
    assert (one.processes, two.processes) == (1, 2)
    assert two.pages == one.pages and two.program_pages == one.program_pages
    r1, r2 = pypdf.PdfReader(tmp_path / "one.pdf"), pypdf.PdfReader(tmp_path / "two.pdf")
    t1 = [p.extract_text() for p in r1.pages]
    t2 = [p.extract_text() for p in r2.pages]
    # Every page: the same text, the footers "- n -" (drawn as forms in the second part) included.
    assert t2 == t1
    assert all(t2[n].rstrip().endswith(f"- {n + 1} -") for n in range(1, len(t2)))
    assert _outline(r2) == _outline(r1)
    assert len(_outline(r2)) > 12


def test_cancel_stops_both_processes_and_leaves_no_file(tmp_path: Path) -> None:
    report = _report(chapters=4, programs=3)
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)

    with pytest.raises(PdfCancelled):
        build_report_pdf(report, tmp_path / "c.pdf", workers=2, progress=progress, cancel=lambda: len(seen) > 3)
    assert list(tmp_path.iterdir()) == []
    # No child left behind, running or unreaped.
    with contextlib.suppress(ChildProcessError):
        assert os.waitpid(-1, os.WNOHANG) == (0, 0)


def test_a_second_process_only_with_an_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(parallel.WORKERS_ENV_VAR, raising=False)
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 2)
    report = _report(chapters=8, programs=12)
    story = StoryBuilder(report, styles_for(load_typefaces()), PageLog()).whole_report()
    assert sum(s.cost for s in story.segments) >= parallel.MIN_COST
    monkeypatch.setattr(parallel, "running_now", lambda: 1.0)  # this process alone
    split = parallel.plan(story, None)
    assert split is not None and story.segments[split].new_page
    # The other core busy (another process's tests): one process, whatever the work.
    monkeypatch.setattr(parallel, "running_now", lambda: 2.0)
    assert parallel.plan(story, None) is None
    # Asked for two: two, busy or not; asked for one: one.
    assert parallel.plan(story, 2) == split
    monkeypatch.setattr(parallel, "running_now", lambda: 1.0)
    assert parallel.plan(story, 1) is None


def test_the_tasks_running_now_are_read_from_the_kernel(tmp_path: Path) -> None:
    if not Path("/proc/loadavg").is_file():
        pytest.fail("these tests run on Linux, where /proc/loadavg says how many tasks run now")
    alone = parallel.running_now()
    assert alone is not None and alone >= 1  # this process is running
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        deadline = time.monotonic() + 5
        while (now := parallel.running_now()) is not None and now < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert now is not None and now >= 2  # this one and a process spinning beside it
    finally:
        busy.kill()
        busy.wait()
    # A file that does not say it: the caller falls back to the load average.
    odd = tmp_path / "loadavg"
    odd.write_text("0.1 0.2\n", encoding="ascii")
    assert parallel.running_now(odd) is None
    assert parallel.running_now(tmp_path / "missing") is None
    odd.write_text("0.35 0.35 0.56 2/92 16418\n", encoding="ascii")
    assert parallel.running_now(odd) == 2.0


def test_a_department_is_cut_between_its_programs_and_prints_what_one_process_does(
    monkeypatch: pytest.MonkeyPatch, imported_2024: ImportResult, tmp_path: Path
) -> None:
    # Its section is one chapter: cut only at chapters, its review would be alone in this process.
    monkeypatch.delenv(parallel.WORKERS_ENV_VAR, raising=False)
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 2)
    monkeypatch.setattr(parallel, "running_now", lambda: 1.0)
    report = imported_2024.report
    st = styles_for(load_typefaces())
    name = "교수학습정보부"  # the largest: 9 programs, 25 pages
    chapters = [c for c in report.chapters if c.department == name]
    assert len(chapters) == 1
    story = StoryBuilder(report, st, PageLog()).department(name, report.department(name), chapters)
    split = parallel.plan(story, None)
    assert split is not None
    segments = story.segments
    assert segments[split].new_page and segments[split].chapter == segments[split - 1].chapter == 3
    costs = [s.cost for s in segments]
    assert min(sum(costs[:split]), sum(costs[split:])) >= 0.4 * sum(costs)  # about half each
    one = build_department_pdf(report, name, tmp_path / "one.pdf", workers=1)
    two = build_department_pdf(report, name, tmp_path / "two.pdf", workers=2)
    assert (one.processes, two.processes) == (1, 2)
    assert two.pages == one.pages == 25 and two.program_pages == one.program_pages
    r1, r2 = pypdf.PdfReader(tmp_path / "one.pdf"), pypdf.PdfReader(tmp_path / "two.pdf")
    t1 = [p.extract_text() for p in r1.pages]
    # Every page the same text, the chapter page's program list and the footers of part B included.
    assert [p.extract_text() for p in r2.pages] == t1
    assert all(t1[n].rstrip().endswith(f"- {n + 1} -") for n in range(1, len(t1)))
    assert _outline(r2) == _outline(r1)
    # A department too small to share stays in one process.
    small = "교육정책연구소"
    story = StoryBuilder(report, st, PageLog()).department(
        small, report.department(small), [c for c in report.chapters if c.department == small]
    )
    assert parallel.plan(story, None) is None
    assert parallel.plan(story, 2) is not None  # asked for, it still can
    # The whole report, on an idle core, is shared.
    assert parallel.plan(StoryBuilder(report, st, PageLog()).whole_report(), None) is not None
