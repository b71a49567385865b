"""The name recorded with every change, asked once on the first start of the window.

Every save records who made it (:mod:`seri_desktop.settings`), so the window
cannot save anything before a name is set. Rather than refusing the first
autosave, the window asks for the name before it opens: a department head
types it once, and it is kept in the app's data folder. Cancelling closes
the app with nothing changed; a name the settings refuse (empty, too long,
control characters) is explained and asked again. The dialogs' Qt classes are
imported only when there is something to ask: a name already set costs the
window's first show nothing more than reading the settings (issue 17.3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seri_desktop.settings import SettingsError, set_user_name, user_name

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

TITLE = "이름 정하기"
PROMPT = (
    "고친 내용마다 누가 고쳤는지 변경 기록에 남깁니다.\n"
    "기록에 남길 이름을 적으십시오 (예: 홍길동 주무관). 한 번만 묻습니다."
)


def ensure_user_name(parent: QWidget | None = None) -> bool:
    """Whether a name is set, asking for it when none is; ``False`` when the person cancels."""
    damaged: SettingsError | None = None
    try:
        if user_name() is not None:
            return True
    except SettingsError as exc:
        damaged = exc
    from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

    if damaged is not None:  # a damaged settings file: say so, and let the person set the name anew
        QMessageBox.warning(parent, TITLE, str(damaged))
    text = ""
    while True:
        text, ok = QInputDialog.getText(parent, TITLE, PROMPT, QLineEdit.EchoMode.Normal, text)
        if not ok:
            return False
        try:
            set_user_name(text)
        except SettingsError as exc:
            QMessageBox.warning(parent, TITLE, str(exc))
            continue
        return True
