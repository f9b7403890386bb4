#!/usr/bin/env bash
# Start, stop or check the one-node OpenSearch 2.19 the site, the tests and CI use.
#   scripts/search-engine.sh start|stop|status
# The node listens on 127.0.0.1:9200 (the runner's node 1 = baseHttpPort 9199 + 1), keeps its data
# under var/opensearch/ (git-ignored), runs with at most 1 GB of heap, and is stopped by its own
# pid file, never by name. `start` is idempotent and returns once the cluster is at least yellow.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE_DIR="$ROOT/search/engine"
VAR="$ROOT/var/opensearch"
PIDFILE="$VAR/engine.pid"
LOG="$VAR/engine.log"
CLASSPATH_FILE="$VAR/classpath.txt"
URL="http://127.0.0.1:9200"
HEAP="${SEARCH_ENGINE_HEAP:-1g}"
START_TIMEOUT="${SEARCH_ENGINE_START_TIMEOUT:-120}"

running_pid() {
    # The pid from our pid file, if that process is still alive and is a java process.
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$PIDFILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q java "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

health() {
    curl -fsS --max-time 2 "$URL/_cluster/health" 2>/dev/null | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}

classpath() {
    # Resolve once per pom change; mvn is slow to start, the jars stay in ~/.m2.
    if [[ ! -s "$CLASSPATH_FILE" || "$ENGINE_DIR/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
        echo "Resolving OpenSearch from Maven Central (first run only)..." >&2
        mvn -q -B -f "$ENGINE_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >&2
    fi
    cat "$CLASSPATH_FILE"
}

start() {
    mkdir -p "$VAR/conf" "$VAR/data"
    if pid="$(running_pid)"; then
        echo "OpenSearch already running (pid $pid)"
    else
        if curl -fsS --max-time 2 "$URL" >/dev/null 2>&1; then
            echo "Something else already answers on $URL; not starting a second node." >&2
            exit 1
        fi
        local cp
        cp="$(classpath)"
        cp "$ENGINE_DIR/opensearch.yml" "$VAR/conf/opensearch.yml"
        # setsid: the node outlives this shell (make, a test run) and can be stopped as its own group.
        setsid java -Xms512m -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
            -cp "$cp" org.codelibs.opensearch.runner.OpenSearchRunner \
            -basePath "$VAR/data" -confPath "$VAR/conf" -numOfNode 1 -baseHttpPort 9199 -clusterName farmcast \
            >"$LOG" 2>&1 </dev/null &
        echo $! >"$PIDFILE"
        echo "OpenSearch starting (pid $!, log $LOG)"
    fi
    local waited=0 status
    while true; do
        status="$(health || true)"
        if [[ "$status" == "green" || "$status" == "yellow" ]]; then
            echo "OpenSearch is $status on $URL"
            return 0
        fi
        if ! running_pid >/dev/null; then
            echo "OpenSearch exited during start; last lines of $LOG:" >&2
            tail -n 30 "$LOG" >&2 || true
            rm -f "$PIDFILE"
            exit 1
        fi
        if ((waited >= START_TIMEOUT)); then
            echo "OpenSearch not yellow after ${START_TIMEOUT}s; see $LOG" >&2
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        echo "OpenSearch not running"
        rm -f "$PIDFILE"
        return 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "OpenSearch did not stop in 30s; killing pid $pid" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    echo "OpenSearch stopped"
}

status() {
    local pid state
    state="$(health || true)"
    if pid="$(running_pid)"; then
        echo "OpenSearch running (pid $pid), cluster ${state:-not answering} on $URL"
        [[ -n "$state" ]]
    else
        echo "OpenSearch not running${state:+ (but something answers on $URL: $state)}"
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
