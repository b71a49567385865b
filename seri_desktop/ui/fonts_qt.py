"""Hand the chosen Korean fonts to Qt so every widget renders Hangul.

The files come from :mod:`seri_desktop.fonts` (the same ones the PDF embeds).
They are registered as application fonts instead of relying on the system's
font configuration, so the UI shows Hangul even on a machine without a Korean
system font, e.g. a Windows install whose only Korean font the user pointed
``SERI_FONT`` at, or an offscreen CI runner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from seri_desktop.fonts import FontNotFoundError, KoreanFonts

# 10pt: Hangul at the 9pt default of most platforms is hard to read.
UI_POINT_SIZE = 10

# Qt registers a file again on every addApplicationFont call; remember what is
# loaded so calling install twice (tests, a font setting changed) adds nothing.
_families_by_file: dict[Path, list[str]] = {}


def load_font_file(path: Path) -> list[str]:
    """Register ``path`` with Qt once and return its family names."""
    key = path.resolve()
    families = _families_by_file.get(key)
    if families:
        return families
    font_id = QFontDatabase.addApplicationFont(str(key))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id != -1 else []
    if not families:
        raise FontNotFoundError(f"글꼴 파일을 화면에 쓸 수 없습니다: {path}. 다른 트루타입(.ttf) 글꼴을 지정하십시오.")
    _families_by_file[key] = families
    return families


def install_korean_font(app: QApplication, fonts: KoreanFonts) -> str:
    """Register all four faces and make the 고딕 family the application font.

    Returns the 고딕 family name. Raises :class:`FontNotFoundError` (Korean
    message naming the file) if Qt cannot load one of the files.
    """
    family = ""
    # Sans first: its family becomes the UI font; serif is registered so
    # previews can ask for the 명조 face by family name.
    for path in fonts.files():
        families = load_font_file(path)
        if path == fonts.sans:
            family = families[0]
    font = QFont(family)
    font.setPointSize(UI_POINT_SIZE)
    app.setFont(font)
    return family


def serif_family(fonts: KoreanFonts) -> str:
    """The 명조 family name (registers the file if it is not yet)."""
    return load_font_file(fonts.serif)[0]
