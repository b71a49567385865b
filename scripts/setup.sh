#!/usr/bin/env bash
# Set up everything seri-desktop needs on a fresh Linux machine, idempotently:
# a virtual environment in .venv with the project and its dev tools, a Korean
# TrueType font (Debian/Ubuntu: fonts-nanum), the system libraries Qt loads
# (offscreen and on a real X display) and Xvfb for the start test.
# With --postgres (scripts/test.sh passes it) also the PostgreSQL server
# binaries the tests start a throwaway server from (Debian: postgresql).
# Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_POSTGRES=0
for arg in "$@"; do
  case "$arg" in
    --postgres) WITH_POSTGRES=1 ;;
    *) printf '[setup] unknown option: %s\n' "$arg" >&2; exit 64 ;;
  esac
done

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    log "관리자 권한이 필요합니다: $* (root 또는 sudo로 실행하십시오)"; return 1
  fi
}

APT_UPDATED=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "apt-get이 없습니다. 다음을 직접 설치하십시오: $*"; return 1
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  log "Python 3.11 이상이 필요합니다 (현재: $("$PY" --version 2>&1 || echo 없음))."; exit 1
fi

if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PY" -m venv .venv
  fi
fi

# Reinstall only when the dependency list or its lock changed since the last run.
# Every dependency comes from scripts/requirements.lock, pinned with hashes
# (refresh it with scripts/lock.sh); the project itself is then installed
# editable on top, without resolving anything again.
stamp=.venv/.seri-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ scripts/requirements.lock -nt "$stamp" ]; then
  log "installing the locked dependencies and the project into .venv"
  # uv first, itself pinned and hashed by the lock (its block of lines), with pip; then uv
  # installs exactly the lock, and the project on top without resolving anything again.
  uv_pin=$(mktemp "${TMPDIR:-/tmp}/seri-uv.XXXXXX")
  awk '/^uv==/{take=1; print; next} take && /^ /{print; next} {take=0}' scripts/requirements.lock > "$uv_pin"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$uv_pin"
  rm -f "$uv_pin"
  .venv/bin/uv pip sync -q --python .venv/bin/python --require-hashes scripts/requirements.lock
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
  touch "$stamp"
fi

# Qt needs a few system libraries even offscreen; minimal images lack them.
if ! QT_QPA_PLATFORM=offscreen .venv/bin/python -c 'from PySide6 import QtWidgets' 2>/dev/null; then
  log "installing the libraries Qt needs"
  apt_install libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
fi

# On a real display Qt loads its xcb platform plugin, which needs the X client
# libraries below (QT_DEBUG_PLUGINS=1 names the first one missing, e.g.
# libxcb-cursor0); minimal images have none of them. Xvfb (Debian: xvfb) is for
# the test that starts the app on a virtual X display.
qxcb=$(.venv/bin/python -c 'import pathlib, PySide6; print(pathlib.Path(PySide6.__file__).parent / "Qt/plugins/platforms/libqxcb.so")')
if [ -f "$qxcb" ] && { ldd "$qxcb" | grep -q 'not found' || ! command -v Xvfb >/dev/null 2>&1; }; then
  log "installing the libraries of Qt's xcb platform plugin and Xvfb"
  apt_install libxcb1 libx11-6 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
    libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
    libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 xvfb
fi
if [ -f "$qxcb" ] && ldd "$qxcb" | grep 'not found'; then
  log "Qt의 xcb 플랫폼 플러그인에 필요한 라이브러리가 아직 없습니다 (위 목록)."; exit 1
fi

# A Korean TrueType font: the app and the PDFs use NanumMyeongjo / NanumGothic.
if ! .venv/bin/python -c 'from seri_desktop.fonts import find_korean_fonts; find_korean_fonts()' 2>/dev/null; then
  log "installing a Korean TrueType font (fonts-nanum)"
  apt_install fonts-nanum fontconfig
fi
.venv/bin/python -c 'from seri_desktop.fonts import find_korean_fonts; print("[setup] Korean font:", find_korean_fonts().sans)'

# PostgreSQL for the tests only: initdb and pg_ctl (Debian keeps them in
# /usr/lib/postgresql/<version>/bin). Not fatal: without it the PostgreSQL
# tests are skipped on a developer's machine (and fail in CI, which needs them).
if [ "$WITH_POSTGRES" -eq 1 ] && ! command -v initdb >/dev/null 2>&1 \
    && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing PostgreSQL for the tests (postgresql)"
  apt_install postgresql || log "PostgreSQL를 설치하지 못했습니다. PostgreSQL 테스트는 건너뜁니다 (CI에서는 실패합니다)."
fi
