#!/usr/bin/env bash
# The whole test suite, as CI runs it: vet, unit and integration tests (the
# tests start their own Meilisearch and Redis on free ports) with the race
# detector, then a short run of each fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
MEILI_BIN=$(scripts/provision-meili.sh)
export MEILI_BIN
scripts/provision-redis.sh
go vet ./...
go test -race -count=1 ./...
fuzztime=${FUZZTIME:-20s}
go test -run '^$' -fuzz '^FuzzParseOSM$' -fuzztime "$fuzztime" ./internal/openinghours
go test -run '^$' -fuzz '^FuzzParseQuery$' -fuzztime "$fuzztime" ./internal/search
