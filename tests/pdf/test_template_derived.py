"""The PDF takes the program template from the domain's declaration and spells none of it out again."""

from __future__ import annotations

import ast
from pathlib import Path

from seri_desktop.domain import template as T

PDF_PACKAGE = Path(__file__).resolve().parents[2] / "seri_desktop" / "formats" / "pdf"


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and ast.get_docstring(node) is not None
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_pdf_module_names_a_section_or_spells_out_the_template() -> None:
    headings = {s.heading for s in T.PROGRAM_SECTIONS} | {p.heading for p in T.PROGRAM_PARTS}
    headings |= {p.heading for p in (*T.SECTION_II_PARTS, *T.FRONT_PARTS)}
    headings |= set(T.TARGET_COLUMNS) | set(T.QUARTER_LABELS) | {T.BUDGET_LINE_NAME, T.BUDGET_PAGE}
    spelled = {h for h in headings if h and "{" not in h}
    assert len(spelled) > 20
    modules = sorted(PDF_PACKAGE.glob("*.py"))
    assert len(modules) > 10
    found = []
    for module in modules:
        source = module.read_text(encoding="utf-8")
        assert "previous_achievements" not in source, module.name
        for text in _strings(module):
            found += [(module.name, h) for h in spelled if h in text]
    assert found == []
