"""``seri-desktop --self-test`` in process: it passes on a working install and fails loudly otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from seri_desktop import fonts
from seri_desktop.logs import setup_logging
from seri_desktop.selftest import run_self_test, run_step


def test_self_test_passes(qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_self_test() == 0
    out = capsys.readouterr().out
    assert "자체 점검: 6/6 통과" in out
    assert "[통과] PDF" in out and "[통과] 엑셀 통합 문서" in out and "[통과] 프로그램 창" in out


def test_self_test_fails_when_a_step_fails(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fonts(*args: object, **kwargs: object) -> fonts.KoreanFonts:
        raise fonts.FontNotFoundError(fonts.NOT_FOUND_MESSAGE)

    monkeypatch.setattr(fonts, "find_korean_fonts", no_fonts)
    assert run_self_test(with_window=False) == 1
    out = capsys.readouterr().out
    assert "[실패] 한글 글꼴" in out and "fonts-nanum" in out
    assert "자체 점검: 4/5 통과" in out


def test_a_step_that_hits_a_bug_logs_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SERI_DATA_DIR", str(tmp_path))
    log = setup_logging()
    numbers: list[int] = []

    def average() -> str:  # a real bug: the mean of nothing
        return f"{sum(numbers) / len(numbers)}"

    assert run_step("평균", average) is False
    out = capsys.readouterr().out.strip()
    assert out.startswith("[실패] 평균: 평균 중 예상하지 못한 오류가 났습니다(ZeroDivisionError).")
    assert str(log) in out and "\n" not in out and "Traceback" not in out
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "ZeroDivisionError: division by zero" in logged
    assert run_step("덧셈", lambda: str(1 + 1)) is True
