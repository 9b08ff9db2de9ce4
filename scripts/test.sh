#!/usr/bin/env bash
# The whole test suite, as CI runs it: the frontend's type check and build,
# vet and the lint gate (.golangci.yml), unit, integration and browser tests (the tests start their own
# Meilisearch and Redis on free ports, and their own PostgreSQL databases;
# the browser tests drive Debian's
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
# The stores' shared contract: every package whose tests open a store runs
# again on PostgreSQL ($REPARERER_TEST_POSTGRES, default the local server on
# 127.0.0.1:5432; each test creates a database of its own and drops it).
mapfile -t store_pkgs < <(grep -rl --include='*_test.go' -e 'testenv.Store(' -e 'testenv.StoreTarget(' internal |
  xargs -n1 dirname | sort -u | sed 's|^|./|')
REPARERER_TEST_STORE=postgres go test -race -count=1 -skip TestBrowser "${store_pkgs[@]}"
# Fuzzing runs a number of inputs, not a duration: with a duration Go can
# fail a healthy target with "context deadline exceeded" when the time runs
# out while a worker is mid-input (go.dev/issue/75804), which a loaded
# machine makes likely. Each count is about 10-20 s here. FUZZTIME (e.g.
# 5m or 10000000x) overrides them all.
fuzz() { # target, package, default count
  go test -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZTIME:-$3}" "$2"
}
fuzz FuzzParseOSM ./internal/openinghours 1000000x
fuzz FuzzParseQuery ./internal/search 150000x
fuzz FuzzReadCSV ./internal/importer 150000x
