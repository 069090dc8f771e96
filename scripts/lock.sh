#!/usr/bin/env bash
# Write the pinned lists from pyproject.toml, with plain pip in throwaway venvs:
#
#   requirements.txt      [project] dependencies and everything they pull in: what production
#                         installs (pip install -r requirements.txt), nothing else;
#   requirements-dev.txt  -r requirements.txt, plus the `dev` dependency group (test and lint
#                         tools) and what they pull in beyond the runtime pins.
#
#   scripts/lock.sh             keep every current pin that still fits; pin what is new
#   scripts/lock.sh --upgrade   the newest versions the ranges in pyproject.toml allow
#
# Run it after changing a dependency in pyproject.toml, then `make venv` and `make test`.
# tests/test_packaging.py checks that the three files agree.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
upgrade=0
case "${1:-}" in
  "") ;;
  --upgrade) upgrade=1 ;;
  *) echo "usage: $0 [--upgrade]" >&2; exit 2 ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# pip installs [project] dependencies only by building the project; read them instead.
"$python" - >"$tmp/runtime.in" <<'EOF'
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["dependencies"]))
EOF

keep() {
  # (Old runtime pins are kept for the tools too: a tool that moves between the two lists
  # keeps its version.)
  # Current pins as constraints, so that a plain run changes only what it must (pip takes no
  # extras in a constraint).
  if [ "$upgrade" = 0 ] && [ -f "$1" ]; then grep -v '^-r ' "$1" | sed 's/\[[^]]*\]//' >"$tmp/keep-$1" || true; echo "-c $tmp/keep-$1"; fi
}

freeze() {
  "$1/bin/python" -m pip freeze --exclude-editable | LC_ALL=C sort -f
}

echo "Resolving the runtime dependencies..." >&2
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2046  # keep() prints an option and its argument, or nothing.
"$tmp/venv/bin/python" -m pip install --quiet -r "$tmp/runtime.in" $(keep requirements.txt)
freeze "$tmp/venv" >"$tmp/runtime.txt"

echo "Resolving the development tools on top..." >&2
# shellcheck disable=SC2046
"$tmp/venv/bin/python" -m pip install --quiet -c "$tmp/runtime.txt" --group dev \
  $(keep requirements-dev.txt) $(keep requirements.txt)
freeze "$tmp/venv" >"$tmp/all.txt"

{
  echo "# Runtime pins: what production installs (pip install -r requirements.txt), nothing else."
  echo "# Written by scripts/lock.sh from [project] dependencies in pyproject.toml; do not edit by hand."
  cat "$tmp/runtime.txt"
} >requirements.txt
{
  echo "# Development and test tools (the dev dependency group in pyproject.toml) on top of the"
  echo "# runtime pins: what \`make venv\` installs. Written by scripts/lock.sh; do not edit by hand."
  echo "-r requirements.txt"
  LC_ALL=C comm -13 <(LC_ALL=C sort "$tmp/runtime.txt") <(LC_ALL=C sort "$tmp/all.txt") | LC_ALL=C sort -f
} >requirements-dev.txt
echo "Wrote requirements.txt and requirements-dev.txt." >&2
