"""Bounds on the JSON a file from outside may hold, checked before the JSON is parsed.

A manifest or a payload comes from someone else's computer. Its size is
bounded where the zip member is read (:mod:`seri_desktop.exchange.submission`);
its nesting is bounded here, on the bytes, before :func:`json.loads` sees
them, so a hostile file of ``[[[[…]]]]`` is a Korean message rather than a
``RecursionError`` (the parser recurses once per level). Strings are
skipped, so a bracket inside a text counts for nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from seri_desktop.exchange.errors import SubmissionError

# The deepest a manifest (an object of lists of objects) and a payload (programs with their budget
# lines and outlines, a table in an item: about eight levels) may nest; far above what they hold.
MAX_MANIFEST_DEPTH: Final = 8
MAX_PAYLOAD_DEPTH: Final = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of ``[`` and ``{`` in JSON bytes, strings left out (no parsing, no recursion)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def bounded_json(data: bytes, *, max_depth: int, what: str, code: str) -> Any:
    """``data`` parsed as UTF-8 JSON once its nesting is known to be at most ``max_depth``.

    Raises :class:`SubmissionError` (``code``) naming ``what`` for deeper
    nesting, bytes that are not UTF-8 and text that is not JSON.
    """
    depth = nesting_depth(data)
    if depth > max_depth:
        raise SubmissionError(
            f"{what} 이(가) {depth}단계로 겹쳐 있습니다(최대 {max_depth}단계). 제출 파일이 아니거나 변조된 파일입니다.",
            code,
        )
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SubmissionError(f"{what} 을(를) 읽을 수 없습니다: {exc}", code) from exc
