#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
#   chromium    – headless browser for the dashboard tests (never a browser download)
#   postgresql  – initdb/pg_ctl/postgres for the PostgreSQL sync tests
# Run by `npm test` (its pretest step) and by .ci/run. Safe to run repeatedly; needs root
# (or sudo) only when something is missing. Without apt-get (not Debian or Ubuntu) it says
# in one line what to install and fails, rather than letting every browser test fail later.
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

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages: missing ${missing[*]} and no apt-get here; install them with your package manager (Chromium at /usr/bin/chromium, PostgreSQL 15 server binaries), then run npm test again" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "system packages: missing ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  SUDO="sudo"
fi
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
