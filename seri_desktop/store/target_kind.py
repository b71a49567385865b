"""Whether a ``--db`` argument is a file path, decided without importing SQLAlchemy.

A command that reads a SQLite file should not import SQLAlchemy to parse its
arguments (see :mod:`.fastread`); :func:`seri_desktop.store.engine.parse_target`
uses the same rule and does everything else (URLs, refusals).
"""

from __future__ import annotations

import re

# "scheme:/" at the start: a URL, or one that was taken for a path (which folds "//" into "/").
# A single letter is a Windows drive ("C:/...").
URL_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):/")


def is_file_path(raw: str) -> bool:
    """Whether ``raw`` names a file: it has no scheme and no ``://`` anywhere."""
    return URL_LIKE.match(raw) is None and "://" not in raw
