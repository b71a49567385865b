"""The user's own settings, without Qt: for now the name recorded with every change (PRODUCT.md §4, issue 12).

Every write the store makes records who made it. That is the name the person
set once, here, as given: never the login name of the operating system
(``root`` in a container says nothing about who changed a budget). The
command line sets it with ``seri-desktop config --name 홍길동``, the window
on its first start (through :func:`set_user_name`); ``--who`` on a command
overrides it for one run. A write with neither is refused
(:class:`NameNotSetError`) with a message saying how to set it.

The settings are a small JSON file, ``settings.json``, in the app's data
folder (:func:`seri_desktop.paths.data_dir`, which ``SERI_DATA_DIR``
overrides), written atomically. A damaged file is a Korean
:class:`SettingsError`, never a traceback, and is left as it is.
"""

from __future__ import annotations

import json
import os
import unicodedata
import uuid
from pathlib import Path
from typing import Any, Final

from seri_desktop.errors import UserError
from seri_desktop.paths import data_dir

SETTINGS_FILE: Final = "settings.json"
NAME_KEY: Final = "user_name"
MAX_NAME_LENGTH: Final = 40
SET_NAME_HINT: Final = "seri-desktop config --name 이름"
MAX_SETTINGS_BYTES: Final = 64 * 1024


class SettingsError(UserError):
    """The settings file cannot be read or written."""

    default_code = "settings"


class NameNotSetError(SettingsError):
    """A write needs the name of the person making it, and none was given or set."""

    default_code = "no-name"


def settings_path(folder: Path | None = None) -> Path:
    """The settings file in ``folder`` (the data folder when ``None``); it may not exist yet."""
    return (folder if folder is not None else data_dir()) / SETTINGS_FILE


def _read(folder: Path | None = None) -> dict[str, Any]:
    path = settings_path(folder)
    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise SettingsError(f"설정 파일 '{path}' 이(가) 너무 큽니다. 파일을 지우고 이름을 다시 정하십시오.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"설정 파일 '{path}' 을(를) 읽을 수 없습니다: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(
            f"설정 파일 '{path}' 이(가) 손상되었습니다({exc.msg}, {exc.lineno}행). 파일을 지우고 이름을 다시 정하십시오: "
            f"{SET_NAME_HINT}"
        ) from exc
    if not isinstance(data, dict):
        raise SettingsError(f"설정 파일 '{path}' 의 형식이 올바르지 않습니다. 파일을 지우고 이름을 다시 정하십시오.")
    return data


def _write(data: dict[str, Any], folder: Path | None = None) -> None:
    path = settings_path(folder)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise SettingsError(f"설정 파일 '{path}' 에 쓸 수 없습니다: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def check_name(name: str) -> str:
    """``name`` as it will be recorded (outer spaces removed); :class:`SettingsError` for one that cannot be."""
    cleaned = name.strip()
    if not cleaned:
        raise SettingsError("이름이 비어 있습니다. 기록에 남길 이름을 적으십시오 (예: 홍길동).", "name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise SettingsError(f"이름이 너무 깁니다({len(cleaned)}자). {MAX_NAME_LENGTH}자 이하로 적으십시오.", "name")
    bad = [ch for ch in cleaned if unicodedata.category(ch).startswith("C")]
    if bad:
        raise SettingsError(f"이름에 쓸 수 없는 제어 문자({ord(bad[0]):#06x})가 있습니다.", "name")
    return cleaned


def user_name(folder: Path | None = None) -> str | None:
    """The name set with :func:`set_user_name`, or ``None`` when none is set."""
    value = _read(folder).get(NAME_KEY)
    return value if isinstance(value, str) and value.strip() else None


def set_user_name(name: str, folder: Path | None = None) -> str:
    """Set the name recorded with every change (in ``folder``, the data folder by default); returns it as recorded."""
    cleaned = check_name(name)
    data = _read(folder)
    data[NAME_KEY] = cleaned
    _write(data, folder)
    return cleaned


def require_user_name(given: str | None = None) -> str:
    """``given`` (``--who``) if there is one, else the name set; :class:`NameNotSetError` when neither is."""
    if given is not None and given.strip():
        return check_name(given)
    name = user_name()
    if name is None:
        raise NameNotSetError(
            "누가 바꾸었는지 기록할 이름이 정해지지 않아 아무것도 바꾸지 않았습니다. 이름을 한 번 정하십시오: "
            f"{SET_NAME_HINT} (이 명령에만 쓰려면 --who 이름)"
        )
    return name
