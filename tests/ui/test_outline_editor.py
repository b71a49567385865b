"""The outline editor: items as lines, levels and kinds, markers, paste and copy in the report's format."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import ItemKind, Outline, OutlineItem
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui.widgets.outline_editor import BlockState, OutlineEditor, marker
from tests.helpers.qt import type_text

SAMPLE: Outline = [
    OutlineItem(0, ItemKind.ITEM, "첫 항목"),
    OutlineItem(1, ItemKind.ITEM, "둘째 항목\n이어진 줄"),
    OutlineItem(2, ItemKind.ITEM, "셋째"),
    OutlineItem(1, ItemKind.NOTE, "참고"),
    OutlineItem(2, ItemKind.FOOTNOTE, "각주"),
    OutlineItem(0, ItemKind.TEXT, "표시 없는 글"),
    OutlineItem(0, ItemKind.TABLE, "", [["구분", "'23년"], ["학교", "12"]]),
    OutlineItem(0, ItemKind.TABLE, "", [["다른 표"]]),
]


@pytest.fixture
def editor(qtbot: QtBot) -> OutlineEditor:
    widget = OutlineEditor()
    qtbot.addWidget(widget)
    widget.resize(520, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def edits(editor: OutlineEditor) -> list[tuple[Outline, bool]]:
    found: list[tuple[Outline, bool]] = []
    editor.edited.connect(lambda outline, structural: found.append((outline, structural)))
    return found


def test_round_trip_of_every_kind(editor: OutlineEditor) -> None:
    editor.set_outline(SAMPLE)
    assert editor.outline() == SAMPLE
    assert editor.document().blockCount() == 9  # one block per table row
    assert editor.document().findBlockByNumber(1).text() == "둘째 항목\u2028이어진 줄"


def test_markers_as_typeset() -> None:
    assert [marker(i.level, i.kind) for i in SAMPLE[:6]] == ["○", "-", "-", "※", "*", ""]
    assert BlockState.decode(BlockState(3, ItemKind.TABLE, True).encode()) == BlockState(3, ItemKind.TABLE, True)
    assert BlockState.decode(-1) is None


def test_set_outline_emits_nothing_and_empty_lines_are_not_items(qtbot: QtBot, editor: OutlineEditor) -> None:
    found = edits(editor)
    editor.set_outline(SAMPLE)
    assert found == []
    editor.set_outline([])
    assert editor.outline() == []
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert found == []  # two empty lines are still no item
    qtbot.keyClicks(editor, "abc")
    assert found[-1] == ([OutlineItem(1, ItemKind.ITEM, "abc")], False)


def test_tab_and_shift_tab_change_levels_of_the_selected_items(qtbot: QtBot, editor: OutlineEditor) -> None:
    editor.set_outline(SAMPLE[:3])
    found = edits(editor)
    editor.select_item(1)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert [i.level for i in editor.outline()] == [1, 1, 2]
    assert found[-1][1] is True  # structural: its own undo step
    qtbot.keyClick(editor, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)  # already at 0: stays
    assert [i.level for i in editor.outline()] == [0, 1, 2]
    # A selection spanning items moves them all.
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().findBlockByNumber(1).position())
    cursor.setPosition(editor.document().findBlockByNumber(2).position() + 1, cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert [i.level for i in editor.outline()] == [0, 2, 3]


def test_enter_starts_an_item_at_the_same_level(qtbot: QtBot, editor: OutlineEditor) -> None:
    editor.set_outline([OutlineItem(2, ItemKind.NOTE, "주석")])
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "next")
    assert editor.outline() == [OutlineItem(2, ItemKind.NOTE, "주석"), OutlineItem(2, ItemKind.ITEM, "next")]
    # Shift+Enter breaks the line inside the item.
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "line")
    assert editor.outline()[1].text == "next\nline"


def test_typed_marks_make_notes_footnotes_and_first_level_items(
    qtbot: QtBot, editor: OutlineEditor
) -> None:
    editor.set_outline([])
    type_text(editor, "※ 참고")
    assert editor.outline() == [OutlineItem(1, ItemKind.NOTE, "참고")]
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    type_text(editor, "* 각주")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    type_text(editor, "○ 큰 항목")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    type_text(editor, "- 2*3")  # a dash keeps the level; a star inside the text is text
    assert editor.outline() == [
        OutlineItem(1, ItemKind.NOTE, "참고"),
        OutlineItem(1, ItemKind.FOOTNOTE, "각주"),
        OutlineItem(0, ItemKind.ITEM, "큰 항목"),
        OutlineItem(0, ItemKind.ITEM, "2*3"),
    ]


def test_kind_actions(editor: OutlineEditor) -> None:
    editor.set_outline([OutlineItem(1, ItemKind.ITEM, "a")])
    editor.set_kind(ItemKind.NOTE)
    assert editor.outline() == [OutlineItem(1, ItemKind.NOTE, "a")]
    editor.set_kind(ItemKind.TABLE)
    assert editor.outline() == [OutlineItem(1, ItemKind.TABLE, "", [["a"]])]


def test_table_rows_take_tabs_and_enter_on_an_empty_row_leaves_the_table(qtbot: QtBot, editor: OutlineEditor) -> None:
    editor.set_outline([OutlineItem(0, ItemKind.TABLE, "", [["가", "나"]])])
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "1")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor, "2")
    assert editor.outline() == [OutlineItem(0, ItemKind.TABLE, "", [["가", "나"], ["1", "2"]])]
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "after")
    assert editor.outline()[-1] == OutlineItem(0, ItemKind.ITEM, "after")


def test_paste_in_the_report_format_becomes_items(editor: OutlineEditor) -> None:
    editor.set_outline([OutlineItem(1, ItemKind.ITEM, "기존")])
    found = edits(editor)
    text = "○ 붙인 항목\n- 하위 항목\n이어진 줄\n - 더 깊은 항목\n※ 참고\n가\t나\n1\t2\n"
    data = QMimeData()
    data.setText(text)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertFromMimeData(data)
    assert editor.outline() == [
        OutlineItem(1, ItemKind.ITEM, "기존"),
        OutlineItem(0, ItemKind.ITEM, "붙인 항목"),
        OutlineItem(1, ItemKind.ITEM, "하위 항목\n이어진 줄"),
        OutlineItem(2, ItemKind.ITEM, "더 깊은 항목"),
        OutlineItem(0, ItemKind.NOTE, "참고"),
        OutlineItem(0, ItemKind.TABLE, "", [["가", "나"], ["1", "2"]]),
    ]
    assert len(found) == 1 and found[0][1] is True
    # One plain line is ordinary text, pasted at the cursor.
    data.setText("추가")
    editor.select_item(1, 0, 0)
    editor.insertFromMimeData(data)
    assert editor.outline()[0].text == "추가기존"


def test_copying_items_gives_the_report_format(editor: OutlineEditor) -> None:
    editor.set_outline(SAMPLE[:4])
    editor.selectAll()
    editor.copy()
    assert QGuiApplication.clipboard().text() == "○ 첫 항목\n- 둘째 항목\n이어진 줄\n - 셋째\n- ※ 참고"
    # Pasting that text back gives the same items.
    editor.set_outline([])
    editor.paste()
    assert editor.outline() == SAMPLE[:4]


def test_read_only_refuses_typing_and_levels(qtbot: QtBot, editor: OutlineEditor) -> None:
    editor.set_outline(SAMPLE[:2])
    editor.set_editable(False)
    found = edits(editor)
    editor.select_item(2)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor, "x")
    editor.change_level(1)
    editor.set_kind(ItemKind.NOTE)
    assert editor.outline() == SAMPLE[:2]
    assert found == []


def test_problems_mark_items_and_the_field(editor: OutlineEditor) -> None:
    editor.set_outline(SAMPLE[:3])
    problem = Problem("x", Severity.WARNING, "둘째 항목 문제", "1-1", "issues", 2)
    whole = Problem("y", Severity.ERROR, "비어 있습니다", "1-1", "issues")
    editor.set_problems([problem, whole])
    assert editor._problem_blocks() == {1: Severity.WARNING}
    assert set(editor.problems()) == {problem, whole}
    # The item's mark is painted at the left edge of its line, the field's as a frame.
    top = int(editor.document().documentLayout().blockBoundingRect(editor.document().findBlockByNumber(1)).top())
    image = editor.viewport().grab().toImage()
    assert image.pixelColor(2, top + 4).name() == "#e08a00"
    assert image.pixelColor(image.width() // 2, 0).name() == "#c62828"
    editor.set_problems([])
    image = editor.viewport().grab().toImage()
    assert image.pixelColor(2, top + 4).name() != "#e08a00"


def test_grows_with_its_text(editor: OutlineEditor) -> None:
    editor.set_outline([])
    small = editor.height()
    editor.set_outline(SAMPLE)
    assert editor.height() > small + 100
    assert editor.verticalScrollBar().maximum() == 0
