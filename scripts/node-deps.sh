#!/usr/bin/env bash
# The npm packages the page audits run: vnu-jar (the Nu Html Checker, run by Java 17 in `make test`)
# and Lighthouse (Node 20, in `make bench`). `npm ci` runs only when node_modules is missing or older
# than package-lock.json, so a warm checkout never touches the registry.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STAMP=node_modules/.package-lock.json  # npm writes it on every install

if [[ -f "$STAMP" && ! package-lock.json -nt "$STAMP" && -f node_modules/vnu-jar/build/dist/vnu.jar ]]; then
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing (Node 20): the HTML validator and Lighthouse cannot be installed" >&2
    if [[ "${CI:-}" == "true" ]]; then
        exit 1
    fi
    exit 0  # locally the audit tests skip and say why
fi

echo "Installing the page audit tools (npm ci)..." >&2
# --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; we run Debian's Java 17.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
touch "$STAMP"
