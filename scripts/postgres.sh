#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the journal tests: `start` creates one in a temporary
# folder on a free port and prints its URL (postgres://...); `stop <folder|url>` stops it and
# removes the folder. The server refuses to run as root, so it runs as the `postgres` user.
# Set KASSA_PG_BIN to another bin folder than PostgreSQL 15's.
set -euo pipefail
bin=${KASSA_PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

case "${1:-}" in
  start)
    [ -x "$bin/initdb" ] || { echo "PostgreSQL not found in $bin (set KASSA_PG_BIN)" >&2; exit 1; }
    dir=$(mktemp -d /tmp/kassa-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(free_port)
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null
    echo "$port" > "$dir/port"
    echo "postgres://postgres@127.0.0.1:$port/postgres?kassa_dir=$dir"
    ;;
  stop)
    target=${2:?usage: postgres.sh stop <folder|url>}
    dir=${target##*kassa_dir=}
    case "$dir" in /tmp/kassa-pg.*) ;; *) echo "not a kassa test cluster: $dir" >&2; exit 1 ;; esac
    if [ -d "$dir/data" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop <folder|url>" >&2
    exit 2
    ;;
esac
