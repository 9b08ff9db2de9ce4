#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the browser tests (and for
# scripts/lighthouse.sh). playwright-core drives it; no browser is ever
# downloaded by npm.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "provision-browser: Debian's chromium is missing; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "provision-browser: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >&2 || { apt-get update >&2 && apt-get install -y --no-install-recommends chromium >&2; }
