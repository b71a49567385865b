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
# The tables a cached face decodes from its arrays when first read (the rest is set when it is opened).
LAZY = ("charWidths", "charToGlyph", "glyphToChar", "hmetrics", "glyphPos")
# Read by index only (subsetting): a cached face may keep them as sequences over its arrays.
INDEXED = ("hmetrics", "glyphPos")


def _same_face(a: TTFont, b: TTFont) -> None:
    fa, fb = a.face.__dict__, b.face.__dict__
    keys = (set(fa) | set(fb) | set(LAZY)) - {"_pdfScale", "_pos", "_tables"}
    for key in keys - set(INDEXED):
        assert getattr(a.face, key) == getattr(b.face, key), key
        assert type(getattr(a.face, key)) is type(getattr(b.face, key)), key
    for key in INDEXED:
        va, vb = getattr(a.face, key), getattr(b.face, key)
        assert len(va) == len(vb) and list(va) == list(vb), key
        assert [type(v) for v in va] == [type(v) for v in vb], key
        assert va[len(va) // 2] == vb[len(vb) // 2] and va[-1] == vb[-1], key
    assert a.face._pdfScale(1234) == b.face._pdfScale(1234)
    assert set(a.__dict__) == set(b.__dict__)
    for key in set(a.__dict__) - {"face", "encoding", "state", "fontName"}:
        assert a.__dict__[key] == b.__dict__[key], key


def _memo(folder: Path) -> Path:
    (memo,) = folder.glob("*.sha256")
    return memo


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
    [
        "truncated",
        "garbage",
        "flipped-byte",
        "empty",
        "other-font",
        "other-reportlab",
        "bad-glyph",
        "array-past-the-end",
        "short-table",
        "missing-table",
        "glyph-past-the-end",
    ],
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
    elif damage == "glyph-past-the-end":
        entry.write_bytes(_shrink_glyph_count(raw))
    elif damage in ("other-reportlab", "bad-glyph", "array-past-the-end", "short-table", "missing-table"):
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
    elif damage == "bad-glyph":
        header["scalars"]["numGlyphs"] = {"$dict": []}  # not a count
    else:
        index = {entry[0]: entry for entry in header["arrays"]}
        if damage == "array-past-the-end":
            index["glyphPos"][2] = len(payload)  # starts after the file ends
        elif damage == "short-table":
            index["hmetrics.a"][3] -= 8  # one glyph fewer than the count says
        elif damage == "missing-table":
            header["arrays"] = [e for e in header["arrays"] if e[0] != "charWidths.v"]
    new_header = json.dumps(header, ensure_ascii=False).encode("utf-8")
    new_payload = new_header + payload[header_len:]
    return MAGIC + struct.pack(">II", zlib.crc32(new_payload), len(new_header)) + new_payload


def _shrink_glyph_count(raw: bytes) -> bytes:
    """A consistent entry whose glyph tables end just before the highest glyph a character maps to."""
    import struct
    import zlib
    from array import array

    body = raw[len(MAGIC) :]
    _, header_len = struct.unpack_from(">II", body, 0)
    payload = body[8:]
    header = json.loads(payload[:header_len])
    blob = payload[header_len:]
    index = {entry[0]: entry for entry in header["arrays"]}
    _, typecode, offset, length = index["charToGlyph.v"]
    mapped = array(typecode)
    mapped.frombytes(blob[offset : offset + length])
    glyphs = max(mapped)  # glyph number `glyphs` is now one past the end
    header["scalars"]["numGlyphs"] = glyphs
    for key, entry in index.items():
        count = glyphs + 1 if key == "glyphPos" else glyphs
        if key == "glyphPos" or key.startswith("hmetrics."):
            entry[3] = count * array(entry[1]).itemsize
    new_header = json.dumps(header, ensure_ascii=False).encode("utf-8")
    new_payload = new_header + payload[header_len:]
    return MAGIC + struct.pack(">II", zlib.crc32(new_payload), len(new_header)) + new_payload


def test_a_cached_face_decodes_a_table_only_when_it_is_read(tmp_path: Path) -> None:
    load_font("seed", FONT, folder=tmp_path)
    font = load_font("lazy", FONT, folder=tmp_path)
    assert not set(LAZY) & set(font.face.__dict__)  # nothing decoded on opening
    parsed = TTFont("parsed", str(FONT))
    assert font.stringWidth("가나다 abc", 10) == parsed.stringWidth("가나다 abc", 10)
    # Measuring decoded the widths only; the subsetting tables wait for the save.
    assert set(LAZY) & set(font.face.__dict__) == {"charWidths"}
    assert font.face.makeSubset([0, 0xAC00, 0x41]) == parsed.face.makeSubset([0, 0xAC00, 0x41])


def test_a_changed_font_file_is_never_read_with_the_old_metrics(tmp_path: Path) -> None:
    # The same path, other bytes (a font updated in place): its own entry, its own metrics.
    fonts = find_korean_fonts()
    path = tmp_path / "Font.ttf"
    path.write_bytes(Path(fonts.sans).read_bytes())
    before = load_font("before", path, folder=tmp_path / "cache")
    wide = before.stringWidth("가나다", 10)
    path.write_bytes(Path(fonts.serif).read_bytes())
    parsed = TTFont("parsed", str(path))  # the new bytes, parsed
    for name in ("after-parse", "after-cache"):  # parsed and cached, then read from the cache
        after = load_font(name, path, folder=tmp_path / "cache")
        _same_face(parsed, after)
        assert after.stringWidth("가나다", 10) == parsed.stringWidth("가나다", 10)
    assert type(after.face) is not type(parsed.face)
    assert parsed.stringWidth("가나다", 10) != wide or fonts.serif == fonts.sans
    assert len(list((tmp_path / "cache").glob("*.ttfm"))) == 2


def test_the_hash_memo_answers_only_for_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontcache, "RACY_SECONDS", -1e9)  # trust a memo at once (else: 3 s after a change)
    fonts = find_korean_fonts()
    path = tmp_path / "Font.ttf"
    path.write_bytes(Path(fonts.sans).read_bytes())
    cache = tmp_path / "cache"
    load_font("first", path, folder=cache)
    memo = json.loads(_memo(cache).read_text())
    assert memo["sha256"] == _entry(cache).name.split(".")[0]
    hashed: list[bytes] = []
    real = fontcache.hashlib.sha256

    def counting(data: bytes = b"") -> object:
        hashed.append(data)
        return real(data)

    monkeypatch.setattr(fontcache.hashlib, "sha256", counting)
    _same_face(TTFont("parsed", str(path)), load_font("again", path, folder=cache))
    assert [len(d) for d in hashed if len(d) > 1000] == []  # the memo answered: the font was not hashed
    # Changed in place (other bytes, the same path): the stat differs, the font is hashed, its own metrics.
    path.write_bytes(Path(fonts.serif).read_bytes())
    _same_face(TTFont("parsed", str(path)), load_font("changed", path, folder=cache))
    assert {len(d) for d in hashed if len(d) > 1000} == {path.stat().st_size}  # the new bytes (again on the miss)


@pytest.mark.parametrize("damage", ["garbage", "other-font", "wrong-hash", "racy"])
def test_a_damaged_foreign_or_racy_memo_is_not_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    fonts = find_korean_fonts()
    cache = tmp_path / "cache"
    path = tmp_path / "Font.ttf"
    path.write_bytes(Path(fonts.sans).read_bytes())
    if damage != "racy":
        monkeypatch.setattr(fontcache, "RACY_SECONDS", -1e9)
    load_font("seed", path, folder=cache)
    memo = _memo(cache)
    record = json.loads(memo.read_text())
    if damage == "garbage":
        memo.write_bytes(os.urandom(200))
    elif damage == "other-font":
        # Another font's memo under this font's name (the other font's hash, its own probe).
        other = tmp_path / "Other.ttf"
        other.write_bytes(Path(fonts.serif).read_bytes())
        load_font("other", other, folder=tmp_path / "o")
        memo.write_bytes(_memo(tmp_path / "o").read_bytes())
    elif damage == "wrong-hash":
        # The serif's hash, as if this file were the serif: its entry exists in the cache.
        load_font("serif", Path(fonts.serif), folder=tmp_path / "s")
        serif_entry = _entry(tmp_path / "s")
        (cache / serif_entry.name).write_bytes(serif_entry.read_bytes())
        serif = fontcache.hashlib.sha256(Path(fonts.serif).read_bytes()).hexdigest()
        memo.write_text(json.dumps({**record, "sha256": serif}))
    font = load_font("again", path, folder=cache)
    _same_face(TTFont("parsed", str(path)), font)
    assert font.stringWidth("가나다 abc", 10) == TTFont("p", str(path)).stringWidth("가나다 abc", 10)
    # The next process finds a memo that answers, and an entry of this font's own hash.
    assert json.loads(_memo(cache).read_text())["sha256"] == fontcache.hashlib.sha256(path.read_bytes()).hexdigest()


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
