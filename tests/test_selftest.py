"""``seri-desktop --self-test`` in process: it passes on a working install and fails loudly otherwise."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from seri_desktop import fonts
from seri_desktop.selftest import run_self_test


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
