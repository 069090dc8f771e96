#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL cluster for the test suite.
#
#   scripts/postgres.sh start     prints the DATABASE_URL to use
#   scripts/postgres.sh stop
#   scripts/postgres.sh restart   fast restart (drops every connection), for the load test
#   scripts/postgres.sh clean     stop, then delete the cluster
#   scripts/postgres.sh where     prints the cluster's directory
#
# The cluster lives in .pg/ inside the checkout and listens only on a Unix socket there, so
# several checkouts can run their suites side by side. As root the server runs as the
# postgres user, which may not be able to reach the checkout (a clone in a private
# directory, such as one made by mktemp -d), and a Unix socket path is limited to about 100
# bytes; in either case the cluster goes to /tmp/contactsessions-pg-<hash of the checkout's
# path> instead, still one per checkout. When no PostgreSQL server is installed it is
# installed with apt-get (as root), or we say what to install. Every failure exits non-zero
# with a message, so `make test` stops rather than running on another database.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd -P)"
in_checkout="$here/.pg"
in_tmp="/tmp/contactsessions-pg-$(printf '%s' "$here" | sha256sum | cut -c1-16)"
# sun_path holds 107 bytes; the socket is "$pgdir/.s.PGSQL.5432" (20 more).
max_dir_length=80

die() {
  echo "scripts/postgres.sh: $*" >&2
  exit 1
}

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

as_root() { [ "$(id -u)" = 0 ]; }

as_pg() {
  # initdb and pg_ctl refuse to run as root: run them as the postgres user, from / (it may
  # not be able to enter the current directory; every path we pass is absolute).
  if as_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

ensure_installed() {
  if find_bin >/dev/null; then return 0; fi
  if as_root && command -v apt-get >/dev/null; then
    echo "Installing PostgreSQL with apt-get..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else
    die "PostgreSQL server not found. Install it: sudo apt-get install -y postgresql"
  fi
}

# Whether the user that runs the server can enter the checkout (and so its .pg/).
server_reaches_checkout() {
  if as_root; then runuser -u postgres -- test -x "$here" 2>/dev/null; else test -x "$here"; fi
}

# The cluster's directory: .pg/ when the server can use it, else the one under /tmp; and
# the one under /tmp whenever it already holds this checkout's cluster, so that start, stop
# and restart agree.
where() {
  if [ -f "$in_tmp/data/PG_VERSION" ]; then echo "$in_tmp"; return 0; fi
  if [ ${#in_checkout} -le $max_dir_length ] && { ! as_root || id postgres >/dev/null 2>&1; } &&
    server_reaches_checkout; then
    echo "$in_checkout"
  else
    echo "$in_tmp"
  fi
}

# Make the cluster's directory, owned by the user that runs the server. Under /tmp, which
# anyone can write to, refuse a directory that someone else made or a symlink.
prepare() {
  local dir="$1" owner
  if as_root; then
    id postgres >/dev/null 2>&1 || die "there is no postgres user to run the server as root; reinstall: apt-get install --reinstall postgresql"
    owner=postgres
  else
    owner="$(id -un)"
  fi
  if [ "$dir" = "$in_tmp" ]; then
    if [ -L "$dir" ] || { [ -e "$dir" ] && [ "$(stat -c %U "$dir")" != "$owner" ]; }; then
      die "$dir exists and is not a directory of $owner's: remove it, then run again"
    fi
    mkdir -p -m 700 "$dir"
  else
    mkdir -p "$dir"
  fi
  as_root && chown postgres:postgres "$dir"
  as_pg test -w "$dir" ||
    die "the PostgreSQL server (user $owner) cannot write to $dir; make it writable, or run as $owner"
}

start() {
  ensure_installed
  local bin pgdir
  bin="$(find_bin)"
  pgdir="$(where)"
  [ ${#pgdir} -le $max_dir_length ] ||
    die "$pgdir is too long a path for PostgreSQL's Unix socket; use a checkout with a shorter path"
  prepare "$pgdir"
  if [ ! -f "$pgdir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null ||
      die "initdb failed in $pgdir/data"
  fi
  if ! as_pg "$bin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/server.log" \
      -o "-c listen_addresses='' -k $pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >/dev/null || { tail -n 20 "$pgdir/server.log" >&2 || true; die "PostgreSQL did not start; its log is $pgdir/server.log"; }
  fi
  echo "postgres://postgres@/contactsessions?host=$pgdir"
}

stop() {
  local bin dir
  bin="$(find_bin)" || return 0
  for dir in "$in_checkout" "$in_tmp"; do
    if [ -f "$dir/data/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
  done
}

clean() {
  stop
  rm -rf "$in_checkout"
  # Under /tmp only what is ours: never follow a symlink someone put there.
  if [ -d "$in_tmp" ] && [ ! -L "$in_tmp" ]; then rm -rf "$in_tmp"; fi
}

restart() {
  # -m fast: roll back open transactions and drop every client, as a crash-restart or a
  # fail-over would. The server keeps the options it was started with (postmaster.opts).
  local bin pgdir
  bin="$(find_bin)"
  pgdir="$(where)"
  as_pg "$bin/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 -l "$pgdir/server.log" restart >/dev/null
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  clean) clean ;;
  where) where ;;
  *) echo "usage: $0 start|stop|restart|clean|where" >&2; exit 2 ;;
esac
