"""An HWPX edited in 한글, taken in like a submission: preview against the store, then accept or return.

:func:`preview_hwpx` reads the file (:mod:`.reader`), checks it against the
report in the store (its year; that every program in it is the department's
the office names; that it holds each program once), lays every program read
over the office's copy (parts the file does not hold keep the office's value,
as do what 한글 does not show: the text layout hints, the printed 계 row kept
as evidence, where the source wrapped lines) and diffs the two with the
exchange's diff (:func:`seri_desktop.exchange.diff.program_changes`).

The file is unsigned: unlike a ``.serisub`` submission nothing proves who
wrote it or that it left the department unchanged, which the preview says
(:data:`UNSIGNED_NOTICE`). Ownership is checked against the department the
office chooses, never against what the file claims.

:func:`apply_hwpx` writes the accepted programs (and section II) in one
unit of work (:mod:`seri_desktop.store.unit`: locks, an audit entry per
changed field, revisions); a returned program gets its reason as a review
comment and the state 반려. Nothing is applied until the office decides.
Items are keyed by the programs' permanent ids; people name them by code.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from seri_desktop.domain import policy
from seri_desktop.domain import template as T
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import BudgetTable, Outline, OutlineItem, Program, Report, Targets
from seri_desktop.exchange.codec import SectionII
from seri_desktop.exchange.diff import FieldChange, program_changes, section_ii_changes
from seri_desktop.exchange.items import program_content, section_ii_content
from seri_desktop.formats.hwpx.errors import HwpxError
from seri_desktop.formats.hwpx.reader import HwpxReading, ReadProgram, Unplaced, expect_year, read_hwpx
from seri_desktop.formats.pdf.text import join_lines

UNSIGNED_NOTICE = (
    "이 한글(HWPX) 파일은 서명되지 않았습니다. 제출 파일(.serisub)과 달리 누가 썼는지, 부서에서 보낸 뒤 "
    "바뀌지 않았는지 확인할 수 없습니다. 바뀐 곳을 하나하나 확인한 뒤 반영하십시오."
)
ACCEPT = "accept"
RETURN = "return"


class HwpxOwnershipError(HwpxError):
    """The file holds another department's program or section II, or a program the report does not have."""


@dataclass
class ProgramImport:
    """One program of the file: the office's copy, what the file makes of it, and the difference."""

    code: str
    title: str
    office: Program
    new: Program
    changes: list[FieldChange]
    lock: str | None = None  # why it may not be changed (확정 …), or None

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass
class SectionIIImport:
    department: str
    office: SectionII
    new: SectionII
    changes: list[FieldChange]
    lock: str | None = None


@dataclass
class HwpxPreview:
    """What taking the file in would change, and everything it could not place."""

    file_name: str
    year: int
    department: str
    reading: HwpxReading
    programs: list[ProgramImport] = field(default_factory=list)
    section_ii: SectionIIImport | None = None
    unplaced: list[Unplaced] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notice: str = UNSIGNED_NOTICE

    def items(self) -> list[ProgramImport | SectionIIImport]:
        found: list[ProgramImport | SectionIIImport] = list(self.programs)
        if self.section_ii is not None:
            found.insert(0, self.section_ii)
        return found

    def key_of(self, item: ProgramImport | SectionIIImport) -> str:
        """The item's key in the store: a program's uid, ``II:<department>``."""
        if isinstance(item, ProgramImport):
            return ItemRef.of(item.office).key()
        return section_ii_content(item.new).key

    def label_of(self, item: ProgramImport | SectionIIImport) -> str:
        """How people name the item: a program's code, ``II:<department>``."""
        return item.code if isinstance(item, ProgramImport) else self.key_of(item)

    def find(self, name: str) -> ProgramImport | SectionIIImport | None:
        """The item ``name`` names (its key, or a program's code), ``None`` when the file has none."""
        for item in self.items():
            if name in (self.key_of(item), self.label_of(item)):
                return item
        return None


@dataclass(frozen=True)
class ApplyResult:
    accepted: tuple[str, ...]
    returned: tuple[str, ...]
    unchanged: tuple[str, ...]
    locked: tuple[str, ...]


def preview_hwpx(engine: Engine, path: Path, department: str, *, year: int | None = None) -> HwpxPreview:
    """Read ``path`` and compare it with the report in ``engine``; raises :class:`HwpxError` for a file to refuse."""
    from seri_desktop.store.repository import load_report
    from seri_desktop.store.review import lock_reason

    reading = read_hwpx(path)
    report = load_report(engine, year if year is not None else reading.year)
    if report is None:
        raise HwpxError(
            f"'{reading.name}' 은(는) {reading.year}년 보고서의 문서인데, 데이터베이스에 {reading.year}년 보고서가 없습니다.",
            "year",
        )
    expect_year(reading, report.year)
    preview = build_preview(report, reading, department)
    for item in preview.programs:
        item.lock = lock_reason(engine, report.year, preview.key_of(item))
    if preview.section_ii is not None:
        preview.section_ii.lock = lock_reason(engine, report.year, preview.key_of(preview.section_ii))
    return preview


def build_preview(report: Report, reading: HwpxReading, department: str) -> HwpxPreview:
    """The preview of ``reading`` against ``report`` for ``department`` (no store involved)."""
    name = reading.name
    known = [d.name for d in report.departments] + [c.department for c in report.chapters]
    if department not in known:
        listed = ", ".join(dict.fromkeys(known)) or "없음"
        raise HwpxOwnershipError(
            f"{report.year}년 보고서에 '{department}' 부서가 없습니다. 있는 부서: {listed}", "department"
        )
    preview = HwpxPreview(name, report.year, department, reading, unplaced=list(reading.unplaced))
    identity = reading.identity
    if identity is None:
        preview.warnings.append("문서 정보(키워드)가 없어 사업은 제목 표의 번호로만 찾았습니다.")
    elif identity.department and identity.department != department:
        raise HwpxOwnershipError(
            f"'{name}' 은(는) {identity.department}의 문서입니다. {department}(으)로 가져올 수 없습니다.", "ownership"
        )
    seen: set[str] = set()
    for read in reading.programs:
        # By the permanent id the document was exported with (the program may have been renumbered
        # since), else by the code printed in its title bar.
        uid = identity.id_of(read.code) if identity is not None else None
        office = (report.program_by_uid(uid) if uid else None) or report.program(read.code)
        if office is None:
            raise HwpxOwnershipError(
                f"'{name}' 의 {read.code} 사업({read.title})은 {report.year}년 보고서에 없습니다. 아무것도 반영하지 않았습니다.",
                "unknown-program",
            )
        if office.department != department:
            raise HwpxOwnershipError(
                f"'{name}' 에 다른 부서({office.department})의 사업 {read.code} 이(가) 들어 있습니다. "
                f"{department}의 문서는 {department}의 사업만 바꿀 수 있습니다. 아무것도 반영하지 않았습니다.",
                "ownership",
            )
        if office.uid in seen:
            raise HwpxOwnershipError(
                f"'{name}' 에 {read.code} 사업이 두 번 들어 있습니다. 하나만 남기십시오.", "duplicate"
            )
        seen.add(office.uid)
        if office.code != read.code:
            preview.warnings.append(
                f"{read.code} 사업은 문서를 내보낸 뒤 번호가 {office.code}(으)로 바뀌었습니다. {office.code} 사업에 반영합니다."
            )
        if read.field_code is not None and read.field_code != read.code:
            preview.warnings.append(
                f"{read.code} 사업: 제목 표의 번호가 처음 내보낸 번호({read.field_code})와 다릅니다. 번호 {read.code}(으)로 읽었습니다."
            )
        new = overlay(office, read)
        preview.programs.append(
            ProgramImport(office.code, new.title, office, new, program_changes(office, new, report.year))
        )
    if identity is not None:
        read_codes = {read.code for read in reading.programs}
        for code in identity.programs:
            if code not in read_codes:
                preview.warnings.append(f"{code} 사업의 제목 표를 찾지 못해 {code} 사업은 바꾸지 않습니다.")
    for dept_name, outlines in reading.section_ii.items():
        if dept_name != department:
            raise HwpxOwnershipError(
                f"'{name}' 에 다른 부서({dept_name})의 업무 평가가 들어 있습니다. {department}의 문서는 "
                f"{department}의 업무 평가만 바꿀 수 있습니다. 아무것도 반영하지 않았습니다.",
                "ownership",
            )
        dept = report.department(dept_name)
        if dept is None:
            preview.warnings.append(f"보고서에 {dept_name}의 업무 평가 자리가 없어 읽은 업무 평가는 반영하지 않습니다.")
            continue
        office_ii = SectionII.of(dept)
        new_ii = SectionII(dept_name)
        for part in T.SECTION_II_PARTS:
            T.put(new_ii, part, restore_outline(T.get(office_ii, part), outlines.get(part.key, [])))
        preview.section_ii = SectionIIImport(dept_name, office_ii, new_ii, section_ii_changes(office_ii, new_ii))
    return preview


# --- laying the file's program over the office's --------------------------------------------------------


def overlay(office: Program, read: ReadProgram) -> Program:
    """The office's program with every part the file holds taken from the file."""
    new = copy.deepcopy(office)
    source = copy.deepcopy(read.program)
    for part in T.PROGRAM_PARTS:
        if part.key not in read.parts:
            continue
        before = T.get(office, part)
        value = T.get(source, part)
        if part.kind is T.PartKind.TEXT:
            value = before if join_lines(before) == value else value
        elif part.kind is T.PartKind.OUTLINE:
            if part.optional_parent and T.get(new, T.part(part.optional_parent)) is None:
                continue
            value = restore_outline(before, value)
        elif part.kind is T.PartKind.TARGETS:
            value = _targets(before, value)
        elif part.kind is T.PartKind.BUDGET:
            value = _budget(before, value)
        T.put(new, part, value)
    return new


def restore_outline(office: Outline, read: Outline) -> Outline:
    """``read``'s items, each written as the office's equal item is (where the source wrapped its lines)."""
    known: dict[tuple[Any, ...], OutlineItem] = {}
    for item in office:
        known.setdefault(_printed_key(item), item)
    return [copy.deepcopy(known.get(_printed_key(item), item)) for item in read]


def _printed_key(item: OutlineItem) -> tuple[Any, ...]:
    rows = tuple(tuple(join_lines(c) for c in row) for row in item.table or ())
    width = max((len(r) for r in rows), default=0)
    return (item.level, str(item.kind), join_lines(item.text), tuple(r + ("",) * (width - len(r)) for r in rows))


def _targets(office: Targets | None, read: Targets | None) -> Targets | None:
    if read is None or (office is None and not read.rows and not read.qualifier):
        return office if read is None else None
    known = {tuple(join_lines(v) for v in (r.name, r.period, r.quantity)): r for r in (office.rows if office else [])}
    rows = [copy.deepcopy(known.get((r.name, r.period, r.quantity), r)) for r in read.rows]
    return Targets(qualifier=read.qualifier, rows=rows)


def _budget(office: BudgetTable | None, read: BudgetTable | None) -> BudgetTable | None:
    if read is None:
        return office
    if office is None and not read.lines and not read.notes:
        return None  # the empty table an editable export prints where there is none
    budget = copy.deepcopy(read)
    if office is not None:
        budget.printed_total = copy.deepcopy(office.printed_total)
        by_name = {join_lines(line.name): line for line in office.lines}
        for line in budget.lines:
            before = by_name.get(line.name)
            if before is None:
                continue
            line.notes_below = before.notes_below
            line.name = before.name
            if join_lines(before.page) == line.page:
                line.page = before.page
            for q_new, q_old in zip(line.quarters, before.quarters, strict=True):
                if join_lines(q_old.note) == q_new.note:
                    q_new.note = q_old.note
    return budget


# --- applying -------------------------------------------------------------------------------------------


def apply_hwpx(
    engine: Engine, preview: HwpxPreview, decisions: dict[str, str], comments: dict[str, str], who: str | None
) -> ApplyResult:
    """Write the accepted items of ``preview`` in one unit of work; return the returned ones with their reasons.

    ``decisions`` maps items (their key, or a program's code; ``II:<department>``)
    to :data:`ACCEPT` or :data:`RETURN`; a return needs its reason in
    ``comments``. Items not named are left alone. The result names the items
    by code. The unit of work checks every lock again and audits each changed
    field with the path ``hwpx``.
    """
    from seri_desktop.store.audit import AuditAction, Via
    from seri_desktop.store.review import CommentTarget, ReviewState
    from seri_desktop.store.unit import unit_of_work

    unknown = sorted(name for name in set(decisions) | set(comments) if preview.find(name) is None)
    if unknown:
        raise HwpxError(f"'{preview.file_name}' 에 없는 항목입니다: {', '.join(unknown)}", "unknown-item")
    chosen: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for name, decision in decisions.items():
        found = preview.find(name)
        assert found is not None
        chosen[preview.key_of(found)] = decision
    for name, reason in comments.items():
        found = preview.find(name)
        assert found is not None
        reasons[preview.key_of(found)] = reason
    items = {preview.key_of(item): item for item in preview.items()}
    for key, decision in chosen.items():
        if decision not in (ACCEPT, RETURN):
            raise HwpxError(
                f"결정은 '{ACCEPT}' 또는 '{RETURN}' 이어야 합니다: {preview.label_of(items[key])}={decision}",
                "decision",
            )
        if decision == RETURN:
            _refuse(policy.return_refusal(_ref(items[key]), reasons.get(key)))
    accepted: list[str] = []
    returned: list[str] = []
    unchanged: list[str] = []
    locked: list[str] = []
    with unit_of_work(engine, preview.year, who=who, via=Via.HWPX) as work:
        report = work.report()
        for key, item in items.items():
            label = preview.label_of(item)
            choice = chosen.get(key)
            ref = _ref(item)
            if isinstance(item, ProgramImport):
                current = report.program_by_uid(item.office.uid)
                office_sha = program_content(item.office).sha256
                if current is None or program_content(current).sha256 != office_sha:
                    raise HwpxError(
                        f"미리보기 이후 {label} 사업이 바뀌었습니다. 아무것도 반영하지 않았습니다. 다시 미리보기 하십시오.",
                        "stale-preview",
                    )
            else:
                office_sha = section_ii_content(item.office).sha256
            if choice == RETURN:
                # A return would unlock a confirmed item; only reopening it may (the edit policy).
                status = work.status(ref)
                state = status.state if status is not None else ReviewState.DRAFT.value
                _refuse(policy.decision_refusal(ref, state, returning=True, changes=bool(item.changes)))
                work.move_state(ref, ReviewState.RETURNED.value, sha256=office_sha)
                program = ref.id if ref.is_program else None
                target = CommentTarget(program, department=preview.department, code=ref.code)
                work.add_comment(target, reasons[key].strip())
                returned.append(label)
            elif choice != ACCEPT:
                continue
            elif not item.changes:
                unchanged.append(label)
            elif item.lock is not None or _confirmed(work.status(ref)):
                locked.append(label)
            else:
                if isinstance(item, ProgramImport):
                    work.save_program(item.new, source="hwpx")
                    old, new = program_content(item.office), program_content(item.new)
                else:
                    department = report.department(item.department)
                    if department is None:
                        raise HwpxError(f"보고서에 '{item.department}' 부서가 없습니다.", "unknown-department")
                    # The outlines are the department's; its name, order and layout stay the office's.
                    updated = copy.deepcopy(department)
                    for part_key, outline in item.new.outlines():
                        T.put(updated, T.part(part_key), list(outline))
                    work.save_section_ii(updated, source="hwpx")
                    old, new = section_ii_content(item.office), section_ii_content(item.new)
                work.record(
                    action=AuditAction.MERGE,
                    item=key,
                    item_code=ref.code,
                    department=preview.department,
                    old="기획 부서 사본",
                    new="한글 파일 내용",
                    detail={
                        "source": "hwpx",
                        "file": preview.file_name,
                        "signed": False,
                        "old_sha256": old.sha256,
                        "new_sha256": new.sha256,
                        "old_content": old.content,
                        "new_content": new.content,
                    },
                )
                work.move_state(ref, ReviewState.SUBMITTED.value, sha256=new.sha256)
                accepted.append(label)
        work.record(
            action=AuditAction.SUBMISSION,
            department=preview.department,
            new=f"한글 파일 반영 {len(accepted)}, 반려 {len(returned)}, 변경 없음 {len(unchanged)}, 확정 {len(locked)}",
            detail={
                "file": preview.file_name,
                "source": "hwpx",
                "signed": False,
                "unplaced": [u.describe() for u in preview.unplaced],
            },
        )
    return ApplyResult(tuple(accepted), tuple(returned), tuple(unchanged), tuple(locked))


def _ref(item: ProgramImport | SectionIIImport) -> ItemRef:
    return ItemRef.of(item.office) if isinstance(item, ProgramImport) else ItemRef.section_ii(item.department)


def _confirmed(status: Any) -> bool:
    return status is not None and policy.is_locked_state(status.state)


def _refuse(refusal: policy.Refusal | None) -> None:
    """The edit policy's refusal as this import's error (its message and code); nothing is applied."""
    if refusal is not None:
        raise HwpxError(f"{refusal.message} 아무것도 반영하지 않았습니다.", refusal.code)
