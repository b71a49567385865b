"""The rules engine: rules with stable ids, problems with their place.

A rule is a plain function registered with ``@rule``. Program rules look at
one program (and the report around it, for the year and the as-of date);
report rules look across the report (front matter against programs,
structure). ``check_program`` runs only the program rules, so the form can
re-check one program on every edit; ``check_report`` runs everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

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
    section: str = ""  # section key, e.g. "budget", "targets", "overview.purpose", "front.staffing"
    row: int | None = None  # 1-based row of a table or item of an outline
    column: str = ""  # column label as printed ("2분기", "추진시기" …)
    # The department whose work the problem is in ("" for the office's front matter): a program's
    # department, or the department of a section II; set by the engine for program problems.
    department: str = ""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    def place(self) -> str:
        """The place in words: ``1-2 예산 집행 계획 1행 예산액('23)``."""
        parts = [self.program, SECTION_LABELS.get(self.section, self.section)]
        if self.row is not None:
            parts.append(f"{self.row}행")
        if self.column:
            parts.append(self.column)
        return " ".join(p for p in parts if p)


SECTION_LABELS: dict[str, str] = {
    "overview": "사업 개요",
    "overview.lead": "사업 개요",
    "overview.purpose": "사업 개요 › 목적",
    "overview.basis": "사업 개요 › 근거",
    "overview.contents": "사업 개요 › 주요 내용",
    "previous_achievements": "전년도 추진 실적",
    "targets": "추진 목표",
    "plan": "추진 계획",
    "plan.improvements": "추진 계획 › 주요 개선 사항",
    "plan.items": "추진 계획",
    "achievements": "추진 실적",
    "schedule": "추진 일정",
    "budget": "예산 집행 계획",
    "budget.total": "예산 집행 계획 › 계",
    "budget.notes": "예산 집행 계획 › 메모",
    "issues": "문제점 및 애로 사항",
    "front.staffing": "정·현원",
    "front.budget_overview": "예산 현황",
    "front.budget_summary": "주요업무별 예산 내역",
    "chapter": "장 표지",
    "results": "성과",
    "limits": "한계",
    "directions": "개선 방향",
}

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
        yield problem if problem.department else replace(problem, department=program.department)


def check_report(report: Report, program: str | None = None) -> list[Problem]:
    """Every problem of the report, or those placed in one program."""
    _load_rules()
    problems: list[Problem] = []
    programs = list(report.programs())
    departments = {p.code: p.department for p in programs}
    for r in RULES.values():
        if r.program_check is not None:
            for p in programs:
                if program is None or p.code == program:
                    problems.extend(_of_department(r.program_check(report, p), p))
        if r.report_check is not None:
            for x in r.report_check(report):
                if program is None or x.program == program:
                    owner = departments.get(x.program, "")
                    problems.append(x if x.department or not owner else replace(x, department=owner))
    return problems


def _load_rules() -> None:
    # Importing the rule modules registers them; done lazily to avoid an import cycle.
    from seri_desktop.domain.rules import budget, completeness, front, structure  # noqa: F401
