"""The migration scripts (the top-level ``db/`` folder): where they are at run time, and their revisions.

From a source checkout (or an editable install) they sit beside the
``seri_desktop`` package; in a PyInstaller bundle the spec must copy ``db/``
(as ``.py`` source: Alembic loads ``env.py`` and the versions by file path)
into the bundle root, which PyInstaller exposes as ``sys._MEIPASS``.

The revisions are also listed here, oldest first, so that opening a database
that is already current costs one query and never imports Alembic (loading
its script directory and environment is most of the time of a read-only
command). ``tests/store/test_store_schema.py`` checks the list against
Alembic's own walk of ``db/versions``: a new migration script fails that test
until its revision is added here.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Oldest first; the last one is the head.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
HEAD_REVISION: str = REVISIONS[-1]

# The oldest schema the read-only commands of this program can read as it is.
# 0003 only widened the amount columns to BIGINT, which reads do not notice;
# 0004 added the permanent ids of programs, chapters and departments and
# rekeyed the review and exchange records to them, which every read relies
# on, so an older database is opened for writing once (which upgrades it)
# before a read-only command can read it. A migration that adds something
# reads rely on (a table, a column) moves this to itself. 0005 only dropped server defaults.
READABLE_SINCE: str = "0004"


def migrations_dir() -> Path:
    """The ``db`` folder holding ``env.py`` and ``versions/``.

    Raises ``StoreError`` with a Korean message when the folder is missing,
    which means a broken installation rather than a user mistake.
    """
    bundle_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle_root is not None:
        folder = Path(bundle_root) / "db"
    else:
        folder = Path(__file__).resolve().parents[2] / "db"
    if not (folder / "env.py").is_file() or not (folder / "versions").is_dir():
        # Imported here because engine.py imports this module at load time.
        from seri_desktop.store.engine import StoreError

        raise StoreError(
            f"데이터베이스 마이그레이션 폴더를 찾을 수 없습니다: {folder}\n"
            "프로그램 설치가 손상되었을 수 있습니다. 프로그램을 다시 설치하십시오."
        )
    return folder
