"""The report's four Korean faces, registered with reportlab for subset embedding.

The files come from :func:`seri_desktop.fonts.find_korean_fonts` (the one
place fonts are chosen, shared with the screen). reportlab's font registry is
process-wide, so each file is registered once, under a name derived from its
path, behind a lock: the UI builds PDFs on a worker thread. Parsed metrics come
from :mod:`.fontcache`, so a process reads them instead of parsing the files.

Each face also records which code points it covers, so text can fall back to
another face for a character the body font lacks (NanumMyeongjo has no 異,
which 5-4 uses) instead of printing an empty box.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from seri_desktop.fonts import FontNotFoundError, InvalidFontError, KoreanFonts, check_truetype, find_korean_fonts
from seri_desktop.formats.pdf.errors import PdfFontError
from seri_desktop.formats.pdf.fontcache import load_font

_lock = threading.Lock()
_registered: dict[Path, tuple[str, frozenset[str]]] = {}


@dataclass(frozen=True)
class Typefaces:
    """reportlab font names of the four faces and what each covers."""

    serif: str
    serif_bold: str
    sans: str
    sans_bold: str
    coverage: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def fallbacks(self, face: str) -> list[str]:
        """Faces to try, in order, for a character ``face`` lacks."""
        order = [self.sans, self.serif, self.sans_bold, self.serif_bold]
        return [f for f in dict.fromkeys(order) if f != face]

    def bold(self, face: str) -> str:
        """The bold face of the family ``face`` belongs to (a bold face is its own)."""
        return {self.serif: self.serif_bold, self.sans: self.sans_bold}.get(face, face)

    def missing(self, face: str, text: str) -> bool:
        """Whether ``text`` holds a character ``face`` has no glyph for."""
        covered = self.coverage.get(face)
        return covered is not None and not covered.issuperset(text)

    def face_for(self, face: str, char: str) -> str:
        """``face`` if it has ``char``, else the first fallback that has it (else ``face``)."""
        if char in self.coverage.get(face, char):
            return face
        for other in self.fallbacks(face):
            if char in self.coverage.get(other, ""):
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
    coverage: dict[str, frozenset[str]] = {}
    for role in ("serif", "serif_bold", "sans", "sans_bold"):
        path = Path(getattr(fonts, role))
        try:
            # Fonts passed in (a user's setting) have not been through find_korean_fonts' checks.
            check_truetype(path)
        except InvalidFontError as exc:
            raise PdfFontError(str(exc)) from exc
        name, covered = _register(path)
        names[role] = name
        coverage[name] = covered
    return Typefaces(**names, coverage=coverage)


def _register(path: Path) -> tuple[str, frozenset[str]]:
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
        # Whitespace and controls count as covered: they draw nothing either way.
        entry = (name, frozenset(map(chr, font.face.charToGlyph)).union(map(chr, range(33))))
        _registered[key] = entry
        return entry
