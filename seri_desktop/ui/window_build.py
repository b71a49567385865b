"""What the main window builds after its first show: the docks, the menus' actions, the welcome page.

Called by :meth:`seri_desktop.ui.main_window.MainWindow.finish_building`
(issue 17.3: the window is shown before this module, and so the action
modules it imports, are imported); the attributes these functions set are
declared on the window's class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

from seri_desktop.ui import menus
from seri_desktop.ui.actions_authors import install_author_actions
from seri_desktop.ui.actions_exchange import install_exchange_actions
from seri_desktop.ui.actions_files import FileActions, OpenWorkspace
from seri_desktop.ui.actions_findings import install_finding_actions
from seri_desktop.ui.actions_help import install_help_actions
from seri_desktop.ui.actions_hwpx import install_hwpx_actions
from seri_desktop.ui.actions_import import ImportActions
from seri_desktop.ui.actions_print import install_print_actions
from seri_desktop.ui.actions_structure import install_structure_actions
from seri_desktop.ui.actions_workbook import install_workbook_actions
from seri_desktop.ui.focus import Panes
from seri_desktop.ui.mnemonics import assign_buttons, mnemonic_of
from seri_desktop.ui.problems_panel import ProblemsPanel
from seri_desktop.ui.search_panel import SearchPanel

if TYPE_CHECKING:
    from seri_desktop.ui.main_window import MainWindow


def _dock(window: MainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    return dock


def build_docks(window: MainWindow) -> None:
    """The problems panel (bottom) and the search panel (right, hidden until Ctrl+F), in their docks."""
    window.problems_panel = ProblemsPanel()
    window.problems_panel.activated.connect(window.go_to_problem)
    window.problems_dock = _dock(
        window, "문제", "problemsDock", window.problems_panel, Qt.DockWidgetArea.BottomDockWidgetArea
    )
    window.problems_dock.setMinimumHeight(120)
    window.resizeDocks([window.problems_dock], [170], Qt.Orientation.Vertical)
    window.search_panel = SearchPanel(window.search)
    window.search_panel.activated.connect(window.go_to_hit)
    window.search_dock = _dock(window, "찾기", "searchDock", window.search_panel, Qt.DockWidgetArea.RightDockWidgetArea)
    window.search_dock.hide()


def build_menus(window: MainWindow, open_workspace: OpenWorkspace | None) -> None:
    """The window's own actions (files, save, quit, undo, find, panes) and the action modules'."""
    ctx, file, edit = window.context, menus.FILE, menus.EDIT
    # Files and import first: the order of the File menu's groups is fixed, within a group it is install order.
    window.file_actions = FileActions(ctx, open_workspace, window.switch_workspace)
    window.save_action = ctx.add_action(
        file,
        "지금 저장",
        window.flush,
        shortcut="Ctrl+S",
        tip="고친 내용을 바로 저장합니다 (자동 저장도 됩니다)",
        group="document",
    )
    window.import_actions = ImportActions(ctx)
    # Spelled out: Windows has no standard Quit key sequence.
    window.quit_action = ctx.add_action(file, "끝내기", window.close, shortcut="Ctrl+Q", group="quit")
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    window.undo_action, window.redo_action = menus.undo_actions(window.undo_group, window)
    for action in (window.undo_action, window.redo_action):
        window.menus.add(edit, action, "undo")
    window.find_action = ctx.add_action(
        edit,
        "찾기…",
        window.show_search,
        shortcut=QKeySequence.StandardKey.Find,
        tip="보고서 전체에서 찾습니다",
        group="find",
    )
    window.next_action = ctx.add_action(edit, "다음 항목", lambda: window.step_item(1), shortcut="Ctrl+PgDown")
    window.previous_action = ctx.add_action(edit, "이전 항목", lambda: window.step_item(-1), shortcut="Ctrl+PgUp")

    problems_toggle = window.problems_dock.toggleViewAction()
    problems_toggle.setText("문제 패널")
    problems_toggle.setShortcut(QKeySequence("F8"))
    search_toggle = window.search_dock.toggleViewAction()
    search_toggle.setText("찾기 패널")
    for toggle in (problems_toggle, search_toggle):
        window.menus.add(menus.VIEW, toggle)
    window.panes = Panes(window, [window.tree, window.stack, window.problems_panel.view])
    window.next_pane_action = ctx.add_action(
        menus.VIEW,
        "다음 영역으로",
        lambda: window.panes.cycle(1),
        shortcut="F6",
        group="focus",
        tip="목록 → 양식 → 문제 패널로 옮겨 갑니다",
    )
    window.previous_pane_action = ctx.add_action(
        menus.VIEW, "이전 영역으로", lambda: window.panes.cycle(-1), shortcut="Shift+F6", group="focus"
    )
    window.navigator_action = ctx.add_action(
        menus.VIEW, "목록으로", window.panes.focus_navigator, shortcut="Ctrl+L", group="focus"
    )

    # PDF/print, Excel/roll-over and the exchange live in their own modules and add their own actions.
    window.print_actions = install_print_actions(ctx)
    window.workbook_actions = install_workbook_actions(ctx)
    window.hwpx_actions = install_hwpx_actions(ctx)
    window.exchange_actions = install_exchange_actions(ctx)
    window.structure_actions = install_structure_actions(ctx)
    window.help_actions = install_help_actions(ctx)
    window.finding_actions = install_finding_actions(ctx)
    window.author_actions = install_author_actions(ctx)
    window.stack.set_chapter_access(window.author_actions.save, window.author_actions.readonly_reason)
    window.undo_group.addStack(window.stack.chapter_page.undo_stack)
    window.problems_panel.acceptDerived.connect(window.finding_actions.accept)


def build_welcome(window: MainWindow) -> None:
    """The welcome page's ways to start, and every page's buttons their Alt+letter."""
    welcome = window.stack.welcome
    # 새 보고서… is the one way to set up a year: from the template, last year's report or a text export.
    window.file_actions.set_starts(window.workbook_actions.new_year_action.trigger, window.import_actions.import_file)
    ways = [
        (
            window.file_actions.new_action,
            "새 보고서…",
            "서식에서(일반 현황의 표를 인쇄되는 열로), 작년 보고서에서(실적과 예산을 한 해씩 옮겨) "
            "또는 보고서 텍스트 파일에서 새 파일을 만듭니다.",
        ),
        (
            window.import_actions.import_action,
            "텍스트 가져오기",
            "인쇄된 보고서의 텍스트 파일(.txt)을 읽어 이 파일에 넣습니다.",
        ),
        (
            window.file_actions.open_package_action,
            "꾸러미 열기",
            "기획 부서에서 받은 부서 꾸러미(.seripkg)를 엽니다.",
        ),
        (window.file_actions.open_action, "다른 파일 열기", "보고서 데이터베이스나 꾸러미 파일을 엽니다."),
    ]
    welcome.set_ways(ways)
    welcome.openRecent.connect(window.file_actions.open_database)
    # Alt+letter for every button: per page (only one page shows at a time), never a menu's letter.
    reserved = [mnemonic_of(menu.title()) for menu in window.menus.menus()]
    for page in (*window.stack.built_pages(), window.problems_panel, window.search_panel, window.notice):
        assign_buttons(page, reserved)
    # The forms are built when first shown (forms/stack.py): their buttons get their letters then.
    window.stack.formBuilt.connect(lambda form: assign_buttons(form, reserved))
