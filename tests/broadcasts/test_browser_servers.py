"""Seeking in a real browser against real servers: `make run`'s (runserver, DEBUG) and gunicorn with production settings.

Each server reads a small site built by tests/broadcasts/served_site.py (a 40 s replay with four chapters
and Chinese captions). Chromium must be able to seek, which needs byte ranges from whatever serves the
video: every chapter click lands within 1 s of its start, ?t=20 starts at 20 s, a transcript line seeks,
`video.seekable` covers the whole clip, and a ?t= that names no moment starts at 0.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.load.helpers import clean_env, free_port, http_get

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SERVERS = ["runserver", "gunicorn"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The built site and its two servers: {"runserver": base URL, "gunicorn": base URL, "site": what was built}."""
    work = tmp_path_factory.mktemp("served-site")
    common = {
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "OPENSEARCH_URL": "",
        "CACHE_DIR": str(work / "cache"),
    }
    built = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.broadcasts.served_site"],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="site_content.settings.dev", **common),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    site = json.loads(built.stdout.strip().splitlines()[-1])
    ports = {name: free_port() for name in SERVERS}
    commands = {
        # What `make run` starts (Makefile), without the reloader's second process.
        "runserver": (
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{ports['runserver']}"],
            {"DJANGO_SETTINGS_MODULE": "site_content.settings.dev"},
        ),
        "gunicorn": (
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "site_content.wsgi:application",
                "--workers=2",
                f"--bind=127.0.0.1:{ports['gunicorn']}",
            ],
            {
                "DJANGO_SETTINGS_MODULE": "tests.broadcasts.server_settings",
                "SECRET_KEY": "farmcast-browser-tests-only-" + "0" * 32,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_SSL_REDIRECT": "false",
            },
        ),
    }
    processes = {}
    try:
        for name, (command, env) in commands.items():
            log = (work / f"{name}.log").open("w")
            processes[name] = subprocess.Popen(  # noqa: S603 - our own servers
                command,
                cwd=ROOT,
                env=clean_env(**common, **env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for name, process in processes.items():
            wait_for(f"http://127.0.0.1:{ports[name]}/robots.txt", process, work / f"{name}.log")
        yield {**{name: f"http://127.0.0.1:{port}" for name, port in ports.items()}, "site": site}
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def wait_for(url, process, log):
    deadline = time.monotonic() + 180  # a busy machine imports Django slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited:\n{log.read_text()[-3000:]}"
        try:
            if http_get(url, timeout=30)[0] == 200:
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer within 180 s:\n{log.read_text()[-3000:]}")


VIDEO = "document.getElementById('replay-video')"


def open_replay(page, base, site, query=""):
    response = page.goto(f"{base}{site['url']}{query}")
    assert response.status == 200
    page.wait_for_function(f"{VIDEO}.readyState >= 1")
    return page


def wait_until_near(page, seconds):
    page.wait_for_function(f"Math.abs({VIDEO}.currentTime - {seconds}) < 1", timeout=15000)


@pytest.mark.parametrize("server", SERVERS)
def test_every_chapter_click_moves_the_video_to_its_start(served, page, server):
    """Each chapter link, clicked in turn (forwards, then back to the first), moves currentTime within 1 s of it."""
    open_replay(page, served[server], served["site"])
    chapters = served["site"]["chapters"]
    for start in [*chapters[1:], chapters[0]]:
        page.click(f"a.chapter-link[data-seek='{start}']")
        wait_until_near(page, start)


@pytest.mark.parametrize("server", SERVERS)
def test_a_shared_link_starts_at_twenty_seconds(served, page, server):
    """Opening ?t=20 starts the video at 0:20."""
    open_replay(page, served[server], served["site"], "?t=20")
    wait_until_near(page, 20)


@pytest.mark.parametrize("server", SERVERS)
def test_a_transcript_line_seeks(served, page, server):
    """Clicking the 0:25 transcript line moves the video there."""
    open_replay(page, served[server], served["site"])
    page.click("#t-25 a")
    wait_until_near(page, 25)


@pytest.mark.parametrize("server", SERVERS)
def test_the_whole_clip_is_seekable_and_captions_load(served, page, server):
    """video.seekable is one range from 0 to the end (the server answers byte ranges), and the captions load."""
    open_replay(page, served[server], served["site"])
    page.wait_for_function(f"{VIDEO}.seekable.length > 0 && {VIDEO}.seekable.end(0) > 0")
    seekable = page.evaluate(
        f"[{VIDEO}.seekable.length, {VIDEO}.seekable.start(0), {VIDEO}.seekable.end(0), {VIDEO}.duration]"
    )
    assert seekable[0] == 1 and seekable[1] == 0
    assert seekable[2] >= seekable[3] - 0.5 >= served["site"]["seconds"] - 1
    page.wait_for_function("document.querySelector('#replay-video track').readyState === 2", timeout=15000)


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("value", ["abc", "-5", "999", "20abc"])
def test_a_moment_that_is_not_one_starts_at_zero(served, page, server, value):
    """?t= that is not a whole second, negative or past the end: the page answers 200 and the video starts at 0."""
    open_replay(page, served[server], served["site"], f"?t={value}#t={value}")
    page.wait_for_timeout(300)  # give a wrong seek the chance to happen
    assert page.evaluate(f"{VIDEO}.currentTime") < 1
