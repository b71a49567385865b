"""Periods as the report writes them: ``'24.3~12월``, ``'24.7~'25.1월``, ``'24.5.7.~'25.12.31.``, ``연중``.

Used by the rules (a schedule item must carry a period that falls in the
report's year, give or take one) and later by the roll-over to the next year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

KEYWORDS = ("연중", "상시", "수시", "상반기", "하반기", "매월", "매년", "분기별", "학기별", "필요 시", "필요시")
_ANCHOR = re.compile(r"'(\d{2})\.\s*(\d{1,2})(?:\.\s*(\d{1,2})\.?)?")
_RANGE_END = re.compile(r"\s*~\s*(?:'(\d{2})\.\s*)?(\d{1,2})(?:\.\s*(\d{1,2})\.?)?")
_BARE_MONTH = re.compile(r"(?<![\d.'])(\d{1,2})월")
# A period run into more digits: "'24.11월4.10월" (the "~'25." of "'24.11~'25.10월" lost), "'24.3.4.5.".
_RUN_ON = re.compile(
    r"(?>'\d{2}\.\s*\d{1,2}(?:\.\s*\d{1,2}\.?)?(?:\s*~\s*(?:'\d{2}\.\s*)?\d{1,2}(?:\.\s*\d{1,2}\.?)?)?)월?(?=\d)\d[\d.]*월?"
)


@dataclass(frozen=True)
class PeriodMark:
    """A date or the start or end of a range, as found in the text."""

    year: int
    month: int
    day: int | None
    text: str

    def key(self) -> tuple[int, int, int]:
        return self.year, self.month, self.day or 0


@dataclass(frozen=True)
class PeriodRange:
    """A single mark (``end`` is None) or a range ``start~end``."""

    start: PeriodMark
    end: PeriodMark | None


def find_periods(text: str, century: int = 2000) -> list[PeriodRange]:
    """Every year-anchored period in ``text`` (bare months and keywords are not listed)."""
    found: list[PeriodRange] = []
    for m in _ANCHOR.finditer(text):
        year = century + int(m.group(1))
        start = PeriodMark(year, int(m.group(2)), int(m.group(3)) if m.group(3) else None, m.group(0))
        end = None
        tail = _RANGE_END.match(text, m.end())
        if tail:
            end_year = century + int(tail.group(1)) if tail.group(1) else year
            end = PeriodMark(end_year, int(tail.group(2)), int(tail.group(3)) if tail.group(3) else None, tail.group(0))
        found.append(PeriodRange(start, end))
    return found


def has_period(text: str) -> bool:
    """Whether the text names a time at all: a dated period, a month, or 연중/상시/수시 …"""
    return bool(_ANCHOR.search(text) or _BARE_MONTH.search(text) or any(k in text for k in KEYWORDS))


def _mark_problem(mark: PeriodMark, year: int) -> str | None:
    if not 1 <= mark.month <= 12:
        return f"'{mark.text.strip()}'의 월 {mark.month}은(는) 1~12가 아닙니다"
    if mark.day is not None and not 1 <= mark.day <= calendar.monthrange(mark.year, mark.month)[1]:
        return f"'{mark.text.strip()}'의 날짜 {mark.month}월 {mark.day}일은 없는 날짜입니다"
    if not year - 1 <= mark.year <= year + 1:
        return f"'{mark.text.strip()}'의 연도 {mark.year}년은 보고서 연도 {year}년 ±1년을 벗어납니다"
    return None


def period_problems(text: str, year: int) -> list[str]:
    """What is wrong with the periods in ``text`` (Korean), empty when they are fine."""
    problems: list[str] = []
    if "'" not in text:
        return problems  # no dated period at all (the common case): skip the regex work
    for run_on in _RUN_ON.finditer(text):
        problems.append(
            f"{run_on.group(0)}은(는) 기간으로 읽을 수 없습니다. 기간은 '24.11~'25.10월처럼 ~로 이어 적습니다"
        )
    for found in find_periods(text, (year // 100) * 100):
        for mark in (found.start, found.end):
            if mark is not None and (problem := _mark_problem(mark, year)):
                problems.append(problem)
        if found.end is not None and found.end.key() < found.start.key() and not problems:
            problems.append(f"'{found.start.text}{found.end.text.strip()}'의 끝이 시작보다 앞섭니다")
    return problems
