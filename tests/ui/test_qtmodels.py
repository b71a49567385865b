"""Every Qt item model in ui/qtmodels under pytest-qt's model tester, fed real rows from the 2024 report.

Each model is checked by Qt's own QAbstractItemModelTester and by pytest-qt's
Python one. The testers stay attached while the test then changes the model
the way the window does (live updates, new rows, edits, problems), so the
signals of every change are checked too, not only the first state. A guard
finds every model class in ui/qtmodels by import and fails when one has no
test here that runs the tester on it.
"""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from seri_desktop.domain import template
from seri_desktop.domain.model import Cell, CellKind, Program, Report
from seri_desktop.domain.rules import Problem, check_report
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.ui import qtmodels
from seri_desktop.ui.forms.front_form import simple_table_columns
from seri_desktop.ui.navigation import search
from seri_desktop.ui.qtmodels.budget_model import CURRENT, NAME, Q1, BudgetModel
from seri_desktop.ui.qtmodels.problems_model import ProblemRole, ProblemsFilter, ProblemsModel
from seri_desktop.ui.qtmodels.report_tree import USER_ROLE, KeyRole, KindRole, ReportTreeModel, RowKind, rows_for_report
from seri_desktop.ui.qtmodels.search_results import HitRole, SearchResultsModel
from seri_desktop.ui.qtmodels.text_table import TextTableModel

TESTERS = pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "python-tester"])


@pytest.fixture(scope="module")
def report(imported_2024: ImportResult) -> Report:
    return copy.deepcopy(imported_2024.report)


@pytest.fixture(scope="module")
def problems(report: Report) -> list[Problem]:
    return check_report(report)


def budgeted(report: Report) -> Iterator[Program]:
    return (p for p in report.programs() if p.budget is not None and p.budget.lines)


def walk(model: ReportTreeModel, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from walk(model, index)


@TESTERS
def test_report_tree(qtmodeltester: ModelTester, report: Report, force_py: bool) -> None:
    model = ReportTreeModel()
    rows = rows_for_report(report)
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=force_py)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "I. 일반 현황",
        "II. 업무 평가 및 개선 방향",
        "III. 주요업무",
    ]
    keys = [index.data(KeyRole) for index in walk(model)]
    assert keys == [row.key for row in rows]  # every row, parents before children, once
    programs = [row for row in rows if row.kind is RowKind.PROGRAM]
    assert len(programs) == 33 and all(row.ref is not None and row.ref.id in row.label for row in programs)
    # Live updates as the window makes them (a title typed, counts, a state), then a new report.
    for n, row in enumerate(programs):
        assert model.update_row(row.key, errors=n % 3, warnings=n % 2, state="검토중", readonly=n % 5 == 0)
    # The counts right-aligned, as numbers are (set with the first count: the preview has none).
    counted = model.index_for_key(programs[1].key).siblingAtColumn(2)
    alignment = counted.data(Qt.ItemDataRole.TextAlignmentRole)
    assert counted.data() == "2" and alignment == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert model.update_row(programs[0].key, label="1-1 바뀐 제목")
    assert model.index_for_key(programs[0].key).data() == "1-1 바뀐 제목"
    model.set_rows(rows[: rows.index(programs[3]) + 1])
    assert len(list(walk(model))) == rows.index(programs[3]) + 1
    model.set_rows([])
    assert model.rowCount() == 0
    model.set_rows(rows)
    assert model.keys_for_ref(programs[-1].ref) == [programs[-1].key]  # type: ignore[arg-type]


def test_the_tree_roles_are_qts_user_roles() -> None:
    # The model spells Qt's UserRole by its value (the navigator is filled before Qt's namespace is made).
    assert Qt.ItemDataRole.UserRole == USER_ROLE
    assert (KeyRole, KindRole) == (Qt.ItemDataRole.UserRole + 1, Qt.ItemDataRole.UserRole + 2)


@TESTERS
def test_budget_model_on_every_2024_budget(qtmodeltester: ModelTester, report: Report, force_py: bool) -> None:
    model = BudgetModel()
    first, *others = budgeted(report)
    assert first.budget is not None
    model.set_table(first.budget, report.year)
    qtmodeltester.check(model, force_py=force_py)
    edits: list[tuple[int, str, object]] = []
    model.edited.connect(lambda line, field, value: edits.append((line, field, value)))
    for program in others:
        budget = program.budget
        assert budget is not None
        model.set_table(budget, report.year)
        assert model.rowCount() == 2 * len(budget.lines) + 1
        assert model.index(model.total_row(), NAME).data() == template.TOTAL_ROW_LABEL
        assert model.index(0, NAME).data() == budget.lines[0].name
    # Edits: a valid amount goes out, a bad one goes out as an INVALID cell (issue 14: never dropped).
    assert model.setData(model.index(0, Q1), "1,234")
    assert edits[-1][0] == 0 and edits[-1][1] == "q1"
    model.setData(model.index(0, CURRENT), "열두")
    assert edits[-1] == (0, "current", Cell(CellKind.INVALID, raw="열두"))
    places = [p for p in check_report(report) if p.section == template.BUDGET.key][:5]
    model.set_problems(places)
    model.set_editable(False)
    assert not model.flags(model.index(0, CURRENT)) & Qt.ItemFlag.ItemIsEditable


@TESTERS
def test_problems_model(qtmodeltester: ModelTester, problems: list[Problem], force_py: bool) -> None:
    assert len(problems) > 10
    model = ProblemsModel()
    model.set_rows(problems)
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == len(problems)
    assert model.index(0, 2).data() == problems[0].message
    assert model.index(0, 0).data(ProblemRole) == problems[0]
    model.set_rows(problems[: len(problems) // 2])
    assert model.rowCount() == len(problems) // 2
    model.set_rows([])
    assert model.rowCount() == 0


@TESTERS
def test_problems_filter(qtmodeltester: ModelTester, problems: list[Problem], force_py: bool) -> None:
    # One tester per model: the proxy is checked here, with the source changing under it.
    model = ProblemsModel()
    model.set_rows(problems)
    proxy = ProblemsFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=force_py)
    some = [p for p in problems if p.program == "2-5"]
    proxy.keep_only(some)
    assert [proxy.index(r, 0).data(ProblemRole) for r in range(proxy.rowCount())] == some
    proxy.keep_only([])
    assert proxy.rowCount() == 0
    proxy.keep_only(None)
    assert proxy.rowCount() == len(problems)
    model.set_rows(problems[: len(problems) // 2])
    assert proxy.rowCount() == len(problems) // 2
    model.set_rows([])


@TESTERS
def test_text_table_on_targets_and_front_tables(qtmodeltester: ModelTester, report: Report, force_py: bool) -> None:
    model = TextTableModel(template.TARGET_COLUMNS)
    qtmodeltester.check(model, force_py=force_py)
    edits: list[tuple[int, int, str]] = []
    model.edited.connect(lambda row, column, text: edits.append((row, column, text)))
    for program in report.programs():
        if program.targets is None:
            continue
        model.set_rows([[r.name, r.period, r.quantity] for r in program.targets.rows])
        assert model.rowCount() == len(program.targets.rows)
    assert model.setData(model.index(0, 1), "'24.3~12월")
    assert edits[-1] == (0, 1, "'24.3~12월")
    # The front tables: two header rows, columns named after them, figures, their problems.
    for part in template.FRONT_TABLE_PARTS:
        table = template.get(report, part)
        model.set_columns(simple_table_columns(table))
        model.set_rows([*table.header, *table.rows], header_rows=len(table.header))
        assert model.rowCount() == len(table.header) + len(table.rows)
        model.set_problems([p for p in check_report(report) if p.section == part.key])
    model.set_numeric_right(True)
    model.set_columns(["날짜", "내용"])
    model.set_rows([[e.date, e.text] for e in report.front.history])
    assert model.index(0, 1).data() == report.front.history[0].text
    model.set_rows([])


@TESTERS
def test_search_results(qtmodeltester: ModelTester, report: Report, force_py: bool) -> None:
    model = SearchResultsModel()
    qtmodeltester.check(model, force_py=force_py)
    hits = search(report, "연구")
    assert len(hits) > 50
    model.set_rows(hits)
    assert model.rowCount() == len(hits)
    assert model.index(0, 0).data() == hits[0].place and model.index(0, 0).data(HitRole) == hits[0]
    model.set_rows(search(report, "없는 말이 분명한 검색어"))
    assert model.rowCount() == 0


# --- the guard: no Qt item model in ui/qtmodels without a model-tester test here -------------------------------

# Base classes no view shows; each is checked through its subclasses (all of which must be tested here).
BASES = {"PlainRowsModel"}


def model_classes() -> dict[str, type[QAbstractItemModel]]:
    """Every Qt item model class defined in a module of ``seri_desktop.ui.qtmodels`` (found by import)."""
    found: dict[str, type[QAbstractItemModel]] = {}
    for info in pkgutil.iter_modules(qtmodels.__path__):
        module = importlib.import_module(f"{qtmodels.__name__}.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QAbstractItemModel) and cls.__module__ == module.__name__:
                found[name] = cls
    return found


def models_under_the_tester() -> set[str]:
    """The names a test of this file calls (``BudgetModel()``) in a test that runs ``qtmodeltester.check``."""
    tested: set[str] = set()
    for node in ast.parse(Path(__file__).read_text(encoding="utf-8")).body:
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
            continue
        checks = any(
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "check"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "qtmodeltester"
            for call in ast.walk(node)
        )
        if checks:
            tested |= {c.func.id for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
    return tested


def test_every_qt_model_runs_under_the_model_tester() -> None:
    models = model_classes()
    # The inspection finds the models (so the guard can fail): the tree, the tables, the lists, the proxy.
    assert {"ReportTreeModel", "BudgetModel", "TextTableModel", "ProblemsModel", "ProblemsFilter"} <= models.keys()
    tested = models_under_the_tester()
    missing = sorted(name for name in models.keys() - BASES if name not in tested)
    assert not missing, f"Qt item models without a qtmodeltester test in {Path(__file__).name}: {missing}"
    for base in BASES:
        subclasses = [name for name, cls in models.items() if cls is not models[base] and issubclass(cls, models[base])]
        assert subclasses and all(name in tested for name in subclasses), (base, subclasses)
