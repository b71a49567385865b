"""The outline editor's document model: one text block per item, its level and kind in the block's state.

Plain functions the :class:`~seri_desktop.ui.widgets.outline_editor.OutlineEditor`
builds on: how a block's state is encoded in ``QTextBlock.userState``, which
marker an item is typeset with, the blocks that show an item, the report
text format on the clipboard, and the painting of the markers in the left
margin (they are not part of the text, so they cannot be typed over).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QTextBlock, QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from seri_desktop.domain.model import MAX_OUTLINE_LEVEL, ItemKind, Outline, OutlineItem
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui import marks

INDENT = 20  # pixels per outline level
MARKER_WIDTH = 16  # room for the marker left of the text
MAX_LEVEL = MAX_OUTLINE_LEVEL  # the model's deepest level, which the text importer also keeps
LINE_SEPARATOR = "\u2028"  # QTextEdit's line break inside a block (Shift+Enter)
READONLY_BACKGROUND = QColor("#f4f4f4")

_KIND_CODES: dict[ItemKind, int] = {
    ItemKind.ITEM: 0,
    ItemKind.NOTE: 1,
    ItemKind.FOOTNOTE: 2,
    ItemKind.TEXT: 3,
    ItemKind.TABLE: 4,
}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
_TABLE_START = 8  # state bit: this table row starts a new table
_LEVEL_FACTOR = 16

# Typed at the start of an item and followed by a space: (kind, level or None to keep it).
TYPED_MARKS: dict[str, tuple[ItemKind, int | None]] = {
    "※": (ItemKind.NOTE, None),
    "*": (ItemKind.FOOTNOTE, None),
    "○": (ItemKind.ITEM, 0),
    "◦": (ItemKind.ITEM, 0),
    "-": (ItemKind.ITEM, None),
}


class BlockState(NamedTuple):
    """Level and kind of one block (and whether a table row starts a new table)."""

    level: int
    kind: ItemKind
    table_start: bool = False

    def encode(self) -> int:
        return self.level * _LEVEL_FACTOR + _KIND_CODES[self.kind] + (_TABLE_START if self.table_start else 0)

    @staticmethod
    def decode(state: int) -> BlockState | None:
        if state < 0:
            return None
        kind = _CODE_KINDS.get(state % _TABLE_START)
        if kind is None:
            return None
        return BlockState(state // _LEVEL_FACTOR, kind, bool(state & _TABLE_START))


def marker(level: int, kind: ItemKind) -> str:
    """The marker an item is typeset with."""
    if kind is ItemKind.NOTE:
        return "※"
    if kind is ItemKind.FOOTNOTE:
        return "*"
    if kind in (ItemKind.TEXT, ItemKind.TABLE):
        return ""
    return "○" if level == 0 else "-"


class ItemProblems:
    """An outline's problems: those of an item (with a 1-based row) and those of the whole field."""

    def __init__(self, problems: Sequence[Problem] = ()) -> None:
        self.rows: dict[int, list[Problem]] = {}
        self.field: list[Problem] = []
        for problem in problems:
            if problem.row is None:
                self.field.append(problem)
            else:
                self.rows.setdefault(problem.row, []).append(problem)

    def all(self) -> list[Problem]:
        return [*self.field, *(p for ps in self.rows.values() for p in ps)]

    def by_block(self, item_blocks: Sequence[int]) -> dict[int, Severity]:
        """The worst severity per first block of an item (``item_blocks``: first block of each item)."""
        found: dict[int, Severity] = {}
        for row, problems in self.rows.items():
            severity = marks.worst(problems)
            if 1 <= row <= len(item_blocks) and severity is not None:
                found[item_blocks[row - 1]] = severity
        return found

    def at_block(self, block: int, item_blocks: Sequence[int]) -> list[Problem]:
        """The problems to show for a block: its item's, then the field's."""
        here = [
            p
            for row, ps in self.rows.items()
            if 1 <= row <= len(item_blocks) and item_blocks[row - 1] == block
            for p in ps
        ]
        return [*here, *self.field]


def state_of(block: QTextBlock, previous: BlockState | None, default: BlockState) -> BlockState:
    """The state of ``block``; a block Qt made itself (a split it did on its own) continues the item above."""
    state = BlockState.decode(block.userState())
    if state is not None:
        return state
    if previous is None:
        prev_block = block.previous()
        previous = BlockState.decode(prev_block.userState()) if prev_block.isValid() else None
    if previous is None:
        return default
    kind = previous.kind if previous.kind in (ItemKind.TABLE, ItemKind.TEXT) else ItemKind.ITEM
    return BlockState(previous.level, kind)


def format_block(cursor: QTextCursor, state: BlockState) -> None:
    """Give the cursor's block the indent of ``state`` (room for the marker) and store the state on it."""
    block_format = QTextBlockFormat()
    has_marker = state.kind not in (ItemKind.TEXT,)
    block_format.setLeftMargin(state.level * INDENT + (MARKER_WIDTH if has_marker else 0))
    block_format.setBottomMargin(2)
    cursor.setBlockFormat(block_format)
    cursor.block().setUserState(state.encode())


def paint_markers(
    editor: QTextEdit,
    painter: QPainter,
    clip: QRect,
    default: BlockState,
    problem_blocks: dict[int, Severity],
    field_severity: Severity | None,
) -> None:
    """Draw each item's marker in its margin, a bar beside items with problems, a frame for the field's."""
    doc = editor.document()
    layout = doc.documentLayout()
    dx = -editor.horizontalScrollBar().value()
    dy = -editor.verticalScrollBar().value()
    margin = doc.documentMargin()
    metrics = QFontMetrics(editor.font())
    previous: BlockState | None = None
    muted = QColor("#666666") if editor.isReadOnly() else editor.palette().color(editor.foregroundRole())
    # An empty editor shows its placeholder where the marker would be.
    block = doc.begin() if not doc.isEmpty() else QTextBlock()
    while block.isValid():
        state = state_of(block, previous, default)
        rect = layout.blockBoundingRect(block).translated(dx, dy)
        if rect.bottom() >= clip.top() and rect.top() <= clip.bottom():
            line = block.layout().lineAt(0) if block.layout().lineCount() else None
            baseline = rect.top() + (line.y() + line.ascent() if line is not None else metrics.ascent())
            text = marker(state.level, state.kind)
            if state.kind is ItemKind.TABLE and (
                state.table_start or previous is None or previous.kind is not ItemKind.TABLE
            ):
                text = "▦"
            if text:
                painter.setPen(muted)
                painter.drawText(int(margin + dx + state.level * INDENT), int(baseline), text)
            color = marks.mark_color(problem_blocks.get(block.blockNumber()))
            if color is not None:
                painter.fillRect(0, int(rect.top()), 3, int(rect.height()), color)
        previous = state
        block = block.next()
    field = marks.mark_color(field_severity)
    if field is not None:
        painter.setPen(QPen(field, 2))
        painter.drawRect(editor.viewport().rect().adjusted(0, 0, -1, -1))


def changed_position(old: str, new: str, position: int) -> int:
    """Where the cursor belongs after ``old`` became ``new``: at the end of what changed."""
    if old == new:
        return position
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return max(prefix, len(new) - suffix)


def item_blocks(item: OutlineItem) -> list[tuple[BlockState, str]]:
    """The blocks that show one item: one per table row, else one."""
    if item.kind is ItemKind.TABLE:
        rows = item.table or [[""]]
        return [
            (BlockState(item.level, ItemKind.TABLE, table_start=(i == 0)), "\t".join(row)) for i, row in enumerate(rows)
        ]
    return [(BlockState(item.level, item.kind), item.text.replace("\n", LINE_SEPARATOR))]


def looks_like_outline(line: str) -> bool:
    from seri_desktop.formats.text_import import parse_outline_line

    return parse_outline_line(line) is not None


def parse_items(lines: list[str]) -> Outline:
    """Lines in the report's text format as items (the importer's own outline reader)."""
    from seri_desktop.formats.text_import import OutlineBuilder

    items: Outline = []
    builder = OutlineBuilder(items)
    for line in lines:
        if line.strip():
            builder.add(line)
        else:
            builder.blank()
    return items
