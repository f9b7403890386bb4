"""gunicorn.conf.py, the configuration gunicorn reads when started in the project's root (README, Deployment):
the text dictionaries a query needs are loaded once in the master and shared by the workers it forks."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
DICTIONARIES = ("opencc", "pypinyin", "rjieba")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kb(rollup, name):
    return int(re.search(rf"^{name}:\s+(\d+) kB", rollup, re.MULTILINE).group(1))


def test_the_master_preloads_the_site_and_loads_the_query_dictionaries_before_forking():
    """preload_app is on, and when_ready (run in the master before the first fork) loads all three dictionaries
    and freezes the collector, so a worker's collections do not copy the shared objects."""
    script = (
        "import gc, json, runpy, sys\n"
        "names = sys.argv[1:]\n"
        "conf = runpy.run_path('gunicorn.conf.py')\n"
        "before = [m for m in names if m in sys.modules]\n"
        "conf['when_ready'](None)\n"
        "print(json.dumps({'preload': conf['preload_app'], 'before': before,\n"
        "    'after': [m for m in names if m in sys.modules], 'frozen': gc.get_freeze_count()}))\n"
    )
    out = subprocess.run(  # noqa: S603 — our own interpreter
        [sys.executable, "-c", script, *DICTIONARIES], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["preload"] is True
    assert result["before"] == [], "the dictionaries must load in when_ready, not at import"
    assert result["after"] == list(DICTIONARIES)
    assert result["frozen"] > 0


def test_a_forked_worker_shares_the_dictionaries_with_the_master():
    """A real gunicorn started in the project's root: at least 60 MB of its worker's resident memory is shared
    with the master (the dictionaries are ~100 MB; a worker that loaded its own would hold them privately)."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_content.settings.test"}
    server = subprocess.Popen(  # noqa: S603 — our own virtualenv's gunicorn
        [str(GUNICORN), "site_content.wsgi:application", "--workers=1", f"--bind=127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        deadline = time.monotonic() + 120
        while not children.read_text().split():
            assert server.poll() is None, server.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "gunicorn forked no worker within 120 s"
            time.sleep(0.2)
        worker = int(children.read_text().split()[0])
        rollup = Path(f"/proc/{worker}/smaps_rollup").read_text()
        shared_mb = (_kb(rollup, "Rss") - _kb(rollup, "Private_Clean") - _kb(rollup, "Private_Dirty")) / 1024
        assert shared_mb >= 60, f"the worker shares only {shared_mb:.0f} MB with the master"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
