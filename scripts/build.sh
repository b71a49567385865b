#!/usr/bin/env bash
# Build the one-folder desktop app from build.spec with PyInstaller, then run
# the built app's self-test offscreen. Linux only: PyInstaller does not
# cross-compile (see the README for Windows). Output: dist/seri-desktop/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install -q 'pyinstaller>=6.5'
.venv/bin/pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller build.spec
echo "[build] size: $(du -sh dist/seri-desktop | cut -f1)"
QT_QPA_PLATFORM=offscreen dist/seri-desktop/seri-desktop --self-test
