"""The layers stay apart: nothing below the UI imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "seri_desktop"
NON_UI = ["domain", "store", "formats", "commands", "exchange"]
NON_UI_MODULES = ["fonts.py", "cli.py"]


def _imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _non_ui_files() -> list[Path]:
    files = [f for layer in NON_UI for f in sorted((PACKAGE / layer).rglob("*.py"))]
    return files + [PACKAGE / name for name in NON_UI_MODULES if (PACKAGE / name).exists()]


@pytest.mark.parametrize("path", _non_ui_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_qt_import_in_source(path: Path) -> None:
    qt = {n for n in _imported_names(path) if n.split(".")[0] in {"PySide6", "shiboken6", "PyQt6", "PyQt5"}}
    assert not qt, f"{path.name} imports {qt}"
    ui = {n for n in _imported_names(path) if n.startswith("seri_desktop.ui")}
    # The CLI may start the app; it does so lazily inside main(), which the AST walk also sees.
    if path.name != "cli.py":
        assert not ui, f"{path.name} imports the UI layer: {ui}"


def test_importing_the_non_ui_layers_loads_no_qt() -> None:
    modules = [
        "seri_desktop." + str(f.relative_to(PACKAGE).with_suffix("")).replace("/", ".").removesuffix(".__init__")
        for f in _non_ui_files()
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert len(modules) >= 8
