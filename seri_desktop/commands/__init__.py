"""The subcommands of ``seri-desktop``: one module each, found by ``seri_desktop.cli``.

:data:`MODULES` names the module that registers each subcommand, so that a
command imports only its own module (and what that imports), not every
command's: building the whole parser cost a sixth of a department's PDF.
``tests/test_cli.py`` checks it against what the modules register.
"""

from __future__ import annotations

# subcommand → module in this package whose ``register`` adds it
MODULES: dict[str, str] = {
    "audit": "exchange",
    "authors": "authors",
    "check": "check",
    "comment": "exchange",
    "config": "config",
    "export-hwpx": "hwpx",
    "export-pdf": "export_pdf",
    "export-text": "text",
    "export-xlsx": "xlsx",
    "import-hwpx": "hwpx",
    "import-text": "text",
    "import-xlsx": "xlsx",
    "info": "info",
    "merge": "exchange",
    "new-report": "new_report",
    "package": "exchange",
    "pg-setup": "pg_setup",
    "review": "exchange",
    "rollover": "rollover",
    "state": "exchange",
    "structure": "structure",
    "submit": "exchange",
}
