"""The report's rules: arithmetic, completeness, structure, front matter against the programs.

``check_report`` and ``check_program`` are the entry points; every rule has a
stable id (``budget.line-quarters`` …) and yields ``Problem``s with their place.
"""

from seri_desktop.domain.rules.engine import RULES, Problem, Severity, check_program, check_report

# Importing the rule modules registers their rules in RULES.
from seri_desktop.domain.rules import budget, completeness, findings, front, structure  # noqa: F401  # isort: skip

__all__ = ["RULES", "Problem", "Severity", "check_program", "check_report"]
