#!/usr/bin/env python3
"""Render pages of an HWPX file to PNG for a visual check: rhwp-python's SVG, then rsvg-convert.

Usage::

    .venv/bin/python scripts/render_hwpx.py FILE.hwpx OUTDIR [--pages 1,3-5] [--zoom 1.5]

rhwp-python (a dev extra) draws no Hangul in its PNG and PDF output, so the
pages go through its SVG output and Debian's ``rsvg-convert`` (package
``librsvg2-bin``), which finds the system's Korean fonts (fonts-nanum) for
함초롬바탕/함초롬돋움 through fontconfig. On Linux its extension needs
FreeType's symbols loaded into the process first, so the system's
``libfreetype.so.6`` is opened with ``RTLD_GLOBAL`` before the import.

Prints one line per page written; exits 2 with a message when the renderer or
rsvg-convert is missing. Not run in CI: it is for a person to look at pages.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any


def _load_renderer() -> Any:
    if sys.platform.startswith("linux"):
        name = ctypes.util.find_library("freetype") or "libfreetype.so.6"
        try:
            ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)
        except OSError as exc:
            sys.exit(f"render_hwpx: libfreetype을 열 수 없습니다 ({exc}). apt-get install libfreetype6")
    try:
        import rhwp
    except ImportError as exc:
        sys.exit(f"render_hwpx: rhwp-python이 없습니다 (pip install -e '.[dev]'): {exc}")
    return rhwp


def _pages(spec: str | None, count: int) -> list[int]:
    if not spec:
        return list(range(1, count + 1))
    chosen: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        chosen += range(int(first), int(last or first) + 1)
    return [p for p in chosen if 1 <= p <= count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--pages", help="1-based pages, e.g. 1,3-5 (default: all)")
    parser.add_argument("--zoom", type=float, default=1.5)
    args = parser.parse_args(argv)
    converter = shutil.which("rsvg-convert")
    if converter is None:
        print("render_hwpx: rsvg-convert가 없습니다 (apt-get install librsvg2-bin)", file=sys.stderr)
        return 2
    rhwp = _load_renderer()
    document = rhwp.parse(str(args.file))
    count = int(document.page_count)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for page in _pages(args.pages, count):
        svg = args.outdir / f"{args.file.stem}-{page:03d}.svg"
        png = svg.with_suffix(".png")
        svg.write_text(document.render_svg(page - 1), encoding="utf-8")
        subprocess.run(
            [converter, "--zoom", str(args.zoom), "--background-color", "white", str(svg), "-o", str(png)],
            check=True,
        )
        print(f"{page}/{count}: {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
