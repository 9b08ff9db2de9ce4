#!/usr/bin/env bash
# Makes sure Debian's redis-server binary is installed (the tests start
# their own Redis on a free port; they never use a running one).
set -euo pipefail
if command -v redis-server >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "provision-redis: installing Debian's redis-server" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
else
  echo "provision-redis: redis-server is missing; install it (Debian: sudo apt-get install redis-server)" >&2
  exit 1
fi
