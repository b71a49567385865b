"""Text a hostile or careless person could type that a spreadsheet would run as a formula (OWASP's CSV-injection cases)."""

from __future__ import annotations

FORMULA_TEXTS: list[str] = [
    '=HYPERLINK("http://example.invalid","클릭")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
]
