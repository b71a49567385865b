"""The report's outline as a Qt tree model fed plain rows.

:func:`rows_for_report` turns a :class:`Report` into flat :class:`TreeRow`
tuples (pure, testable without Qt widgets); :class:`ReportTreeModel` only
turns rows into items (``set_rows``, as Vorta's models do). The view never
sees the domain objects: it asks the model for the selected row's key and the
window maps the key back with :func:`program_for_key`.

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
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

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
    """One node: ``parent_key`` is ``None`` for top-level nodes and names an earlier row otherwise."""

    kind: RowKind
    key: str
    label: str
    parent_key: str | None = None


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
        rows.append(
            TreeRow(RowKind.DEPARTMENT, department_key(department.name), department.name, EVALUATION_KEY)
        )
    rows.append(TreeRow(RowKind.SECTION, PROGRAMS_KEY, PROGRAMS_LABEL))
    for chapter_key, chapter, programs in _keyed_chapters(report):
        rows.append(TreeRow(RowKind.CHAPTER, chapter_key, f"{chapter.number}. {chapter.title}", PROGRAMS_KEY))
        for program_key, program in programs:
            rows.append(TreeRow(RowKind.PROGRAM, program_key, f"{program.code} {program.title}", chapter_key))
    return rows


def department_key(name: str) -> str:
    return f"department:{name}"


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
    """Read-only tree over :class:`TreeRow` rows; the key is in :data:`KeyRole`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: dict[str, QStandardItem] = {}
        self.setHorizontalHeaderLabels(["보고서"])

    def set_rows(self, rows: Sequence[TreeRow]) -> None:
        """Replace the whole tree. Raises ``ValueError`` for a row whose parent comes later or not at all."""
        self.removeRows(0, self.rowCount())
        self._items = {}
        root = self.invisibleRootItem()
        for row in rows:
            if row.key in self._items:
                raise ValueError(f"duplicate tree key {row.key!r}")
            item = QStandardItem(row.label)
            item.setEditable(False)
            item.setData(row.key, KeyRole)
            item.setData(str(row.kind), KindRole)
            item.setToolTip(row.label)
            if row.parent_key is None:
                root.appendRow(item)
            else:
                parent = self._items.get(row.parent_key)
                if parent is None:
                    raise ValueError(f"tree row {row.key!r} names unknown parent {row.parent_key!r}")
                parent.appendRow(item)
            self._items[row.key] = item

    def index_for_key(self, key: str) -> QModelIndex:
        """The index of the row with ``key``; invalid if there is none."""
        item = self._items.get(key)
        return item.index() if item is not None else QModelIndex()

    @staticmethod
    def key_at(index: QModelIndex | QPersistentModelIndex) -> str | None:
        key = index.data(KeyRole) if index.isValid() else None
        return key if isinstance(key, str) else None

    @staticmethod
    def kind_at(index: QModelIndex | QPersistentModelIndex) -> RowKind | None:
        kind = index.data(KindRole) if index.isValid() else None
        return RowKind(kind) if isinstance(kind, str) else None

    def keys(self) -> list[str]:
        """Every key, in row order (parents before children)."""
        return list(self._items)
