"""The rules engine: rules with stable ids, problems with their place.

A rule is a plain function registered with ``@rule``. Program rules look at
one program (and the report around it, for the year and the as-of date);
report rules look across the report (front matter against programs,
structure). ``check_program`` runs only the program rules, so the form can
re-check one program on every edit; ``check_report`` runs everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Final

from seri_desktop.domain import template
from seri_desktop.domain.model import Program, Report


class Severity(StrEnum):
    """How bad a problem is: an error blocks a clean ``check``; a warning asks for a look."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding, at its place, with a Korean message that says what was expected."""

    rule: str
    severity: Severity
    message: str
    program: str = ""  # program code, "" for the front matter and section II
    section: str = ""  # a key of the template (a part, a section or an extra place); template.label names it
    row: int | None = None  # 1-based row of a table or item of an outline
    column: str = ""  # column label as printed ("2분기", "추진시기" …)
    # The department whose work the problem is in ("" for the office's front matter): a program's
    # department, or the department of a section II; set by the engine for program problems.
    department: str = ""
    # The program's permanent id (Program.uid), set by the engine with the department, so a view
    # can place the problem by identity; "" outside programs. ``program`` stays the code, for display.
    program_id: str = ""
    # An import finding (the printed report disagreed with its sections): the code of the program it is
    # about, or of the printed row. Findings are the office's (``program`` and ``department`` stay ""), so
    # they never count against a department head's program; they clear by themselves when the derived
    # value equals the printed one, or when the office accepts the derived value (``check --accept-derived``).
    finding: str = ""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    def place(self) -> str:
        """The place in words: ``1-2 예산 집행 계획 1행 예산액('23)``."""
        parts = [self.program or self.finding, template.label(self.section) if self.section else ""]
        if self.row is not None:
            parts.append(f"{self.row}행")
        if self.column:
            parts.append(self.column)
        return " ".join(p for p in parts if p)


# Kept for callers outside the domain that still look labels up in a mapping; new code calls
# ``template.label`` (this is the template's own mapping, not a copy).
SECTION_LABELS: Final[Mapping[str, str]] = template.LABELS

ProgramCheck = Callable[[Report, Program], Iterator[Problem]]
ReportCheck = Callable[[Report], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """A registered rule; ``id`` is stable (tests, JSON output and the UI refer to it)."""

    id: str
    severity: Severity
    title: str
    program_check: ProgramCheck | None = None
    report_check: ReportCheck | None = None


RULES: dict[str, Rule] = {}


def program_rule(rule_id: str, severity: Severity, title: str) -> Callable[[ProgramCheck], ProgramCheck]:
    """Register a rule that looks at one program."""

    def register(fn: ProgramCheck) -> ProgramCheck:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, severity, title, program_check=fn)
        return fn

    return register


def report_rule(rule_id: str, severity: Severity, title: str) -> Callable[[ReportCheck], ReportCheck]:
    """Register a rule that looks across the report."""

    def register(fn: ReportCheck) -> ReportCheck:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, severity, title, report_check=fn)
        return fn

    return register


def check_program(report: Report, program: Program) -> list[Problem]:
    """The problems of one program (program rules only: fast enough for every edit)."""
    _load_rules()
    problems: list[Problem] = []
    for r in RULES.values():
        if r.program_check is not None:
            problems.extend(_of_department(r.program_check(report, program), program))
    return problems


def _of_department(problems: Iterator[Problem], program: Program) -> Iterator[Problem]:
    for problem in problems:
        yield replace(problem, department=problem.department or program.department, program_id=program.uid)


def check_report(report: Report, program: str | None = None) -> list[Problem]:
    """Every problem of the report, or those placed in one program."""
    _load_rules()
    problems: list[Problem] = []
    programs = list(report.programs())
    departments = {p.code: p.department for p in programs}
    uids = {p.code: p.uid for p in programs}
    for r in RULES.values():
        if r.program_check is not None:
            for p in programs:
                if program is None or p.code == program:
                    problems.extend(_of_department(r.program_check(report, p), p))
        if r.report_check is not None:
            for x in r.report_check(report):
                if program is None or x.program == program:
                    owner = departments.get(x.program, "")
                    problems.append(
                        replace(x, department=x.department or owner, program_id=x.program_id or uids.get(x.program, ""))
                    )
    return problems


def _load_rules() -> None:
    # Importing the rule modules registers them; done lazily to avoid an import cycle.
    from seri_desktop.domain.rules import budget, completeness, findings, front, structure  # noqa: F401
