"""Finding a workbook row by what a person sees: the kind, the program code and the row number.

The hidden keys name programs by their permanent uid (so a workbook survives a
renumbering); tests speak of ``l|1-1|2``, so the code is taken from the row's
visible 번호 column (A) and put in place of the uid.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from seri_desktop.formats.xlsx import layout as L


def key_column(ws: Worksheet) -> int:
    """The hidden key column of a readable sheet (H on 추진 목표, O on a budget sheet)."""
    return L.T_KEY if ws.title == L.TARGETS_SHEET else L.B_KEY


def shown_keys(ws: Worksheet) -> dict[str, int]:
    """Every keyed row by ``kind|code|number`` (``l|1-1|2``), with the code as column A shows it."""
    out: dict[str, int] = {}
    col = key_column(ws)
    for row in range(4, ws.max_row + 1):
        key = L.parse_key(ws.cell(row=row, column=col).value)
        if key is not None:
            out[f"{key.kind}|{ws.cell(row=row, column=1).value}|{key.number}"] = row
    return out


def key_row(ws: Worksheet, prefix: str) -> int:
    """The row of ``kind|code|number`` (a trailing ``|`` is allowed: ``l|1-1|2|``)."""
    wanted = prefix.rstrip("|")
    rows = shown_keys(ws)
    if wanted in rows:
        return rows[wanted]
    if wanted.count("|") == 1:  # kind and code only: the first such row
        for key, row in rows.items():
            if key.startswith(wanted + "|"):
                return row
    raise AssertionError(f"no row {prefix} on {ws.title}")
