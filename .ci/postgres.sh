#!/usr/bin/env bash
# Install (if missing), start or stop a throwaway PostgreSQL on 127.0.0.1:55432 for the test suite.
set -euo pipefail
PGPORT=55432
PGDATA=${PGDATA_DIR:-/tmp/liandong-pg}
pg_bin() { ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname; }  # the server, not just the client

case "${1:-start}" in
start)
  if [ -z "$(pg_bin)" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  BIN=$(pg_bin)
  id postgres >/dev/null 2>&1 || useradd -r postgres
  if psql -h 127.0.0.1 -p $PGPORT -U liandong -d liandong -qtAc "SELECT 1" >/dev/null 2>&1; then
    echo "PostgreSQL already up on 127.0.0.1:$PGPORT"; exit 0  # never wipe the data of a running server
  fi
  if [ -f "$PGDATA/postmaster.pid" ]; then su postgres -s /bin/sh -c "$BIN/pg_ctl -D $PGDATA -m immediate stop" >/dev/null 2>&1 || true; fi
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres "$PGDATA"
  su postgres -s /bin/sh -c "$BIN/initdb -D $PGDATA -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$BIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off' -l $PGDATA/log -w start" >/dev/null
  # a throwaway server: SUPERUSER because the PostgreSQL roles test creates an owner and an application role
  psql -h 127.0.0.1 -p $PGPORT -U postgres -qc "CREATE ROLE liandong LOGIN PASSWORD 'liandong' CREATEDB SUPERUSER" >/dev/null
  psql -h 127.0.0.1 -p $PGPORT -U postgres -qc "CREATE DATABASE liandong OWNER liandong" >/dev/null
  echo "PostgreSQL up on 127.0.0.1:$PGPORT"
  ;;
stop)
  BIN=$(pg_bin)
  [ -n "$BIN" ] && su postgres -s /bin/sh -c "$BIN/pg_ctl -D $PGDATA -m fast stop" >/dev/null 2>&1 || true
  ;;
esac
