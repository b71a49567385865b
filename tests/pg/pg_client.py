"""A second client for the two-process tests: reads a program, waits for its turn, saves it through the unit of work.

Run as ``python tests/pg/pg_client.py URL PROGRAM_UID TITLE NAME READY GO``:
reads the report (one snapshot), renames the program ``TITLE`` in memory,
creates the file ``READY``, waits until ``GO`` exists, then saves with the
revision it read. Prints one JSON line: ``{"saved": revision}`` (exit 0), or
``{"refused": message, "code": code, "attempted": title}`` (exit 2) when the
store refuses, so the test sees the person's text was kept.
"""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path

from seri_desktop.domain.identity import ItemRef
from seri_desktop.errors import UserError
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.unit import read_snapshot, unit_of_work


def main(argv: list[str]) -> int:
    url, uid, title, name, ready, go = argv
    engine = create_engine_for(url, must_exist=True)
    try:
        snapshot = read_snapshot(engine, 2024)
        program = snapshot.report.program_by_uid(uid)
        if program is None:
            print(json.dumps({"error": f"no program {uid}"}))
            return 3
        edited = copy.deepcopy(program)
        edited.title = title
        read = snapshot.revision(ItemRef.of(program))
        Path(ready).touch()
        deadline = time.monotonic() + 120
        while not Path(go).exists():
            if time.monotonic() > deadline:
                print(json.dumps({"error": "never told to go"}))
                return 3
            time.sleep(0.02)
        try:
            with unit_of_work(engine, 2024, who=name, via="cli") as work:
                revision = work.save_program(edited, read=read)
        except UserError as exc:
            print(json.dumps({"refused": exc.message, "code": exc.code, "attempted": edited.title}, ensure_ascii=False))
            return 2
        print(json.dumps({"saved": revision}))
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
