"""With the database unreachable, /healthz answers 503 with JSON that says so, not a 500 page."""

import json
import os
import socket
import subprocess
import sys

from django.conf import settings

PROBE = """
import json
import django
django.setup()
from django.test import Client

response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "type": response["Content-Type"], "body": response.content.decode()}))
"""


def closed_port():
    """A port nothing listens on: bound for a moment, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_reports_a_database_that_refuses_connections_with_503_json():
    """A PostgreSQL URL pointing at a closed port makes /healthz say 'database: down' with status 503."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_content.settings.test",
        "DATABASE_URL": f"postgres://farmcast:farmcast@127.0.0.1:{closed_port()}/farmcast",
    }
    for name in ("SEARCH_ENGINE_URL", "OPENSEARCH_URL"):
        env.pop(name, None)  # the engine is optional; this is about the database
    result = subprocess.run(  # noqa: S603 — our own interpreter and code
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["status"] == 503
    assert report["type"].startswith("application/json")
    body = json.loads(report["body"])
    assert body["status"] == "error"
    assert body["database"] == "down"
