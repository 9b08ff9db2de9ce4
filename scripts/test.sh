#!/usr/bin/env bash
# The whole test suite, as CI runs it: the frontend's type check and build,
# vet and the lint gate (.golangci.yml), unit, integration and browser tests (the tests start their own
# Meilisearch and Redis on free ports; the browser tests drive Debian's
# chromium with playwright-core) with the race detector, then a short run of
# each fuzzer. Screenshots and the page weight land in test-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-frontend.sh
scripts/provision-browser.sh
MEILI_BIN=$(scripts/provision-meili.sh)
export MEILI_BIN
scripts/provision-redis.sh
go vet ./...
"$(scripts/provision-lint.sh)" run ./...
go test -race -count=1 ./...
fuzztime=${FUZZTIME:-20s}
go test -run '^$' -fuzz '^FuzzParseOSM$' -fuzztime "$fuzztime" ./internal/openinghours
go test -run '^$' -fuzz '^FuzzParseQuery$' -fuzztime "$fuzztime" ./internal/search
