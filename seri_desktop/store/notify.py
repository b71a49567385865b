"""Changes saved by others, told to every open window: PostgreSQL's NOTIFY at commit, LISTEN in the window.

On a shared PostgreSQL database (issue 16.3) every unit of work
(:mod:`seri_desktop.store.unit`) ends with :func:`send_in`: one
``NOTIFY`` on :data:`CHANNEL` inside its own transaction, so the server
delivers it only when the transaction commits, and never for one that was
rolled back. The payload is a small JSON object (:class:`Change`): the
year, every item the unit changed with its content revision after the
write (program uids, ``II:<department>``, ``I``, ``III``) and the process
that sent it, so a window can skip its own saves. A unit that changed too
much to list within the server's 8000-byte limit (a whole new report)
says so (``items`` is ``None``: read everything again).

:class:`Listener` is the other end: a psycopg connection of its own, in
autocommit, that has run ``LISTEN``. It never blocks: the window watches
its socket (:meth:`Listener.fileno`, a ``QSocketNotifier`` in
:mod:`seri_desktop.ui.live`) and calls :meth:`Listener.poll` when the socket
is readable. A lost connection raises :class:`ListenerLost`; the window
opens a new listener later and reads the report again, since what was
said meanwhile is gone.

SQLite has no such thing: nothing is sent, and nobody listens.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import URL, Connection, text

from seri_desktop.store.engine import CONNECT_TIMEOUT_S, StoreError, describe_target

if TYPE_CHECKING:
    import psycopg

CHANNEL: Final = "seri_changes"
# PostgreSQL refuses a payload of 8000 bytes or more; leave room.
MAX_PAYLOAD_BYTES: Final = 7800
# ASCII: the server shows anything else in application_name as "?".
LISTENER_APPLICATION: Final = "seri-desktop listener"


class ListenerLost(StoreError):
    """The listening connection failed or was closed by the server: changes may have been missed."""

    default_code = "store-listener"


@dataclass(frozen=True)
class Change:
    """What one committed unit of work changed: see the module docstring."""

    year: int
    items: Mapping[str, int] | None  # item key → content revision after the write; None: everything
    origin: str = ""

    @property
    def everything(self) -> bool:
        return self.items is None

    def keys(self) -> frozenset[str]:
        return frozenset(self.items or ())


def this_process() -> str:
    """The sender's name in a payload: host and process id (a window skips what it sent itself)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def payload_of(change: Change) -> str:
    """The JSON text sent; a change too large to list becomes one that says "read everything"."""
    body: dict[str, Any] = {"year": change.year, "origin": change.origin, "items": dict(change.items or {})}
    if change.items is None:
        body["items"] = None
    encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if len(encoded.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        body["items"] = None
        encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return encoded


def parse_payload(payload: str) -> Change | None:
    """The :class:`Change` a payload describes, or ``None`` for one this program did not write."""
    try:
        body = json.loads(payload)
        year = int(body["year"])
        raw = body.get("items")
        items = None if raw is None else {str(key): int(value) for key, value in dict(raw).items()}
        return Change(year, items, str(body.get("origin", "")))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def send_in(conn: Connection, year: int, items: Mapping[str, int] | None) -> None:
    """Tell the listeners, when ``conn``'s transaction commits, what it changed (PostgreSQL only).

    ``items`` is item key → content revision; ``None`` means the whole report.
    An empty mapping sends nothing (the unit wrote nothing).
    """
    if conn.dialect.name != "postgresql" or items == {}:
        return
    payload = payload_of(Change(year, items, this_process()))
    # pg_notify rather than NOTIFY: the channel and payload are parameters, never SQL text.
    conn.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


def _connect_arguments(url: URL) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        key: value for key, value in url.translate_connect_args(username="user", database="dbname").items()
    }
    for key, value in url.query.items():
        arguments[key] = value if isinstance(value, str) else value[-1]
    arguments.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    arguments["application_name"] = LISTENER_APPLICATION
    return arguments


class Listener:
    """A connection that has run ``LISTEN`` on :data:`CHANNEL`; :meth:`poll` gives what arrived, never blocking."""

    def __init__(self, url: URL) -> None:
        import psycopg

        self._where = describe_target(url)
        try:
            self._conn: psycopg.Connection[Any] | None = psycopg.connect(**_connect_arguments(url), autocommit=True)
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise ListenerLost(
                f"'{self._where}' 서버의 변경 알림을 받을 수 없습니다. 다른 사람이 저장한 내용은 다시 열 때 보입니다."
            ) from exc

    def fileno(self) -> int:
        """The socket to watch: readable when the server sent something."""
        if self._conn is None:
            raise ListenerLost(f"'{self._where}' 의 변경 알림 연결이 닫혔습니다.")
        return self._conn.fileno()

    def poll(self) -> list[Change]:
        """The changes that arrived (those this program did not write are left out); raises :class:`ListenerLost`."""
        import psycopg

        if self._conn is None:
            raise ListenerLost(f"'{self._where}' 의 변경 알림 연결이 닫혔습니다.")
        changes: list[Change] = []
        try:
            # timeout=0: only what has arrived; the socket said something has.
            for notify in self._conn.notifies(timeout=0):
                change = parse_payload(notify.payload) if notify.channel == CHANNEL else None
                if change is not None:
                    changes.append(change)
        except psycopg.Error as exc:
            self.close()
            raise ListenerLost(
                f"'{self._where}' 서버와의 변경 알림 연결이 끊어졌습니다. 다시 연결합니다."
            ) from exc
        return changes

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
