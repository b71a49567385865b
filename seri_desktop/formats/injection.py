"""Text a spreadsheet would run as a formula, and how the exports keep it text (issue 12 item 6).

A department types titles, notes and targets; the office opens the exports
in Excel or LibreOffice. Following OWASP's CSV-injection guidance, a value
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or
with a control character or a space before one of those, is one a
spreadsheet may take for a formula (``=HYPERLINK(...)``, ``+cmd|...``,
``@SUM(...)``). The exports write it so that it is shown as the text it is:

* in a workbook, every text cell is typed as a string (``data_type "s"``),
  whatever it starts with, and a formula-like one also gets Excel's quote
  prefix (the hidden ``'`` Excel itself adds when a person types ``'=...``),
  so editing the cell keeps it text; only the app's own formulas are
  formulas;
* in a CSV, which has no types, a formula-like value is written with a
  leading ``'``, which spreadsheets show and never evaluate.

A lone ``-`` is not a formula (it is the report's "none" marker for a
budget cell) and is written as it is.
"""

from __future__ import annotations

from typing import Final

FORMULA_STARTS: Final = frozenset("=+-@\t\r\n")
CSV_TEXT_PREFIX: Final = "'"
_NONE_MARKER: Final = "-"


def _is_control(ch: str) -> bool:
    return ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (see the module docstring)."""
    if not text or text == _NONE_MARKER:
        return False
    # Some importers trim leading spaces: look at the first character after them.
    rest = text.lstrip(" \u3000") or text
    return rest[0] in FORMULA_STARTS or _is_control(rest[0])


def csv_text(value: object) -> object:
    """A CSV field: a formula-like string gets the text prefix; numbers and other strings stay as they are."""
    if isinstance(value, str) and looks_like_formula(value):
        return CSV_TEXT_PREFIX + value
    return value
