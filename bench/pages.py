"""`make bench`, pages: every public page type under gunicorn and wrk, against a static-file ceiling.

The site runs as it does in production (production settings, DEBUG off, 2 gunicorn workers) on a
throwaway SQLite database under var/bench/ filled by `load_demo`; plain HTTP on 127.0.0.1, so
SECURE_SSL_REDIRECT is off. Two passes over the same pages with the same load: first with the
anonymous page cache off (every request renders), then with it on (PAGE_CACHE_ENABLED, the file
cache production uses; the first request of each page fills it). Each URL gets `wrk` at 8
connections for 10 seconds. The ceiling is a static file served by whitenoise through the same
server in the same pass, so every page's figure is a ratio on this machine, not an absolute number.
The SQL queries each page makes are counted in this process with the test client (uncached, and on
a cache hit), and the workers' peak RSS is read from /proc after each pass. Run by scripts/bench.sh;
`wrk` is Debian's package.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
DB = BENCH_DIR / "pages.sqlite3"
GUNICORN_LOG = BENCH_DIR / "pages-gunicorn.log"
CONNECTIONS = 8
SECONDS = int(os.environ.get("BENCH_PAGE_SECONDS", "10"))
WORKERS = 2
GOALS = {"ratio_to_ceiling": 0.05, "ratio_to_ceiling_cached": 0.30, "worker_peak_rss_mb": 150}
PASSES = {"no page cache": "false", "page cache": "true"}

# The environment production.py requires, pointed at throwaway places.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "site_content.settings.production",
    "SECRET_KEY": "farmcast-bench-pages-only-" + "0" * 32,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DATABASE_URL": f"sqlite:///{DB}",
    "SECURE_SSL_REDIRECT": "false",
    "CACHE_DIR": str(BENCH_DIR / "page-cache"),
    "MEDIA_ROOT": str(BENCH_DIR / "media"),
    "SEARCH_INDEX_PREFIX": "farmcast-bench-pages",
    # Off while loading the demo and counting queries; each gunicorn pass sets its own.
    "PAGE_CACHE_ENABLED": "false",
}
os.environ.update(SERVER_ENV)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from home.cache import HEADER  # noqa: E402


def log(message):
    print(message, file=sys.stderr, flush=True)


def fresh_site():
    """A new database with the demo content, collected static files, and the search index if an engine runs."""
    DB.parent.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    shutil.rmtree(SERVER_ENV["CACHE_DIR"], ignore_errors=True)
    devnull = open(os.devnull, "w")  # noqa: SIM115 — closed at exit
    log("pages: migrate, load_demo, collectstatic")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=devnull)
    call_command("collectstatic", verbosity=0, interactive=False)
    from search import engine

    if engine.is_configured():
        try:
            call_command("search_rebuild", stdout=devnull, stderr=devnull)
            return "engine"
        except Exception as error:  # noqa: BLE001 — the bench goes on with the fallback and says so
            log(f"pages: engine unavailable ({error}); search runs on the database fallback")
    return "database fallback"


def page_urls():
    """One URL per public page type, chosen from the demo content."""
    from django.utils import timezone

    from brands.models import FarmBrandPage, ProductPage
    from brands.models.provenance import Batch
    from stories.models import BrandStoryPage, BroadcastReplayPage, PolicyNewsPage

    def first(model, **filters):
        page = model.objects.live().filter(locale__language_code="zh-hans", **filters).order_by("path").first()
        if page is None:
            raise SystemExit(f"pages: load_demo made no live {model.__name__}")
        return page.get_url()

    policy = (
        PolicyNewsPage.objects.live()
        .filter(locale__language_code="zh-hans", regions__isnull=False, topics__isnull=False)
        .order_by("path")
        .first()
    )
    listing = {"region": policy.regions.first().slug, "topic": policy.topics.first().slug}
    batch = Batch.objects.order_by("pk").first()
    return {
        "home": "/",
        "brand": first(FarmBrandPage),
        "product": first(ProductPage),
        "story": first(BrandStoryPage),
        "replay": first(BroadcastReplayPage, scheduled_end__lt=timezone.now()),
        "policy item": policy.get_url(),
        "policy listing (filtered)": "/policy/?" + urlencode(listing),
        "search": "/search/?q=" + quote("大米"),
        "trace": f"/trace/{batch.display_code}/",
    }


def count_queries(urls):
    """SQL queries per page on a warm process, as a second request sees them: uncached, and a cache hit."""
    client = Client()
    counts = {}
    for name, url in urls.items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"pages: {name} {url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[name] = {"uncached": len(queries)}
    with override_settings(PAGE_CACHE_ENABLED=True):
        for name, url in urls.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            counts[name]["cache_hit"] = len(queries) if response.get(HEADER) == "hit" else None
    shutil.rmtree(SERVER_ENV["CACHE_DIR"], ignore_errors=True)  # the gunicorn pass starts cold
    return counts


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port, page_cache):
    server = subprocess.Popen(  # noqa: S603 — our own virtualenv's gunicorn
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "site_content.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "PAGE_CACHE_ENABLED": page_cache},
        # Its own log file: an inherited stdout would keep a caller's pipe open if this script died.
        stdout=GUNICORN_LOG.open("a"),
        stderr=subprocess.STDOUT,
    )
    return server


def wait_until_serving(port):
    # Workers import Django on their first request; on a busy machine that takes seconds.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=30) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"pages: gunicorn did not answer within 120 s (see {GUNICORN_LOG})")


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def peak_rss_mb(pid):
    match = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
    return round(int(match.group(1)) / 1024, 1)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS[unit], 2)


def run_wrk(url):
    """wrk's requests/s, p50 and p99 latency (ms), and how many answers were not 2xx/3xx or failed."""
    output = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],  # noqa: S607 — Debian's wrk
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s*(50|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.MULTILINE))
    if set(latency) != {"50", "99"}:
        raise SystemExit(f"pages: could not read wrk's latency distribution for {url}:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def check_status(base, urls):
    """Every page answers 200; returns what the page cache said of each on a second request."""
    states = {}
    for name, url in urls.items():
        for _ in range(2):
            with urllib.request.urlopen(base + url, timeout=30) as response:  # noqa: S310 — our own server
                if response.status != 200:
                    raise SystemExit(f"pages: {name} answered {response.status} through gunicorn")
                states[name] = response.headers.get(HEADER)
    return states


def run_pass(label, page_cache, urls, ceiling_url, queries):
    """One gunicorn, the ceiling and every page under wrk: rows, ceiling and workers' peak RSS."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    shutil.rmtree(SERVER_ENV["CACHE_DIR"], ignore_errors=True)
    server = start_gunicorn(port, page_cache)
    try:
        wait_until_serving(port)
        states = check_status(base, {**urls, "static ceiling": ceiling_url})
        log(f"pages [{label}]: warming up, then {len(urls) + 1} × {SECONDS} s of wrk at {CONNECTIONS} connections")
        for url in [ceiling_url, *urls.values()]:
            subprocess.run(["wrk", "-t2", "-c2", "-d1s", base + url], capture_output=True, check=True)  # noqa: S603, S607
        ceiling = run_wrk(base + ceiling_url)
        rows = []
        for name, url in urls.items():
            log(f"pages [{label}]: {name} {url}")
            figures = run_wrk(base + url)
            figures["ratio_to_ceiling"] = round(figures["requests_per_s"] / ceiling["requests_per_s"], 4)
            sql = queries[name]["cache_hit" if page_cache == "true" else "uncached"]
            rows.append({"page": name, "url": url, "sql_queries": sql, "cache": states[name], **figures})
        workers = {pid: peak_rss_mb(pid) for pid in worker_pids(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"ceiling": {"url": ceiling_url, **ceiling}, "pages": rows, "worker_peak_rss_mb": workers}


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("pages: wrk is missing (apt-get install wrk)")
    started = time.perf_counter()
    search_backend = fresh_site()
    urls = page_urls()
    ceiling_url = static("css/site.css")
    queries = count_queries(urls)
    connection.close()

    GUNICORN_LOG.write_text("")
    passes = {label: run_pass(label, flag, urls, ceiling_url, queries) for label, flag in PASSES.items()}

    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": "site_content.settings.production (DEBUG off), SQLite, load_demo content",
        "server": f"gunicorn, {WORKERS} sync workers",
        "load": f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s",
        "search_backend": search_backend,
        "machine": {"cpus": os.cpu_count(), "load_average_at_end": os.getloadavg()},
        "passes": passes,
        "goals": GOALS,
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = ROOT / "bench" / "results" / f"pages-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_table(result)
    print(f"\nJSON: {out.relative_to(ROOT)}")


def print_table(r):
    def verdict(ok):
        return "met" if ok else "MISSED"

    print(f"\nPage benchmark ({r['server']}, {r['load']}, search on the {r['search_backend']})")
    for label, figures in r["passes"].items():
        cached = label == "page cache"
        goal = GOALS["ratio_to_ceiling_cached" if cached else "ratio_to_ceiling"]
        ceiling = figures["ceiling"]
        header = ("page", "req/s", "p50 ms", "p99 ms", "of ceiling", "SQL", "cache", "errors", f"goal ≥ {goal:.0%}")
        rows = [
            (
                "static file (ceiling)",
                f"{ceiling['requests_per_s']:.0f}",
                f"{ceiling['p50_ms']}",
                f"{ceiling['p99_ms']}",
                "100%",
                "0",
                "",
                str(ceiling["errors"]),
                "",
            )
        ]
        for p in figures["pages"]:
            rows.append(
                (
                    p["page"],
                    f"{p['requests_per_s']:.0f}",
                    f"{p['p50_ms']}",
                    f"{p['p99_ms']}",
                    f"{p['ratio_to_ceiling']:.1%}",
                    str(p["sql_queries"]),
                    p["cache"] or "",
                    str(p["errors"]),
                    verdict(p["ratio_to_ceiling"] >= goal),
                )
            )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        print(f"\n{label}:")
        for row in [header, *rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        peak = max(figures["worker_peak_rss_mb"].values())
        rss = ", ".join(f"{mb} MB" for mb in figures["worker_peak_rss_mb"].values())
        rss_goal = GOALS["worker_peak_rss_mb"]
        print(f"gunicorn worker peak RSS (VmHWM): {rss}; goal < {rss_goal} MB: {verdict(peak < rss_goal)}")


if __name__ == "__main__":
    main()
