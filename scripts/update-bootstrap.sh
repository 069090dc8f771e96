#!/usr/bin/env bash
# Vendor Bootstrap VERSION from the npm registry into static/vendor/bootstrap and record it.
#
#   scripts/update-bootstrap.sh 5.3.9
#
# `npm pack` fetches the published package (and checks it against the registry's integrity
# hash); we copy the compiled CSS (and its right-to-left build, for Arabic), the JS bundle (Popper included), their source maps and the
# licence, and rewrite static/vendor/VERSIONS with the version, source, licence and each
# file's SHA-256. tests/test_packaging.py holds the files to that record. Afterwards run
# `make test` (the browser tests check every page with axe-core) and look at a few pages.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:?usage: $0 VERSION (e.g. 5.3.9; see https://getbootstrap.com/docs/versions/)}"
case "$version" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "VERSION is a release number such as 5.3.9, not '$version'." >&2; exit 2 ;;
esac
command -v npm >/dev/null || { echo "npm not found. Install it: sudo apt-get install -y npm" >&2; exit 1; }

dest=static/vendor/bootstrap
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

npm pack "bootstrap@$version" --json --pack-destination "$tmp" >"$tmp/pack.json"
integrity="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["integrity"])' "$tmp/pack.json")"
tar -xzf "$tmp"/bootstrap-"$version".tgz -C "$tmp"
licence="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["license"])' "$tmp/package/package.json")"

# Vendored file <- its path in the package.
files=(
  "bootstrap.min.css:dist/css/bootstrap.min.css"
  "bootstrap.min.css.map:dist/css/bootstrap.min.css.map"
  "bootstrap.rtl.min.css:dist/css/bootstrap.rtl.min.css"
  "bootstrap.rtl.min.css.map:dist/css/bootstrap.rtl.min.css.map"
  "bootstrap.bundle.min.js:dist/js/bootstrap.bundle.min.js"
  "bootstrap.bundle.min.js.map:dist/js/bootstrap.bundle.min.js.map"
  "LICENSE:LICENSE"
)
mkdir -p "$dest"
for pair in "${files[@]}"; do
  cp "$tmp/package/${pair#*:}" "$dest/${pair%%:*}"
done

{
  echo "# Vendored front-end files: written by scripts/update-bootstrap.sh, checked by"
  echo "# tests/test_packaging.py. See README.md beside this file."
  echo "#"
  echo "# package: name, version, licence, source (npm package spec: npm pack SPEC), the npm"
  echo "#   tarball's integrity hash, upstream release"
  echo "# file: path under static/vendor, path in the package, SHA-256"
  echo "package bootstrap $version $licence npm:bootstrap@$version $integrity https://github.com/twbs/bootstrap/releases/tag/v$version"
  for pair in "${files[@]}"; do
    name="${pair%%:*}"
    echo "file bootstrap/$name ${pair#*:} $(sha256sum "$dest/$name" | cut -d' ' -f1)"
  done
} >static/vendor/VERSIONS
echo "Bootstrap $version vendored in $dest; record in static/vendor/VERSIONS." >&2
