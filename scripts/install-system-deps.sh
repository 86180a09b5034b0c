#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
#   chromium    – headless browser for the dashboard tests (never a browser download)
#   postgresql  – initdb/pg_ctl/postgres for the PostgreSQL sync tests
# Safe to run repeatedly; needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: chromium and postgresql present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
