#!/usr/bin/env bash
# make bench: build (once) a small and a full-scale London database, then measure.
# Set BENCH_REGENERATE=1 to rebuild the databases.
set -euo pipefail
cd "$(dirname "$0")/.."
base="$(./scripts/postgres.sh start)"
host="${base#*host=}"
# wrk drives the HTTP throughput, redis-server the rows with the cache on Redis: install them
# as root when missing (a new machine has no package lists yet), else say what is skipped.
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } ||
      echo "could not install ${need[*]}: the benchmark skips what needs them" >&2
  else
    echo "missing ${need[*]} (apt-get install ${need[*]}): the benchmark skips what needs them" >&2
  fi
fi
for name in bench_small bench_full; do
  exists=$(.venv/bin/python - "$host" "$name" <<'PY'
import sys, psycopg2
c = psycopg2.connect(dbname="postgres", user="postgres", host=sys.argv[1]); c.autocommit = True
cur = c.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[2],))
print("yes" if cur.fetchone() else "no")
PY
)
  if [ "$exists" = yes ] && [ -z "${BENCH_REGENERATE:-}" ]; then
    DATABASE_URL="postgres://postgres@/$name?host=$host" .venv/bin/python manage.py migrate -v0
    continue
  fi
  .venv/bin/python - "$host" "$name" <<'PY'
import sys, psycopg2
c = psycopg2.connect(dbname="postgres", user="postgres", host=sys.argv[1]); c.autocommit = True
c.cursor().execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"'); c.cursor().execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
  url="postgres://postgres@/$name?host=$host"
  DATABASE_URL="$url" .venv/bin/python manage.py migrate -v0
  if [ "$name" = bench_small ]; then weeks=4; else weeks=156; fi
  echo "Generating $name ($weeks weeks of history)..." >&2
  DATABASE_URL="$url" .venv/bin/python -m bench.generate --weeks "$weeks"
done
DATABASE_URL="postgres://postgres@/bench_full?host=$host" .venv/bin/python -m bench.run \
  --small-url "postgres://postgres@/bench_small?host=$host" "$@"
