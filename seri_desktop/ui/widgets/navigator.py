"""The navigator's tree view: the report tree model in three columns, with taller rows for Hangul.

Programs can be dragged onto a chapter or another program's place; the view
never moves rows itself: it says what was dropped where
(:attr:`NavigatorView.moveRequested`) and the structure actions
(:mod:`seri_desktop.ui.actions_structure`) make the move, which reloads the tree.

The app shows the navigator with a report before the rest of the window is
built (issue 17.3): :func:`navigator_view` makes a view that shows, and
:func:`allow_actions` adds its context menu and drag and drop once the window
can act on them. Neither this module nor the model imports Qt's namespace
(``Qt``, 15 ms of enums) at its top: that cost comes after the report is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, QTimer, Signal
from PySide6.QtGui import QDropEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

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


class NavigatorView(QTreeView):
    """The tree; ``moveRequested(source key, target key, below)`` when a program row is dropped on a row."""

    moveRequested = Signal(str, str, bool)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the current row in view when the view gets shorter and would hide it.

        The notice bar after a PDF or an export, and the problems panel, take
        room from the navigator; the row being edited, near the foot, went
        out of view then. A row already out of view is left where it is (the
        user scrolled away from it).
        """
        super().resizeEvent(event)
        current = self.currentIndex()
        shrunk = event.oldSize().height() - event.size().height()
        if not current.isValid() or event.oldSize().height() < 0 or shrunk <= 0:
            return
        row = self.visualRect(current)
        height = self.viewport().height()
        # Scrolling does not change in a resize: the row's place is the same in the taller viewport it had.
        if row.top() >= 0 and row.bottom() < height + shrunk and row.bottom() >= height:
            self.scrollTo(current)

    def dropEvent(self, event: QDropEvent) -> None:
        from PySide6.QtCore import Qt

        source = ReportTreeModel.key_at(self.currentIndex())
        target = ReportTreeModel.key_at(self.indexAt(event.position().toPoint()))
        below = self.dropIndicatorPosition() is QAbstractItemView.DropIndicatorPosition.BelowItem
        # Never a move of the model's rows: the change is made in the report and the tree rebuilt,
        # after the drag has ended (the rows it started from go away then).
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if source and target and source != target:
            QTimer.singleShot(0, lambda: self.moveRequested.emit(source, target, below))


def navigator_view(model: ReportTreeModel, parent: QWidget | None = None) -> NavigatorView:
    """A tree view on ``model``: single selection, the label stretching, state and problems narrow.

    Without a context menu or drag and drop until :func:`allow_actions`.
    """
    tree = NavigatorView(parent)
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


def allow_actions(tree: NavigatorView) -> None:
    """The context menu (``customContextMenuRequested``) and moving programs by drag and drop."""
    from PySide6.QtCore import Qt

    tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
    tree.setDefaultDropAction(Qt.DropAction.MoveAction)
    tree.setDropIndicatorShown(True)
