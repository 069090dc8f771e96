#!/usr/bin/env bash
# What the tests need from Debian: Chromium for the browser tests (Playwright cannot download
# its own here) and redis-server for the tests of the public cache on Redis (REDIS_URL).
# --no-browser: the fast lane (make test-fast) runs no browser test, so needs no Chromium.
set -euo pipefail
need=()
[ "${1:-}" = --no-browser ] || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} with apt-get..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
else
  echo "Missing ${need[*]}. Install: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
