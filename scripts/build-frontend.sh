#!/usr/bin/env bash
# Builds the map script and styles into frontend/dist (embedded in the Go
# binary). Installs the pinned npm packages first when the lock file changed
# since the last install (npm ci: exact versions and integrity from
# frontend/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/../frontend"
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "build-frontend: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
fi
node_modules/.bin/tsc --noEmit -p .
node build.mjs >&2
