"""Load and fault tests: the site as deployed, under wrk, while its database and engine are stopped.

One site serves every test in this folder: gunicorn (2 sync workers, production settings, DEBUG
off, plain HTTP) on its own PostgreSQL cluster (127.0.0.1:54339, scripts/postgres.sh) with its own
three-node OpenSearch cluster (HTTP 9251-9253, transport 19351-19353, scripts/search-engine.sh, one
JVM per node so one can be stopped), filled with a small real site from tests/factories.py. Nothing
here touches the suite's database or the shared engine on 9200, so stopping these is safe.

Each test leaves the services as it found them (running, the cluster green). Locally a missing tool
(wrk, PostgreSQL's server, Java) skips these tests with the reason; under CI=true it fails them.
Select them with `-m load`, leave them out with `-m "not load"`.
"""

import glob
import shutil
import subprocess
import sys
import time

import pytest

from .helpers import (
    ENGINE_PORT,
    FIGURES,
    INDEX_PREFIX,
    ROOT,
    Database,
    EngineCluster,
    Site,
    clean_env,
    http_json,
    need,
)


def pytest_configure(config):
    config.addinivalue_line("markers", "load: load and fault tests against the site under gunicorn (tests/load/)")


def pytest_terminal_summary(terminalreporter):
    """The figures the load tests measured, in the run's output even when they pass."""
    if FIGURES:
        terminalreporter.section("load and fault figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def load_site(tmp_path_factory):
    """The site under gunicorn with its own database and engine cluster, built once per run."""
    need(shutil.which("wrk"), "wrk is missing (apt-get install wrk; scripts/system-deps.sh installs it)")
    need(shutil.which("java"), "Java is missing: the load tests run their own OpenSearch cluster")
    need(shutil.which("curl"), "curl is missing: scripts/search-engine.sh needs it")
    need(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), "PostgreSQL's server is missing (apt-get install postgresql)")
    work = tmp_path_factory.mktemp("load")
    cluster = EngineCluster(work)
    database = Database()
    site = Site(work, cluster, database)

    started = time.monotonic()
    if not cluster.running():
        # A fresh cluster each run: data from an earlier run of these tests is of no use.
        shutil.rmtree(ROOT / "var" / f"opensearch-{ENGINE_PORT}", ignore_errors=True)
    engine_start = cluster.launch("start")  # ~30 s of JVM start-up, overlapped with the database work
    try:
        database.run("start")
        database.recreate()
        collect = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=site.env,
            stdout=(work / "collectstatic.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        # Built under the test settings with no engine: the index is built once, below, by search_rebuild.
        build_env = clean_env(DJANGO_SETTINGS_MODULE="site_content.settings.test", DATABASE_URL=database.url)
        site.urls = site.site_command("build", env=build_env)
        built = time.monotonic()
        assert collect.wait(timeout=300) == 0, (work / "collectstatic.log").read_text()[-3000:]
        cluster.finish(engine_start)
        engine_ready = time.monotonic()
        site.manage("search_rebuild", "--no-progress")
        # One replica per shard, as on a real cluster: the index's own settings keep none (see the README).
        http_json("PUT", f"{cluster.urls[0]}/{INDEX_PREFIX}-discovery/_settings", {"index": {"number_of_replicas": 1}})
        cluster.wait_green()
        indexed = time.monotonic()
        site.start()
        for kind in ("pages", "search", "suggest"):
            for path in site.urls[kind]:
                status = site.get(path)[0]
                assert status == 200, f"{path} answered {status} before any load:\n{site.server_log()}"
        FIGURES.append(
            f"setup {time.monotonic() - started:.0f} s: database, migrate and content {built - started:.0f} s; "
            f"engine cluster up after {engine_ready - started:.0f} s; index built and green "
            f"{indexed - engine_ready:.0f} s; gunicorn serving {time.monotonic() - indexed:.0f} s"
        )
        yield site
    finally:
        site.stop()
        if engine_start.poll() is None:
            engine_start.wait(timeout=240)
        cluster.run("stop")
        database.run("stop")
