#!/usr/bin/env bash
# A private, throwaway Redis for the tests: the shared cache of several web nodes (REDIS_URL).
# Listens on 127.0.0.1:${REDIS_PORT:-63799} only, keeps nothing on disk, pid and log under var/redis/.
#   scripts/redis.sh start|stop|status
# Never touches a system Redis; `start` and `stop` are idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${REDIS_PORT:-63799}"
VAR="$ROOT/var/redis-$PORT"
PIDFILE="$VAR/redis.pid"

running() {
    [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

case "${1:-}" in
start)
    if running; then
        exit 0
    fi
    if ! command -v redis-server >/dev/null; then
        echo "redis-server not found (apt-get install redis-server; scripts/system-deps.sh does)" >&2
        exit 1
    fi
    mkdir -p "$VAR"
    redis-server --bind 127.0.0.1 --port "$PORT" --save "" --appendonly no --daemonize yes \
        --pidfile "$PIDFILE" --logfile "$VAR/redis.log" --dir "$VAR"
    for _ in $(seq 50); do
        if redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; then
            exit 0
        fi
        sleep 0.2
    done
    echo "redis-server did not answer on port $PORT" >&2
    exit 1
    ;;
stop)
    if running; then
        kill "$(cat "$PIDFILE")"
        for _ in $(seq 50); do
            running || break
            sleep 0.2
        done
    fi
    rm -f "$PIDFILE"
    ;;
status)
    running
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
