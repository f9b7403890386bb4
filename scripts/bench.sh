#!/usr/bin/env bash
# `make bench`: the search benchmark (bench/search.py), the pages under load (bench/pages.py) and
# Lighthouse on every page type (bench/lighthouse.py), each on a throwaway SQLite database under
# var/bench/ and the farmcast-bench index prefix. Starts OpenSearch if it is not running and
# stops it afterwards only if this script started it. Never part of `make test`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# The system packages the tests need, plus wrk, which loads the pages in bench/pages.py.
scripts/system-deps.sh
if ! command -v wrk >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk
fi

started_engine=false
cleanup() {
    if [[ "$started_engine" == true ]]; then
        scripts/search-engine.sh stop || true
    fi
}
trap cleanup EXIT

# A healthy node on 9200 that our pid file does not know (started from another checkout, or by a
# test run's restart) is used as it is: starting a second one would fail on the port.
if ! scripts/search-engine.sh status >/dev/null 2>&1 \
    && ! curl -fsS --max-time 2 "http://127.0.0.1:9200/_cluster/health" 2>/dev/null | grep -Eq '"status":"(green|yellow)"'; then
    scripts/search-engine.sh start
    started_engine=true
fi

SEARCH_ENGINE_URL="http://127.0.0.1:9200" "$ROOT/.venv/bin/python" bench/search.py "$@"
SEARCH_ENGINE_URL="http://127.0.0.1:9200" "$ROOT/.venv/bin/python" bench/pages.py
SEARCH_ENGINE_URL="http://127.0.0.1:9200" "$ROOT/.venv/bin/python" bench/lighthouse.py
