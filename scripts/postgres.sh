#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL cluster for the test suite, inside the checkout.
#
#   scripts/postgres.sh start   prints the DATABASE_URL to use
#   scripts/postgres.sh stop
#   scripts/postgres.sh restart   fast restart (drops every connection), for the load test
#
# The cluster lives in .pg/ and listens only on a Unix socket there, so several
# checkouts can run their suites side by side. When no PostgreSQL server is
# installed it is installed with apt-get (as root), or we say what to install.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
pgdir="$here/.pg"
data="$pgdir/data"

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

as_pg() {
  # initdb and pg_ctl refuse to run as root: run them as the postgres user.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_installed() {
  if find_bin >/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing PostgreSQL with apt-get..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else
    echo "PostgreSQL server not found. Install it: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
}

start() {
  ensure_installed
  local bin; bin="$(find_bin)"
  mkdir -p "$pgdir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdir"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$data" -w -l "$pgdir/server.log" \
      -o "-c listen_addresses='' -k $pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >/dev/null
  fi
  echo "postgres://postgres@/contactsessions?host=$pgdir"
}

stop() {
  local bin
  bin="$(find_bin)" || exit 0
  [ -f "$data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
}

restart() {
  # -m fast: roll back open transactions and drop every client, as a crash-restart or a
  # fail-over would. The server keeps the options it was started with (postmaster.opts).
  local bin; bin="$(find_bin)"
  as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 -l "$pgdir/server.log" restart >/dev/null
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
