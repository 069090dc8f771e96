#!/usr/bin/env bash
# make bench: build (once) a small and a full-scale London database, then measure.
# Set BENCH_REGENERATE=1 to rebuild the databases.
set -euo pipefail
cd "$(dirname "$0")/.."
base="$(./scripts/postgres.sh start)"
host="${base#*host=}"
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null || echo "wrk missing: no HTTP throughput"; }
command -v redis-server >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq redis-server >/dev/null || echo "redis-server missing: no throughput on Redis"; }
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
