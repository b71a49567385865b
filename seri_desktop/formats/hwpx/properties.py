"""The identity an exported HWPX carries: which report, department and programs it holds.

Two places carry it, so that editing in 한글 does not lose it:

* the document properties (파일 > 문서 정보: 제목, 주제, 지은이, 키워드), which
  한글 keeps when it saves: the keyword holds :class:`Identity` as compact
  JSON, the subject the same in words;
* each program's title bar, whose first cell is the program's code as printed
  (``2-5``); its cell also carries the code as a field name, a third copy an
  editor may drop.

The keyword also lists the programs' permanent ids (``ids``, in the order of
``programs``), so a document exported before the office renumbered or moved
a program is still taken into that program; a keyword without them (written
before ids existed) names programs by code only.

:func:`identity_keyword` and :func:`parse_identity` are the one pair that
writes and reads the keyword.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final

FORMAT_TAG: Final = "seri-desktop-hwpx"
FORMAT_VERSION: Final = 1
PROGRAM_FIELD_PREFIX: Final = "seri-program:"
# A keyword longer than this is not ours (a report has a few dozen programs).
MAX_KEYWORD: Final = 20_000
PROGRAM_CODE: Final = re.compile(r"^\d{1,3}-\d{1,3}$")


@dataclass(frozen=True)
class Identity:
    """What an exported document holds: the report's year, its scope, the programs' codes in order."""

    year: int
    department: str = ""  # "" for the whole report
    programs: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # the programs' uids, in the same order ("()" when not known)

    def id_of(self, code: str) -> str | None:
        """The uid of the program exported under ``code``, ``None`` when the keyword does not say."""
        if len(self.ids) != len(self.programs):
            return None
        return next((uid for c, uid in zip(self.programs, self.ids, strict=True) if c == code), None)


def identity_keyword(identity: Identity) -> str:
    """The document-property keyword that carries ``identity``."""
    data = {
        "format": FORMAT_TAG,
        "version": FORMAT_VERSION,
        "year": identity.year,
        "department": identity.department,
        "programs": list(identity.programs),
        "ids": list(identity.ids),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def parse_identity(keyword: str | None) -> Identity | None:
    """The identity in a keyword, or ``None`` when the keyword is not ours (or was edited beyond reading)."""
    if not keyword or len(keyword) > MAX_KEYWORD:
        return None
    try:
        data = json.loads(keyword)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT_TAG:
        return None
    year, department, programs = data.get("year"), data.get("department", ""), data.get("programs", [])
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
        return None
    if not isinstance(department, str) or not isinstance(programs, list):
        return None
    codes = tuple(c for c in programs if isinstance(c, str) and PROGRAM_CODE.match(c))
    ids = data.get("ids", [])
    uids: tuple[str, ...] = ()
    if (
        isinstance(ids, list)
        and len(ids) == len(programs) == len(codes)
        and all(isinstance(u, str) and 0 < len(u) <= 64 for u in ids)
    ):
        uids = tuple(ids)
    return Identity(year, department, codes, uids)


def program_field_name(code: str) -> str:
    """The field name of a title bar's code cell."""
    return f"{PROGRAM_FIELD_PREFIX}{code}"


def code_from_field_name(name: str) -> str | None:
    code = name.removeprefix(PROGRAM_FIELD_PREFIX) if name.startswith(PROGRAM_FIELD_PREFIX) else ""
    return code if PROGRAM_CODE.match(code) else None
