"""The report's four Korean faces, registered with reportlab for subset embedding.

The files come from :func:`seri_desktop.fonts.find_korean_fonts` (the one
place fonts are chosen, shared with the screen). reportlab's font registry is
process-wide, so each file is registered once, under a name derived from its
path, behind a lock: the UI builds PDFs on a worker thread. Parsed metrics come
from :mod:`.fontcache`, so a process reads them instead of parsing the files.

Each face also records which code points it covers, so text can fall back to
another face for a character the body font lacks (NanumMyeongjo has no 異,
which 5-4 uses) instead of printing an empty box. That set is made the first
time text in the face is checked (:class:`Coverage`): a face nothing is set
in costs no set, and its character map is not decoded from the cache.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from seri_desktop.fonts import FontNotFoundError, InvalidFontError, KoreanFonts, check_truetype, find_korean_fonts
from seri_desktop.formats.pdf.errors import PdfFontError
from seri_desktop.formats.pdf.fontcache import load_font

_lock = threading.Lock()
_registered: dict[Path, str] = {}
# Whitespace and controls count as covered: they draw nothing either way.
_ALWAYS_COVERED = frozenset(map(chr, range(33)))


class Coverage:
    """Face name → the characters the face has, each set made when it is first asked for (:meth:`of`).

    Making the set reads the face's character map, which the font cache
    decodes only when something asks for it (see :mod:`.fontcache`).
    """

    def __init__(self, fonts: dict[str, TTFont]) -> None:
        self._fonts = fonts
        self._sets: dict[str, frozenset[str]] = {}

    def of(self, face: str) -> frozenset[str] | None:
        """What ``face`` covers; ``None`` for a face that is not one of these (it is not checked)."""
        covered = self._sets.get(face)
        if covered is None:
            font = self._fonts.get(face)
            if font is None:
                return None
            # Made twice at worst when two threads ask at once: the same set either way.
            covered = self._sets[face] = frozenset(map(chr, font.face.charToGlyph)).union(_ALWAYS_COVERED)
        return covered


@dataclass(frozen=True)
class Typefaces:
    """reportlab font names of the four faces and what each covers."""

    serif: str
    serif_bold: str
    sans: str
    sans_bold: str
    coverage: Coverage = field(default_factory=lambda: Coverage({}), compare=False, repr=False)

    def fallbacks(self, face: str) -> list[str]:
        """Faces to try, in order, for a character ``face`` lacks."""
        order = [self.sans, self.serif, self.sans_bold, self.serif_bold]
        return [f for f in dict.fromkeys(order) if f != face]

    def bold(self, face: str) -> str:
        """The bold face of the family ``face`` belongs to (a bold face is its own)."""
        return {self.serif: self.serif_bold, self.sans: self.sans_bold}.get(face, face)

    def missing(self, face: str, text: str) -> bool:
        """Whether ``text`` holds a character ``face`` has no glyph for."""
        covered = self.coverage.of(face)
        return covered is not None and not covered.issuperset(text)

    def face_for(self, face: str, char: str) -> str:
        """``face`` if it has ``char``, else the first fallback that has it (else ``face``)."""
        covered = self.coverage.of(face)
        if covered is None or char in covered:
            return face
        for other in self.fallbacks(face):
            if char in (self.coverage.of(other) or ()):
                return other
        return face


def load_typefaces(fonts: KoreanFonts | None = None) -> Typefaces:
    """Register ``fonts`` (default: :func:`find_korean_fonts`) and return their names.

    Raises :class:`PdfFontError` with a Korean message when no font is found
    or reportlab cannot read the file.
    """
    if fonts is None:
        try:
            fonts = find_korean_fonts()
        except FontNotFoundError as exc:
            raise PdfFontError(str(exc)) from exc
    names: dict[str, str] = {}
    fonts_by_name: dict[str, TTFont] = {}
    for role in ("serif", "serif_bold", "sans", "sans_bold"):
        path = Path(getattr(fonts, role))
        try:
            # Fonts passed in (a user's setting) have not been through find_korean_fonts' checks.
            check_truetype(path)
        except InvalidFontError as exc:
            raise PdfFontError(str(exc)) from exc
        name = _register(path)
        names[role] = name
        fonts_by_name[name] = pdfmetrics.getFont(name)
    return Typefaces(**names, coverage=Coverage(fonts_by_name))


def _register(path: Path) -> str:
    key = path.resolve()
    with _lock:
        known = _registered.get(key)
        if known is not None:
            return known
        name = f"Seri{len(_registered)}-{re.sub(r'[^A-Za-z0-9]', '', path.stem)[:40] or 'Font'}"
        try:
            font = load_font(name, path)
        except OSError as exc:
            raise PdfFontError(f"글꼴 파일을 읽을 수 없습니다: {path} ({exc.strerror or exc})") from exc
        except Exception as exc:  # reportlab fails on damaged fonts with anything from KeyError to struct.error
            raise PdfFontError(f"글꼴을 PDF에 넣을 수 없습니다: {path} ({type(exc).__name__}: {exc})") from exc
        pdfmetrics.registerFont(font)
        _registered[key] = name
        return name
