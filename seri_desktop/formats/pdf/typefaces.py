"""The report's four Korean faces, registered with reportlab for subset embedding.

The files come from :func:`seri_desktop.fonts.find_korean_fonts` (the one
place fonts are chosen, shared with the screen). reportlab's font registry is
process-wide, so each file is registered once, under a name derived from its
path, behind a lock: the UI builds PDFs on a worker thread. Parsed metrics come
from :mod:`.fontcache`, so a process reads them instead of parsing the files.

Each face also records which code points it covers, so text can fall back to
another face for a character the body font lacks (NanumMyeongjo has no 異,
which 5-4 uses) instead of printing an empty box (:class:`Coverage`).
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
    """Which characters each face has, learnt from its character map as text asks (:meth:`lacks`).

    A set of the characters each face is known to have grows with the text
    checked: a text of known characters is one set lookup per character, and
    only a character not seen before is looked up in the face's map. A
    report uses a couple of thousand distinct characters of a face's
    seventeen thousand, so no set of all of them is ever made, and a face
    nothing is set in never decodes its map from the cache (:mod:`.fontcache`).
    """

    def __init__(self, fonts: dict[str, TTFont]) -> None:
        self._fonts = fonts
        self._known: dict[str, set[str]] = {name: set(_ALWAYS_COVERED) for name in fonts}

    def knows(self, face: str) -> bool:
        """Whether ``face`` is one of these faces (another face is never checked)."""
        return face in self._known

    def lacks(self, face: str, text: str) -> bool:
        """Whether ``text`` holds a character ``face`` has no glyph for; false for a face not one of these."""
        known = self._known.get(face)
        if known is None or known.issuperset(text):
            return False
        char_map = self._fonts[face].face.charToGlyph
        lacking = False
        for char in set(text).difference(known):
            if ord(char) in char_map:
                known.add(char)  # only ever grows, by characters the face has: safe from any thread
            else:
                lacking = True
        return lacking


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
        return self.coverage.lacks(face, text)

    def face_for(self, face: str, char: str) -> str:
        """``face`` if it has ``char``, else the first fallback that has it (else ``face``)."""
        if not self.coverage.lacks(face, char):  # it has it, or it is not one of these faces
            return face
        for other in self.fallbacks(face):
            if self.coverage.knows(other) and not self.coverage.lacks(other, char):
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
