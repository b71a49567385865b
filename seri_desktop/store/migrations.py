"""Where the Alembic migration scripts (the top-level ``db/`` folder) are at run time.

From a source checkout (or an editable install) they sit beside the
``seri_desktop`` package; in a PyInstaller bundle the spec must copy ``db/``
(as ``.py`` source: Alembic loads ``env.py`` and the versions by file path)
into the bundle root, which PyInstaller exposes as ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from pathlib import Path


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
