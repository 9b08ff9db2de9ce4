#!/usr/bin/env bash
# The import and scale modes of scripts/bench.sh, which starts Meilisearch
# and Redis and builds the binaries into $WORK before calling this.
set -euo pipefail
cd "$(dirname "$0")/.."
base=http://127.0.0.1:$APP_PORT
meili=http://127.0.0.1:$MEILI_PORT
auth="Authorization: Bearer $MEILI_KEY"
app_pid=""
stop_app() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null; app_pid=""; }
trap stop_app EXIT
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
pending() { curl -fsS "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["outbox_pending"])' 2>/dev/null || echo x; }
rss_mb() { echo $(( $(ps -o rss= -p "$1" | tr -d ' ') / 1024 )); }
meili_pid=$(pgrep -f "meilisearch --http-addr 127.0.0.1:$MEILI_PORT" | head -1)

IFS=, read -ra list <<<"$SIZES"
printf '%-8s %9s %9s %8s %10s %9s %9s\n' listings "import s" "search s" "rows/s" "index MB" "app MB" "meili MB" >"$WORK/summary.txt"
for n in "${list[@]}"; do
  index=scale_$n
  export REPARERER_DB=$WORK/scale_$n.db MEILI_URL=$meili MEILI_MASTER_KEY=$MEILI_KEY MEILI_INDEX=$index
  export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0 REDIS_PREFIX=$index: REPARERER_ADDR=127.0.0.1:$APP_PORT
  export REPARERER_LOG_LEVEL=warn REPARERER_GEOCODER_URL= REPARERER_REGISTER_URL=
  "$WORK/benchseed" -n "$n" -osm "$WORK/osm_$n.geojson" >/dev/null
  "$WORK/reparerer" serve 2>"$WORK/app_$n.log" &
  app_pid=$!
  wait_port "$APP_PORT"
  start=$(date +%s.%N)
  "$WORK/reparerer" import "$WORK/osm_$n.geojson" >"$WORK/import_$n.log"
  imported=$(date +%s.%N)
  until [ "$(pending)" = 0 ]; do sleep 0.2; done
  searchable=$(date +%s.%N)
  # Meilisearch finishes its last task before the outbox row goes.
  size=$(curl -fsS -H "$auth" "$meili/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["usedDatabaseSize"]//1048576)')
  python3 - "$n" "$start" "$imported" "$searchable" "$size" "$(rss_mb "$app_pid")" "$(rss_mb "$meili_pid")" >>"$WORK/summary.txt" <<'PY'
import sys
n, start, imported, searchable = int(sys.argv[1]), *map(float, sys.argv[2:5])
size, app, meili = sys.argv[5:8]
print(f"{n:<8} {imported-start:9.1f} {searchable-start:9.1f} {n/(searchable-start):8.0f} {size:>10} {app:>9} {meili:>9}")
PY
  if [ "$MODE" = scale ]; then
    cat >"$WORK/meili.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $MEILI_KEY"
wrk.body = '{"q":"skomaker","filter":"NOT kind IN [second_hand, rental, refurbished]","facets":["facet_keys"],"hitsPerPage":20,"page":1,"sort":["_geoPoint(60.3929,5.3241):asc"],"attributesToRetrieve":["card","hours_known","hours","_geo","sessions"]}'
LUA
    search_path='/api/v1/search?q=skomaker&lat=60.3929&lng=5.3241&literal=true'
    browse_path='/api/v1/search?district=bergenhus&category=sko'
    curl -fsS "$base$browse_path" >/dev/null # warm the cache
    for c in floor meili search browse; do
      case $c in
        floor) args=("$base/healthz") ;;
        meili) args=(-s "$WORK/meili.lua" "$meili/indexes/$index/search") ;;
        search) args=("$base$search_path") ;;
        browse) args=("$base$browse_path") ;;
      esac
      wrk -t2 -c"$CONNS" -d"$DURATION" --latency "${args[@]}" >"$WORK/scale_${n}_$c.txt"
    done
    python3 - "$WORK" "$n" >>"$WORK/summary.txt" <<'PY'
import re, sys
work, n = sys.argv[1], sys.argv[2]
def ms(text):
    v, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
r = {}
for c in ["floor", "meili", "search", "browse"]:
    t = open(f"{work}/scale_{n}_{c}.txt").read()
    r[c] = (float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)), ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)),
            ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1)))
    print(f"  {n} {c:7} {r[c][0]:8.0f} req/s  p50 {r[c][1]:7.2f} ms  p99 {r[c][2]:7.2f} ms")
print(f"  {n} search / raw meili {r['search'][0]/r['meili'][0]:6.1%}   browse / floor {r['browse'][0]/r['floor'][0]:6.1%}")
PY
  fi
  stop_app
  curl -fsS -X DELETE -H "$auth" "$meili/indexes/$index" >/dev/null
  rm -f "$WORK/osm_$n.geojson"
done
echo
echo "Bergen Reparerer $MODE benchmark: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); import = reparerer import of a synthetic OSM file, search s = until every place is searchable"
cat "$WORK/summary.txt"
