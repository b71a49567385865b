"""Text as reportlab paragraphs take it: joined, escaped, protected from bad line breaks.

Korean is set with breaks between words (어절), as Korean word processors do
by default, not reportlab's ``wordWrap='CJK'``, which breaks between any two
characters and so splits ``1,234`` or ``'24.3~12월`` across lines. The few
tokens that contain spaces (dates printed as ``2024. 4. 16.``, ranges with
spaces around ``~``) get no-break spaces, which reportlab does not break at.

A word wider than its line would be cut by reportlab wherever it overflows,
digits included ("1단계('06.1~'11.2월)→2단계(…)" runs to seventy characters),
so such words are given break points first: after an arrow, a closing
bracket or a comma if there is one in reach, else between two letters, and
never inside a number or a date.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from seri_desktop.formats.pdf.typefaces import Typefaces

NBSP = "\u00a0"

_WRAPPED = re.compile(r"[ \t]*\n[ \t]*")
# A date whose parts are separated by spaces: "2024. 4. 16.", "1958. 5. 21.", "'24. 3. 1."
_SPACED_DATE = re.compile(r"(?<![\d.])(?:\d{4}|'\d{2})\.(?:[ \t]+\d{1,2}\.?|\d{1,2}\.){1,2}")
# A range with spaces around the tilde between numbers or dates: "'24.3 ~ '25.2월", "3 ~ 5월"
_SPACED_RANGE = re.compile(r"(?<=[\d.])[ \t]*~[ \t]*(?=['\d])")


def join_lines(text: str) -> str:
    """An item's source lines as one line (a ``\\n`` is where the source wrapped)."""
    return _WRAPPED.sub(" ", text.strip())


def protect(text: str) -> str:
    """``text`` with no-break spaces inside spaced dates and ranges."""
    if " " not in text:
        return text
    text = _SPACED_DATE.sub(lambda m: m.group(0).replace(" ", NBSP).replace("\t", NBSP), text)
    return _SPACED_RANGE.sub(lambda m: m.group(0).replace(" ", NBSP).replace("\t", NBSP), text)


# Numbers, amounts, dates and periods: a long word is never broken inside one of these.
_TOKEN = re.compile(r"△?'?\d[\d,.~'\u00a0]*\d(?:\.|월|일|%)?|\d")
_PREFERRED_BREAK = set("→)]』」>,·/")


def break_long_words(text: str, font: str, size: float, width: float) -> str:
    """``text`` with spaces inserted into any word wider than ``width``, at safe places."""
    if len(text) * size <= width:
        return text  # no glyph is wider than an em: nothing can overflow
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        if len(word) * size <= width or stringWidth(word, font, size) <= width:
            out.append(word)
        else:
            out.extend(_split_word(word, font, size, width))
    return " ".join(out)


def _split_word(word: str, font: str, size: float, width: float) -> list[str]:
    inside: set[int] = set()
    for m in _TOKEN.finditer(word):
        inside.update(range(m.start() + 1, m.end()))  # breaking before index i splits a token
    pieces: list[str] = []
    start = 0
    while stringWidth(word[start:], font, size) > width:
        fit = start + 1
        while fit < len(word) and stringWidth(word[start : fit + 1], font, size) <= width:
            fit += 1
        safe = [i for i in range(start + 1, fit + 1) if i not in inside and i < len(word)]
        if not safe:
            break  # a single number wider than the line: nothing better to do
        preferred = [i for i in safe if word[i - 1] in _PREFERRED_BREAK]
        cut = (preferred or safe)[-1]
        pieces.append(word[start:cut])
        start = cut
    pieces.append(word[start:])
    return pieces


def markup(text: str, face: str, faces: Typefaces, *, size: float = 0.0, width: float = 0.0) -> str:
    """Paragraph markup for plain ``text`` set in ``face``.

    Joins wrapped lines, escapes XML, protects dates, breaks words wider than
    ``width`` (when given, with the font ``size``) and wraps characters
    ``face`` lacks in a ``<font>`` of a face that has them.
    """
    plain = protect(join_lines(text))
    if width > 0:
        plain = break_long_words(plain, face, size, width)
    if not faces.missing(face, plain):
        return escape(plain)
    out: list[str] = []
    run_face = face
    run: list[str] = []
    for char in plain:
        char_face = faces.face_for(face, char)
        if char_face != run_face and run:
            out.append(_run(run, run_face, face))
            run = []
        run_face = char_face
        run.append(char)
    if run:
        out.append(_run(run, run_face, face))
    return "".join(out)


def _run(chars: list[str], run_face: str, face: str) -> str:
    text = escape("".join(chars))
    return text if run_face == face else f'<font face="{run_face}">{text}</font>'


def as_of_label(year: int, month: int, day: int) -> str:
    """The as-of date as the report prints it: ``'24.6.30.기준``."""
    return f"'{year % 100:02d}.{month}.{day}.기준"
