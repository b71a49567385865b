"""The Korean font choice: system Nanum fonts, overrides, and refusing fonts a PDF cannot embed."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from seri_desktop import fonts
from seri_desktop.fonts import (
    FONT_ENV_VAR,
    FontNotFoundError,
    InvalidFontError,
    KoreanFonts,
    check_truetype,
    find_korean_fonts,
)

NANUM = Path("/usr/share/fonts/truetype/nanum")


def _sfnt(version: bytes, tags: list[bytes]) -> bytes:
    """A table directory with empty tables: enough to tell the outline format."""
    header = version + struct.pack(">HHHH", len(tags), 16, 0, 0)
    records = b"".join(struct.pack(">4sIII", tag, 0, 0, 0) for tag in tags)
    return header + records


@pytest.fixture(autouse=True)
def _no_env_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FONT_ENV_VAR, raising=False)


@pytest.fixture
def cff_font(tmp_path: Path) -> Path:
    path = tmp_path / "NanumMyeongjo.otf"
    path.write_bytes(_sfnt(b"OTTO", [b"CFF ", b"cmap", b"head", b"hmtx"]))
    return path


def test_finds_the_nanum_fonts_of_fonts_nanum() -> None:
    found = find_korean_fonts()
    assert found == KoreanFonts(
        serif=NANUM / "NanumMyeongjo.ttf",
        serif_bold=NANUM / "NanumMyeongjoBold.ttf",
        sans=NANUM / "NanumGothic.ttf",
        sans_bold=NANUM / "NanumGothicBold.ttf",
    )


def test_chosen_fonts_are_accepted_by_reportlab() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    for i, path in enumerate(find_korean_fonts().files()):
        font = TTFont(f"probe{i}", str(path))
        assert font.face.charToGlyph.get(ord("가")), path


def test_cff_otf_override_is_refused(cff_font: Path) -> None:
    with pytest.raises(InvalidFontError, match="CFF") as info:
        find_korean_fonts(cff_font)
    assert str(cff_font) in str(info.value)


def test_garbage_override_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "font.ttf"
    garbage.write_bytes(b"this is not a font at all, just some text\n" * 10)
    with pytest.raises(InvalidFontError, match="트루타입 글꼴 파일이 아닙니다"):
        find_korean_fonts(garbage)


def test_truncated_truetype_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.ttf"
    path.write_bytes((NANUM / "NanumGothic.ttf").read_bytes()[:100])
    with pytest.raises(InvalidFontError, match="손상"):
        check_truetype(path)


def test_truetype_without_glyf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "noglyf.ttf"
    path.write_bytes(_sfnt(b"\x00\x01\x00\x00", [b"cmap", b"head"]))
    with pytest.raises(InvalidFontError, match="glyf"):
        check_truetype(path)


def test_collection_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fonts.ttc"
    path.write_bytes(b"ttcf" + b"\x00" * 60)
    with pytest.raises(InvalidFontError, match="ttc"):
        check_truetype(path)


def test_font_without_hangul_is_refused() -> None:
    with pytest.raises(InvalidFontError, match="한글"):
        check_truetype(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))


def test_missing_override_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidFontError, match="없습니다"):
        find_korean_fonts(tmp_path / "nowhere.ttf")


def test_override_ttf_is_used_for_every_face() -> None:
    gothic = NANUM / "NanumGothic.ttf"
    assert find_korean_fonts(gothic) == KoreanFonts.single(gothic)


def test_env_var_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    myeongjo = NANUM / "NanumMyeongjo.ttf"
    monkeypatch.setenv(FONT_ENV_VAR, str(myeongjo))
    assert find_korean_fonts() == KoreanFonts.single(myeongjo)


def test_bad_env_var_names_the_variable(monkeypatch: pytest.MonkeyPatch, cff_font: Path) -> None:
    monkeypatch.setenv(FONT_ENV_VAR, str(cff_font))
    with pytest.raises(InvalidFontError, match=FONT_ENV_VAR):
        find_korean_fonts()


def test_nothing_found_raises_with_instructions(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError) as info:
        find_korean_fonts(search_dirs=[tmp_path])
    message = str(info.value)
    assert message == fonts.NOT_FOUND_MESSAGE
    assert "한글 트루타입 글꼴(TTF)을 찾지 못했습니다" in message
    assert "sudo apt-get install fonts-nanum" in message
    assert "malgun.ttf" in message
    assert FONT_ENV_VAR in message


def test_search_skips_unusable_candidates(tmp_path: Path, cff_font: Path) -> None:
    # A CFF file named like the font we want must not be picked up, nor stop the search.
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "NanumGothic.ttf").write_bytes(cff_font.read_bytes())
    (tmp_path / "b").mkdir()
    good = tmp_path / "b" / "NanumGothic.ttf"
    good.write_bytes((NANUM / "NanumGothic.ttf").read_bytes())
    found = find_korean_fonts(search_dirs=[tmp_path / "a", tmp_path / "b"])
    # No 명조 there: every face falls back to the 고딕 file.
    assert found == KoreanFonts.single(good)


def test_malgun_is_used_when_there_is_no_nanum(tmp_path: Path) -> None:
    windows_fonts = tmp_path / "Windows" / "Fonts"
    windows_fonts.mkdir(parents=True)
    # Stand-ins: Malgun is not on this machine, any Hangul TrueType file will do.
    (windows_fonts / "malgun.ttf").write_bytes((NANUM / "NanumBarunGothic.ttf").read_bytes())
    (windows_fonts / "malgunbd.ttf").write_bytes((NANUM / "NanumBarunGothicBold.ttf").read_bytes())
    found = find_korean_fonts(search_dirs=[windows_fonts])
    assert found.serif == found.sans == windows_fonts / "malgun.ttf"
    assert found.serif_bold == found.sans_bold == windows_fonts / "malgunbd.ttf"


def test_default_search_dirs_include_windir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WINDIR", str(tmp_path))
    dirs = fonts.default_search_dirs()
    assert dirs[0] == NANUM
    assert tmp_path / "Fonts" in dirs
