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

The text exports the report comes from have two more quirks that the PDF
undoes: ``**word**`` is emphasis (set in the bold face, the stars dropped;
a lone ``**`` is a footnote mark and stays), and table labels are
letter-spaced ("교 육 연구 관", "소 계"), which :func:`unspace` closes up.
"""

from __future__ import annotations

import re
from html import escape as _html_escape
from itertools import combinations

from reportlab.pdfbase.pdfmetrics import stringWidth

from seri_desktop.formats.pdf.typefaces import Typefaces

NBSP = "\u00a0"


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as ``xml.sax.saxutils.escape`` does (whose import pulls in urllib and ssl)."""
    return _html_escape(text, quote=False)


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


# "**교육행정정보**": emphasis in the source; the stars hug the words (a footnote's "** " does not).
_EMPHASIS = re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*(?!\*)")


def emphasis_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` as (run, emphasised) pairs, the ``**`` around emphasised runs removed."""
    runs: list[tuple[str, bool]] = []
    at = 0
    for m in _EMPHASIS.finditer(text):
        if m.start() > at:
            runs.append((text[at : m.start()], False))
        runs.append((m.group(1), True))
        at = m.end()
    if at < len(text) or not runs:
        runs.append((text[at:], False))
    return runs


def plain_text(text: str) -> str:
    """``text`` as printed: joined, emphasis marks removed."""
    return "".join(run for run, _ in emphasis_runs(join_lines(text)))


def markup(text: str, face: str, faces: Typefaces, *, size: float = 0.0, width: float = 0.0) -> str:
    """Paragraph markup for plain ``text`` set in ``face``.

    Joins wrapped lines, escapes XML, protects dates, sets ``**emphasis**``
    in the bold face, breaks words wider than ``width`` (when given, with the
    font ``size``) and wraps characters ``face`` lacks in a ``<font>`` of a
    face that has them.
    """
    joined = join_lines(text)
    if "**" in joined:
        return "".join(
            _markup(run, faces.bold(face) if bold else face, face, faces, size, width)
            for run, bold in emphasis_runs(joined)
        )
    return _markup(joined, face, face, faces, size, width)


def _markup(text: str, run_face: str, face: str, faces: Typefaces, size: float, width: float) -> str:
    """Markup of one run set in ``run_face`` inside a paragraph whose face is ``face``."""
    plain = protect(text)
    if width > 0:
        plain = break_long_words(plain, run_face, size, width)
    if not faces.missing(run_face, plain):
        return escape(plain) if run_face == face else f'<font face="{run_face}">{escape(plain)}</font>'
    out: list[str] = []
    current = run_face
    run: list[str] = []
    for char in plain:
        char_face = faces.face_for(run_face, char)
        if char_face != current and run:
            out.append(_run(run, current, face))
            run = []
        current = char_face
        run.append(char)
    if run:
        out.append(_run(run, current, face))
    return "".join(out)


def _run(chars: list[str], run_face: str, face: str) -> str:
    text = escape("".join(chars))
    return text if run_face == face else f'<font face="{run_face}">{text}</font>'


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def unspace(text: str) -> str:
    """A letter-spaced label closed up: "교 육 연구 관" → "교육연구관", "보 건 안 전 진 흥 원 3 층" → "보건안전진흥원 3층".

    A label counts as letter-spaced when it has two or more tokens, no token
    holds more than two Hangul syllables, and at least half of them are a
    single character. Words of real phrases ("증감 (A-B)", "1차추경예산
    (본예산 포함)") are longer and stay as they are. A space is kept where
    Hangul meets a number.
    """
    tokens = text.split()
    if len(tokens) < 2:
        return text.strip()
    if any(len(_HANGUL.findall(t)) > 2 for t in tokens):
        return text
    if sum(1 for t in tokens if len(t) == 1) * 2 < len(tokens):
        return text
    out = tokens[0]
    for token in tokens[1:]:
        if _HANGUL.match(out[-1]) and token[0].isdigit():
            out += " "
        out += token
    return out


def balanced_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken at spaces into the fewest lines that fit ``width``, as even in length as can be.

    A title that needs two lines gets two halves, not a full line and one
    word ("... 서울교육정책 / 연구"). Words wider than the line are left to
    the paragraph to break.
    """
    words = text.split()
    if not words or stringWidth(text, font, size) <= width:
        return [" ".join(words)]
    space = stringWidth(" ", font, size)
    w = [stringWidth(word, font, size) for word in words]
    n = len(words)

    def line_width(i: int, j: int) -> float:
        return float(sum(w[i:j]) + space * (j - i - 1))

    # best[k][j]: the least possible widest line when words[:j] are set in k lines.
    inf = float("inf")
    for lines in range(2, n + 1):
        best = [[inf] * (n + 1) for _ in range(lines + 1)]
        cut = [[0] * (n + 1) for _ in range(lines + 1)]
        best[0][0] = 0.0
        for k in range(1, lines + 1):
            for j in range(1, n + 1):
                for i in range(k - 1, j):
                    widest = max(best[k - 1][i], line_width(i, j))
                    if widest < best[k][j]:
                        best[k][j], cut[k][j] = widest, i
        if best[lines][n] <= width:
            out: list[str] = []
            j = n
            for k in range(lines, 0, -1):
                i = cut[k][j]
                out.append(" ".join(words[i:j]))
                j = i
            return out[::-1]
    return words


def break_label(text: str, font: str, size: float, width: float) -> list[str]:
    """A table header label in lines that fit ``width``, never breaking inside a word that fits.

    Words (separated by spaces) are kept whole where they fit. A single word
    wider than the column (a narrow column of a crowded table: "특수운영직군")
    is broken between its Sino-Korean parts, which are two syllables each
    (특수|운영|직군, 교육|연구관), or after a "·", into as few and as even
    lines as fit.
    """
    lines: list[str] = []
    for line in balanced_lines(text, font, size, width):
        if stringWidth(line, font, size) <= width or " " in line:
            lines.append(line)
            continue
        lines.extend(_break_word(line, font, size, width))
    return lines


def _cut_points(word: str) -> list[int]:
    """Where a long label word may break: between two-syllable Hangul parts, after a "·"."""
    cuts = {i for i in range(2, len(word) - 1, 2) if _HANGUL.match(word[i - 1]) and _HANGUL.match(word[i])}
    cuts |= {i + 1 for i, ch in enumerate(word) if ch == "·" and 0 < i < len(word) - 1}
    return sorted(cuts)


def label_pieces(text: str) -> list[str]:
    """The smallest pieces :func:`break_label` may set on lines of their own (its words, cut at every point)."""
    pieces: list[str] = []
    for word in text.split():
        points = _cut_points(word)
        pieces += [word[a:b] for a, b in zip((0, *points), (*points, len(word)), strict=True)]
    return pieces or [text]


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    points = _cut_points(word)
    for count in range(1, min(len(points), 4) + 1):
        best: tuple[float, list[str]] | None = None
        for chosen in combinations(points, count):
            parts = [word[a:b] for a, b in zip((0, *chosen), (*chosen, len(word)), strict=True)]
            widest = max(stringWidth(p, font, size) for p in parts)
            if widest <= width and (best is None or widest < best[0]):
                best = (widest, parts)
        if best is not None:
            return best[1]
    return [word]
