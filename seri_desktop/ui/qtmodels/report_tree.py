"""The report's outline as a Qt tree model fed plain rows (the navigator).

:func:`~seri_desktop.ui.rows.rows_for_report` turns a :class:`Report` into
flat :class:`TreeRow` tuples (pure, without Qt; see :mod:`seri_desktop.ui.rows`);
:class:`ReportTreeModel` only turns rows into items (``set_rows``, as
Vorta's models do). The view never sees the domain objects: it asks the
model for the selected row's key, and the row's ``ref`` names the unit.

Three columns: the label, the review state (작성중 … 확정) and the number of
problems. Live updates (a title typed, problems re-counted, a state
changed) go through :meth:`ReportTreeModel.update_row` without rebuilding
the tree, so the selection and expansion stay.

Outline::

    I. 일반 현황
    II. 업무 평가 및 개선 방향
        <department>            (one per department, in report order)
    III. 주요업무
        1. <chapter title>
            1-1 <program title>
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from seri_desktop.domain.identity import ItemRef
from seri_desktop.ui.rows import (
    EVALUATION_KEY,
    EVALUATION_LABEL,
    FRONT_KEY,
    FRONT_LABEL,
    PROGRAMS_KEY,
    PROGRAMS_LABEL,
    RowKind,
    TreeRow,
    chapter_for_key,
    department_key,
    key_for_ref,
    keyed_programs,
    program_for_key,
    program_label,
    row_key,
    rows_for_report,
)

__all__ = [
    "EVALUATION_KEY",
    "EVALUATION_LABEL",
    "FRONT_KEY",
    "FRONT_LABEL",
    "PROGRAMS_KEY",
    "PROGRAMS_LABEL",
    "KeyRole",
    "KindRole",
    "ReportTreeModel",
    "RowKind",
    "TreeRow",
    "chapter_for_key",
    "department_key",
    "key_for_ref",
    "keyed_programs",
    "program_for_key",
    "program_label",
    "row_key",
    "rows_for_report",
]

# Qt.ItemDataRole.UserRole by its value (fixed by Qt, checked by tests/ui/test_qtmodels.py): the app fills
# the navigator before anything needs Qt's namespace, whose enums take 15 ms to make (issue 17.3).
USER_ROLE: Final = 0x0100
KeyRole = USER_ROLE + 1
KindRole = USER_ROLE + 2


class ReportTreeModel(QStandardItemModel):
    """Read-only tree over :class:`TreeRow` rows; the key is in :data:`KeyRole` of column 0."""

    COLUMNS = ("보고서", "상태", "문제")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: dict[str, list[QStandardItem]] = {}
        self._rows: dict[str, TreeRow] = {}
        self._by_ref: dict[ItemRef, list[str]] = {}
        self.setHorizontalHeaderLabels(list(self.COLUMNS))

    def set_rows(self, rows: Sequence[TreeRow]) -> None:
        """Replace the whole tree. Raises ``ValueError`` for a row whose parent comes later or not at all."""
        self.removeRows(0, self.rowCount())
        self._items = {}
        self._rows = {}
        self._by_ref = {}
        root = self.invisibleRootItem()
        for row in rows:
            if row.key in self._items:
                raise ValueError(f"duplicate tree key {row.key!r}")
            items = [QStandardItem() for _ in self.COLUMNS]
            for item in items:
                item.setEditable(False)
                item.setData(row.key, KeyRole)
                item.setData(str(row.kind), KindRole)
                # Programs are dragged (to another place or chapter); chapters and programs take drops.
                item.setDragEnabled(row.kind is RowKind.PROGRAM)
                item.setDropEnabled(row.kind in (RowKind.CHAPTER, RowKind.PROGRAM))
            self._fill(items, row)
            if row.parent_key is None:
                root.appendRow(items)
            else:
                parent = self._items.get(row.parent_key)
                if parent is None:
                    raise ValueError(f"tree row {row.key!r} names unknown parent {row.parent_key!r}")
                parent[0].appendRow(items)
            self._items[row.key] = items
            self._rows[row.key] = row
            if row.ref is not None:
                self._by_ref.setdefault(row.ref, []).append(row.key)

    def update_row(self, key: str, **changes: Any) -> bool:
        """Change fields of the row with ``key`` in place (label, state, errors, warnings, readonly)."""
        row = self._rows.get(key)
        if row is None:
            return False
        new = row._replace(**changes)
        if new != row:
            self._rows[key] = new
            self._fill(self._items[key], new, row)
        return True

    def row(self, key: str) -> TreeRow | None:
        """The row with ``key`` as last set or updated."""
        return self._rows.get(key)

    def keys_for_ref(self, ref: ItemRef) -> list[str]:
        """The rows of an editable unit (more than one only where a program code repeats)."""
        return list(self._by_ref.get(ref, []))

    def unit_keys(self) -> list[str]:
        """The keys of the rows that stand for an editable unit, in row order."""
        return [key for key, row in self._rows.items() if row.ref is not None]

    def index_for_key(self, key: str) -> QModelIndex:
        """The index of the row with ``key`` (column 0); invalid if there is none."""
        items = self._items.get(key)
        return items[0].index() if items is not None else QModelIndex()

    @staticmethod
    def key_at(index: QModelIndex | QPersistentModelIndex) -> str | None:
        key = index.data(KeyRole) if index.isValid() else None
        return key if isinstance(key, str) else None

    @staticmethod
    def kind_at(index: QModelIndex | QPersistentModelIndex) -> RowKind | None:
        kind = index.data(KindRole) if index.isValid() else None
        return RowKind(kind) if isinstance(kind, str) else None

    def all_keys(self) -> list[str]:
        """Every key, in row order (parents before children)."""
        return list(self._items)

    @staticmethod
    def _fill(items: list[QStandardItem], row: TreeRow, old: TreeRow | None = None) -> None:
        # Only what changed is set: every set is a dataChanged the view reacts to,
        # and the problem counts of a 1,000-program report change one by one.
        label, state, problems = items
        if old is None or (row.label, row.readonly) != (old.label, old.readonly):
            label.setText(row.label)
            label.setToolTip(row.label + ("\n읽기 전용" if row.readonly else ""))
            grey = QBrush(QColor("#8a8a8a")) if row.readonly else QBrush()
            label.setForeground(grey)
            state.setForeground(grey)
        if old is None or row.state != old.state:
            state.setText(row.state)
            state.setToolTip(f"검토 상태: {row.state}" if row.state else "")
        if old is None or (row.errors, row.warnings) != (old.errors, old.warnings):
            if row.errors or row.warnings:
                from PySide6.QtCore import Qt  # here, not at the top: see USER_ROLE

                problems.setText(str(row.errors + row.warnings))
                problems.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                color = "#c62828" if row.errors else "#e08a00"
                problems.setForeground(QBrush(QColor(color)))
                problems.setToolTip(f"오류 {row.errors}개, 경고 {row.warnings}개")
            else:
                problems.setText("")
                problems.setToolTip("")
