"""Saving a chapter's author blocks: part of the report's structure, so one office-only unit of work, audited."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from seri_desktop.domain.authors import with_author_blocks
from seri_desktop.domain.model import AuthorBlock, Report
from seri_desktop.store.unit import unit_of_work


def save_author_blocks(
    engine: Engine, year: int, chapter_uid: str, blocks: Sequence[AuthorBlock], *, who: str | None, via: str
) -> Report:
    """Replace the blocks of chapter ``chapter_uid`` (checked: :class:`~seri_desktop.domain.authors.AuthorBlockError`).

    The structure's writer refuses it outside the office's database (the edit policy), and each
    changed line of a block gets its audit entry. Returns the report as stored afterwards.
    """
    with unit_of_work(engine, year, who=who, via=via) as work:
        new = with_author_blocks(work.report(), chapter_uid, blocks)
        work.save_structure(new)
        return work.report()
