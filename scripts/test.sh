#!/usr/bin/env bash
# `npm test`: makes sure what the tests use is there, then runs every test.
# - Debian packages: ghostscript (ps2pdf builds the PDF fixtures), chromium (browser tests),
#   postgresql (store tests). Installed with apt-get when missing and running as root; otherwise
#   the missing ones are named and their tests say what to do.
# - A throwaway PostgreSQL cluster on 127.0.0.1 unless EVIDENTIA_TEST_DATABASE_URL names a server;
#   it is stopped when the tests end.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ps2pdf >/dev/null || missing+=(ghostscript)
command -v chromium >/dev/null || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "== not installed: ${missing[*]} (apt-get install ${missing[*]}); their tests will say so" >&2
  fi
fi

if [ -z "${EVIDENTIA_TEST_DATABASE_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  eval "$(scripts/postgres-test-cluster.sh)"
  stop_pg() {
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    if [ "$(id -u)" = 0 ]; then
      su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$EVIDENTIA_TEST_PG_DIR/data' stop -m fast" >/dev/null 2>&1 || true
    else
      "$bin/pg_ctl" -D "$EVIDENTIA_TEST_PG_DIR/data" stop -m fast >/dev/null 2>&1 || true
    fi
    rm -rf "$EVIDENTIA_TEST_PG_DIR"
  }
  trap stop_pg EXIT
fi

npx vitest run "$@"
