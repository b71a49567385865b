"""Qt's own Korean translations, so the standard buttons, dialogs and context menus speak Korean too.

The app's own text is Korean in the code; what Qt draws itself (확인/취소,
the file dialog, a text field's context menu) comes from Qt's translation
files, which PySide6 ships in its ``translations`` folder
(:class:`QLibraryInfo`'s ``TranslationsPath``; inside the frozen bundle too).
The app is Korean whatever the system's language, so the Korean files are
loaded unconditionally and the default locale is Korean (dates and numbers
in Qt's dialogs).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

KOREAN: QLocale = QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea)
# qtbase holds every string of QtCore, QtGui and QtWidgets (buttons, dialogs, context menus).
CATALOGS = ("qtbase",)

_installed: list[QTranslator] = []


def install_qt_translations(app: QCoreApplication) -> list[str]:
    """Load Qt's Korean catalogs into ``app`` (once); returns the names of those loaded."""
    QLocale.setDefault(KOREAN)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded: list[str] = []
    for name in CATALOGS:
        if any(t.objectName() == name for t in _installed):
            loaded.append(name)
            continue
        translator = QTranslator(app)
        translator.setObjectName(name)
        if translator.load(KOREAN, name, "_", folder) and app.installTranslator(translator):
            _installed.append(translator)
            loaded.append(name)
    return loaded
