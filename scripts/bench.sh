#!/usr/bin/env bash
# Load benchmark (not a test): N synthetic listings, then wrk against, in one
# run on this machine,
#   1. floor     a bare static reply from the same fiber app (/healthz)
#   2. meili     raw Meilisearch, the same text + geo search our adapter sends
#   3. search    our uncached /api/v1/search (text + geo: never cached), the
#                text read by the query reader ("skomaker": a category)
#   4. literal   the same search with literal=true: the text as typed, no
#                reading (what search did before the reader; its overhead is
#                search / literal)
#   5. phrase    an everyday phrase read as a category and words
#                ("bytte glidelås jakke" near the same spot)
#   6. browse    our cached district/category browse (Redis)
#   7. filtered  the literal search with two repair-condition filters
#                (warranty_min, where): filters must cost little
#   8. proxy     the ceiling of any service in front of Meilisearch: the raw
#                search passed through a bare fiber app untouched
#                (scripts/benchproxy), i.e. the two HTTP hops alone
# and prints requests/s, p50, p99 and the ratios the targets are set in
# (taken within each round: the median and the lowest and highest round),
# and the CPU time the server (the service or the pass-through) and
# Meilisearch spent per request: steadier than requests/s on a shared
# machine, it says what the service's own work costs against Meilisearch's.
# Usage: scripts/bench.sh [-n LISTINGS] [-c CONNECTIONS] [-d DURATION] [-r ROUNDS] [-p]
# APP_GOMAXPROCS sets the service's GOMAXPROCS (default: Go's, the number of
# cores), to see how it shares a small machine with a CPU-bound Meilisearch.
# -p pins Meilisearch to the last core and everything else (the service, the
# pass-through, Redis, wrk) to the others, raw Meilisearch included: what the
# service costs when Meilisearch has cores of its own, as on its own machine.
#
# scripts/bench.sh -m import [-s SIZES]   import + index throughput: a
#   synthetic OpenStreetMap file of each size (default 10000,100000) imported
#   with "reparerer import" into an empty store while the service runs, timed
#   until /readyz shows the outbox empty (every place searchable).
# scripts/bench.sh -m scale [-s SIZES]    the same imports (default
#   100000,250000: several municipalities' worth), then the index's size on
#   disk, the service's and Meilisearch's memory, and p50/p99 of text+geo
#   search and cached browse against raw Meilisearch, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
n=10000 conns=10 duration=10s rounds=3 mode=load sizes="" pin=0
while getopts n:c:d:r:m:s:p opt; do
  case $opt in n) n=$OPTARG ;; c) conns=$OPTARG ;; d) duration=$OPTARG ;; r) rounds=$OPTARG ;;
    m) mode=$OPTARG ;; s) sizes=$OPTARG ;; p) pin=1 ;; *) exit 2 ;; esac
done
# back runs Meilisearch, front everything else (see -p); both empty unpinned.
# cores is how many cores front has: all of them unpinned.
back=() front=() cores=$(nproc)
if [ "$pin" = 1 ]; then
  [ "$mode" = load ] && [ "$cores" -ge 2 ] || { echo "bench: -p is for the load bench on two cores or more" >&2; exit 2; }
  back=(taskset -c "$((cores - 1))") front=(taskset -c "0-$((cores - 2))")
  cores=$((cores - 1))
fi
case $mode in
  load) ;;
  import) sizes=${sizes:-10000,100000} ;;
  scale) sizes=${sizes:-100000,250000} ;;
  *) echo "bench: -m load, import or scale" >&2; exit 2 ;;
esac

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else echo "bench: install wrk (Debian: apt-get install wrk)" >&2; exit 1; fi
fi
scripts/provision-redis.sh
meili_bin=$(scripts/provision-meili.sh)

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "bench: port $1 did not open" >&2; return 1; }

meili_port=$(free_port) redis_port=$(free_port) app_port=$(free_port)
key=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
"${back[@]}" "$meili_bin" --http-addr "127.0.0.1:$meili_port" --master-key "$key" --db-path "$work/meili" --dump-dir "$work/dumps" \
  --no-analytics --max-indexing-memory 256MiB --log-level WARN >"$work/meili.log" 2>&1 &
pids+=($!) meili_pid=$!
"${front[@]}" redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)
wait_port "$meili_port"; wait_port "$redis_port"

go build -o "$work/reparerer" ./cmd/reparerer
go build -o "$work/benchseed" ./scripts/benchseed
go build -o "$work/benchproxy" ./scripts/benchproxy
if [ "$mode" != load ]; then
  WORK="$work" MEILI_PORT="$meili_port" REDIS_PORT="$redis_port" APP_PORT="$app_port" MEILI_KEY="$key" \
    SIZES="$sizes" MODE="$mode" CONNS="$conns" DURATION="$duration" bash scripts/bench-scale.sh
  exit
fi
export REPARERER_DB=$work/bench.db MEILI_URL=http://127.0.0.1:$meili_port MEILI_MASTER_KEY=$key MEILI_INDEX=bench
export REDIS_URL=redis://127.0.0.1:$redis_port/0 REPARERER_ADDR=127.0.0.1:$app_port REPARERER_LOG_LEVEL=warn
"$work/benchseed" -n "$n" -db "$work/bench.db"
"$work/reparerer" reindex
app_procs=${APP_GOMAXPROCS:-$cores}
GOMAXPROCS=$app_procs "${front[@]}" "$work/reparerer" serve 2>"$work/app.log" &
pids+=($!) app_pid=$!
wait_port "$app_port"
for _ in $(seq 1 600); do
  pending=$(curl -fsS "http://127.0.0.1:$app_port/readyz" 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)[\"outbox_pending\"])" 2>/dev/null || echo x)
  [ "$pending" = 0 ] && break; sleep 0.5
done

base=http://127.0.0.1:$app_port
search_path='/api/v1/search?q=skomaker&lat=60.3929&lng=5.3241'
literal_path="$search_path&literal=true"
phrase_path='/api/v1/search?q=bytte+glidel%C3%A5s+jakke&lat=60.3929&lng=5.3241'
browse_path='/api/v1/search?district=bergenhus&category=sko'
filtered_path="$literal_path&warranty_min=3&where=at_home"
# The body our adapter sends for search_path (see internal/meili/search.go).
cat >"$work/meili.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
wrk.body = '{"q":"skomaker","filter":"NOT kind IN [second_hand, rental, refurbished]","facets":["facet_keys"],"hitsPerPage":20,"page":1,"sort":["_geoPoint(60.3929,5.3241):asc"],"attributesToRetrieve":["card","hours_known","hours","_geo","sessions"]}'
LUA
meili_body=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$work/meili.lua")
proxy_port=$(free_port)
"${front[@]}" "$work/benchproxy" -addr "127.0.0.1:$proxy_port" -meili "127.0.0.1:$meili_port" -key "$key" -body "$meili_body" 2>"$work/proxy.log" &
pids+=($!) proxy_pid=$!
wait_port "$proxy_port"
curl -fsS "http://127.0.0.1:$proxy_port/search" | grep -q '"hits"' || { echo "bench: the proxy does not pass searches through" >&2; exit 1; }
curl -fsS "$base$search_path" >/dev/null
curl -fsS "$base$browse_path" >/dev/null # warm the cache

# CPU time (user + system, clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
measure() { # name, server pid (0: none), wrk args...
  local name=$1 server=$2; shift 2
  local out="$work/$name.$round.txt" before_s=0 before_m after_s=0 after_m
  [ "$server" = 0 ] || before_s=$(ticks "$server")
  before_m=$(ticks "$meili_pid")
  "${front[@]}" wrk -t2 -c"$conns" -d"$duration" --latency "$@" >"$out"
  [ "$server" = 0 ] || after_s=$(ticks "$server")
  after_m=$(ticks "$meili_pid")
  echo "$((after_s - before_s)) $((after_m - before_m))" >"$work/$name.$round.cpu"
  if grep -q "Non-2xx\|Socket errors" "$out"; then echo "bench: $name had errors:" >&2; cat "$out" >&2; exit 1; fi
}
case_of() { # name: runs that case once
  case $1 in
    floor) measure floor "$app_pid" "$base/healthz" ;;
    browse) measure browse "$app_pid" "$base$browse_path" ;;
    phrase) measure phrase "$app_pid" "$base$phrase_path" ;;
    search) measure search "$app_pid" "$base$search_path" ;;
    filtered) measure filtered "$app_pid" "$base$filtered_path" ;;
    literal) measure literal "$app_pid" "$base$literal_path" ;;
    meili) measure meili 0 -s "$work/meili.lua" "http://127.0.0.1:$meili_port/indexes/bench/search" ;;
    proxy) measure proxy "$proxy_pid" "http://127.0.0.1:$proxy_port/search" ;;
  esac
}
# The cases take turns, round after round, so that drift on a noisy machine
# falls on all of them alike. The cases a target compares run close
# together (browse after floor; filtered, literal, meili and proxy in a
# row; the read search just before them), and every other round runs the
# order backwards, so that
# neither side of a pair always comes first. The ratios are then taken
# within each round, where the machine was most alike for both sides.
order=(floor browse phrase search filtered literal meili proxy)
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then turn=("${order[@]}"); else turn=(); for ((i = ${#order[@]} - 1; i >= 0; i--)); do turn+=("${order[i]}"); done; fi
  for c in "${turn[@]}"; do case_of "$c"; done
done
curl -fsS "$base$browse_path" >/dev/null # a new minute's first browse fills the cache
cache_status=$(curl -fsS "$base$browse_path" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cache"])')

echo
echo "Bergen Reparerer benchmark: $n listings, wrk -t2 -c$conns -d$duration, $rounds rounds, $(nproc) cores, service GOMAXPROCS=$app_procs, $(date -u +%Y-%m-%dT%H:%MZ)"
[ "$pin" = 0 ] || echo "pinned (-p): Meilisearch on core $(nproc --ignore=1), everything else on cores 0-$((cores - 1))"
echo "browse answers came from the cache: $cache_status"
python3 - "$work" "$rounds" "$(getconf CLK_TCK)" "$pin" <<'PY'
import re, statistics, sys
work, rounds, tick_us, pinned = sys.argv[1], int(sys.argv[2]), 1e6 / int(sys.argv[3]), sys.argv[4] == "1"
def ms(text):
    v, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
res, cpu = {}, {}
for case in ["floor", "meili", "search", "literal", "phrase", "browse", "filtered", "proxy"]:
    rps, p50, p99 = [], [], []
    for r in range(1, rounds + 1):
        txt = open(f"{work}/{case}.{r}.txt").read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", txt).group(1)))
        p50.append(ms(re.search(r"^\s+50%\s+(\S+)", txt, re.M).group(1)))
        p99.append(ms(re.search(r"^\s+99%\s+(\S+)", txt, re.M).group(1)))
    res[case] = (statistics.mean(rps), statistics.median(p50), statistics.median(p99), rps)
    served, server_ticks, meili_ticks = 0, 0, 0
    for r in range(1, rounds + 1):
        served += int(re.search(r"(\d+) requests in", open(f"{work}/{case}.{r}.txt").read()).group(1))
        s_t, m_t = map(int, open(f"{work}/{case}.{r}.cpu").read().split())
        server_ticks, meili_ticks = server_ticks + s_t, meili_ticks + m_t
    cpu[case] = (server_ticks * tick_us / served, meili_ticks * tick_us / served)
print(f"{'case':8} {'req/s (mean)':>13} {'p50 ms':>8} {'p99 ms':>8}   per round")
for case, (rps, p50, p99, each) in res.items():
    print(f"{case:8} {rps:13.0f} {p50:8.3f} {p99:8.3f}   {' '.join(f'{x:.0f}' for x in each)}")
def ratio(a, b, label):
    # The median of the ratios within each round (see the order above),
    # with the lowest and highest round: on a shared machine the spread
    # says how far one figure can be trusted.
    each = sorted(x / y for x, y in zip(res[a][3], res[b][3]))
    print(f"{label} = {statistics.median(each):6.1%}  (rounds {each[0]:.1%} .. {each[-1]:.1%})", end="")
ratio("browse", "floor", "cached browse / static floor  "); print("  (target >= 70%)")
ratio("literal", "meili", "uncached search / raw meili   "); print("  (target >= 95%; literal: the same text search)")
ratio("proxy", "meili", "pass-through / raw meili      "); print("  (the ceiling: two HTTP hops, nothing else)")
ratio("literal", "proxy", "uncached search / pass-through"); print("  (what the service's own work costs)")
ratio("search", "literal", "read search / literal search  "); print(f"  p50 {res['search'][1]:.3f} vs {res['literal'][1]:.3f} ms  (target >= 90%)")
ratio("filtered", "literal", "two condition filters / none  "); print("  (target >= 90%)")
# CPU per request is steadier than requests/s on a shared machine: it does
# not move with what else runs beside the benchmark.
print("CPU per request, µs (all rounds; the server is the service, or the pass-through for proxy):")
for case in ["meili", "literal", "proxy", "filtered", "search", "browse"]:
    print(f"  {case:8} server {cpu[case][0]:7.0f}   meilisearch {cpu[case][1]:7.0f}")
own = cpu["literal"][0] - cpu["proxy"][0]
print(f"the service's own work per uncached search (literal - proxy) = {own:.0f} µs, "
      f"{own / cpu['meili'][1]:.1%} of Meilisearch's {cpu['meili'][1]:.0f} µs for the same search")
# When the cores are the limit (wrk, the service and Meilisearch share
# them), the rate of a search is inverse to the CPU it takes in all: the
# steadier estimate of uncached search / raw meili. wrk's own CPU, about
# the same for both (one hop each), is left out.
bound = cpu["meili"][1] / (cpu["literal"][1] + cpu["literal"][0])
if not pinned: print(f"uncached search / raw meili if CPU is the limit = {bound:.1%} "
      f"(Meilisearch {cpu['meili'][1]:.0f} µs against service {cpu['literal'][0]:.0f} + Meilisearch {cpu['literal'][1]:.0f} µs)")
PY
