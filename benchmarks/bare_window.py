"""A bare PySide6 window, the reference of the window start-up benchmark (:mod:`benchmarks.bench_xvfb`).

    python -m benchmarks.bare_window SHOWN_FILE

Creates the application and one empty main window, shows it, writes the time
(``time.time()``) of its first show event to ``SHOWN_FILE`` (as the app's
``MainWindow.showEvent`` records ``shown_at``) and quits: what any PySide6
program pays to put a window on the screen.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QMainWindow


class Window(QMainWindow):
    """An empty main window that records its first show."""

    def __init__(self, shown_file: Path) -> None:
        super().__init__()
        self.shown_file = shown_file
        self.setWindowTitle("bare")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown_file.write_text(f"{time.time():.6f}", encoding="utf-8")
        QTimer.singleShot(0, QApplication.quit)


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = Window(Path(sys.argv[1]))
    window.resize(1280, 860)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
