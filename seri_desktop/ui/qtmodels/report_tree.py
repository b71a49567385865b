"""The report's outline as a Qt tree model fed plain rows (the navigator).

:func:`rows_for_report` turns a :class:`Report` into flat :class:`TreeRow`
tuples (pure, testable without Qt widgets); :class:`ReportTreeModel` only
turns rows into items (``set_rows``, as Vorta's models do). The view never
sees the domain objects: it asks the model for the selected row's key and the
window maps the key back with :func:`program_for_key`.

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

from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from seri_desktop.domain.model import Chapter, Program, Report

KeyRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2

FRONT_KEY = "section:front"
EVALUATION_KEY = "section:evaluation"
PROGRAMS_KEY = "section:programs"

FRONT_LABEL = "I. 일반 현황"
EVALUATION_LABEL = "II. 업무 평가 및 개선 방향"
PROGRAMS_LABEL = "III. 주요업무"


class RowKind(StrEnum):
    """What a tree row stands for."""

    SECTION = "section"
    DEPARTMENT = "department"
    CHAPTER = "chapter"
    PROGRAM = "program"


class TreeRow(NamedTuple):
    """One node: ``parent_key`` is ``None`` for top-level nodes and names an earlier row otherwise.

    ``state`` is the review state (programs), ``errors``/``warnings`` its
    problem counts, ``readonly`` greys it out (another department's program
    in a department package, a locked program).
    """

    kind: RowKind
    key: str
    label: str
    parent_key: str | None = None
    state: str = ""
    errors: int = 0
    warnings: int = 0
    readonly: bool = False


def rows_for_report(report: Report) -> list[TreeRow]:
    """The report's outline as rows, parents before children."""
    rows = [
        TreeRow(RowKind.SECTION, FRONT_KEY, FRONT_LABEL),
        TreeRow(RowKind.SECTION, EVALUATION_KEY, EVALUATION_LABEL),
    ]
    seen_departments: set[str] = set()
    for department in report.departments:
        # A repeated name would give two rows one key; the rules report the duplicate.
        if department.name in seen_departments:
            continue
        seen_departments.add(department.name)
        rows.append(TreeRow(RowKind.DEPARTMENT, department_key(department.name), department.name, EVALUATION_KEY))
    rows.append(TreeRow(RowKind.SECTION, PROGRAMS_KEY, PROGRAMS_LABEL))
    for chapter_key, chapter, programs in _keyed_chapters(report):
        rows.append(TreeRow(RowKind.CHAPTER, chapter_key, f"{chapter.number}. {chapter.title}", PROGRAMS_KEY))
        for program_key, program in programs:
            rows.append(TreeRow(RowKind.PROGRAM, program_key, program_label(program), chapter_key))
    return rows


def department_key(name: str) -> str:
    return f"department:{name}"


def keyed_programs(report: Report) -> Iterator[tuple[str, Program]]:
    """Every program with its navigator key, in report order."""
    for _chapter_key, _chapter, programs in _keyed_chapters(report):
        yield from programs


def program_label(program: Program) -> str:
    return f"{program.code} {program.title}"


def program_for_key(report: Report, key: str) -> Program | None:
    """The program a row key stands for, or ``None`` if the key is not a program's."""
    for _chapter_key, _chapter, programs in _keyed_chapters(report):
        for program_key, program in programs:
            if program_key == key:
                return program
    return None


def chapter_for_key(report: Report, key: str) -> Chapter | None:
    """The chapter a row key stands for, or ``None``."""
    return next((chapter for k, chapter, _ in _keyed_chapters(report) if k == key), None)


def _keyed_chapters(report: Report) -> Iterator[tuple[str, Chapter, list[tuple[str, Program]]]]:
    """Chapters and programs with unique keys.

    Keys are built from numbers and codes so they survive a reload, but an
    imported report may repeat a number or code (the rules point that out);
    a repeat gets a ``#n`` suffix so every row still has its own key and
    programs stay under their own chapter.
    """
    used: set[str] = set()

    def unique(base: str) -> str:
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}#{n}"
        used.add(key)
        return key

    for chapter in report.chapters:
        chapter_key = unique(f"chapter:{chapter.number}")
        programs = [(unique(f"program:{program.code}"), program) for program in chapter.programs]
        yield chapter_key, chapter, programs


class ReportTreeModel(QStandardItemModel):
    """Read-only tree over :class:`TreeRow` rows; the key is in :data:`KeyRole` of column 0."""

    COLUMNS = ("보고서", "상태", "문제")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: dict[str, list[QStandardItem]] = {}
        self._rows: dict[str, TreeRow] = {}
        self.setHorizontalHeaderLabels(list(self.COLUMNS))

    def set_rows(self, rows: Sequence[TreeRow]) -> None:
        """Replace the whole tree. Raises ``ValueError`` for a row whose parent comes later or not at all."""
        self.removeRows(0, self.rowCount())
        self._items = {}
        self._rows = {}
        root = self.invisibleRootItem()
        for row in rows:
            if row.key in self._items:
                raise ValueError(f"duplicate tree key {row.key!r}")
            items = [QStandardItem() for _ in self.COLUMNS]
            for item in items:
                item.setEditable(False)
                item.setData(row.key, KeyRole)
                item.setData(str(row.kind), KindRole)
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
                problems.setText(str(row.errors + row.warnings))
                color = "#c62828" if row.errors else "#e08a00"
                problems.setForeground(QBrush(QColor(color)))
                problems.setToolTip(f"오류 {row.errors}개, 경고 {row.warnings}개")
            else:
                problems.setText("")
                problems.setToolTip("")
        if old is None:
            problems.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
