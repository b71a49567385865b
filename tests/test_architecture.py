"""Architecture guards: the template is spelled out once, and no module imports another's private names.

These are the structural promises of issue 11; each test fails with the
offending modules named, so a regression is fixed where it happens.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from seri_desktop.domain import template

PACKAGE = Path(__file__).resolve().parents[1] / "seri_desktop"
# The template declares the parts; the model has them as attributes. Nobody else names them.
TEMPLATE_HOMES = {PACKAGE / "domain" / "template.py", PACKAGE / "domain" / "model.py"}


def _product_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes: prose about the template may name its parts."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


@functools.cache
def _code_words(path: Path) -> tuple[set[str], set[str]]:
    """The string literals (docstrings left out) and the attribute names a module uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    strings = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    }
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    return strings, attributes


def _modules_using(matches: Callable[[set[str], set[str]], bool]) -> list[str]:
    return [
        str(path.relative_to(PACKAGE))
        for path in _product_files()
        if path not in TEMPLATE_HOMES and matches(*_code_words(path))
    ]


# Part keys specific enough to be found only where a module spells the template out again.
_SPECIFIC_KEYS = [p.key for p in template.PROGRAM_PARTS if "." in p.key or "_" in p.key]


@pytest.mark.parametrize("key", _SPECIFIC_KEYS)
def test_program_part_keys_are_spelled_out_only_in_the_template(key: str) -> None:
    # As a string key ("overview.purpose") or as an attribute (program.previous_achievements);
    # the template and the model are the two homes.
    name = key.rsplit(".", 1)[-1]
    attribute = name if "_" in name else None
    assert _modules_using(lambda strings, attrs: key in strings or attribute in attrs) == []


def test_previous_achievements_appears_in_at_most_two_product_modules() -> None:
    # The issue's own yardstick, counted on the raw text (comments and docstrings included).
    found = [
        str(p.relative_to(PACKAGE))
        for p in _product_files()
        if "previous_achievements" in p.read_text(encoding="utf-8")
    ]
    assert len(found) <= 2, found


@pytest.mark.parametrize("section", template.PROGRAM_SECTIONS, ids=lambda s: s.key)
def test_section_headings_are_printed_from_the_template(section: template.Section) -> None:
    # A heading typed again as a literal elsewhere is a second copy of the template.
    if "{" in section.heading:
        return  # a year template cannot be typed literally anyway
    heading = section.heading
    assert _modules_using(lambda strings, _attrs: any(s.lstrip("□ ").strip() == heading for s in strings)) == []


def test_the_template_guard_sees_a_copied_key(tmp_path: Path) -> None:
    # The checks above must be able to fail: a literal key and an attribute are seen, a docstring is not.
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Mentions "overview.purpose" in prose."""\nKEY = "plan.improvements"\nx = p.previous_achievements\n',
        encoding="utf-8",
    )
    strings, attributes = _code_words(sample)
    assert strings == {"plan.improvements"}
    assert "previous_achievements" in attributes


def _private_imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            module = node.module or ""
            if node.level == 0 and not module.startswith("seri_desktop"):
                continue  # third-party private names are theirs to keep stable (rarely used, reviewed)
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"from {'.' * node.level}{module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(part.startswith("_") and not part.startswith("__") for part in alias.name.split(".")):
                    found.append(f"import {alias.name}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): found for path in _product_files() if (found := _private_imports(path))
    }
    assert offenders == {}


def test_the_guard_sees_a_private_import(tmp_path: Path) -> None:
    # The check above must be able to fail: a module with a private import is reported.
    sample = tmp_path / "sample.py"
    sample.write_text("from seri_desktop.store.repository import _Pending\nfrom os import path\n", encoding="utf-8")
    assert _private_imports(sample) == ["from seri_desktop.store.repository import _Pending"]
