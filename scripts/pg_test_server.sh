#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's `postgresql` package.
#
#   bash scripts/pg_test_server.sh start DIR   # initdb + pg_ctl start in DIR, writes DIR/env
#   bash scripts/pg_test_server.sh stop DIR    # pg_ctl stop, then removes DIR
#
# The cluster lives in DIR (a fresh temporary folder), listens on 127.0.0.1
# only, on a free port, and accepts TCP logins with a password only
# (scram-sha-256), so the tests can check what a wrong password gets. The
# superuser is reachable only through a Unix socket inside DIR. DIR/env holds
# `export SERI_TEST_PG_URL=postgresql+psycopg://seri_test:<random>@127.0.0.1:<port>/seri_test`:
# the role may create databases, so a test can have a fresh database of its own, and roles,
# so the tests of `pg-setup` can make the department and office roles.
#
# initdb and postgres refuse to run as root, and pytest-postgresql's
# self-starting fixture refuses too; as root this script runs them as the
# `postgres` user the Debian package creates. As another user it runs them
# as that user. Fsync is off: the data is thrown away at the end.
set -euo pipefail

log() { printf '[pg-test] %s\n' "$*" >&2; }

usage() { echo "usage: $0 start|stop DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

find_bin() {
  # Debian keeps initdb and pg_ctl out of PATH, under /usr/lib/postgresql/<version>/bin.
  local name=$1 found
  if found=$(command -v "$name" 2>/dev/null); then echo "$found"; return 0; fi
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$found" ] && [ -x "$found/$name" ]; then echo "$found/$name"; return 0; fi
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local initdb pg_ctl psql port password
  initdb=$(find_bin initdb) || { log "initdb not found: install Debian's postgresql package (bash scripts/setup.sh --postgres)"; return 1; }
  pg_ctl=$(find_bin pg_ctl) || { log "pg_ctl not found"; return 1; }
  psql=$(find_bin psql) || { log "psql not found"; return 1; }
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    log "running as root but there is no postgres user (Debian's postgresql package creates it)"; return 1
  fi

  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  # Written by the owner so initdb can read it; deleted once the cluster exists.
  as_owner sh -c "umask 077; printf '%s\n' '$password' > '$dir/pwfile'"
  as_owner "$initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { log "initdb failed:"; cat "$dir/initdb.log" >&2; return 1; }
  rm -f "$dir/pwfile"

  # A port can be taken between choosing and binding it; try a few.
  local tries=0
  while :; do
    port=$(free_port)
    if as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
         start >/dev/null; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 3 ]; then log "the server did not start:"; tail -n 20 "$dir/server.log" >&2; return 1; fi
  done

  as_owner "$psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE seri_test LOGIN CREATEDB CREATEROLE PASSWORD '$password'" \
    -c "CREATE DATABASE seri_test OWNER seri_test" >/dev/null
  printf 'export SERI_TEST_PG_URL=%q\n' "postgresql+psycopg://seri_test:$password@127.0.0.1:$port/seri_test" >"$dir/env"
  chmod 600 "$dir/env"
  log "PostgreSQL $("$pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
}

stop() {
  local pg_ctl
  if [ -f "$dir/data/postmaster.pid" ] && pg_ctl=$(find_bin pg_ctl); then
    as_owner "$pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_owner "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
