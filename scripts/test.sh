#!/usr/bin/env bash
# `make test`: system packages, PostgreSQL and OpenSearch, lint, then every test.
# Under CI=true every part must be real (PostgreSQL, the engine, Chromium); locally the run
# falls back to SQLite when PostgreSQL cannot start, and says so. Extra arguments go to pytest.
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
started_engine=false
cleanup() {
    if [[ "$started_engine" == true ]]; then
        scripts/search-engine.sh stop || true
    fi
    if [[ "$started_postgres" == true ]]; then
        scripts/postgres.sh stop || true
    fi
}
trap cleanup EXIT

if scripts/postgres.sh status >/dev/null 2>&1; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:${POSTGRES_PORT:-54329}/farmcast"
elif scripts/postgres.sh start; then
    started_postgres=true
    export DATABASE_URL="postgres://postgres@127.0.0.1:${POSTGRES_PORT:-54329}/farmcast"
else
    fail_in_ci "PostgreSQL could not start"
    unset DATABASE_URL
fi

if [[ -x scripts/search-engine.sh ]]; then
    # An engine already answering (a developer's, started from another clone) is used, not restarted.
    if curl -fsS --max-time 2 "http://127.0.0.1:9200/_cluster/health" >/dev/null 2>&1; then
        export SEARCH_ENGINE_URL="http://127.0.0.1:9200"
    elif scripts/search-engine.sh start; then
        started_engine=true
        export SEARCH_ENGINE_URL="http://127.0.0.1:9200"
    else
        fail_in_ci "the search engine could not start"
    fi
else
    fail_in_ci "scripts/search-engine.sh is missing"
fi

echo "Database: ${DATABASE_URL:-SQLite}; search engine: ${SEARCH_ENGINE_URL:-none}"

"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
# The import-linter contracts in pyproject.toml: apps import one way down, no circle inside one.
"$VENV/bin/lint-imports" --no-cache

# Exit code 5 ("no tests collected") counts as a failure: a suite that runs nothing proves nothing.
status=0
"$VENV/bin/pytest" -p no:cacheprovider --durations=20 "$@" || status=$?
if ((status == 5)); then
    echo "pytest collected no tests" >&2
    status=1
fi
exit "$status"
