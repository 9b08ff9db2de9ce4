#!/usr/bin/env bash
# Lighthouse check (not a test gate): runs the pinned npm lighthouse package
# in Debian's chromium with mobile emulation against the front page, a
# results page and a listing page, and prints the four category scores.
#
#   bash scripts/lighthouse.sh                 # starts its own service (scripts/run.sh, tiles off)
#   LIGHTHOUSE_URL=http://host:8080 bash scripts/lighthouse.sh   # a running one
#
# Lighthouse is installed with npm ci (scripts/lighthouse/package-lock.json)
# into the cache folder, outside the repository. Reports (JSON and HTML)
# are written to test-artifacts/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/provision-browser.sh

cache=${REPARERER_CACHE:-$HOME/.cache/bergen-reparerer}/lighthouse-13.5.0
if [ ! -x "$cache/node_modules/.bin/lighthouse" ]; then
  echo "lighthouse: installing lighthouse 13.5.0 into $cache" >&2
  mkdir -p "$cache"
  cp scripts/lighthouse/package.json scripts/lighthouse/package-lock.json "$cache/"
  (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

serve_pid=
cleanup() {
  if [ -n "$serve_pid" ]; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
base=${LIGHTHOUSE_URL:-}
if [ -z "$base" ]; then
  port=${LIGHTHOUSE_PORT:-8099}
  base=http://127.0.0.1:$port
  echo "lighthouse: starting the service on $base (map tiles off: this machine has no internet)" >&2
  REPARERER_ADDR=127.0.0.1:$port REPARERER_BASE_URL=$base REPARERER_TILE_URL= \
    setsid bash scripts/run.sh >test-artifacts/lighthouse-service.log 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 600); do curl -fs "$base/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "$base/readyz" >/dev/null || { echo "lighthouse: the service did not start; see test-artifacts/lighthouse-service.log" >&2; exit 1; }
fi
mkdir -p test-artifacts/lighthouse

slug=$(curl -fs "$base/api/v1/search?per_page=1&q=skomaker" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).hits[0].slug))')
printf '%-28s %11s %13s %14s %4s\n' page performance accessibility best-practices seo
for page in "/" "/?q=skomaker&category=sko" "/reparator/$slug"; do
  name=$(echo "$page" | tr -c 'a-z0-9\n' '_')
  "$cache/node_modules/.bin/lighthouse" "$base$page" --quiet \
    --chrome-path="$(command -v chromium)" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output=html --output-path="test-artifacts/lighthouse/$name" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    console.log(process.argv[2].padEnd(28), String(s("performance")).padStart(11), String(s("accessibility")).padStart(13),
      String(s("best-practices")).padStart(14), String(s("seo")).padStart(4));
    const failed = Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map((a) => a.id);
    if (failed.length) console.log("  failed audits:", failed.join(", "));
  ' "$PWD/test-artifacts/lighthouse/$name.report.json" "$page"
done
