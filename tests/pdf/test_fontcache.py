"""The cache of parsed font metrics: the same font as a parse, and safe against damaged, stale or foreign files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfbase.ttfonts import TTFont

from seri_desktop.fonts import KoreanFonts, find_korean_fonts
from seri_desktop.formats.pdf import build_department_pdf, fontcache
from seri_desktop.formats.pdf.fontcache import MAGIC, load_font
from seri_desktop.formats.text_import import ImportResult

FONT = find_korean_fonts().sans


def _same_face(a: TTFont, b: TTFont) -> None:
    fa, fb = a.face.__dict__, b.face.__dict__
    keys = (set(fa) | set(fb) | {"glyphToChar"}) - {"_pdfScale", "_pos", "_glyph_lists"}
    for key in keys:
        assert getattr(a.face, key) == getattr(b.face, key), key
        assert type(getattr(a.face, key)) is type(getattr(b.face, key)), key
    assert a.face._pdfScale(1234) == b.face._pdfScale(1234)
    assert set(a.__dict__) == set(b.__dict__)
    for key in set(a.__dict__) - {"face", "encoding", "state", "fontName"}:
        assert a.__dict__[key] == b.__dict__[key], key


def _entry(folder: Path) -> Path:
    (entry,) = folder.glob("*.ttfm")
    return entry


def test_a_cached_font_is_the_parsed_font(tmp_path: Path) -> None:
    parsed = TTFont("parsed", str(FONT))
    first = load_font("first", FONT, folder=tmp_path)
    entry = _entry(tmp_path)
    assert entry.read_bytes().startswith(MAGIC)
    second = load_font("second", FONT, folder=tmp_path)
    assert type(second.face) is not type(parsed.face)  # read from the cache, not parsed
    _same_face(parsed, first)
    _same_face(parsed, second)
    # It measures and encodes text as the parsed font does.
    text = "서울특별시교육청 1,234천원 ☎ 이(異)"
    assert second.stringWidth(text, 10) == parsed.stringWidth(text, 10)


@pytest.mark.parametrize(
    "damage",
    ["truncated", "garbage", "flipped-byte", "empty", "other-font", "other-reportlab", "bad-glyph"],
)
def test_a_damaged_or_stale_entry_is_a_miss_and_is_written_again(tmp_path: Path, damage: str) -> None:
    load_font("seed", FONT, folder=tmp_path)
    entry = _entry(tmp_path)
    raw = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        entry.write_bytes(os.urandom(len(raw)))
    elif damage == "flipped-byte":
        at = len(raw) - 1000
        entry.write_bytes(raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1 :])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "other-font":
        # The entry of another font file under this font's name (a copied cache folder).
        other = find_korean_fonts().serif
        load_font("other", other, folder=tmp_path / "o")
        entry.write_bytes(_entry(tmp_path / "o").read_bytes())
    elif damage in ("other-reportlab", "bad-glyph"):
        entry.write_bytes(_rewrite_header(raw, damage))
    font = load_font("again", FONT, folder=tmp_path)
    _same_face(TTFont("parsed", str(FONT)), font)
    # The entry was written again, whole: the next process reads it.
    cached = load_font("next", FONT, folder=tmp_path)
    assert type(cached.face) is not type(TTFont("p", str(FONT)).face)
    _same_face(font, cached)


def _rewrite_header(raw: bytes, damage: str) -> bytes:
    """The entry with its JSON header changed and its checksum made right again (a consistent but wrong file)."""
    import struct
    import zlib

    body = raw[len(MAGIC) :]
    _, header_len = struct.unpack_from(">II", body, 0)
    payload = body[8:]
    header = json.loads(payload[:header_len])
    if damage == "other-reportlab":
        header["reportlab"] = "0.0"
    else:
        header["scalars"]["numGlyphs"] = {"$dict": []}  # not a count
    new_header = json.dumps(header, ensure_ascii=False).encode("utf-8")
    new_payload = new_header + payload[header_len:]
    return MAGIC + struct.pack(">II", zlib.crc32(new_payload), len(new_header)) + new_payload


def test_an_unwritable_cache_folder_only_costs_the_parse(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    font = load_font("ro", FONT, folder=blocker / "fonts")
    _same_face(TTFont("parsed", str(FONT)), font)
    assert blocker.read_text() == "a file where the folder should be"


def test_the_cache_lives_in_the_app_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERI_DATA_DIR", str(tmp_path / "data"))
    assert fontcache.cache_dir() == tmp_path / "data" / "cache" / "fonts"


def test_a_pdf_set_with_cached_fonts_embeds_them(
    imported_2024: ImportResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh data folder: the first face registered in it parses; the PDF still embeds subsets.
    monkeypatch.setenv("SERI_DATA_DIR", str(tmp_path / "data"))
    fonts = find_korean_fonts()
    copy = tmp_path / "Copy.ttf"
    copy.write_bytes(Path(fonts.sans).read_bytes())
    build_department_pdf(imported_2024.report, "교육정책연구소", tmp_path / "a.pdf", fonts=KoreanFonts.single(copy))
    assert list((tmp_path / "data" / "cache" / "fonts").glob("*.ttfm"))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "a.pdf").pages)
    assert "서울교육정책" in text.replace(" ", "")
