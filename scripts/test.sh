#!/usr/bin/env bash
# `make test`: system packages, PostgreSQL, Redis and both search engines, lint (ruff, import-linter),
# then every test on OpenSearch 2.19 and the engine tests (`-m engine`) again on Elasticsearch 7.10.
# Under CI=true every part must be real (PostgreSQL, both engines, Chromium); locally the run
# falls back to SQLite when PostgreSQL cannot start, and says so. Extra arguments go to pytest
# (both passes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CI="${CI:-}"
VENV="$ROOT/.venv"

fail_in_ci() {
    if [[ "$CI" == "true" ]]; then
        echo "CI: $*" >&2
        exit 1
    fi
    echo "warning: $*" >&2
}

scripts/system-deps.sh

# Stop on exit only what this run started: a developer's already-running services stay up.
started_postgres=false
started_redis=false
started_engines=()
cleanup() {
    local engine
    for engine in "${started_engines[@]}"; do
        SEARCH_ENGINE="$engine" scripts/search-engine.sh stop || true
    done
    if [[ "$started_redis" == true ]]; then
        scripts/redis.sh stop || true
    fi
    if [[ "$started_postgres" == true ]]; then
        scripts/postgres.sh stop || true
    fi
}
trap cleanup EXIT

# Use the service `script` runs if it is already up, else start it (and stop it on exit); either way
# export `var`=`url`. Under CI=true a service that cannot start fails the run.
use_service() {
    local script="$1" var="$2" url="$3" started="$4"
    if "$script" status >/dev/null 2>&1; then
        export "$var=$url"
    elif "$script" start; then
        printf -v "$started" true
        export "$var=$url"
    else
        fail_in_ci "$script could not start"
        unset "$var"
    fi
}

use_service scripts/postgres.sh DATABASE_URL "postgres://postgres@127.0.0.1:${POSTGRES_PORT:-54329}/farmcast" started_postgres
# Redis, the cache web nodes share: tests/page_cache/test_shared_cache.py runs two nodes on it.
use_service scripts/redis.sh REDIS_URL "redis://127.0.0.1:${REDIS_PORT:-63799}/0" started_redis

# Each engine on the port scripts/search-engine.sh gives it.
OPENSEARCH="http://127.0.0.1:9200"
ELASTICSEARCH="http://127.0.0.1:9230"

engine_up() {
    # Engine $1 answering on $2: an engine already there (a developer's, started from another
    # clone) is used, not restarted; the tests check that it is the engine they expect.
    if curl -fsS --max-time 2 "$2/_cluster/health" >/dev/null 2>&1; then
        return 0
    fi
    [[ -x scripts/search-engine.sh ]] || return 1
    SEARCH_ENGINE="$1" scripts/search-engine.sh start || return 1
    started_engines+=("$1")
}

opensearch_url="" elasticsearch_url=""
if engine_up opensearch "$OPENSEARCH"; then
    opensearch_url="$OPENSEARCH"
else
    fail_in_ci "OpenSearch could not start"
fi
if engine_up elasticsearch "$ELASTICSEARCH"; then
    elasticsearch_url="$ELASTICSEARCH"
else
    fail_in_ci "Elasticsearch could not start"
fi

echo "Database: ${DATABASE_URL:-SQLite}; shared cache: ${REDIS_URL:-none}; OpenSearch: ${opensearch_url:-none}; Elasticsearch: ${elasticsearch_url:-none}"

"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
# The import-linter contracts in pyproject.toml: apps import one way down, no circle inside one.
"$VENV/bin/lint-imports" --no-cache

# Exit code 5 ("no tests collected") counts as a failure: a suite that runs nothing proves nothing.
status=0
SEARCH_ENGINE=opensearch SEARCH_ENGINE_URL="$opensearch_url" \
    "$VENV/bin/pytest" -p no:cacheprovider --durations=20 "$@" || status=$?
if ((status == 5)); then
    echo "pytest collected no tests" >&2
    status=1
fi

# The engine tests again on Elasticsearch: the same suite, the other engine's module and DSL. With
# arguments that select no engine test there is nothing to run here, and that is no failure.
echo "Engine tests on Elasticsearch (${elasticsearch_url:-none}):"
es_status=0
SEARCH_ENGINE=elasticsearch SEARCH_ENGINE_URL="$elasticsearch_url" \
    "$VENV/bin/pytest" -p no:cacheprovider --durations=10 -m engine "$@" || es_status=$?
if ((es_status == 5)) && (($# == 0)); then
    echo "pytest collected no engine tests for Elasticsearch" >&2
    es_status=1
elif ((es_status == 5)); then
    es_status=0
fi
((status != 0)) || status="$es_status"
exit "$status"
