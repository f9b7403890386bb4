#!/usr/bin/env bash
# `make bench`: the search benchmark (bench/search.py) on a throwaway SQLite database under
# var/bench/ and the farmcast-bench index prefix. Starts OpenSearch if it is not running and
# stops it afterwards only if this script started it. Never part of `make test`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

started_engine=false
cleanup() {
    if [[ "$started_engine" == true ]]; then
        scripts/search-engine.sh stop || true
    fi
}
trap cleanup EXIT

if ! scripts/search-engine.sh status >/dev/null 2>&1; then
    scripts/search-engine.sh start
    started_engine=true
fi

OPENSEARCH_URL="http://127.0.0.1:9200" "$ROOT/.venv/bin/python" bench/search.py "$@"
