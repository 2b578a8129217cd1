#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests and prints the URL to export:
#   eval "$(scripts/postgres-test-cluster.sh)"   # sets EVIDENTIA_TEST_DATABASE_URL
# Needs Debian's postgresql package. As root the server runs as the `postgres` user.
# Stop it with: pg_ctl -D "$dir/data" stop (the folder is printed on stderr).
set -euo pipefail
PORT="${EVIDENTIA_TEST_PG_PORT:-54329}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$BIN/initdb" ] || { echo "postgresql is not installed (apt-get install -y postgresql)" >&2; exit 1; }
dir="$(mktemp -d /tmp/evidentia-pg-XXXXXX)"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
as_pg "'$BIN/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
as_pg "'$BIN/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$dir' -c fsync=off -c max_connections=200\" start >/dev/null"
as_pg "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -qc 'CREATE DATABASE evidentia_test'"
echo "postgresql running in $dir (port $PORT)" >&2
echo "export EVIDENTIA_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/evidentia_test"
echo "export EVIDENTIA_TEST_PG_DIR=$dir"
