"""What every part of `make bench` shares: the bench's own PostgreSQL, gunicorn, wrk, and honest verdicts.

Every figure is measured through a real server (gunicorn with production settings, on the bench's
private PostgreSQL cluster, scripts/postgres.sh on BENCH_POSTGRES_PORT) and carries the machine's
load average at the moment it was taken: this project's machine has 2 cores shared with other work,
so a figure means little without it. A measurement with wrk socket errors or any answer outside 2xx
is "failed", never "met" or "missed": its latency describes errors, not the site.
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench"
PARTS = WORK / "parts"  # each part's JSON of this run; bench/report.py joins them into bench/results/
PATHS_SCRIPT = ROOT / "bench" / "paths.lua"
GUNICORN_CONF = ROOT / "bench" / "gunicorn_conf.py"
POSTGRES_PORT = int(os.environ.get("BENCH_POSTGRES_PORT", "54349"))
# As the README deploys it: gunicorn -w $((2 * CPUS + 1)).
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
SERVER_SETTINGS = "bench.server_settings"


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_average():
    """The 1, 5 and 15 minute load averages, rounded: stored beside every figure."""
    return [round(x, 2) for x in os.getloadavg()]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def verdict(ok, failed=False):
    """ "failed" when the measurement itself had errors; otherwise "met" or "missed"."""
    if failed:
        return "failed"
    return "met" if ok else "missed"


def database_url(name):
    return f"postgres://postgres@127.0.0.1:{POSTGRES_PORT}/{name}"


def recreate_database(name, template=None):
    """An empty database of this name on the bench's cluster (or a copy of `template` and its media), whatever an
    earlier run left."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{POSTGRES_PORT}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    # The copy's rows name the template's uploads (caption files, pictures): without them its replays
    # index no transcript and log a missing file for each.
    media = WORK / f"{name}-media"
    shutil.rmtree(media, ignore_errors=True)
    if template and (WORK / f"{template}-media").is_dir():
        shutil.copytree(WORK / f"{template}-media", media)


def server_env(database, index_prefix, **extra):
    """The environment production.py requires (README, Configuration), pointed at the bench's own places."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "SEARCH_ENGINE",
            "SEARCH_ENGINE_URL",
            "OPENSEARCH_URL",
            "SEARCH_INDEX_PREFIX",
            "DJANGO_SETTINGS_MODULE",
            "PAGE_CACHE_ENABLED",
        )
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
            "SECRET_KEY": "farmcast-bench-only-" + "0" * 40,
            # Sealing signs a log checkpoint, and production settings have no key of their own: without
            # one, building the growth part's trace batches raised SigningKeyMissing. A bench-only key.
            "TLOG_SIGNING_KEY": "PRIVATE+KEY+farmcast.bench/provenance+dddfb7a2+ATDztq7/k95Q0fIWi2OcHf/Zqq/gdI+ORcu/FTA7XAyv",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": database_url(database),
            "SECURE_SSL_REDIRECT": "false",
            "CACHE_DIR": str(WORK / f"{database}-cache"),
            "MEDIA_ROOT": str(WORK / f"{database}-media"),
            "BENCH_STATIC_ROOT": str(WORK / "static"),
            "SEARCH_ENGINE_URL": os.environ.get("SEARCH_ENGINE_URL") or "http://127.0.0.1:9200",
            "SEARCH_INDEX_PREFIX": index_prefix,
            "PAGE_CACHE_ENABLED": "false",
        }
    )
    env.update(extra)
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=60):
    """(status, headers, body bytes, milliseconds) without raising on 4xx/5xx."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 — our own server
            body = response.read()
            return response.status, dict(response.headers), body, (time.perf_counter() - started) * 1000
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, dict(error.headers), body, (time.perf_counter() - started) * 1000


class Gunicorn:
    """gunicorn serving the site with production settings; `ready` once every worker has loaded the app.

    bench/gunicorn_conf.py marks each worker's readiness in a folder (so "cold" is the first request
    a worker serves, not one spent importing) and, with BENCH_QUERY_LOG set, logs each request's SQL
    query count from inside the worker.
    """

    def __init__(self, env, workers=WORKERS, name="gunicorn", preload=False, app="site_content.wsgi:application"):
        self.env = dict(env)
        self.app = app
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = WORK / f"{name}.log"
        self.ready_dir = WORK / f"{name}-ready"
        self.preload = preload
        self.process = None

    def start(self, timeout=180):
        shutil.rmtree(self.ready_dir, ignore_errors=True)
        self.ready_dir.mkdir(parents=True)
        args = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            self.app,
            "--config",
            str(GUNICORN_CONF),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
        ]
        if self.preload:
            args.append("--preload")
        self.process = subprocess.Popen(  # noqa: S603 — our own virtualenv's gunicorn
            args,
            cwd=ROOT,
            env={**self.env, "BENCH_READY_DIR": str(self.ready_dir)},
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while len(list(self.ready_dir.iterdir())) < self.workers:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited (see {self.log}):\n{self.log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: gunicorn's workers were not ready within {timeout} s (see {self.log})")
            time.sleep(0.1)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def worker_pids(self):
        return [int(p) for p in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()]

    def memory_mb(self, field="VmHWM"):
        """{pid: MB} of each worker: VmHWM is the peak resident set, VmRSS the current one."""
        out = {}
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            out[pid] = round(int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024, 1)
        return out

    def shared_memory_mb(self):
        """{pid: {"pss": MB, "private": MB}} of each worker, from /proc/<pid>/smaps_rollup.

        RSS counts pages shared with the master (the preloaded site and its dictionaries) in full in every
        worker; PSS divides each shared page among the processes that map it, and private memory is what
        one more worker costs.
        """
        out = {}
        for pid in self.worker_pids():
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()

            def kb(name, rollup=rollup):
                return int(re.search(rf"^{name}:\s+(\d+) kB", rollup, re.MULTILINE).group(1))

            out[pid] = {
                "pss": round(kb("Pss") / 1024, 1),
                "private": round((kb("Private_Clean") + kb("Private_Dirty")) / 1024, 1),
            }
        return out

    def get(self, path, timeout=60):
        return http_get(self.base + path, timeout=timeout)


def wrk(base, paths, seconds, connections, name, threads=None):
    """wrk with bench/paths.lua over `paths`: requests/s, p50/p95/p99/max ms, errors, and the load average."""
    path_file = WORK / f"{name}-paths.txt"
    path_file.write_text("\n".join(paths) + "\n")
    threads = threads or min(2, connections)
    load = load_average()
    output = subprocess.run(  # noqa: S603
        # A slow answer is measured, not dropped: wrk's 2 s default would count a queue as errors.
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout=30s", "-s", str(PATHS_SCRIPT)]  # noqa: S607
        + [base, "--", str(path_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in output.stdout.splitlines() if line.startswith("BENCHRESULT ")]
    if output.returncode != 0 or not lines:
        raise SystemExit(f"bench: wrk failed for {name}:\n{output.stdout}\n{output.stderr}")
    result = json.loads(lines[-1].removeprefix("BENCHRESULT "))
    result["requests_per_s"] = round(result["requests"] / result["seconds"], 1) if result["seconds"] else 0.0
    result["connections"] = connections
    result["load_average"] = load
    non_2xx = sum(n for status, n in result["statuses"].items() if not 200 <= int(status) < 300)
    result["errors"] = non_2xx + sum(result["socket_errors"].values())
    result["failed"] = result["errors"] > 0 or result["requests"] == 0
    return result


def sequential(base, paths, header=None):
    """Each path once, one at a time, through the server: [(status, ms, header value)]."""
    out = []
    for path in paths:
        status, headers, _body, ms = http_get(base + path)
        out.append((status, ms, headers.get(header) if header else None))
    return out


def summary(values):
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 95), 2),
        "max_ms": round(max(values), 2),
    }


def write_part(name, data):
    """This run's figures of one part (pages, search, growth, lighthouse), for bench/report.py."""
    PARTS.mkdir(parents=True, exist_ok=True)
    path = PARTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return path


def manage(env, *args, timeout=3600):
    """manage.py with the server's environment; raises with its output when it fails."""
    result = subprocess.run(  # noqa: S603 — our own interpreter and code
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result
