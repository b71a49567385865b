"""Guards: the template is spelled out once, and no module imports another module's private names.

The program template (its sections and parts, their keys) lives in
``domain/template.py`` (and, as attributes, in ``domain/model.py``); the
domain, store, exchange and command layers derive from it. A module of those
layers that spells out a part key of the program template or of section II
as a string, or names the previous year's achievements other than through the
model, fails here. The formats (text, workbook, audit CSV, PDF, HWPX) are
checked too; the UI is moved to the template in its own branch and checked by
its own guards.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from seri_desktop.domain import template

PACKAGE = Path(__file__).resolve().parents[2] / "seri_desktop"
LAYERS = ("domain", "store", "exchange", "commands", "formats")
MODULES = ("cli.py", "selftest.py")
ALLOWED = {PACKAGE / "domain" / "template.py", PACKAGE / "domain" / "model.py"}

# The keys that make up the section list: every part of a program and of section II, and the
# program's sections.
KEYS = {p.key for p in (*template.PROGRAM_PARTS, *template.SECTION_II_PARTS)} | {
    s.key for s in template.PROGRAM_SECTIONS
}
# Keys that are ordinary words elsewhere too (a JSON field "title", merge "results"): one alone is no list.
DOTTED = {key for key in KEYS if "." in key}


def _files() -> list[Path]:
    files = [f for layer in LAYERS for f in sorted((PACKAGE / layer).rglob("*.py"))]
    return [f for f in files + [PACKAGE / m for m in MODULES] if f not in ALLOWED]


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_of_these_layers_spells_out_the_template(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "previous_achievements" not in text, f"{path.name} names a part the template names (PREVIOUS_ACHIEVEMENTS)"
    strings = _strings(path)
    dotted = sorted({s for s in strings if s in DOTTED})
    assert not dotted, f"{path.name} spells out template keys {dotted}: use the template's parts"
    listed = sorted({s for s in strings if s in KEYS})
    assert len(listed) < 2, f"{path.name} spells out part keys {listed}: iterate the template instead"


def test_the_guard_sees_a_spelled_out_list(tmp_path: Path) -> None:
    # The check must be able to fail: the old store table list is caught.
    old = tmp_path / "old.py"
    old.write_text('FIELDS = ("overview.lead", "plan.items")\nDEPARTMENT = ("results", "limits")\n', encoding="utf-8")
    assert {s for s in _strings(old) if s in DOTTED} == {"overview.lead", "plan.items"}
    assert len({s for s in _strings(old) if s in KEYS}) == 4


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("seri_desktop"):
            found += [
                f"from {node.module} import {a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            ]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if any(part.startswith("_") for part in a.name.split(".")[1:])]
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_another_modules_private_names(path: Path) -> None:
    assert _private_imports(path) == []


def test_the_private_import_guard_can_fail(tmp_path: Path) -> None:
    old = tmp_path / "old.py"
    old.write_text("from seri_desktop.store.repository import _Pending, load_report\n", encoding="utf-8")
    assert _private_imports(old) == ["from seri_desktop.store.repository import _Pending"]
