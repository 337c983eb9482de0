#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: pg.sh start | env | stop | status
#
#   start   Installs Debian's postgresql when no /usr/lib/postgresql/*/bin/initdb exists, runs initdb (trust auth,
#           superuser "postgres") into a fresh folder, and starts the server on a free port of 127.0.0.1 only,
#           tuned for tests (fsync off, 300 connections). A no-op when this script's server already runs.
#   env     Prints one line, SCIMBRIDGE_TEST_POSTGRES=Host=127.0.0.1;Port=PORT;Username=postgres;Database=postgres.
#           The value holds semicolons: use   export "$(tests/postgres/pg.sh env)"   (not eval).
#   stop    Stops the server (pg_ctl -m fast) and removes its folder. A no-op when nothing runs.
#   status  Exit 0 when the server runs.
#
# Everything lives in one folder, $SCIMBRIDGE_PG_DIR or ${TMPDIR:-/tmp}/scimbridge-pg: data/, the socket, log and
# the state file (PGDATA, PORT, BIN). PostgreSQL refuses to run as root, so as root the server runs as the
# "postgres" user, which owns that folder (and so must be able to reach it: keep it under /tmp).
set -euo pipefail

base="${SCIMBRIDGE_PG_DIR:-${TMPDIR:-/tmp}/scimbridge-pg}"
base="${base%/}"
state="$base/state"

log() { echo "pg.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# Runs a command as the user the server runs as: "postgres" when we are root, ourselves otherwise.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; fi
}

install_postgres() {
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run as root or: apt-get install -y postgresql"
  log "installing Debian's postgresql ..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q postgresql >/dev/null; then
    log "install failed; apt-get update and retry ..."
    apt-get update -q >/dev/null
    apt-get install -y -q postgresql >/dev/null
  fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

read_state() {
  PGDATA="" PORT="" BIN=""
  [ -f "$state" ] || return 1
  # shellcheck disable=SC1090
  . "$state"
  [ -n "$PGDATA" ] && [ -n "$PORT" ] && [ -n "$BIN" ]
}

running() {
  read_state && [ -x "$BIN/pg_ctl" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

do_stop() {
  local bin data
  if read_state; then
    bin=$BIN data=$PGDATA
  else
    bin=$(find_bin) data="$base/data"
  fi
  if [ -n "$bin" ] && [ -f "$data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || log "pg_ctl stop failed (server already gone?)"
  fi
  rm -rf "$base"
}

do_start() {
  if running; then
    log "already running on 127.0.0.1:$PORT"
    return 0
  fi
  do_stop   # leftovers of a crashed or half-started run

  local bin
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    install_postgres
    bin=$(find_bin)
    [ -n "$bin" ] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
  fi

  mkdir -p "$base"
  chmod 700 "$base"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$base"; fi
  as_pg "$bin/initdb" -D "$base/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 9>&- \
    || { cat "$base/initdb.log" >&2; die "initdb failed"; }

  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_pg "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 \
        -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 9>&-; then
      printf 'PGDATA=%q\nPORT=%q\nBIN=%q\n' "$base/data" "$port" "$bin" >"$state"
      log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $base/data)"
      return 0
    fi
    log "start on port $port failed (attempt $attempt); server.log:"
    tail -n 20 "$base/server.log" >&2 || true
  done
  do_stop
  die "could not start PostgreSQL"
}

main() {
  local command=${1:-}
  case "$command" in
    start|stop|env|status) ;;
    *) echo "usage: $0 start|env|stop|status" >&2; exit 2 ;;
  esac

  # One pg.sh at a time per folder, so two starts never race on initdb. The server must not inherit fd 9
  # (pg_ctl start ... 9>&-), or it would hold the lock for as long as it runs.
  mkdir -p "$(dirname "$base")"
  exec 9>"$base.lock"
  flock 9

  case "$command" in
    start) do_start ;;
    stop) do_stop ;;
    status) running ;;
    env)
      running || die "not running; run: $0 start"
      echo "SCIMBRIDGE_TEST_POSTGRES=Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
      ;;
  esac
}

main "$@"
