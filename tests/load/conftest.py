"""Load and fault tests: the site as deployed, under wrk, while its database and engine are stopped.

One site serves every test in this folder: gunicorn (2 sync workers, production settings, DEBUG
off, plain HTTP) on its own PostgreSQL cluster (127.0.0.1:54339, scripts/postgres.sh) with its own
three-node OpenSearch cluster (HTTP 9251-9253, transport 19351-19353, scripts/search-engine.sh, one
JVM per node so one can be stopped), filled with a small real site from tests/factories.py. Nothing
here touches the suite's database or the shared engine on 9200, so stopping these is safe.

The slow part of setting this up (JVMs, migrations, content) begins in the background as soon as
collection shows the run has load tests, so in `make test` it overlaps the tests that run before
these. Each test leaves the services as it found them (running, the cluster green). Locally a missing tool
(wrk, PostgreSQL's server, Java) skips these tests with the reason; under CI=true it fails them.
Select them with `-m load`, leave them out with `-m "not load"`.
"""

import time
from pathlib import Path

import pytest

from .helpers import FIGURES, INDEX_PREFIX, ServiceError, Startup, http_json, need, tools_missing

HERE = Path(__file__).resolve().parent
# The background start-up, begun once the run's tests are known (at most one element), or its error.
STARTUP = []
STARTUP_ERRORS = []


def pytest_collection_finish(session):
    """Begin the site's slow start-up now if this run has load tests: it overlaps the tests before them."""
    if session.config.option.collectonly or tools_missing():
        return
    if any(HERE in Path(item.path).resolve().parents for item in session.items):
        try:
            STARTUP.append(Startup())
        except (ServiceError, OSError) as error:
            STARTUP_ERRORS.append(error)  # the load_site fixture reports it, in the load tests' own results


def pytest_sessionfinish(session):
    """Stop what the start-up began even when no load test got to use it (an interrupted run)."""
    while STARTUP:
        STARTUP.pop().stop()


def pytest_terminal_summary(terminalreporter):
    """The figures the load tests measured, in the run's output even when they pass."""
    if FIGURES:
        terminalreporter.section("load and fault figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def load_site():
    """The site under gunicorn with its own database and engine cluster, built once per run."""
    need(not tools_missing(), tools_missing())
    if STARTUP_ERRORS:
        pytest.fail(f"the load tests' services did not start: {STARTUP_ERRORS[0]}")
    if not STARTUP:
        STARTUP.append(Startup())  # a run whose collection did not begin it
    startup = STARTUP[0]
    waited = time.monotonic()
    try:
        site = startup.ready()
        ready = time.monotonic()
        site.manage("search_rebuild", "--no-progress")
        cluster = site.cluster
        cluster.wait_green()
        # The index asks for auto_expand_replicas 0-1: on three nodes that is one replica per shard.
        index_settings = http_json("GET", f"{cluster.urls[0]}/{INDEX_PREFIX}-discovery/_settings")
        assert [s["settings"]["index"]["number_of_replicas"] for s in index_settings.values()] == ["1"], index_settings
        site.start()
        for kind in ("pages", "search", "suggest"):
            for path in site.urls[kind]:
                status = site.get(path)[0]
                assert status == 200, f"{path} answered {status} before any load:\n{site.server_log()}"
        FIGURES.append(
            f"setup: database, content and engine cluster ready {ready - startup.began:.0f} s after collection "
            f"(the tests waited {ready - waited:.0f} s for them); index, gunicorn and first requests "
            f"{time.monotonic() - ready:.0f} s"
        )
        yield site
    finally:
        while STARTUP:
            STARTUP.pop().stop()
