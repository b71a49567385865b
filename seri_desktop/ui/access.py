"""Who may edit what in the open database, as far as the window needs to know: reasons a unit is read-only.

Worked out for the whole navigator in one go from the department of a
package and the review states (a 1,000-program report must not cost 1,000
queries); the store's own lock check (:func:`lock_reason`) runs when a unit
is opened. The store refuses a write to a locked unit whatever the window
shows; these reasons only keep the form from offering it.

Reading the states or a lock may fail: unknown means read-only for a lock
(editing a program the office has closed would be worse than not editing
it) and no states for the list; a person's error says so, a bug is logged.
"""

from __future__ import annotations

from collections.abc import Callable

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Report
from seri_desktop.domain.policy import Editor, edit_refusal
from seri_desktop.errors import UserError
from seri_desktop.logs import report_bug
from seri_desktop.ui.backend import Workspace
from seri_desktop.ui.rows import RowKind, TreeRow, key_for_ref, keyed_programs


def review_states(workspace: Workspace | None, year: int, notify: Callable[[str], None]) -> dict[str, str]:
    """Program code → review state; ``{}`` (and ``notify`` says why) when they cannot be read."""
    if workspace is None:
        return {}
    try:
        return workspace.review_states(year)
    except UserError as exc:
        notify(f"검토 상태를 읽지 못했습니다: {exc.message}")
    except Exception as exc:  # the list still opens; the bug is logged with its traceback
        notify(report_bug(exc, "검토 상태 읽기"))
    return {}


def editor_of(report: Report, department: str | None) -> Editor:
    """The policy's editor for a window: the office, or ``department``'s package owning its programs and section II."""
    if not department:
        return Editor.office()
    own = {ItemRef.program(p.code) for p in report.programs() if p.department == department}
    own.add(ItemRef.section_ii(department))
    return Editor.package(department, frozenset(own))


def readonly_reasons(report: Report, workspace: Workspace | None, states: dict[str, str]) -> dict[str, str]:
    """Why each unit cannot be edited (absent: it can), by navigator row key; the texts are the edit policy's."""
    department = workspace.editable_department if workspace is not None else None
    editor = editor_of(report, department)
    reasons: dict[str, str] = {}
    codes: set[str] = set()
    for key, program in keyed_programs(report):
        refusal = edit_refusal(editor, ItemRef.program(program.code), states.get(program.code))
        if refusal is not None:
            reasons[key] = refusal.message
        elif program.code in codes:
            reasons[key] = f"사업 번호 {program.code}이(가) 겹칩니다. 번호를 바로잡은 뒤에 고칠 수 있습니다."
        codes.add(program.code)
    if department:
        refs = [ItemRef.section_ii(dept.name) for dept in report.departments] + [ItemRef.front()]
        for ref in refs:
            refusal = edit_refusal(editor, ref, None)
            if refusal is not None:
                reasons[key_for_ref(ref)] = refusal.message
    return reasons


def lock_reason(workspace: Workspace | None, year: int, ref: ItemRef) -> str:
    """The store's reason ``ref`` may not be edited now ("" when it may)."""
    if workspace is None or ref.is_front:
        return ""
    try:
        return workspace.reason_locked(year, ref.key()) or ""
    except UserError as exc:
        return f"고칠 수 있는지 확인하지 못해 읽기 전용으로 엽니다: {exc.message}"
    except Exception as exc:  # unknown means locked; the bug is logged with its traceback
        return f"고칠 수 있는지 확인하지 못해 읽기 전용으로 엽니다. {report_bug(exc, '잠금 확인')}"


def decorate(rows: list[TreeRow], reasons: dict[str, str], states: dict[str, str]) -> list[TreeRow]:
    """The rows with their review state (programs) and whether they are read-only."""
    out = []
    for row in rows:
        if row.ref is None:
            out.append(row)
            continue
        state = states.get(row.ref.id, "") if row.kind is RowKind.PROGRAM else ""
        out.append(row._replace(state=state, readonly=bool(reasons.get(row.key))))
    return out
