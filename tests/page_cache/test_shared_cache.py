"""Two gunicorn nodes on one PostgreSQL and one Redis: a publish through one purges what the other cached."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from home.cache import HEADER
from site_content.models import SiteSettings
from tests import factories
from tests.prerequisites import missing

from .conftest import CSRF_INPUT

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "two-nodes-only"  # noqa: S105 - a throwaway admin of the test database


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} did not answer within {seconds} s")


@pytest.fixture
def redis_url(tmp_path):
    """REDIS_URL (make test starts one), else a private redis-server of this test's own."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server is missing (scripts/system-deps.sh installs it)")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - Debian's redis-server, on loopback only
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def answers():
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        wait_for(answers, "redis-server", 30)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def database_url():
    """The test database, which both nodes share; it must be a server, not SQLite's in-memory file."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        missing("two web nodes need PostgreSQL (set DATABASE_URL)")
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Node:
    """One gunicorn web node with production settings."""

    def __init__(self, name, env, log_dir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(log_dir) / f"{name}.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "site_content.wsgi:application",
                "--workers=1",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def answering(self):
        assert self.process.poll() is None, f"gunicorn exited:\n{self.log.read_text()[-3000:]}"
        try:
            return requests.get(f"{self.base}/robots.txt", timeout=30).status_code == 200
        except requests.ConnectionError:
            return False

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def nodes(redis_url, database_url, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "tests.page_cache.node_settings",
        "SECRET_KEY": "farmcast-two-nodes-only-" + "0" * 32,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "PAGE_CACHE_ENABLED": "true",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SEARCH_ENGINE_URL": "",
        "OPENSEARCH_URL": "",
    }
    started = [Node("node-a", env, tmp_path), Node("node-b", env, tmp_path)]
    try:
        for node in started:
            wait_for(node.answering, f"gunicorn {node.base}")
        yield started
    finally:
        for node in started:
            node.stop()


def publish_through(node, page, **changes):
    """Log in to node's admin as an editor would and publish `page` with `changes`."""
    session = requests.Session()
    login = session.get(f"{node.base}/admin/login/", timeout=60)
    token = CSRF_INPUT.search(login.text).group(1)
    data = {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert session.post(f"{node.base}/admin/login/", data=data, timeout=60).url.rstrip("/").endswith("/admin")
    edit_url = f"{node.base}/admin/pages/{page.pk}/edit/"
    form = querydict_from_html(session.get(edit_url, timeout=60).text, form_id="page-edit-form")
    form.update(changes)
    form["action-publish"] = "action-publish"
    # The CSRF token as the admin's own scripts send it: in a header, matching the cookie login set.
    headers = {"X-CSRFToken": session.cookies.get("csrftoken")}
    data = [(key, value) for key, values in form.lists() for value in values if key != "csrfmiddlewaretoken"]
    response = session.post(edit_url, data=data, headers=headers, timeout=120, allow_redirects=False)
    assert response.status_code == 302, response.text[-2000:]


def test_a_publish_through_one_node_purges_the_page_the_other_node_cached(nodes):
    """Node B caches /stories/; an editor publishes a change through node A; node B's next answer shows it."""
    node_a, node_b = nodes
    tree = factories.make_site_tree()
    get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)
    # The first page any node renders creates the site's settings row, which purges everything once.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    url = f"{node_b.base}{tree.stories.url}"

    first = requests.get(url, timeout=60)
    second = requests.get(url, timeout=60)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.headers[HEADER], second.headers[HEADER]) == ("miss", "hit")
    assert "采收季的第一批新米" not in second.text

    publish_through(node_a, tree.stories, introduction="采收季的第一批新米")

    after = requests.get(url, timeout=60)
    assert after.status_code == 200
    assert after.headers[HEADER] == "miss"
    assert "采收季的第一批新米" in after.text
