"""Text import integrity (issue 12 item 9): what cannot be a report is refused, what is odd is reported by line.

Every case starts from the sample report (resources/sample-report.txt),
changes a few lines as a person or another program could, and checks the
Korean message and its line numbers: a program block or a department that
appears twice (both lines named), NUL characters, terminal control
characters (removed, with a warning), unknown headings (each listed), UTF-16
with a byte order mark (read), nesting deeper than the model keeps
(reported). Through ``import-text --replace`` a refused file leaves the
database as it was.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from seri_desktop.cli import main
from seri_desktop.domain.model import MAX_OUTLINE_LEVEL, ItemKind, OutlineItem
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import TextImportError, import_report_file, parse_report_text
from tests.helpers.db import db_state

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-report.txt"
LINES = SAMPLE.read_text(encoding="utf-8").split("\n")


def _line(text: str) -> int:
    """The 1-based number of the first line of the sample that is ``text``."""
    return LINES.index(text) + 1


def _with(changes: dict[int, list[str]]) -> tuple[str, list[str]]:
    """The sample with the lines ``changes`` maps 1-based line numbers to inserted *before* them."""
    out: list[str] = []
    for n, line in enumerate(LINES, start=1):
        out.extend(changes.get(n, []))
        out.append(line)
    return "\n".join(out), out


def test_a_program_block_that_appears_twice_names_both_lines() -> None:
    chapter_two = _line("2. 모두를 위한 디지털 교육") + 1  # the chapter heading after the list of chapters
    second = LINES.index("2. 모두를 위한 디지털 교육", chapter_two - 1) + 1
    text, lines = _with({second: ["1-1 교육 연구 지원 (다시)", "", "□ 추진 실적", "", "- 두 번째 블록", ""]})
    with pytest.raises(TextImportError) as refused:
        parse_report_text(text)
    again = lines.index("1-1 교육 연구 지원 (다시)") + 1
    assert f"1-1 사업이 두 번 있습니다: {_line('1-1 교육 연구 지원')}번째 줄과 {again}번째 줄" in refused.value.message
    assert refused.value.code == "text-import"


def test_a_split_program_header_that_appears_twice_names_both_lines() -> None:
    first = _line("2-1")
    text, lines = _with({_line("2-2 디지털 연수 운영"): ["2-1", "", "학교 정보화 지원 (사본)", ""]})
    with pytest.raises(TextImportError, match=f"2-1 사업이 두 번 있습니다: {first}번째 줄과 ") as refused:
        parse_report_text(text)
    assert f"{[n for n, s in enumerate(lines, start=1) if s == '2-1'][1]}번째 줄" in refused.value.message


def test_a_department_that_appears_twice_names_both_lines() -> None:
    text, lines = _with({_line("Ⅲ. 주요업무"): ["3. 연구부", "", "□ 성과", "", "- 또 하나", ""]})
    with pytest.raises(TextImportError, match="부서 '연구부'이\\(가\\) 두 번 있습니다") as refused:
        parse_report_text(text)
    assert f"({_line('1. 연구부')}번째 줄과 {lines.index('3. 연구부') + 1}번째 줄)" in refused.value.message


def test_a_nul_character_is_refused_with_its_line(tmp_path: Path) -> None:
    target = _line("- 연구 인력 확보 필요")
    text = "\n".join(s + "\x00" if n == target else s for n, s in enumerate(LINES, start=1))
    with pytest.raises(TextImportError, match=f"{target}번째 줄에 NUL 문자가 있습니다"):
        parse_report_text(text)
    path = tmp_path / "nul.txt"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(TextImportError, match=f"nul.txt: 텍스트 파일이 아닙니다\\(이진 파일\\): {target}번째 줄"):
        import_report_file(path)


def test_terminal_control_characters_are_removed_with_a_warning_naming_the_line() -> None:
    title = _line("1-1 교육 연구 지원")
    item = _line("- 연구 인력 확보 필요")
    text = "\n".join(
        "1-1 교육\x1b[31m 연구\x07 지원\x7f" if n == title else "- 연구 인력\x9b2J 확보 필요\x0c" if n == item else s
        for n, s in enumerate(LINES, start=1)
    )
    result = parse_report_text(text)
    program = result.report.program("1-1")
    assert program is not None
    assert program.title == "교육[31m 연구 지원"
    assert program.issues == [OutlineItem(1, ItemKind.ITEM, "연구 인력2J 확보 필요")]
    found = {w.line: w.message for w in result.warnings}
    assert found[title] == "제어 문자(U+0007, U+001B, U+007F)를 지웠습니다."
    assert found[item] == "제어 문자(U+000C, U+009B)를 지웠습니다."
    assert not any(tf.RE_CONTROL.search(s) for s in export_report_text(result.report).split("\n"))


def test_every_unknown_heading_is_listed_with_its_line() -> None:
    text, lines = _with(
        {
            _line("□ 추진 일정"): ["□ 기타 참고 사항", "", "- 참고 내용", ""],
            _line("□ 한계"): ["□ 부서 의견", "", "- 의견 하나", ""],
            _line("2-2 디지털 연수 운영"): ["Ⅳ. 기타", "", "III 부록", ""],
        }
    )
    result = parse_report_text(text)
    unknown = {w.line: w.message for w in result.warnings}
    for heading in ("□ 기타 참고 사항", "□ 부서 의견", "Ⅳ. 기타", "III 부록"):
        n = lines.index(heading) + 1
        assert n in unknown and heading in unknown[n], (heading, unknown)
    # Nothing was dropped: each heading is kept as text where it stood.
    exported = export_report_text(result.report)
    assert all(h in exported for h in ("기타 참고 사항", "부서 의견", "Ⅳ. 기타", "III 부록"))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    path = tmp_path / "utf16.txt"
    path.write_bytes(bom + SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n").encode(codec))
    result = import_report_file(path)
    assert result.report == import_report_file(SAMPLE).report
    assert result.warnings == []


def test_utf16_without_a_byte_order_mark_is_refused_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "utf16-nobom.txt"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(TextImportError, match="UTF-16 텍스트라면 BOM을 넣어 저장하십시오"):
        import_report_file(path)


def test_nesting_deeper_than_the_model_keeps_is_reported_and_kept_at_the_deepest_level() -> None:
    deep = " " * (MAX_OUTLINE_LEVEL + 1) + "- 너무 깊은 항목"  # level MAX_OUTLINE_LEVEL + 2
    deepest = " " * (MAX_OUTLINE_LEVEL - 1) + "- 가장 깊은 항목"  # level MAX_OUTLINE_LEVEL: fine
    text, lines = _with({_line("□ 추진 일정"): [deep, deepest, ""]})
    result = parse_report_text(text)
    program = result.report.program("1-1")
    assert program is not None
    assert program.achievements[-2:] == [
        OutlineItem(MAX_OUTLINE_LEVEL, ItemKind.ITEM, "너무 깊은 항목"),
        OutlineItem(MAX_OUTLINE_LEVEL, ItemKind.ITEM, "가장 깊은 항목"),
    ]
    warned = [w for w in result.warnings if "너무 깊습니다" in w.message]
    assert [w.line for w in warned] == [lines.index(deep) + 1]
    assert f"개조식 수준 {MAX_OUTLINE_LEVEL + 2}은(는) 너무 깊습니다" in warned[0].message


def test_the_deepest_level_is_the_forms_and_deeper_than_the_2024_report(imported_2024_levels: int) -> None:
    from seri_desktop.ui.widgets.outline_blocks import MAX_LEVEL

    assert MAX_LEVEL == MAX_OUTLINE_LEVEL
    assert imported_2024_levels <= MAX_OUTLINE_LEVEL


@pytest.fixture
def imported_2024_levels(imported_2024: object) -> int:
    from seri_desktop.domain import template as T
    from seri_desktop.formats.text_import import ImportResult

    assert isinstance(imported_2024, ImportResult)
    report = imported_2024.report
    levels = [
        item.level
        for program in report.programs()
        for _part, outline in T.outlines(program, T.PROGRAM_PARTS)
        for item in outline
    ]
    levels += [item.level for d in report.departments for p in T.SECTION_II_PARTS for item in T.get(d, p)]
    assert max(levels) == 2  # the real report goes two levels deep
    return max(levels)


def test_a_refused_file_leaves_the_database_as_it_was(
    tmp_path: Path, tmp_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-text", str(SAMPLE), "--db", str(tmp_db)]) == 0
    before = db_state(tmp_db, 2025)
    text, _lines = _with({_line("2-2 디지털 연수 운영"): ["2-1", "", "사본", ""]})
    bad = tmp_path / "duplicate.txt"
    bad.write_text(text, encoding="utf-8")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(SAMPLE.read_bytes().replace("연구 인력".encode(), b"\x00"))
    capsys.readouterr()
    for path, words in ((bad, "2-1 사업이 두 번 있습니다"), (nul, "NUL 문자")):
        assert main(["import-text", str(path), "--db", str(tmp_db), "--replace"]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
        assert db_state(tmp_db, 2025) == before


def test_export_text_where_nothing_can_be_written_is_a_korean_error(
    tmp_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], unwritable_folder: Path
) -> None:
    assert main(["import-text", str(SAMPLE), "--db", str(tmp_db)]) == 0
    capsys.readouterr()
    assert main(["export-text", "--db", str(tmp_db), "-o", str(unwritable_folder / "report.txt")]) == 2
    err = capsys.readouterr().err
    assert "텍스트 파일을 저장할 수 없습니다" in err and "Traceback" not in err
    assert not (unwritable_folder / "report.txt").exists()
    assert main(["export-text", "--db", str(tmp_db), "-o", str(tmp_path)]) == 2
    assert "텍스트 파일 이름 대신 폴더를 지정했습니다" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []
