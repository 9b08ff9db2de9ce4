#!/usr/bin/env bash
# Installs the pinned golangci-lint (built from the Go module proxy with
# this machine's Go, so it understands this Go version) into
# ~/.cache/bergen-reparerer/bin, once; prints its path.
set -euo pipefail
version=v2.15.0
bin="${XDG_CACHE_HOME:-$HOME/.cache}/bergen-reparerer/golangci-lint-$version"
if [ ! -x "$bin/golangci-lint" ]; then
  mkdir -p "$bin"
  echo "installing golangci-lint $version (a few minutes, once)" >&2
  GOBIN="$bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version" >&2
fi
echo "$bin/golangci-lint"
