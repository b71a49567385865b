"""The one place the Korean fonts are chosen, for the screen and for PDFs.

Reports set body text in a 명조 (serif) face and tables and notes in a 고딕
(sans) face. The PDF writer (reportlab) can embed only TrueType-outline fonts
(an sfnt with a ``glyf`` table) and refuses CFF ``.otf`` and ``.ttc``
collections, so every candidate is read here and checked before it is
chosen; the screen uses the same files so what the user sees is what prints.

No Qt here: reportlab imports this module too.

Search order: an explicit override (a user setting, one ``.ttf`` for every
face), the ``SERI_FONT`` environment variable (same), Nanum fonts in the
usual font folders, then Windows' 맑은 고딕 for every face.
"""

from __future__ import annotations

import functools
import os
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from seri_desktop.errors import UserError

FONT_ENV_VAR = "SERI_FONT"

# Debian/Ubuntu fonts-nanum; searched first because it is where the package we
# tell users to install puts the files.
DEBIAN_NANUM_DIR = Path("/usr/share/fonts/truetype/nanum")

NOT_FOUND_MESSAGE = (
    "한글 트루타입 글꼴(TTF)을 찾지 못했습니다. "
    "Debian/Ubuntu: sudo apt-get install fonts-nanum, "
    "Windows: 맑은 고딕(malgun.ttf)이 필요합니다. "
    f"다른 글꼴을 쓰려면 {FONT_ENV_VAR} 환경 변수에 .ttf 파일 경로를 지정하십시오."
)

# File names per face, best first. The fonts-nanum / Naver names come first,
# then the Google Fonts names of the same fonts. Exact names rather than a
# glob so NanumGothicCoding (monospace) or NanumMyeongjoExtraBold never win.
_MYEONGJO = ("nanummyeongjo.ttf", "nanummyeongjo-regular.ttf")
_MYEONGJO_BOLD = ("nanummyeongjobold.ttf", "nanummyeongjo-bold.ttf")
_GOTHIC = ("nanumgothic.ttf", "nanumgothic-regular.ttf")
_GOTHIC_BOLD = ("nanumgothicbold.ttf", "nanumgothic-bold.ttf")
_MALGUN = ("malgun.ttf",)
_MALGUN_BOLD = ("malgunbd.ttf",)

_SFNT_TRUETYPE = (0x00010000, 0x74727565)  # 1.0 and Apple's 'true'
_SFNT_CFF = 0x4F54544F  # 'OTTO'
_SFNT_COLLECTION = 0x74746366  # 'ttcf'
_HANGUL_PROBE = 0xAC00  # 가
# OS/2 fsType bits reportlab refuses to subset: restricted licence, no subsetting, bitmap only.
_FSTYPE_RESTRICTED = 0x0002
_FSTYPE_NO_SUBSET = 0x0300


class FontNotFoundError(UserError):
    """No usable Korean TrueType font; the message (Korean) says what to do."""

    default_code = "font"


class InvalidFontError(FontNotFoundError):
    """A font file that was asked for explicitly cannot be used; the message says why.

    A subclass of :class:`FontNotFoundError` so callers that show the message
    to the user need only one ``except``.
    """


@dataclass(frozen=True)
class KoreanFonts:
    """The four font files a report is set in; bold faces may be the regular file."""

    serif: Path
    serif_bold: Path
    sans: Path
    sans_bold: Path

    @classmethod
    def single(cls, path: Path) -> KoreanFonts:
        """One file for every face (a user's override)."""
        return cls(serif=path, serif_bold=path, sans=path, sans_bold=path)

    def files(self) -> list[Path]:
        """The distinct files, sans faces first (the screen needs those most)."""
        return list(dict.fromkeys([self.sans, self.sans_bold, self.serif, self.serif_bold]))


def default_search_dirs() -> tuple[Path, ...]:
    """The folders searched for Nanum and Malgun fonts, in order."""
    dirs = [DEBIAN_NANUM_DIR, Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        # The frozen build carries the fonts it was built with (build.spec copies them to fonts/).
        dirs.insert(0, Path(bundle) / "fonts")
    try:
        home: Path | None = Path.home()
    except (RuntimeError, KeyError):
        # No resolvable home (a bare service account): the system folders still count.
        home = None
    if home is not None:
        dirs += [home / ".local/share/fonts", home / ".fonts", home / "Library/Fonts"]
    dirs.append(Path("/Library/Fonts"))
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local_app_data = os.environ.get("LOCALAPPDATA")
    if local_app_data:
        # Fonts a Windows user installed "for me only" land here, not in %WINDIR%\Fonts.
        dirs.append(Path(local_app_data) / "Microsoft" / "Windows" / "Fonts")
    return tuple(dirs)


def find_korean_fonts(override: Path | None = None, *, search_dirs: Sequence[Path] | None = None) -> KoreanFonts:
    """Choose the Korean fonts: override, then ``SERI_FONT``, then the system folders.

    ``override`` and ``SERI_FONT`` name one ``.ttf`` used for every face; if
    it cannot be used this raises :class:`InvalidFontError` rather than
    quietly falling back, because the user asked for that file.
    ``search_dirs`` replaces :func:`default_search_dirs` (for tests).
    Raises :class:`FontNotFoundError` when nothing usable is found.
    """
    if override is not None:
        check_truetype(override)
        return KoreanFonts.single(override)
    env = os.environ.get(FONT_ENV_VAR, "").strip()
    if env:
        path = Path(env).expanduser()
        try:
            check_truetype(path)
        except InvalidFontError as exc:
            raise InvalidFontError(f"{FONT_ENV_VAR} 환경 변수에 지정한 글꼴을 쓸 수 없습니다. {exc}") from exc
        return KoreanFonts.single(path)
    dirs = tuple(search_dirs) if search_dirs is not None else default_search_dirs()
    return _search_system(dirs)


def check_truetype(path: Path) -> None:
    """Raise :class:`InvalidFontError` unless ``path`` is an embeddable TrueType font with Hangul."""
    try:
        with path.open("rb") as f:
            _check_sfnt(f, path)
    except FileNotFoundError as exc:
        raise InvalidFontError(f"글꼴 파일이 없습니다: {path}") from exc
    except IsADirectoryError as exc:
        raise InvalidFontError(f"글꼴 파일이 아니라 폴더입니다: {path}") from exc
    except OSError as exc:
        raise InvalidFontError(f"글꼴 파일을 읽을 수 없습니다: {path} ({exc.strerror or exc})") from exc
    except (struct.error, ValueError) as exc:
        # Offsets pointing past the end of the file: a truncated or damaged font.
        raise InvalidFontError(f"글꼴 파일이 손상되었습니다: {path}") from exc


def is_usable_truetype(path: Path) -> bool:
    """Whether :func:`check_truetype` accepts ``path``."""
    try:
        check_truetype(path)
    except InvalidFontError:
        return False
    return True


@functools.cache
def _search_system(dirs: tuple[Path, ...]) -> KoreanFonts:
    # Cached because walking /usr/share/fonts and parsing cmaps is slow and the
    # installed fonts do not change while the app runs. Failures are not cached
    # (functools.cache does not store exceptions), so installing fonts and
    # retrying works.
    index = _index_font_files(dirs)

    def pick(names: Iterable[str]) -> Path | None:
        for name in names:
            for path in index.get(name, []):
                if is_usable_truetype(path):
                    return path
        return None

    def family(regular_names: Sequence[str], bold_names: Sequence[str]) -> tuple[Path, Path] | None:
        regular = pick(regular_names)
        if regular is None:
            return None
        return regular, pick(bold_names) or regular

    myeongjo = family(_MYEONGJO, _MYEONGJO_BOLD)
    gothic = family(_GOTHIC, _GOTHIC_BOLD)
    malgun = family(_MALGUN, _MALGUN_BOLD) if myeongjo is None or gothic is None else None
    # A missing face borrows from the others rather than failing: a 고딕 body
    # text is better than no PDF, and Malgun is the only Hangul font Windows has.
    serif = myeongjo or gothic or malgun
    sans = gothic or malgun or myeongjo
    if serif is None or sans is None:
        raise FontNotFoundError(NOT_FOUND_MESSAGE)
    return KoreanFonts(serif=serif[0], serif_bold=serif[1], sans=sans[0], sans_bold=sans[1])


def _index_font_files(dirs: Sequence[Path]) -> dict[str, list[Path]]:
    """Every ``.ttf`` under ``dirs`` by lower-cased file name, in search order."""
    index: dict[str, list[Path]] = {}
    seen: set[Path] = set()
    for top in dirs:
        if not top.is_dir():
            continue
        # os.walk skips unreadable folders and does not follow symlinked folders,
        # so a loop in someone's ~/.fonts cannot hang the start-up.
        for root, subdirs, files in os.walk(top):
            subdirs.sort()
            for name in sorted(files):
                lower = name.lower()
                if not lower.endswith(".ttf"):
                    continue
                path = Path(root) / name
                if path in seen:
                    continue
                seen.add(path)
                index.setdefault(lower, []).append(path)
    return index


def _check_sfnt(f: BinaryIO, path: Path) -> None:
    (version, num_tables) = struct.unpack(">IH", _read_at(f, 0, 6))
    if version == _SFNT_CFF:
        raise InvalidFontError(
            f"CFF(PostScript) 윤곽선을 쓰는 OpenType 글꼴은 PDF에 넣을 수 없습니다: {path}. "
            "트루타입(.ttf) 글꼴을 지정하십시오."
        )
    if version == _SFNT_COLLECTION:
        raise InvalidFontError(f"글꼴 모음(.ttc)은 쓸 수 없습니다: {path}. 트루타입(.ttf) 글꼴 하나를 지정하십시오.")
    if version not in _SFNT_TRUETYPE:
        raise InvalidFontError(f"트루타입 글꼴 파일이 아닙니다: {path}")
    directory = _read_at(f, 12, 16 * num_tables)
    tables: dict[bytes, tuple[int, int]] = {}
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", directory, 16 * i)
        tables[tag] = (offset, length)
    if b"glyf" not in tables:
        raise InvalidFontError(f"트루타입 윤곽선(glyf)이 없는 글꼴은 PDF에 넣을 수 없습니다: {path}")
    if b"cmap" not in tables or not _cmap_covers(f, tables[b"cmap"], _HANGUL_PROBE):
        raise InvalidFontError(f"한글이 들어 있지 않은 글꼴입니다: {path}")
    if b"OS/2" in tables:
        offset, _length = tables[b"OS/2"]
        (fs_type,) = struct.unpack(">H", _read_at(f, offset + 8, 2))
        if fs_type == _FSTYPE_RESTRICTED or fs_type & _FSTYPE_NO_SUBSET:
            raise InvalidFontError(f"글꼴 사용 허가가 PDF에 넣는 것을 막고 있습니다: {path}")


def _cmap_covers(f: BinaryIO, table: tuple[int, int], char: int) -> bool:
    """Whether a Unicode subtable of the ``cmap`` maps ``char`` to a real glyph."""
    base, _length = table
    _version, count = struct.unpack(">HH", _read_at(f, base, 4))
    records = _read_at(f, base + 4, 8 * count)
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", records, 8 * i)
        # Unicode platform, or Windows Unicode BMP (1) / full repertoire (10).
        if platform == 0 or (platform == 3 and encoding in (1, 10)):
            start = base + offset
            (fmt,) = struct.unpack(">H", _read_at(f, start, 2))
            if fmt == 4 and _format4_covers(f, start, char):
                return True
            if fmt == 12 and _format12_covers(f, start, char):
                return True
    return False


def _format4_covers(f: BinaryIO, start: int, char: int) -> bool:
    (seg_x2,) = struct.unpack(">H", _read_at(f, start + 6, 2))
    seg = seg_x2 // 2
    ends_at = start + 14
    starts_at = ends_at + seg_x2 + 2  # +2: reservedPad
    deltas_at = starts_at + seg_x2
    range_offsets_at = deltas_at + seg_x2
    ends = struct.unpack(f">{seg}H", _read_at(f, ends_at, seg_x2))
    for i, end in enumerate(ends):
        if end < char:
            continue
        (first,) = struct.unpack(">H", _read_at(f, starts_at + 2 * i, 2))
        if first > char:
            return False
        (delta,) = struct.unpack(">h", _read_at(f, deltas_at + 2 * i, 2))
        (range_offset,) = struct.unpack(">H", _read_at(f, range_offsets_at + 2 * i, 2))
        if range_offset == 0:
            return bool((char + delta) & 0xFFFF)
        # idRangeOffset counts bytes from its own position into glyphIdArray.
        glyph_at = range_offsets_at + 2 * i + range_offset + 2 * (char - first)
        (glyph,) = struct.unpack(">H", _read_at(f, glyph_at, 2))
        return bool(glyph)
    return False


def _format12_covers(f: BinaryIO, start: int, char: int) -> bool:
    (groups,) = struct.unpack(">I", _read_at(f, start + 12, 4))
    data = _read_at(f, start + 16, 12 * groups)
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, 12 * i)
        if first <= char <= last:
            return bool(glyph + (char - first))
    return False


def _read_at(f: BinaryIO, offset: int, size: int) -> bytes:
    f.seek(offset)
    data = f.read(size)
    if len(data) != size:
        raise ValueError("truncated font file")
    return data
