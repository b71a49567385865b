"""The first start asks for the name recorded with every change, once, before the window opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from seri_desktop.paths import DATA_DIR_ENV_VAR
from seri_desktop.settings import user_name
from seri_desktop.ui.name_prompt import ensure_user_name


@pytest.fixture
def fresh_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(folder))
    assert user_name() is None
    return folder


def _answers(monkeypatch: pytest.MonkeyPatch, answers: list[tuple[str, bool]]) -> tuple[list[str], list[str]]:
    asked: list[str] = []
    warned: list[str] = []

    def get_text(*args: object) -> tuple[str, bool]:
        asked.append(str(args[2]))
        return answers.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    return asked, warned


def test_the_name_is_asked_once_and_kept(qtbot: QtBot, fresh_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked, warned = _answers(monkeypatch, [("  ", True), ("홍길동 주무관", True)])
    assert ensure_user_name()
    # The empty answer was explained and asked again; the name is what the settings keep.
    assert len(asked) == 2 and "변경 기록" in asked[0]
    assert len(warned) == 1 and "이름이 비어 있습니다" in warned[0]
    assert user_name() == "홍길동 주무관"
    assert (fresh_data / "settings.json").is_file()
    # The next start asks nothing.
    asked.clear()
    assert ensure_user_name() and asked == []


def test_cancelling_sets_nothing(qtbot: QtBot, fresh_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked, warned = _answers(monkeypatch, [("", False)])
    assert not ensure_user_name()
    assert len(asked) == 1 and warned == []
    assert user_name() is None and not (fresh_data / "settings.json").exists()


def test_a_name_with_control_characters_is_refused(
    qtbot: QtBot, fresh_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _asked, warned = _answers(monkeypatch, [("홍\x1b[31m길동", True), ("홍길동", True)])
    assert ensure_user_name()
    assert "제어 문자" in warned[0]
    assert user_name() == "홍길동"
