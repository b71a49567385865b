"""A report or a department's section laid out on two cores: the first part here, the rest in a fork.

Chapters and programs start on a page of their own and their layout does
not depend on the page they start on, so the story can be cut where one
starts: this process lays out part A (cover, contents, I, II, the first
chapters and programs), a forked process part B (the rest), at the same time.
The cut is where the two parts' work is closest to equal; a department's
section, one chapter of programs, is cut between two of them. Page numbers are
the only thing one part needs from the other, and a page number is drawn as a
PDF form that is defined when the file is saved (see :class:`~.flowables.PageLog`).
So both parts are laid out completely, then, just before saving, B sends the
pages its anchors landed on; A answers with B's first page number and every
anchor's page in the joined file; both define their forms (B's footers, the
contents, the budget summary's 쪽수, a chapter page's list) and save; and the
two files are joined (:mod:`.join`) with one outline.

Only where it is safe and pays: on a system with ``fork`` and two usable
CPUs, one of them idle now (see :func:`idle_cpus`), from a single-threaded
process (the command line; the window builds on a worker thread and so
builds in one process), for a report with enough work to share.
``SERI_PDF_WORKERS=1`` turns it off, ``=2`` forces it. If the second process
fails in any way, the whole build is done again in one process, which
reports whatever went wrong in the usual way.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seri_desktop.domain.model import Report
from seri_desktop.formats.pdf.document import Progress, ReportDocTemplate
from seri_desktop.formats.pdf.flowables import LazyStory, PageLog
from seri_desktop.formats.pdf.story import Segment, Story
from seri_desktop.formats.pdf.typefaces import Typefaces

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

log = logging.getLogger(__name__)

WORKERS_ENV_VAR = "SERI_PDF_WORKERS"
# Below this much work (see story.Segment.cost) a second process costs more than it saves.
MIN_COST = 400
# Nor when the smaller part is less than this: the fork, the second save of the fonts' subsets and the
# join cost about what laying out this much saves. (Cut only at chapters, a department's section, one
# chapter, left its review alone in this process, and forking made it a sixth slower; cut between its
# programs, 교수학습정보부's two halves of about 300 each make it about a seventh faster.)
MIN_PART_COST = 250
# A second process only when about this many CPUs are idle (see idle_cpus): one besides this process's.
MIN_IDLE = 1.0


class WorkerFailed(Exception):
    """The second process did not finish its part; the message is its traceback or exit status."""


@dataclass(frozen=True)
class Meta:
    """What every part's document says about itself (the first part's is what the joined file keeps)."""

    title: str
    author: str
    subject: str

    def document(
        self, path: Path | str, faces: Typefaces, log: PageLog, progress: Progress, cover: Report | None
    ) -> ReportDocTemplate:
        """A document (a whole file or one part) that says this about itself."""
        return ReportDocTemplate(
            str(path),
            faces=faces,
            log=log,
            progress=progress,
            cover=cover,
            title=self.title,
            author=self.author,
            subject=self.subject,
        )


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_is_safe() -> bool:
    """Whether this process may fork to lay out a part: POSIX, the main thread, no other threads."""
    return (
        hasattr(os, "fork")
        and sys.platform != "win32"
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


def idle_cpus() -> float:
    """About how many CPUs nothing else is using now: the usable ones less the tasks running at this moment.

    This process, laying out, is one of the running ones; an idle second core
    shows as at least one CPU left. Linux says how many tasks are running
    now (:func:`running_now`). The 1-minute load average, the fallback
    elsewhere (every usable CPU idle without one), lags: a minute after the
    whole report's two processes it still counted them, and a department
    printed right after the whole report was laid out in one process on an
    idle machine.
    """
    running = running_now()
    if running is None:
        try:
            running = os.getloadavg()[0]
        except (AttributeError, OSError):
            running = 0.0
    return _usable_cpus() - running


RUNNING_SAMPLES = 3  # a millisecond apart; the least is taken, so that a passing process does not count


def running_now(loadavg: Path = Path("/proc/loadavg")) -> float | None:
    """How many tasks are running or ready to run now, this one included (Linux); ``None`` where it cannot say."""
    seen: list[int] = []
    for n in range(RUNNING_SAMPLES):
        if n:
            time.sleep(0.001)
        try:
            fields = loadavg.read_text(encoding="ascii").split()
            seen.append(int(fields[3].partition("/")[0]))
        except (OSError, IndexError, ValueError):
            return None
    return float(min(seen))


def plan(story: Story, workers: int | None) -> int | None:
    """The segment where the second part starts, or ``None`` to lay the story out in one process.

    ``workers``: 1 or 2; ``None`` decides (the environment variable, then
    the CPUs, then whether another CPU is idle, then the amount of work in
    all and in the smaller part).
    A second process costs about a quarter more CPU time in all (its
    copy-on-write pages, a second save of the fonts' subsets, the join), so it
    only pays with a core nobody else is using: on a busy machine (other
    processes on the other core) it made the 2024 report a fifth slower.
    """
    if workers is None:
        env = os.environ.get(WORKERS_ENV_VAR, "").strip()
        workers = int(env) if env.isdigit() else None
    if workers is not None and workers < 2:
        return None
    if not fork_is_safe():
        return None
    segments = story.segments
    total = sum(s.cost for s in segments)
    if workers is None and (_usable_cpus() < 2 or total < MIN_COST or idle_cpus() < MIN_IDLE):
        return None
    # Any chapter title page or program may start part B; the front of the report stays in part A.
    starts = [n for n, s in enumerate(segments) if n > 0 and s.new_page and s.chapter is not None]
    if not starts:
        return None
    done = 0
    before: dict[int, int] = {}
    for n, s in enumerate(segments):
        before[n] = done
        done += s.cost
    split = min(starts, key=lambda n: abs(before[n] - (total - before[n])))
    if workers is None and min(before[split], total - before[split]) < MIN_PART_COST:
        return None
    return split


def build(
    story: Story,
    split: int,
    tmp: Path,
    faces: Typefaces,
    page_log: PageLog,
    progress: Progress,
    meta: Meta,
    cover: Report | None,
) -> int:
    """Lay ``story`` out in two processes, cut at segment ``split``; join into ``tmp``; the page count.

    ``page_log`` is the log the story's anchors write to; afterwards its
    ``resolved`` holds every anchor's page in the joined file. Raises
    :class:`WorkerFailed` when the second part could not be made (the caller
    builds again in one process), or whatever the first part raises.
    """
    # Only a build that forks needs these (a few ms of imports a department's print never uses).
    from multiprocessing.connection import Pipe

    from seri_desktop.formats.pdf.join import Bookmark, join_pdfs

    first, second = story.segments[:split], story.segments[split:]
    part_a = tmp.with_name(tmp.name + ".a")
    part_b = tmp.with_name(tmp.name + ".b")
    page_log.outline = False  # the join writes the outline of both parts
    ours, theirs = Pipe()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    # Objects made so far are left alone by the collector in the child, so its pages stay shared.
    gc.freeze()
    try:
        pid = os.fork()
    finally:
        gc.unfreeze()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns here
        ours.close()
        _child(theirs, story, second, part_b, faces, page_log, meta)
    theirs.close()
    try:
        doc = meta.document(part_a, faces, page_log, progress, cover)
        their_marks: list[tuple[str, int, int]] = []
        offset = 0
        their_pages = 0

        def exchange() -> None:
            nonlocal offset, their_pages
            _, their_pages, pages, marks = _receive(ours, pid, progress, "laid")
            offset = doc.page_count
            their_marks.extend(marks)
            page_log.resolved = {**page_log.pages, **{k: v + offset for k, v in pages.items()}}
            ours.send(("go", offset, page_log.resolved))

        doc.build_story(LazyStory(story.flowables(first)), before_save=exchange)
        _receive(ours, pid, progress, "done")
        _reap(pid)
        pid = 0
        marks = [*page_log.marks, *((t, lv, p + offset) for t, lv, p in their_marks)]
        bookmarks = [Bookmark(t, lv, p - 1, closed=lv >= 1) for t, lv, p in marks]
        return join_pdfs([part_a, part_b], tmp, bookmarks)
    finally:
        ours.close()
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            _reap(pid)
        for part in (part_a, part_b):
            with contextlib.suppress(OSError):
                part.unlink()


def _child(
    conn: Connection,
    story: Story,
    segments: list[Segment],
    path: Path,
    faces: Typefaces,
    page_log: PageLog,
    meta: Meta,
) -> None:  # pragma: no cover - measured by the tests through the files it writes
    status = 1
    try:
        page_log.outline = False
        page_log.numbers_later = True
        doc = meta.document(path, faces, page_log, Progress(0, None, None), None)

        def exchange() -> None:
            conn.send(("laid", doc.page_count, dict(page_log.pages), list(page_log.marks)))
            message = conn.recv()
            if message[0] != "go":
                raise WorkerFailed(f"unexpected message {message[0]!r}")
            page_log.offset, page_log.resolved = message[1], message[2]

        doc.build_story(LazyStory(story.flowables(segments)), before_save=exchange)
        conn.send(("done",))
        status = 0
    except BaseException:
        with contextlib.suppress(Exception):
            conn.send(("error", traceback.format_exc()))
    finally:
        # Never return into the parent's stack, run its atexit handlers or flush its buffers twice.
        os._exit(status)


def _receive(conn: Connection, pid: int, progress: Progress, expected: str) -> Any:
    """The child's next message, checking for a cancel and for the child's death while waiting."""
    while not conn.poll(0.05):
        progress.check()
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            raise WorkerFailed(f"the layout process ended with status {status} before sending {expected!r}")
    try:
        message = conn.recv()
    except EOFError as exc:
        raise WorkerFailed(f"the layout process closed its pipe before sending {expected!r}") from exc
    if message[0] == "error":
        raise WorkerFailed(message[1])
    if message[0] != expected:
        raise WorkerFailed(f"expected {expected!r} from the layout process, got {message[0]!r}")
    return message


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
