"""The outline convention (PRODUCT.md §3) as a reader sees it: the markers and an item as printed.

○ marks a first-level item, - a second level (deeper items are indented
further), ※ a note and * a footnote. The text format, the PDF, the diff and
the audit log all show items with these markers; the glyphs are declared
here once. :func:`printed_lines` is an item as a person reads it (the diff's
and the audit log's old → new values): no escaping, unlike the text
format's writer, which may have to escape lines that look like headings.
"""

from __future__ import annotations

from typing import Final

from seri_desktop.domain.model import ItemKind, OutlineItem

ITEM_MARK: Final = "○"
SUBITEM_MARK: Final = "-"
NOTE_MARK: Final = "※"
FOOTNOTE_MARK: Final = "*"


def printed_lines(item: OutlineItem) -> list[str]:
    """``item`` as printed: ``○ text`` at level 0, ``- text`` at 1, indented ``- text`` deeper; a table's rows tab-joined."""
    if item.kind is ItemKind.TABLE:
        return ["\t".join(row) for row in item.table or []]
    first, *rest = item.text.split("\n")
    level = item.level
    if item.kind is ItemKind.TEXT:
        prefix = ""
    elif item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE):
        mark = NOTE_MARK if item.kind is ItemKind.NOTE else FOOTNOTE_MARK
        space = "" if item.kind is ItemKind.FOOTNOTE and item.text.startswith(FOOTNOTE_MARK) else " "
        prefix = f"{mark}{space}" if level == 0 else f"{' ' * (level - 1)}{SUBITEM_MARK} {mark}{space}"
    elif level == 0:
        prefix = f"{ITEM_MARK} "
    else:
        prefix = f"{' ' * (level - 1)}{SUBITEM_MARK} "
    return [f"{prefix}{first}".rstrip(), *rest]


def printed(item: OutlineItem) -> str:
    """``item`` as printed, its lines joined with newlines."""
    return "\n".join(printed_lines(item))
