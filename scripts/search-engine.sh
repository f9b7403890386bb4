#!/usr/bin/env bash
# Start, stop or check the search engine the site, the tests and CI use.
#   scripts/search-engine.sh start|stop|status
#   SEARCH_ENGINE=elasticsearch scripts/search-engine.sh start|stop|status
# SEARCH_ENGINE picks the engine (both from Maven Central through search/engine/pom.xml):
#   opensearch     OpenSearch 2.19 (the default): one node on 127.0.0.1:9200 (the runner's node 1 =
#                  baseHttpPort 9199 + 1), data under var/opensearch/
#   elasticsearch  Elasticsearch 7.10.2: one node on 127.0.0.1:9230 (transport 19330), data under
#                  var/elasticsearch/; ports clear of OpenSearch's 9200/9300 and the load tests'
#                  cluster (9251-9253, transport 19351-19353), so both engines run side by side
# Each node: at most 1 GB of heap, data git-ignored, stopped by its own pid file, never by name.
# `start` is idempotent and returns once the cluster is at least yellow.
#
# The environment can ask for another node or cluster beside it (the load and fault tests do):
#   SEARCH_ENGINE_PORT=9251   node 1's HTTP port (default 9200, Elasticsearch 9230); node n answers
#                             on PORT + n - 1. The runners take no HTTP port above 9299.
#   SEARCH_ENGINE_NODES=3     a cluster: each node is its own JVM, so one can be stopped while the
#                             others serve; they find each other on transport ports PORT + 10100 + n - 1.
#   SEARCH_ENGINE_NODE=2      start, stop or check only that node of the cluster.
#   SEARCH_ENGINE_VAR=dir     where its data, pid files and logs live (default var/<engine> on the
#                             engine's default port, var/<engine>-PORT on any other port).
#   SEARCH_ENGINE_CLUSTER     cluster name (default farmcast).
#   SEARCH_ENGINE_STOP_SIGNAL KILL to kill nodes outright, as a crash would (default TERM).
#   SEARCH_ENGINE_HEAP        maximum heap per node (default 1g).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE_DIR="$ROOT/search/engine"
ENGINE="${SEARCH_ENGINE:-opensearch}"
case "$ENGINE" in
    opensearch)
        LABEL="OpenSearch"
        DEFAULT_PORT=9200
        MAIN_CLASS="org.codelibs.opensearch.runner.OpenSearchRunner"
        MANAGER_SETTING="cluster.initial_cluster_manager_nodes"
        JAVA_EXTRA=()
        ;;
    elasticsearch)
        LABEL="Elasticsearch"
        DEFAULT_PORT=9230
        MAIN_CLASS="org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner"
        MANAGER_SETTING="cluster.initial_master_nodes"
        # 7.10.2 ships log4j 2.11.1: no message lookups (CVE-2021-44228), whatever reaches a log line.
        JAVA_EXTRA=(-Dlog4j2.formatMsgNoLookups=true)
        ;;
    *)
        echo "SEARCH_ENGINE must be opensearch or elasticsearch, not '$ENGINE'" >&2
        exit 2
        ;;
esac
PORT="${SEARCH_ENGINE_PORT:-$DEFAULT_PORT}"
NODES="${SEARCH_ENGINE_NODES:-1}"
ONLY_NODE="${SEARCH_ENGINE_NODE:-}"
if [[ "$PORT" == "$DEFAULT_PORT" ]]; then
    VAR="${SEARCH_ENGINE_VAR:-$ROOT/var/$ENGINE}"
else
    VAR="${SEARCH_ENGINE_VAR:-$ROOT/var/$ENGINE-$PORT}"
fi
CLUSTER="${SEARCH_ENGINE_CLUSTER:-farmcast}"
STOP_SIGNAL="${SEARCH_ENGINE_STOP_SIGNAL:-TERM}"
# One resolved classpath per engine for every node of this clone: resolving it runs Maven.
CLASSPATH_FILE="$ROOT/var/$ENGINE/classpath.txt"
HEAP="${SEARCH_ENGINE_HEAP:-1g}"
START_TIMEOUT="${SEARCH_ENGINE_START_TIMEOUT:-120}"

if ! [[ "$NODES" =~ ^[1-9]$ && "$PORT" =~ ^[0-9]+$ ]] || ((PORT + NODES - 1 > 9299)); then
    echo "SEARCH_ENGINE_NODES must be 1-9 and the nodes' ports at most 9299 (the runner's limit)" >&2
    exit 2
fi
if [[ -n "$ONLY_NODE" ]] && ! ((ONLY_NODE >= 1 && ONLY_NODE <= NODES)); then
    echo "SEARCH_ENGINE_NODE must be between 1 and $NODES" >&2
    exit 2
fi

# A single node keeps the layout it always had; a cluster's nodes each get a folder.
node_dir() { if ((NODES == 1)); then echo "$VAR"; else echo "$VAR/node$1"; fi; }
node_url() { echo "http://127.0.0.1:$((PORT + $1 - 1))"; }
transport_port() { echo $((PORT + 10100 + $1 - 1)); }
selected_nodes() { if [[ -n "$ONLY_NODE" ]]; then echo "$ONLY_NODE"; else seq 1 "$NODES"; fi; }
# What messages call node $1: a single node is just "OpenSearch" (or "Elasticsearch").
label() { if ((NODES == 1)); then echo "$LABEL"; else echo "$LABEL node $1"; fi; }

running_pid() {
    # The pid from node $1's pid file, if that process is still alive and is a java process.
    local pidfile pid
    pidfile="$(node_dir "$1")/engine.pid"
    [[ -f "$pidfile" ]] || return 1
    pid="$(cat "$pidfile")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q java "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

cluster_health() {
    # The cluster's health as node $1 sees it (JSON), empty when it does not answer.
    curl -fsS --max-time 2 "$(node_url "$1")/_cluster/health" 2>/dev/null || true
}

health() {
    cluster_health "$1" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}

node_count() {
    cluster_health "$1" | sed -n 's/.*"number_of_nodes":\([0-9]*\).*/\1/p'
}

classpath() {
    # Resolve once per pom change; mvn is slow to start, the jars stay in ~/.m2.
    mkdir -p "$(dirname "$CLASSPATH_FILE")"
    if [[ ! -s "$CLASSPATH_FILE" || "$ENGINE_DIR/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
        echo "Resolving $LABEL from Maven Central (first run only)..." >&2
        mvn -q -B -f "$ENGINE_DIR/pom.xml" -P "$ENGINE" dependency:build-classpath \
            -Dmdep.outputFile="$CLASSPATH_FILE" >&2
    fi
    cat "$CLASSPATH_FILE"
}

write_config() {
    # A single node uses the repository's file as it is (Elasticsearch's with its own transport
    # port: its default range starts at OpenSearch's 9300); a cluster's nodes drop single-node
    # discovery and find each other on their transport ports.
    local conf="$1/conf/$ENGINE.yml" n="$2" seeds="" i
    if ((NODES == 1)); then
        cp "$ENGINE_DIR/$ENGINE.yml" "$conf"
        if [[ "$ENGINE" == elasticsearch ]]; then
            echo "transport.port: $(transport_port "$n")" >>"$conf"
        fi
        return
    fi
    for i in $(seq 1 "$NODES"); do
        seeds+="${seeds:+, }\"127.0.0.1:$(transport_port "$i")\""
    done
    {
        grep -v '^discovery.type:' "$ENGINE_DIR/$ENGINE.yml"
        echo "# A cluster of $NODES nodes, one JVM each (written by scripts/search-engine.sh)."
        echo "transport.port: $(transport_port "$n")"
        echo "discovery.seed_hosts: [$seeds]"
        # The runner names every node \"Node 1\" (one node per JVM), so the first election names
        # the nodes by address; once the cluster has formed this setting is ignored.
        echo "$MANAGER_SETTING: [$seeds]"
    } >"$conf"
}

launch() {
    # Start node $1's JVM unless it runs already; the caller waits for it.
    local n="$1" dir pid cp url
    dir="$(node_dir "$n")"
    url="$(node_url "$n")"
    mkdir -p "$dir/conf" "$dir/data"
    if pid="$(running_pid "$n")"; then
        echo "$(label "$n") already running (pid $pid)"
        return 0
    fi
    if curl -fsS --max-time 2 "$url" >/dev/null 2>&1; then
        echo "Something else already answers on $url; not starting a second node." >&2
        exit 1
    fi
    cp="$(classpath)"
    write_config "$dir" "$n"
    # setsid: the node outlives this shell (make, a test run) and can be stopped as its own group.
    setsid java -Xms512m -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
        "${JAVA_EXTRA[@]}" -cp "$cp" "$MAIN_CLASS" \
        -basePath "$dir/data" -confPath "$dir/conf" -numOfNode 1 -baseHttpPort $((PORT + n - 2)) \
        -clusterName "$CLUSTER" >"$dir/engine.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/engine.pid"
    # Until it execs java the pid is this script's forked shell, which running_pid would take for a node
    # that died: on a busy machine the first health check can come that early.
    for _ in $(seq 1 100); do
        grep -q java "/proc/$pid/cmdline" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null && break
        sleep 0.1
    done
    echo "$(label "$n") starting (pid $pid, log $dir/engine.log)"
}

wait_for() {
    # Until node $1 answers, is at least yellow and sees all $NODES nodes.
    local n="$1" waited=0 status dir url
    dir="$(node_dir "$n")"
    url="$(node_url "$n")"
    while true; do
        status="$(health "$n")"
        if [[ "$status" == "green" || "$status" == "yellow" ]] && [[ "$(node_count "$n")" == "$NODES" ]]; then
            echo "$LABEL is $status on $url"
            return 0
        fi
        if ! running_pid "$n" >/dev/null; then
            echo "$(label "$n") exited during start; last lines of $dir/engine.log:" >&2
            tail -n 30 "$dir/engine.log" >&2 || true
            rm -f "$dir/engine.pid"
            exit 1
        fi
        if ((waited >= START_TIMEOUT)); then
            echo "$(label "$n") not yellow with $NODES nodes after ${START_TIMEOUT}s; see $dir/engine.log" >&2
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

start() {
    local n
    # All JVMs first, then the waits: a cluster's nodes start side by side.
    for n in $(selected_nodes); do
        launch "$n"
    done
    for n in $(selected_nodes); do
        wait_for "$n"
    done
}

stop_node() {
    local n="$1" pid dir
    dir="$(node_dir "$n")"
    if ! pid="$(running_pid "$n")"; then
        echo "$(label "$n") not running"
        rm -f "$dir/engine.pid"
        return 0
    fi
    kill -"$STOP_SIGNAL" "$pid"
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "$(label "$n") did not stop in 30s; killing pid $pid" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/engine.pid"
    echo "$(label "$n") stopped"
}

stop() {
    local n
    for n in $(selected_nodes); do
        stop_node "$n"
    done
}

status() {
    local n pid state url result=0
    for n in $(selected_nodes); do
        url="$(node_url "$n")"
        state="$(health "$n")"
        if pid="$(running_pid "$n")"; then
            echo "$(label "$n") running (pid $pid), cluster ${state:-not answering} on $url"
            [[ -n "$state" ]] || result=1
        else
            echo "$(label "$n") not running${state:+ (but something answers on $url: $state)}"
            result=3
        fi
    done
    return "$result"
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
