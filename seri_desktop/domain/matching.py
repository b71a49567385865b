"""Which programs, chapters and departments of a re-read report are the stored ones: their ids carried over.

A report read again from a file that has no ids (the text format, a printed
report) gets fresh ids for everything. Before it replaces the stored report
(``import-text --replace``, 보고서 바꾸기 in the window), :func:`adopt_ids`
gives each of its programs, chapters and departments the id of the stored
one it is, so review states, comments, the audit log and issued packages
stay with them. The rule, in this order, each stored one taken at most once:

* a **department** is the stored department of the same name;
* a **chapter** is the stored chapter of the same number, then (for the
  rest) the one of the same title;
* a **program** is the stored program with the same code and the same
  title; then, for the rest, the one with the same title when exactly one
  program on each side has it (a renumbered or moved program); then the one
  with the same code (a program whose title was edited).

Anything left over is new (a fresh id), and a stored one left over is a
program, chapter or department the new report no longer has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from seri_desktop.domain.model import Report

T = TypeVar("T")


def _match(
    stored: Sequence[T], new: Sequence[T], keys: Sequence[Callable[[T], Hashable]], *, unique: Sequence[bool]
) -> dict[int, int]:
    """new index → stored index, key by key; with ``unique`` a key must be unique on both sides still open."""
    taken: set[int] = set()
    matched: dict[int, int] = {}
    for key, must_be_unique in zip(keys, unique, strict=True):
        open_stored = [i for i in range(len(stored)) if i not in taken]
        open_new = [j for j in range(len(new)) if j not in matched]
        stored_counts = Counter(key(stored[i]) for i in open_stored)
        new_counts = Counter(key(new[j]) for j in open_new)
        index: dict[Hashable, list[int]] = {}
        for i in open_stored:
            index.setdefault(key(stored[i]), []).append(i)
        for j in open_new:
            value = key(new[j])
            if must_be_unique and (stored_counts[value] != 1 or new_counts[value] != 1):
                continue
            for i in index.get(value, []):
                if i not in taken:
                    matched[j] = i
                    taken.add(i)
                    break
    return matched


def adopt_ids(stored: Report, new: Report) -> None:
    """Give ``new``'s programs, chapters and departments the ids of the stored ones they are (rule above)."""
    for j, i in _match(stored.departments, new.departments, [lambda d: d.name], unique=[False]).items():
        new.departments[j].uid = stored.departments[i].uid
    chapter_keys: list[Callable[..., Hashable]] = [lambda c: c.number, lambda c: c.title]
    for j, i in _match(stored.chapters, new.chapters, chapter_keys, unique=[False, False]).items():
        new.chapters[j].uid = stored.chapters[i].uid
    old_programs = list(stored.programs())
    new_programs = list(new.programs())
    program_keys: list[Callable[..., Hashable]] = [lambda p: (p.code, p.title), lambda p: p.title, lambda p: p.code]
    for j, i in _match(old_programs, new_programs, program_keys, unique=[False, True, False]).items():
        new_programs[j].uid = old_programs[i].uid
