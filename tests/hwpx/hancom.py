"""Editing an exported HWPX the way a 한글 user would, with python-hwpx; shared by the HWPX and the window's tests.

:func:`edit_like_hancom` makes five edits to 교육정책연구소's exported section:
a budget cell retyped, an outline item added by pressing Enter after another
(the new paragraph copies its neighbour's shape), a title retyped, a target
row deleted, and a heading with a paragraph the template has no place for.
:func:`expected_report` is the report those edits should give;
:func:`cut_section` damages a file the way a broken copy or disk would.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Any

from hwpx import HwpxDocument

from seri_desktop.domain.model import Cell, ItemKind, OutlineItem, Report

UNPLACED_HEADING = "□ 기타 건의 사항"
UNPLACED_TEXT = "연구비 집행 기준을 다시 안내해 주십시오."
RETYPED_TITLE = "서울교육종단연구 2020 운영(수정)"
RETYPED_AMOUNT = "12,345"
ADDED_ITEM = "한글에서 더한 실적 항목"


def bar_table(doc: HwpxDocument, code: str) -> Any:
    for paragraph in doc.paragraphs:
        for table in paragraph.tables:
            if table.row_count == 1 and table.cell(0, 0).text == code:
                return table
    raise AssertionError(f"no title bar {code}")


def tables_after(doc: HwpxDocument, code: str, header: str) -> Any:
    seen = False
    for paragraph in doc.paragraphs:
        for table in paragraph.tables:
            if table.row_count == 1 and table.cell(0, 0).text == code:
                seen = True
            elif seen and table.cell(0, 0).text == header:
                return table
    raise AssertionError(f"no table {header} after {code}")


def paragraph_index(doc: HwpxDocument, text: str) -> int:
    section = doc.sections[0]
    return next(n for n, p in enumerate(section.paragraphs) if p.text.strip() == text)


def edit_like_hancom(path: Path, report: Report) -> dict[str, Any]:
    """Make the five edits; returns what was changed, for the expectations."""
    doc = HwpxDocument.open(path)
    p1, p2, p3 = (report.program(c) for c in ("1-1", "1-2", "1-3"))
    assert p1 and p2 and p3 and p1.budget and p2.targets
    # 1. 1-1: the first budget line's 3분기 amount retyped.
    budget = tables_after(doc, "1-1", "사업명")
    old_amount = p1.budget.lines[0].quarters[2].amount.format()
    budget.cell(2, 5).text = RETYPED_AMOUNT
    # 2. 1-1: an item added after the first 추진 실적 item: Enter at its end, then typing.
    first = next(i for i in p1.achievements if i.kind is ItemKind.ITEM and i.level == 1)
    section = doc.sections[0]
    at = paragraph_index(doc, f"- {' '.join(first.text.split())}")
    (added,) = section.insert_paragraphs(at + 1, [section.paragraphs[at]])
    added.text = f"- {ADDED_ITEM}"
    # 3. 1-2: the title retyped in its title bar.
    bar_table(doc, "1-2").cell(0, 1).text = RETYPED_TITLE
    # 4. 1-2: the last target row deleted.
    targets = tables_after(doc, "1-2", "세부사업명")
    removed = p2.targets.rows[-1]
    doc.tables.delete_rows(targets, targets.row_count - 1)
    # 5. 1-3: a heading and a paragraph the template has no place for, after its last section.
    doc.add_paragraph(UNPLACED_HEADING)
    doc.add_paragraph(UNPLACED_TEXT)
    doc.save_to_path(path)
    return {"old_amount": old_amount, "first": first, "removed": removed}


def expected_report(report: Report, edits: dict[str, Any]) -> Report:
    expected = copy.deepcopy(report)
    p1, p2 = expected.program("1-1"), expected.program("1-2")
    assert p1 and p1.budget and p2 and p2.targets
    p1.budget.lines[0].quarters[2].amount = Cell.parse(RETYPED_AMOUNT)
    at = next(n for n, i in enumerate(p1.achievements) if i.text == edits["first"].text)
    p1.achievements.insert(at + 1, OutlineItem(1, ItemKind.ITEM, ADDED_ITEM))
    p2.title = RETYPED_TITLE
    p2.targets.rows.pop()
    return expected


def cut_section(source: Path, target: Path) -> Path:
    """``source`` copied to ``target`` with its body's XML cut in the middle of an element (a valid ZIP)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            payload = old.read(info.filename)
            if info.filename == "Contents/section0.xml":
                payload = payload[: len(payload) // 3]
            new.writestr(info, payload)
    return target
