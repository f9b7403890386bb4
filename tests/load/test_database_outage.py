"""The database stops and starts under a running site: /healthz says so, and the site comes back alone.

A real PostgreSQL (the load tests' own cluster, scripts/postgres.sh on port 54339) is stopped and
started while gunicorn keeps running; the suite's database is another cluster and is not touched.
Two outages: the first with no request during it, so every worker still holds the connection it had
before (as on a quiet night), the second watched through /healthz.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from .helpers import FIGURES

pytestmark = pytest.mark.load

RECOVERY_SECONDS = 30
# /healthz always queries the database (pages may come from the page cache without a query);
# twenty of them four at a time reach every one of the two workers.
PROBES = ["/healthz"] * 20


def worker_pids(site):
    return sorted(Path(f"/proc/{site.server.pid}/task/{site.server.pid}/children").read_text().split())


def in_parallel(site, paths):
    """(path, status) for each path, four requests at a time, so every worker serves some."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda path: (path, site.get(path)[0]), paths))


@pytest.fixture(scope="module")
def outages(load_site):
    site = load_site
    pids = worker_pids(site)
    # Quiet outage: each worker opened its persistent connection just before, and gets no request during.
    warm = in_parallel(site, PROBES + site.urls["pages"])
    site.database.run("stop")
    site.database.run("start")
    right_after = in_parallel(site, PROBES)
    # Watched outage: /healthz while the database is down, then until it is back.
    site.database.run("stop")
    try:
        down = [site.get("/healthz") for _ in range(4)]
    finally:
        site.database.run("start")
    deadline = time.monotonic() + RECOVERY_SECONDS
    while site.get("/healthz")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    recovered = in_parallel(site, PROBES + site.urls["pages"])
    failed_after = [status for _, status in right_after if status != 200]
    FIGURES.append(
        f"database outage: /healthz answered {sorted({status for status, _, _ in down})} while it was down; "
        f"{len(failed_after)} of {len(right_after)} requests right after a quiet restart failed {failed_after}"
    )
    return SimpleNamespace(site=site, pids=pids, warm=warm, down=down, right_after=right_after, recovered=recovered)


def test_healthz_answers_503_json_while_the_database_is_down(outages):
    """/healthz says the database is down, with status 503 and JSON, not a 500 page."""
    for status, headers, body in outages.down:
        assert status == 503, body
        assert headers["Content-Type"].startswith("application/json")
        assert '"database": "down"' in body and '"status": "error"' in body


def test_the_site_recovers_by_itself_when_the_database_is_back(outages):
    """Without restarting gunicorn or its workers, /healthz and the pages answer 200 again."""
    assert {status for _, status in outages.warm} == {200}
    assert [(path, status) for path, status in outages.recovered if status != 200] == [], outages.site.server_log()
    assert outages.site.server.poll() is None and worker_pids(outages.site) == outages.pids


def test_no_request_fails_once_the_database_is_back(outages):
    """The first requests after a quiet restart succeed: a worker checks its old connection before reusing it."""
    assert [(path, status) for path, status in outages.right_after if status != 200] == []
