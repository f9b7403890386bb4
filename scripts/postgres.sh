#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for the tests: data under var/postgres/ (git-ignored),
# listening on 127.0.0.1:54329 and a unix socket under var/postgres/run, trust auth, no fsync.
#   scripts/postgres.sh start|stop|status
# POSTGRES_PORT=54339 runs another such cluster beside it, with its own data under
# var/postgres-54339/ (the database outage test stops and starts one of its own).
# Never touches the system's own cluster; `start` and `stop` are idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${POSTGRES_PORT:-54329}"
if [[ "$PORT" == 54329 ]]; then
    VAR="$ROOT/var/postgres"
else
    VAR="$ROOT/var/postgres-$PORT"
fi

bin_dir() {
    # The newest installed server (Debian keeps each major version in its own directory).
    local dir
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
    if [[ -z "$dir" || ! -x "$dir/pg_ctl" ]]; then
        echo "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
        return 1
    fi
    echo "$dir"
}

as_owner() {
    # initdb and postgres refuse to run as root: run them as the postgres user then.
    if ((EUID == 0)); then
        # From /: the postgres user may not be allowed into the clone's directory.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cluster_dir() {
    # The postgres user must be able to reach the data directory. A clone under /root is not
    # reachable by it, so the cluster then lives in a private temporary directory that
    # var/postgres links to.
    if [[ -L "$VAR" && ! -d "$VAR" ]]; then
        rm "$VAR"  # its temporary directory is gone (a reboot): start afresh
    fi
    if [[ -d "$VAR" ]]; then
        readlink -f "$VAR"
        return
    fi
    mkdir -p "$(dirname "$VAR")"
    if ((EUID == 0)) && ! runuser -u postgres -- test -x "$(dirname "$VAR")"; then
        local tmp
        tmp="$(mktemp -d /tmp/farmcast-postgres.XXXXXX)"
        ln -s "$tmp" "$VAR"
    else
        mkdir -p "$VAR"
    fi
    readlink -f "$VAR"
}

start() {
    local bin dir
    bin="$(bin_dir)"
    dir="$(cluster_dir)"
    if ((EUID == 0)); then
        chown postgres:postgres "$dir"
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_owner mkdir -p "$dir/data" "$dir/run"
        as_owner "$bin/initdb" -D "$dir/data" --username=postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
        # A throwaway cluster: durability buys nothing here, speed does.
        cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$dir/run'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF
    fi
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "PostgreSQL already running on 127.0.0.1:$PORT"
    else
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || {
            tail -n 30 "$dir/server.log" >&2
            exit 1
        }
        echo "PostgreSQL started on 127.0.0.1:$PORT (data in $dir/data)"
    fi
    if ! "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'farmcast'" | grep -q 1; then
        "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres farmcast
    fi
}

stop() {
    local bin dir
    bin="$(bin_dir)"
    if [[ ! -e "$VAR" ]]; then
        echo "PostgreSQL not running (no cluster)"
        return 0
    fi
    dir="$(readlink -f "$VAR")"
    if [[ -f "$dir/data/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
        echo "PostgreSQL stopped"
    else
        echo "PostgreSQL not running"
    fi
}

status() {
    local bin dir
    bin="$(bin_dir)"
    dir="$(readlink -f "$VAR" 2>/dev/null || true)"
    if [[ -n "$dir" && -f "$dir/data/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "PostgreSQL running on 127.0.0.1:$PORT"
    else
        echo "PostgreSQL not running"
        return 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
