#!/usr/bin/env bash
# `make bench`: pages (bench/pages.py), search at 50,000 documents (bench/search.py), the relevance
# yardstick on the demo (bench/yardstick.py), cost as content grows (bench/growth.py) and Lighthouse
# (bench/lighthouse.py), every one through gunicorn with
# production settings on the bench's own PostgreSQL cluster (scripts/postgres.sh on
# BENCH_POSTGRES_PORT, default 54349, so it never collides with the tests' 54329 or the load tests'
# 54339) and the real engine. Then bench/report.py joins this run's figures into
# bench/results/run-<date>.json and prints every verdict. Never part of `make test`.
#   scripts/bench.sh [pages] [search] [yardstick] [growth] [lighthouse]    (default: all five)
# Starts PostgreSQL and OpenSearch (and Elasticsearch for the search part's side-by-side figures) if
# they are not running, and stops afterwards what it started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export BENCH_POSTGRES_PORT="${BENCH_POSTGRES_PORT:-54349}"
BENCH_ELASTICSEARCH_PORT="${BENCH_ELASTICSEARCH_PORT:-9230}"
parts=("$@")
if ((${#parts[@]} == 0)); then
    parts=(pages search yardstick growth lighthouse)
fi

# The system packages the tests need, plus wrk, which loads the server in every part.
scripts/system-deps.sh
if ! command -v wrk >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk
fi

started_engine=false
started_elasticsearch=false
started_postgres=false
cleanup() {
    if [[ "$started_engine" == true ]]; then
        scripts/search-engine.sh stop || true
    fi
    if [[ "$started_elasticsearch" == true ]]; then
        SEARCH_ENGINE=elasticsearch SEARCH_ENGINE_PORT="$BENCH_ELASTICSEARCH_PORT" scripts/search-engine.sh stop || true
    fi
    if [[ "$started_postgres" == true ]]; then
        POSTGRES_PORT="$BENCH_POSTGRES_PORT" scripts/postgres.sh stop || true
    fi
}
trap cleanup EXIT

if ! POSTGRES_PORT="$BENCH_POSTGRES_PORT" scripts/postgres.sh status >/dev/null 2>&1; then
    POSTGRES_PORT="$BENCH_POSTGRES_PORT" scripts/postgres.sh start
    started_postgres=true
fi

# A healthy node on 9200 that our pid file does not know (started from another checkout, or by a
# test run's restart) is used as it is: starting a second one would fail on the port.
if ! scripts/search-engine.sh status >/dev/null 2>&1 \
    && ! curl -fsS --max-time 2 "http://127.0.0.1:9200/_cluster/health" 2>/dev/null | grep -Eq '"status":"(green|yellow)"'; then
    scripts/search-engine.sh start
    started_engine=true
fi
export SEARCH_ENGINE_URL="http://127.0.0.1:9200"
# OpenSearch is the site's engine in every part; the search part also measures Elasticsearch 7.10
# beside it (bench/search.py, on_elasticsearch), on BENCH_ELASTICSEARCH_PORT (default 9230, the port
# scripts/search-engine.sh gives it; another port keeps the bench off a CI run's node there).
unset SEARCH_ENGINE
if [[ " ${parts[*]} " == *" search "* ]]; then
    if ! curl -fsS --max-time 2 "http://127.0.0.1:$BENCH_ELASTICSEARCH_PORT/_cluster/health" 2>/dev/null \
        | grep -Eq '"status":"(green|yellow)"'; then
        SEARCH_ENGINE=elasticsearch SEARCH_ENGINE_PORT="$BENCH_ELASTICSEARCH_PORT" scripts/search-engine.sh start
        started_elasticsearch=true
    fi
    export BENCH_ELASTICSEARCH_URL="http://127.0.0.1:$BENCH_ELASTICSEARCH_PORT"
fi

# This run's parts only: report.py joins whatever is in the folder.
rm -rf var/bench/parts
unset BENCH_DEMO_DATABASE
for part in "${parts[@]}"; do
    echo "== bench: $part (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    "$ROOT/.venv/bin/python" "bench/$part.py"
    if [[ "$part" == pages ]]; then
        export BENCH_DEMO_DATABASE=farmcast_bench_pages  # the later parts copy its demo content
    fi
done
"$ROOT/.venv/bin/python" bench/report.py collect
