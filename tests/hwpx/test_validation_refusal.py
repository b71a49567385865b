"""The HWPX export refuses a document that the library's own validator faults, and saves nothing.

The export's layout never makes such a document on the 2024 report (the
other tests show ``validate()`` clean), so the refusal is shown on a real
python-hwpx document broken the way a writer bug would break it: an element
the OWPML schema does not allow inside a section.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hwpx import HwpxDocument
from lxml import etree

from seri_desktop.formats.hwpx.build import checked_bytes
from seri_desktop.formats.hwpx.errors import HwpxInvalidError

PARAGRAPH_NS = "http://www.hancom.co.kr/hwpml/2011/paragraph"


def _document() -> HwpxDocument:
    doc = HwpxDocument.new()
    doc.add_paragraph("추진 계획")
    return doc


def test_a_valid_document_passes_both_validators(tmp_path: Path) -> None:
    data = checked_bytes(_document(), "시험 문서")
    path = tmp_path / "ok.hwpx"
    path.write_bytes(data)
    # The bytes are a real HWPX package that the library opens again with the paragraph in it.
    again = HwpxDocument.open(path)
    assert any("추진 계획" in (p.text or "") for p in again.paragraphs)


def test_a_document_the_schema_faults_is_refused_with_its_issue() -> None:
    doc = _document()
    etree.SubElement(doc.sections[0].element, f"{{{PARAGRAPH_NS}}}bogus")
    assert doc.validate().issues  # the library sees it; the export must not save it
    with pytest.raises(HwpxInvalidError) as caught:
        checked_bytes(doc, "시험 문서")
    message = str(caught.value)
    assert "시험 문서" in message and "저장하지 않았습니다" in message and "bogus" in message
