"""What the caller sees when things go wrong or are stopped: Korean errors, no partial files."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from seri_desktop.domain import model as m
from seri_desktop.fonts import KoreanFonts
from seri_desktop.formats.pdf import (
    PdfCancelled,
    PdfError,
    PdfFontError,
    PdfWriteError,
    UnknownDepartmentError,
    build_department_pdf,
    build_report_pdf,
)
from seri_desktop.formats.text_import import ImportResult


@pytest.fixture
def report(imported_2024: ImportResult) -> m.Report:
    return imported_2024.report


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_cancel_stops_the_build_and_leaves_no_file(report: m.Report, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))

    # Stop once a few programs are laid out: well inside the build.
    with pytest.raises(PdfCancelled) as caught:
        build_report_pdf(report, path, progress=progress, cancel=lambda: len(seen) > 12)
    assert "취소" in str(caught.value)
    assert _leftovers(tmp_path) == []
    # Promptly: no progress after the cancel was seen.
    assert len(seen) == 13


def test_cancel_keeps_the_previous_file_as_it_was(report: m.Report, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"previous")
    with pytest.raises(PdfCancelled):
        build_department_pdf(report, "기획평가부", path, cancel=lambda: True)
    assert path.read_bytes() == b"previous"
    assert _leftovers(tmp_path) == ["report.pdf"]


def test_progress_counts_up_to_its_total(report: m.Report, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = build_department_pdf(report, "기획평가부", tmp_path / "d.pdf", progress=lambda d, t: seen.append((d, t)))
    totals = {t for _, t in seen}
    assert len(totals) == 1
    (total,) = totals
    # The department's review, its chapter page, its 7 programs and the writing of the file.
    assert total == 1 + 1 + 7 + 1
    assert [d for d, _ in seen] == list(range(total + 1))
    assert result.pages > 7


def test_an_unknown_department_is_a_korean_value_error_listing_the_known(report: m.Report, tmp_path: Path) -> None:
    path = tmp_path / "d.pdf"
    with pytest.raises(UnknownDepartmentError) as caught:
        build_department_pdf(report, "없는부서", path)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, PdfError)
    message = str(caught.value)
    assert "'없는부서' 부서가 없습니다" in message
    assert "교육정책연구소, 기획평가부, 교육과정진로진학부, 교수학습정보부, 교육정보화부" in message
    assert not path.exists()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("missing/report.pdf", "PDF 파일을 저장할 폴더가 없습니다"),
        (".", "PDF 파일 이름 대신 폴더를 지정했습니다"),
        ("afile/report.pdf", "PDF 파일을 저장할 폴더가 없습니다"),
    ],
)
def test_an_unwritable_output_path_is_a_korean_error(
    report: m.Report, tmp_path: Path, target: str, expected: str
) -> None:
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(PdfWriteError) as caught:
        build_department_pdf(report, "교육정책연구소", tmp_path / target)
    assert expected in str(caught.value)
    assert _leftovers(tmp_path) == ["afile"]


def test_a_font_that_is_not_truetype_is_a_korean_font_error(report: m.Report, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 64)
    with pytest.raises(PdfFontError) as caught:
        build_department_pdf(report, "교육정책연구소", tmp_path / "d.pdf", fonts=KoreanFonts.single(bad))
    assert "글꼴" in str(caught.value)
    assert not (tmp_path / "d.pdf").exists()


def test_content_taller_than_a_page_still_prints(tmp_path: Path) -> None:
    # A table cell or an author block longer than a page must flow on, not stop the build.
    report = m.Report(
        year=2024,
        departments=[m.Department("연구부", 1)],
        chapters=[
            m.Chapter(
                1,
                "시험 장",
                "연구부",
                [
                    m.Program(
                        "1-1",
                        "긴 내용",
                        "연구부",
                        targets=m.Targets(rows=[m.TargetRow("아주 긴 세부사업명 " * 900, "연중", "1건")]),
                        budget=m.BudgetTable(
                            lines=[
                                m.BudgetLine(
                                    "운영", m.Cell.amount(4), quarters=[m.Quarter(m.Cell.amount(1), "설명 " * 1500)] * 4
                                )
                            ]
                        ),
                    )
                ],
                [m.AuthorBlock(0, [m.AuthorEntry("", f"담당자{n}", str(n), "연구부", n) for n in range(150)])],
            )
        ],
    )
    path = tmp_path / "long.pdf"
    result = build_department_pdf(report, "연구부", path)
    assert result.pages > 5
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "담당자149" in text and text.count("세부사업명") >= 2
