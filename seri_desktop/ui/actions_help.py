"""The Help menu: 사용 안내 (a short guide in the app), 정보 (versions, the data and log folders), 로그 폴더 열기.

The guide is a few paragraphs of HTML in :data:`GUIDE` (the README is for
administrators; this is for the person at the form). 정보 names the program's
version and those of Python, Qt and PySide6, SQLite and reportlab, and the
folders where the app keeps its database and its log, so a person reporting
a problem can say where to look. Install with :func:`install_help_actions`.
"""

from __future__ import annotations

import platform
import sqlite3

import PySide6
from PySide6.QtCore import QObject, Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from seri_desktop import __version__, paths
from seri_desktop.logs import log_path
from seri_desktop.ui import menus
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.crash import open_log_folder
from seri_desktop.ui.mnemonics import assign_buttons

GUIDE = """
<h3>사용 안내</h3>
<p><b>시작</b>: 보고서가 없는 파일을 열면 첫 화면에서 <i>텍스트 가져오기</i>(인쇄된 보고서의 텍스트 파일),
<i>작년 보고서로 새 해 시작</i>, <i>빈 보고서</i>, <i>꾸러미 열기</i>(부서) 가운데 하나를 고릅니다.
마지막에 연 파일은 다음에 프로그램을 켤 때 다시 열립니다.</p>
<p><b>화면</b>: 왼쪽 목록에서 사업이나 부서를 고르면 오른쪽에 입력 양식이 열립니다.
아래의 문제 패널(F8)은 오류와 경고를 보여 주고, 두 번 누르면 그 자리로 갑니다. 찾기는 Ctrl+F입니다.</p>
<p><b>키보드</b>: Tab과 Shift+Tab으로 칸을 옮깁니다. 개조식 칸에서는 항목 맨 앞에서 누른 Tab이 한 단계
들여쓰기, Shift+Tab이 내어쓰기이고, Ctrl+Tab이나 Esc로 칸을 떠납니다. Enter는 새 항목,
Shift+Enter는 항목 안의 줄바꿈입니다. F6은 목록 → 양식 → 문제 패널로 옮겨 가고, Ctrl+PgDown/PgUp은
다음·이전 사업입니다. 표의 칸에서는 입력하면 내용이 바뀌고, F2는 그 자리에서 고칩니다.
메뉴와 단추는 Alt와 괄호 안의 글자로 엽니다.</p>
<p><b>저장</b>: 고친 내용은 잠시 뒤 자동으로 저장됩니다(Ctrl+S: 지금 저장). 되돌리기는 Ctrl+Z,
다시 실행은 Ctrl+Shift+Z입니다. 금액이 아닌 값은 빨간색으로 남아 문제 패널에 오르고, 금액으로는
저장되지 않습니다.</p>
<p><b>제출과 검토</b>: 부서는 꾸러미에서 <i>제출 파일 만들기</i>로 기획 부서에 보낼 파일을 만듭니다.
기획 부서는 <i>제출 파일 가져오기</i>로 바뀐 내용을 보고 사업마다 반영하거나 반려합니다.
오류가 남아 있으면 제출, 확정, PDF 전에 묻습니다. 오류를 두고 확정하려면 사유를 적어야 하고,
그 사유는 변경 기록에 남습니다.</p>
"""


def about_html() -> str:
    """The 정보 text: versions and folders."""
    # Imported here: importlib.metadata costs the window's start a few milliseconds for a dialog rarely opened.
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "없음"

    rows = [
        ("seri-desktop", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLite", sqlite3.sqlite_version),
        ("reportlab", version("reportlab")),
        ("데이터 폴더", str(paths.data_dir())),
        ("로그 파일", str(log_path())),
    ]
    body = "".join(f"<tr><td style='padding-right:16px; color:#555555'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<h3>seri-desktop {__version__}</h3><p>주요업무보고 작성·취합 프로그램</p><table>{body}</table>"


class TextDialog(QDialog):
    """A read-only page of HTML with a 닫기 button (사용 안내, 정보)."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("닫기")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)
        assign_buttons(self)


class HelpActions(QObject):
    """The Help menu's actions; ``last_dialog`` is the page shown last (tests)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.last_dialog: TextDialog | None = None
        self.guide_action = ctx.add_action(menus.HELP, "사용 안내", self.show_guide, shortcut="F1", group="guide")
        self.log_action = ctx.add_action(
            menus.HELP, "로그 폴더 열기", open_log_folder, tip="오류 기록이 있는 폴더를 엽니다", group="guide"
        )
        self.about_action = ctx.add_action(menus.HELP, "정보", self.show_about, group="about")
        self.about_action.setMenuRole(self.about_action.MenuRole.AboutRole)

    def show_guide(self) -> TextDialog:
        return self._show(TextDialog("사용 안내", GUIDE, self.ctx.dialog_parent))

    def show_about(self) -> TextDialog:
        return self._show(TextDialog("seri-desktop 정보", about_html(), self.ctx.dialog_parent))

    def _show(self, dialog: TextDialog) -> TextDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: self._forget(dialog))
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _forget(self, dialog: TextDialog) -> None:
        if self.last_dialog is dialog:
            self.last_dialog = None


def install_help_actions(ctx: AppContext) -> HelpActions:
    """Add 사용 안내, 로그 폴더 열기 and 정보 to the Help menu."""
    return HelpActions(ctx)
