"""Opening a shared PostgreSQL database from the window: 서버에 연결…, saved connections, the password.

A database is a file or a server (issue 16). The server is chosen in
:class:`ConnectDialog` (host, port, database, user, or one of the saved
connections); what is saved in the app's settings (:data:`SETTINGS_CONNECTIONS`,
and the recent list) is that and nothing more: never a password.

The password comes, in this order, from the URL itself (``--db`` given one),
from what the person typed earlier in this session (:class:`Passwords`, in
memory only), from libpq's ``PGPASSWORD`` in the environment, or from a
prompt (:func:`with_password`, a password field that shows no characters).
Every place the window names a server (messages, the status bar, the recent
list) renders it with the password hidden
(:func:`seri_desktop.store.engine.describe_target`).

The store is imported inside the functions, as in :mod:`seri_desktop.ui.backend`,
so importing the UI does not load SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.ui.recent import listed

if TYPE_CHECKING:
    from sqlalchemy import URL

    from seri_desktop.ui.backend import ReportBackend

SETTINGS_CONNECTIONS = "connections/saved"
MAX_SAVED = 8
DEFAULT_HOST = "localhost"
DEFAULT_PORT = 5432
PASSWORD_VARIABLE = "PGPASSWORD"  # libpq reads it itself when no password is given
DIALOG_TITLE = "서버에 연결"
PASSWORD_TITLE = "서버 비밀번호"
NEW_CONNECTION = "(새 연결)"


def saved_connections(settings: QSettings) -> list[URL]:
    """The connections saved in the settings, newest first (no password in any of them)."""
    from seri_desktop.store.engine import StoreError, parse_target

    urls: list[URL] = []
    for text in listed(settings, SETTINGS_CONNECTIONS):
        try:
            target = parse_target(text)
        except StoreError:
            continue  # an entry edited by hand into something unreadable is skipped, not an error at start
        if not isinstance(target, Path):
            urls.append(target)
    return urls


def remember_connection(settings: QSettings, url: URL) -> None:
    """Save ``url``'s host, port, database and user (the password is dropped) at the top of the saved list."""
    from seri_desktop.store.engine import target_text

    text = target_text(url)
    kept = [text, *(t for t in listed(settings, SETTINGS_CONNECTIONS) if t != text)][:MAX_SAVED]
    settings.setValue(SETTINGS_CONNECTIONS, kept)


def target_label(target: Path | URL) -> str:
    """How the window names a file or a server: a server without its password."""
    if isinstance(target, Path):
        # The window's first paint names the file: importing the store (SQLAlchemy) for that cost
        # a quarter of a second before the window could show (issue 17.3).
        return str(target)
    from seri_desktop.store.engine import describe_target

    return describe_target(target)


def backend_label(backend: ReportBackend | None) -> str:
    """The open database for the status bar and messages (a server's password never shown)."""
    if backend is None:
        return ""
    engine = getattr(backend, "engine", None)
    if engine is not None:
        from seri_desktop.store.engine import database_path

        return database_path(engine)
    return str(backend.path) if backend.path is not None else ""


class Passwords:
    """The passwords typed in this session, by server and user: in memory only, gone when the app ends."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def _key(self, url: URL) -> str:
        from seri_desktop.store.engine import target_text

        return target_text(url)

    def known(self, url: URL) -> URL | None:
        """``url`` with the password typed for it earlier, if any."""
        password = self._known.get(self._key(url))
        return url.set(password=password) if password is not None else None

    def keep(self, url: URL) -> None:
        """Remember ``url``'s password (call after it connected: a wrong one is never kept)."""
        if url.password:
            self._known[self._key(url)] = str(url.password)

    def forget(self, url: URL) -> None:
        self._known.pop(self._key(url), None)


def with_password(parent: QWidget | None, url: URL, passwords: Passwords) -> URL | None:
    """``url`` ready to connect: its own password, one typed earlier, ``PGPASSWORD``, or one asked for now.

    ``None`` when the person cancels the prompt. An empty answer connects
    without a password (the server may not want one, or libpq finds it in
    ``~/.pgpass``).
    """
    if url.password:
        return url
    known = passwords.known(url)
    if known is not None:
        return known
    if os.environ.get(PASSWORD_VARIABLE):
        return url
    text, ok = QInputDialog.getText(
        parent,
        PASSWORD_TITLE,
        f"{target_label(url)} 에 연결할 비밀번호를 입력하십시오.\n"
        "비밀번호는 저장되지 않고, 프로그램을 끝낼 때까지만 기억됩니다.",
        QLineEdit.EchoMode.Password,
    )
    if not ok:
        return None
    return url.set(password=text) if text else url


class ConnectDialog(QDialog):
    """서버에 연결: a saved connection or host, port, database and user; :meth:`url` is the choice."""

    def __init__(self, parent: QWidget | None, settings: QSettings) -> None:
        super().__init__(parent)
        self.setWindowTitle(DIALOG_TITLE)
        self.setObjectName("connectDialog")
        self._saved = saved_connections(settings)
        self.saved = QComboBox()
        self.saved.addItem(NEW_CONNECTION)
        for url in self._saved:
            self.saved.addItem(target_label(url))
        self.host = QLineEdit(DEFAULT_HOST)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.user = QLineEdit()
        self.keep = QCheckBox("이 연결을 저장 (비밀번호는 저장하지 않습니다)")
        self.keep.setChecked(True)
        for name, widget in (("host", self.host), ("port", self.port), ("database", self.database), ("user", self.user)):
            widget.setObjectName(name)
        form = QFormLayout()
        form.addRow("저장된 연결(&S):", self.saved)
        form.addRow("호스트(&H):", self.host)
        form.addRow("포트(&P):", self.port)
        form.addRow("데이터베이스(&D):", self.database)
        form.addRow("사용자(&U):", self.user)
        form.addRow("", self.keep)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("연결(&C)")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("취소")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.saved.currentIndexChanged.connect(self._on_saved_chosen)
        for field in (self.host, self.database, self.user):
            field.textChanged.connect(self._update_ok)
        if self._saved:
            self.saved.setCurrentIndex(1)
        self._update_ok()

    def _on_saved_chosen(self, index: int) -> None:
        if not 1 <= index <= len(self._saved):
            return
        url = self._saved[index - 1]
        self.host.setText(url.host or DEFAULT_HOST)
        self.port.setValue(url.port or DEFAULT_PORT)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")

    def _update_ok(self) -> None:
        filled = all(field.text().strip() for field in (self.host, self.database, self.user))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(filled)

    def url(self) -> URL:
        """The server chosen, without a password (it is asked for separately)."""
        from sqlalchemy import URL

        from seri_desktop.store.engine import POSTGRES_SCHEME

        return URL.create(
            POSTGRES_SCHEME,
            username=self.user.text().strip(),
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
        )


def ask_connection(parent: QWidget | None, settings: QSettings) -> tuple[URL, bool] | None:
    """Show :class:`ConnectDialog`; the server chosen and whether to save it, or ``None`` when cancelled."""
    dialog = ConnectDialog(parent, settings)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.url(), dialog.keep.isChecked()
    finally:
        dialog.deleteLater()
