"""Structure editing in the window (issue 13, item 2): the navigator's context menu, a toolbar, drag and drop.

Every operation is one of :mod:`seri_desktop.domain.structure`'s, made on the
report as stored now (edits pending in a form are saved first), saved as one
transaction (:func:`seri_desktop.store.unit.save_structure_change`, office only)
and pushed as one step on the window's report undo stack
(:attr:`AppContext.report_undo_stack`): Ctrl+Z undoes it and Ctrl+Shift+Z
does it again, both through the same store path
(:func:`seri_desktop.store.unit.carry_structure`: the structure of the
other side, with the content edited meanwhile kept). Before a change that
renumbers codes or deletes something the plan is shown and must be
confirmed; the confirmation names what is deleted.

The module sees the window only through its :class:`AppContext`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QToolBar

from seri_desktop.domain import structure
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Chapter, Program, Report
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.rows import (
    EVALUATION_KEY,
    PROGRAMS_KEY,
    RowKind,
    chapter_for_key,
    department_key,
    key_for_ref,
    program_for_key,
    row_key,
)

TITLE = "보고서 구성"
Make = Callable[[Report], structure.Change]


@dataclass(frozen=True)
class Applied:
    """A structural change as saved: the report before it and the change (for undo and redo)."""

    before: Report
    change: structure.Change
    focus: str  # the row to show after the change ("program:5-8", "chapter:2", …); "" for none
    focus_before: str  # the row to show after undoing it


class StructureCommand(QUndoCommand):
    """One structural change on the report undo stack; undo and redo go through the store again."""

    def __init__(self, actions: StructureActions, applied: Applied) -> None:
        super().__init__(applied.change.plan.summary)
        self._actions = actions
        self._applied = applied
        self._fresh = True  # pushed right after it was saved: the first redo() has nothing to do

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        change = self._applied.change
        if not self._actions.carry(change.report, change, f"다시 실행: {change.plan.summary}", self._applied.focus):
            self.setObsolete(True)

    def undo(self) -> None:
        change = self._applied.change
        if not self._actions.carry(
            self._applied.before, change, f"되돌리기: {change.plan.summary}", self._applied.focus_before
        ):
            self.setObsolete(True)


class StructureActions(QObject):
    """The structure operations for the navigator's menu, the toolbar and drops (see the module docstring)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.stack = ctx.report_undo_stack
        self.toolbar = QToolBar(TITLE)
        self.toolbar.setObjectName("structureToolbar")
        self.add_program_action = self._tool(
            "새 사업…", self.ask_add_program, "고른 장(또는 사업의 장)에 빈 서식의 사업을 더합니다"
        )
        self.up_action = self._tool(
            "사업 위로", lambda: self._current_program(lambda p: self.move_program(p.code, -1)), "사업을 한 칸 위로"
        )
        self.down_action = self._tool(
            "사업 아래로", lambda: self._current_program(lambda p: self.move_program(p.code, 1)), "사업을 한 칸 아래로"
        )
        self.delete_action = self._tool(
            "지우기…", self.ask_delete_current, "고른 사업이나 장을 지웁니다 (확인 후; 되돌릴 수 있습니다)"
        )
        self.toolbar.addSeparator()
        self.add_chapter_action = self._tool("새 장…", self.ask_add_chapter, "주요업무 끝에 장을 더합니다")
        self.add_department_action = self._tool("새 부서…", self.ask_add_department, "부서를 더합니다")
        ctx.add_toolbar(self.toolbar)
        ctx.navigatorMenuRequested.connect(self.show_menu)
        ctx.navigatorDropped.connect(self.drop)
        ctx.itemShown.connect(self._update)
        ctx.reportLoaded.connect(self._update)
        ctx.workspaceChanged.connect(self.stack.clear)
        self._update()

    # ------------------------------------------------------------------ the toolbar and the menu

    def _tool(self, text: str, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self.toolbar)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda *_: slot())
        self.toolbar.addAction(action)
        return action

    def _update(self) -> None:
        key = self.ctx.current_key() or ""
        report = self.ctx.report
        office = self.ctx.is_office and report is not None
        program = program_for_key(report, key) if report is not None else None
        for action in (self.add_chapter_action, self.add_department_action):
            action.setEnabled(office)
        self.add_program_action.setEnabled(office and self._chapter_of(key) is not None)
        self.up_action.setEnabled(office and program is not None)
        self.down_action.setEnabled(office and program is not None)
        self.delete_action.setEnabled(
            office and (program is not None or (report is not None and chapter_for_key(report, key) is not None))
        )

    def menu_for(self, key: str) -> QMenu:
        """The context menu of navigator row ``key`` (what right-clicking it opens)."""
        menu = QMenu(TITLE, self.ctx.dialog_parent)
        report = self.ctx.report
        if report is None or not self.ctx.is_office:
            none = menu.addAction("구성은 기획 부서의 데이터베이스에서 바꿉니다")
            none.setEnabled(False)
            return menu
        program = program_for_key(report, key)
        chapter = self._chapter_of(key)
        if program is not None and chapter is not None:
            self._program_entries(menu, report, chapter, program)
            menu.addSeparator()
        if chapter is not None:
            _add(menu, f"{chapter.number}장에 새 사업…", lambda: self.ask_add_program(chapter.number))
            if program is None:
                self._chapter_entries(menu, report, chapter)
            menu.addSeparator()
        department = self._department_of(key)
        if department is not None:
            self._department_entries(menu, report, department)
            menu.addSeparator()
        if key in (EVALUATION_KEY,) or department is not None:
            _add(menu, "새 부서…", self.ask_add_department)
        _add(menu, "새 장…", self.ask_add_chapter)
        return menu

    def _program_entries(self, menu: QMenu, report: Report, chapter: Chapter, program: Program) -> None:
        code = program.code
        _add(menu, f"{code} 사업 이름 바꾸기…", lambda: self.ask_rename_program(code))
        up = _add(menu, "위로 옮기기", lambda: self.move_program(code, -1))
        up.setEnabled(chapter.programs.index(program) > 0)
        down = _add(menu, "아래로 옮기기", lambda: self.move_program(code, 1))
        down.setEnabled(chapter.programs.index(program) < len(chapter.programs) - 1)
        to = menu.addMenu("다른 장으로 옮기기")
        for other in report.chapters:
            if other is not chapter:
                _add(to, f"{other.number}. {other.title}", partial(self.move_to_chapter, code, other.number))
        departments = menu.addMenu("부서 바꾸기")
        for department in report.departments:
            entry = _add(departments, department.name, partial(self.set_department, code, department.name))
            entry.setEnabled(department.name != program.department)
        _add(menu, f"{code}의 구성을 본뜬 새 사업…", lambda: self.ask_add_program(chapter.number, copy_of=code))
        _add(menu, f"{code} 사업 삭제…", lambda: self.delete_program(code))

    def _chapter_entries(self, menu: QMenu, report: Report, chapter: Chapter) -> None:
        number = chapter.number
        _add(menu, f"{number}장 제목 바꾸기…", lambda: self.ask_rename_chapter(number))
        up = _add(menu, "장 위로 옮기기", lambda: self.move_chapter(number, number - 1))
        up.setEnabled(number > 1)
        down = _add(menu, "장 아래로 옮기기", lambda: self.move_chapter(number, number + 1))
        down.setEnabled(number < len(report.chapters))
        _add(menu, f"{number}장 삭제…", lambda: self.delete_chapter(number))

    def _department_entries(self, menu: QMenu, report: Report, name: str) -> None:
        _add(menu, f"'{name}' 이름 바꾸기…", lambda: self.ask_rename_department(name))
        merge = menu.addMenu("다른 부서에 합치기")
        for other in report.departments:
            if other.name != name:
                _add(merge, other.name, partial(self.merge_departments, name, other.name))
        remove = _add(menu, f"'{name}' 빼기", lambda: self.remove_department(name))
        uses = structure.department_users(report, name)
        remove.setEnabled(not uses)
        if uses:
            remove.setToolTip(f"쓰이고 있습니다: {', '.join(uses)}")

    def show_menu(self, key: str, where: QPoint) -> None:
        self.menu_for(key).popup(where)

    # ------------------------------------------------------------------ rows

    def _chapter_of(self, key: str) -> Chapter | None:
        report = self.ctx.report
        if report is None:
            return None
        chapter = chapter_for_key(report, key)
        if chapter is not None:
            return chapter
        program = program_for_key(report, key)
        return next((c for c in report.chapters if program in c.programs), None) if program is not None else None

    def _department_of(self, key: str) -> str | None:
        report = self.ctx.report
        if report is None:
            return None
        return next((d.name for d in report.departments if department_key(d.name) == key), None)

    def _current_program(self, then: Callable[[Program], object]) -> None:
        report = self.ctx.report
        program = program_for_key(report, self.ctx.current_key() or "") if report is not None else None
        if program is not None:
            then(program)

    # ------------------------------------------------------------------ asking

    def _text(self, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(self.ctx.dialog_parent, TITLE, label, QLineEdit.EchoMode.Normal, value)
        return text if ok and text.strip() else None

    def ask_add_program(self, chapter: int | None = None, *, copy_of: str | None = None) -> bool:
        if chapter is None:
            found = self._chapter_of(self.ctx.current_key() or "")
            if found is None:
                return False
            chapter = found.number
        how = f"{copy_of}의 구성을 본뜬 " if copy_of else ""
        title = self._text(f"{chapter}장에 더할 {how}새 사업의 제목:")
        return title is not None and self.add_program(chapter, title, copy_of=copy_of)

    def ask_add_chapter(self) -> bool:
        report = self.ctx.report
        if report is None or not report.departments:
            return False
        title = self._text("새 장의 제목:")
        if title is None:
            return False
        names = [d.name for d in report.departments]
        department, ok = QInputDialog.getItem(self.ctx.dialog_parent, TITLE, "이 장을 맡는 부서:", names, 0, False)
        return ok and self.apply(lambda r: structure.add_chapter(r, title, department), focus=PROGRAMS_KEY)

    def ask_add_department(self) -> bool:
        name = self._text("새 부서의 이름:")
        return name is not None and self.apply(lambda r: structure.add_department(r, name), focus=EVALUATION_KEY)

    def ask_rename_program(self, code: str) -> bool:
        report = self.ctx.report
        program = report.program(code) if report is not None else None
        title = self._text(f"{code} 사업의 새 제목:", program.title if program is not None else "")
        return title is not None and self.rename_program(code, title)

    def ask_rename_chapter(self, number: int) -> bool:
        report = self.ctx.report
        old = report.chapters[number - 1].title if report is not None and number <= len(report.chapters) else ""
        title = self._text(f"{number}장의 새 제목:", old)
        return title is not None and self.apply(
            lambda r: structure.rename_chapter(r, number, title), focus=_chapter_key(number)
        )

    def ask_rename_department(self, name: str) -> bool:
        new = self._text(f"'{name}' 부서의 새 이름 (모든 사업이 따라 바뀝니다):", name)
        return new is not None and self.rename_department(name, new)

    def ask_delete_current(self) -> bool:
        report = self.ctx.report
        key = self.ctx.current_key() or ""
        if report is None:
            return False
        program = program_for_key(report, key)
        if program is not None:
            return self.delete_program(program.code)
        chapter = chapter_for_key(report, key)
        return chapter is not None and self.delete_chapter(chapter.number)

    # ------------------------------------------------------------------ the operations

    def add_program(
        self, chapter: int, title: str, department: str | None = None, *, copy_of: str | None = None
    ) -> bool:
        def make(report: Report) -> structure.Change:
            return structure.add_program(report, chapter, title, department, copy_of=copy_of)

        return self.apply(make, focus=lambda change: _program_key(change.report, title))

    def rename_program(self, code: str, title: str) -> bool:
        return self.apply(lambda r: structure.rename_program(r, code, title), focus=_program_row(code))

    def move_program(self, code: str, steps: int) -> bool:
        return self.apply(lambda r: structure.move_program(r, code, steps), focus=_moved(code))

    def move_to_chapter(self, code: str, chapter: int, position: int | None = None) -> bool:
        return self.apply(lambda r: structure.move_program_to(r, code, chapter, position=position), focus=_moved(code))

    def set_department(self, code: str, department: str) -> bool:
        return self.apply(lambda r: structure.set_department(r, code, department), focus=_program_row(code))

    def delete_program(self, code: str) -> bool:
        return self.apply(
            lambda r: structure.delete_program(r, code, confirm=True), focus=_chapter_key_of(code), confirm=True
        )

    def add_chapter(self, title: str, department: str) -> bool:
        return self.apply(lambda r: structure.add_chapter(r, title, department), focus=PROGRAMS_KEY)

    def move_chapter(self, number: int, to: int) -> bool:
        return self.apply(lambda r: structure.move_chapter(r, number, to), focus=_chapter_key(to))

    def delete_chapter(self, number: int) -> bool:
        return self.apply(lambda r: structure.delete_chapter(r, number, confirm=True), focus=PROGRAMS_KEY, confirm=True)

    def add_department(self, name: str) -> bool:
        return self.apply(lambda r: structure.add_department(r, name), focus=EVALUATION_KEY)

    def rename_department(self, old: str, new: str) -> bool:
        return self.apply(
            lambda r: structure.rename_department(r, old, new), focus=department_key(" ".join(new.split()))
        )

    def merge_departments(self, source: str, into: str) -> bool:
        return self.apply(
            lambda r: structure.merge_departments(r, source, into), focus=department_key(into), confirm=True
        )

    def remove_department(self, name: str) -> bool:
        return self.apply(lambda r: structure.remove_department(r, name), focus=EVALUATION_KEY)

    def drop(self, source: str, target: str, below: bool) -> bool:
        """A program row dropped on a chapter (to its end) or on a program's place (before it; ``below``: after it)."""
        report = self.ctx.report
        if report is None:
            return False
        program = program_for_key(report, source)
        if program is None:
            return False
        chapter = chapter_for_key(report, target)
        if chapter is not None:
            return self.move_to_chapter(program.code, chapter.number)
        anchor = program_for_key(report, target)
        home = next((c for c in report.chapters if anchor in c.programs), None)
        if anchor is None or home is None:
            return False
        index = home.programs.index(anchor) + (1 if below else 0)
        if program in home.programs and home.programs.index(program) < index:
            index -= 1  # the program leaves its place above the anchor first
        if program in home.programs and home.programs.index(program) == index:
            return False  # dropped where it is
        return self.move_to_chapter(program.code, home.number, index + 1)

    # ------------------------------------------------------------------ applying, undoing

    def apply(self, make: Make, *, focus: str | Callable[[structure.Change], str] = "", confirm: bool = False) -> bool:
        """Make the change on the stored report, show its plan when it renumbers or deletes, save it, push it."""
        from seri_desktop.store.audit import Via
        from seri_desktop.store.unit import read_snapshot, save_structure_change

        engine = self.ctx.engine
        if engine is None or not self.ctx.flush():
            return False
        focus_before = self.ctx.current_key() or ""
        with self.ctx.attempt(
            TITLE, "구성을 바꾸지 못했습니다. 아무것도 바뀌지 않았습니다.", doing="보고서 구성 바꾸기"
        ) as attempt:
            base = read_snapshot(engine, self.ctx.report.year if self.ctx.report is not None else None)
            change = make(base.report)
            plan = change.plan
            if (confirm or plan.renumbered or plan.removed or plan.chapters) and not self.ctx.ask(
                TITLE, "\n".join([*plan.lines(), "", "이대로 바꿀까요? (실행 취소로 되돌릴 수 있습니다)"])
            ):
                return False
            save_structure_change(
                engine, base, change.report, summary=plan.summary, plan=plan.lines(), who=None, via=Via.WINDOW
            )
        if attempt.failed:
            return False
        target = focus(change) if callable(focus) else focus
        applied = Applied(copy.deepcopy(base.report), change, target, focus_before)
        self._show(target, plan.summary)
        self.stack.push(StructureCommand(self, applied))
        self.ctx.activate_report_undo()
        return True

    def carry(self, target: Report, change: structure.Change, summary: str, focus: str) -> bool:
        """Make the stored structure ``target``'s again (undo/redo of ``change``); ``False`` if refused."""
        from seri_desktop.store.audit import Via
        from seri_desktop.store.unit import carry_structure, read_snapshot, save_structure_change

        engine = self.ctx.engine
        if engine is None or not self.ctx.flush():
            return False
        with self.ctx.attempt(
            TITLE, "구성 변경을 되돌리지(다시 하지) 못했습니다.", doing="보고서 구성 되돌리기"
        ) as attempt:
            base = read_snapshot(engine, target.year)
            new = carry_structure(base.report, target, programs=change.programs, departments=change.departments)
            save_structure_change(engine, base, new, summary=summary, plan=[summary], who=None, via=Via.WINDOW)
        if attempt.failed:
            self.ctx.reload()
            return False
        self._show(focus, summary)
        self.ctx.activate_report_undo()
        return True

    def _show(self, key: str, summary: str) -> None:
        self.ctx.reload()
        if key:
            self.ctx.select_key(key)
        self.ctx.notify(summary)


def _add(menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
    """A menu entry calling ``slot`` with no argument (never the ``checked`` flag ``triggered`` carries)."""
    action = menu.addAction(text)
    action.triggered.connect(lambda *_: slot())
    return action


def _program_key(report: Report, title: str) -> str:
    program = next((p for p in report.programs() if p.title == title), None)
    return _program_row(program.code) if program is not None else ""


def _moved(code: str) -> Callable[[structure.Change], str]:
    """The row of the program that had ``code`` before the change (its new code)."""

    def key(change: structure.Change) -> str:
        moved = next((r.new for r in change.plan.renumbered if r.old == code), code)
        return _program_row(moved)

    return key


def _program_row(code: str) -> str:
    return key_for_ref(ItemRef.program(code))


def _chapter_key(number: int) -> str:
    return row_key(RowKind.CHAPTER, str(number))


def _chapter_key_of(code: str) -> str:
    return _chapter_key(int(code.split("-", 1)[0]))


def install_structure_actions(ctx: AppContext) -> StructureActions:
    """The structure operations: the navigator's context menu, the 보고서 구성 toolbar, drops (office only)."""
    return StructureActions(ctx)


__all__ = ["Applied", "StructureActions", "StructureCommand", "install_structure_actions"]
