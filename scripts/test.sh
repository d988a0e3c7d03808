#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what is missing (Debian packages,
# Python packages, bun), then pytest starts its own PostgreSQL, Redis, Celery worker, SMTP
# server and app server on free loopback ports and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# (outputs captured first: `grep -q` closing a pipe early fails the pipe under pipefail)
libraries="$(ldconfig -p)"
grep -q libpangoft2 <<<"$libraries" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# fonts for PDFs in any script: Latin, Greek, Cyrillic, Arabic, Hebrew (Noto), CJK, DejaVu last
fonts="$(fc-list 2>/dev/null || true)"
grep -q NotoSansArabic <<<"$fonts" || need+=(fonts-noto-core)
grep -q NotoSansCJK <<<"$fonts" || need+=(fonts-noto-cjk)
grep -q DejaVuSans <<<"$fonts" || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

source scripts/setup.sh
# pytest answers 5 when a filter given in "$@" leaves a part with no tests: that part passed
run_part() { local code=0; python -m pytest "$@" || code=$?; [ "$code" -eq 0 ] || [ "$code" -eq 5 ]; }
status=0
echo "==> Running the tests that need no live app (two workers)"
run_part -n 2 -m "not live" "$@" || status=1
echo "==> Running the tests on the live app: browser, authorization matrix, two processes (one process)"
run_part -n 0 -m live "$@" || status=1
exit "$status"
