"""The UI's structure, checked on its source: the template and the unit keys said once, errors never swallowed.

* The program template is spelled out in ``domain/template.py`` only: no UI
  module names a section by its key string or lists the sections.
* Navigator keys are built by ``ui/rows.py`` alone, store keys by
  ``ItemRef``: no other UI module writes ``"program:"``, ``"II:"`` … itself.
* The action modules see the window through ``AppContext`` only.
* Every ``except Exception`` in the UI hands the exception on to the log
  (``report_bug`` / ``show_error`` …); none shows a line and drops the traceback.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "seri_desktop" / "ui"
MODULES = sorted(UI.rglob("*.py"))
ACTION_MODULES = sorted(UI.glob("actions_*.py"))
KEY_PREFIXES = ("program:", "department:", "section:", "chapter:", "II:")
# Calls that take an exception's traceback to the log (directly or through the crash dialog).
LOGGING_CALLS = {"report_bug", "show_error", "show_bug", "_log_failure"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _strings(tree: ast.Module) -> list[tuple[int, str]]:
    """String constants in code (docstrings excluded), f-strings' literal parts included."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_modules_are_found() -> None:
    names = {path.name for path in MODULES}
    assert {"main_window.py", "context.py", "rows.py", "crash.py", "program_form.py"} <= names
    assert len(ACTION_MODULES) >= 5


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(UI)))
def test_no_section_spelled_out(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "previous_achievements" not in text
    quoted = [value for _line, value in _strings(_tree(path))]
    for key in ("overview.purpose", "plan.improvements", "achievements", "schedule", "results", "limits"):
        assert key not in quoted, f"{path.name} names the part {key!r}; use seri_desktop.domain.template"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(UI)))
def test_unit_keys_are_built_in_one_place(path: Path) -> None:
    if path.name == "rows.py":
        return
    found = [(line, value) for line, value in _strings(_tree(path)) if any(p in value for p in KEY_PREFIXES)]
    assert found == [], f"{path.name} builds navigator or store keys by hand: {found}"


@pytest.mark.parametrize("path", ACTION_MODULES, ids=lambda p: p.name)
def test_action_modules_get_the_context_not_the_window(path: Path) -> None:
    tree = _tree(path)
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "seri_desktop.ui.main_window" not in imported
    assert "seri_desktop.ui.context" in imported
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr != "window", f"{path.name}:{node.lineno} reaches for the window"
            owner = node.value
            if node.attr.startswith("_") and not node.attr.startswith("__"):
                # Its own privates only: never the context's or another object's.
                assert isinstance(owner, ast.Name) and owner.id == "self", f"{path.name}:{node.lineno} .{node.attr}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(UI)))
def test_no_exception_is_swallowed(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        if not isinstance(node, ast.ExceptHandler):
            continue
        names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)] if node.type is not None else ["*"]
        if not {"Exception", "BaseException", "*"} & set(names):
            continue
        calls = {
            n.func.id if isinstance(n.func, ast.Name) else n.func.attr if isinstance(n.func, ast.Attribute) else ""
            for n in ast.walk(node)
            if isinstance(n, ast.Call)
        }
        # Handed to another thread, which shows it: the exception itself is stored (``result = exc``).
        stored = any(
            isinstance(n, ast.Assign | ast.AnnAssign) and isinstance(n.value, ast.Name) and n.value.id == node.name
            for n in node.body
        )
        handed_on = stored or any(isinstance(n, ast.Raise) for n in ast.walk(node))
        assert calls & LOGGING_CALLS or handed_on, (
            f"{path.name}:{node.lineno}: a broad except that neither logs the traceback nor hands the exception on"
        )
