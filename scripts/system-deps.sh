#!/usr/bin/env bash
# Install the Debian packages the tests need, only those missing: a warm machine never calls apt.
#   chromium        the browser Playwright drives (never a downloaded one)
#   postgresql      the database CI tests against (scripts/postgres.sh runs a private cluster)
#   fonts-noto-cjk  so Chinese text renders in the browser (axe checks contrast on real glyphs)
#   gettext         msgfmt, for compilemessages and the catalogue tests
#   curl            scripts/search-engine.sh asks the engine for its health with it
#   wrk             the load tests and `make bench` put many connections on the site with it
#   openjdk-17-jre-headless  runs OpenSearch and the Nu Html Checker (vnu.jar)
#   redis-server    the shared cache of several web nodes (scripts/redis.sh runs a private one)
# Then the npm packages of the page audits (scripts/node-deps.sh: vnu-jar, Lighthouse; needs Node 20).
set -euo pipefail

PACKAGES=(chromium postgresql fonts-noto-cjk fonts-dejavu-core gettext curl wrk openjdk-17-jre-headless redis-server)
NODE_DEPS="$(dirname "${BASH_SOURCE[0]}")/node-deps.sh"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for package in "${PACKAGES[@]}"; do
    installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
    exec "$NODE_DEPS"
fi

if ((EUID != 0)); then
    echo "Missing Debian packages: ${missing[*]}. Install them with:" >&2
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    if [[ "${CI:-}" == "true" ]]; then
        exit 1
    fi
    exec "$NODE_DEPS"  # locally the tests fall back (SQLite, skipped browser tests) and say so
fi

echo "Installing ${missing[*]} with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# The postgresql and redis-server packages would start their own servers (5432, 6379); we never use
# them, so keep service start-ups out of the install (policy-rc.d exit 101 = "not allowed").
policy=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=true
fi
status=0
apt-get install -y -q --no-install-recommends "${missing[@]}" || status=$?
if [[ "$created_policy" == true ]]; then
    rm -f "$policy"
fi
if ((status != 0)); then
    exit "$status"
fi
exec "$NODE_DEPS"
