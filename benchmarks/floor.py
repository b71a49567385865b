"""The typesetting floor: a report's text export set as plain reportlab paragraphs in one embedded face.

    python -m benchmarks.floor report.txt -o floor.pdf

This is what the whole-report PDF is measured against (issue 17): the same
words, the same library, one Nanum face (the one :mod:`seri_desktop.fonts`
finds for body text), embedded as a subset, one paragraph per line of the
export, A4 with the report's margins, no tables, no page references, no
second face. Whatever the report's own PDF costs beyond this is its layout,
its start-up and its fonts. It imports nothing of the app but the font
finder, so it also shows what a bare process with reportlab costs.

The stream encoding is the app's (no ASCII85 on top of zlib), so the floor
is not slowed by an option the app does not use.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from seri_desktop.fonts import find_korean_fonts


def build_floor(text: str, output: Path) -> int:
    """Write ``text`` (one paragraph per non-empty line) to ``output``; the page count."""
    rl_config.useA85 = 0
    font = find_korean_fonts().serif
    pdfmetrics.registerFont(TTFont("Floor", str(font)))
    style = ParagraphStyle("floor", fontName="Floor", fontSize=10.5, leading=16.5)
    story = [Paragraph(escape(" ".join(line.split())), style) for line in text.splitlines() if line.strip()]
    doc = SimpleDocTemplate(
        str(output), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=20 * mm
    )
    doc.build(story)
    return int(doc.page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("text", type=Path, help="a report's text export (export-text)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    start = time.perf_counter()
    pages = build_floor(args.text.read_text(encoding="utf-8"), args.output)
    print(f"floor: {pages} pages in {time.perf_counter() - start:.3f} s → {args.output}")


if __name__ == "__main__":
    main()
