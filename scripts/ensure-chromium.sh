#!/usr/bin/env bash
# Browser tests drive Debian's Chromium with Playwright (Playwright cannot download its own here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium with apt-get..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
else
  echo "Chromium not found. Install it: sudo apt-get install -y chromium" >&2
  exit 1
fi
