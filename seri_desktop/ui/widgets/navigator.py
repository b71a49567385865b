"""The navigator's tree view: the report tree model in three columns, with taller rows for Hangul."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from seri_desktop.ui.qtmodels.report_tree import ReportTreeModel

# Extra pixels per tree row: at the font's own line height Hangul syllables of
# adjacent rows nearly touch and the outline is hard to scan.
ROW_PADDING = 6
STATE_COLUMN, PROBLEMS_COLUMN = 1, 2


class _PaddedRowDelegate(QStyledItemDelegate):
    """Default painting, taller rows."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + ROW_PADDING)


def navigator_view(model: ReportTreeModel, parent: QWidget | None = None) -> QTreeView:
    """A tree view on ``model``: single selection, the label stretching, state and problems narrow."""
    tree = QTreeView(parent)
    tree.setModel(model)
    tree.setUniformRowHeights(True)
    tree.setItemDelegate(_PaddedRowDelegate(tree))
    tree.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
    tree.setAllColumnsShowFocus(True)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    # Fixed widths, not ResizeToContents: that re-measures every row on each count update.
    metrics = tree.fontMetrics()
    for column, sample in ((STATE_COLUMN, "작성중"), (PROBLEMS_COLUMN, "문제")):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
    return tree
