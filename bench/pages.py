"""`make bench`, pages: every public page type through gunicorn, against a static-file ceiling, cold and warm.

The site runs as deployed (bench/server_settings.py: production settings, DEBUG off, gunicorn with
the README's worker count) on the bench's own PostgreSQL (scripts/postgres.sh on BENCH_POSTGRES_PORT),
filled by `load_demo` and indexed by `search_rebuild` in the real engine. Plain HTTP on 127.0.0.1.

- cold: for each page type, gunicorn is restarted with one worker and the page is that worker's first
  request (timed, and its SQL queries counted inside the worker); then a second request, warm.
- throughput: two passes, first with the anonymous page cache off (every request renders), then on.
  Each page gets wrk at 8 connections; the ceiling is a static file served by whitenoise through the
  same server, measured at the start and at the end of each pass; each page's figure is its ratio to
  the mean of those two. A page whose wrk run had a socket error or a non-2xx answer is "failed".
- memory: each worker's peak RSS (VmHWM) after the uncached pass, which served every page type;
  then a fresh server takes 10,000 mixed requests (pages, search, suggest) and each worker's current
  RSS after 1,000 and after 10,000 is compared (a leak grows it).
"""

import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    WORK,
    WORKERS,
    Gunicorn,
    load_average,
    log,
    manage,
    recreate_database,
    server_env,
    write_part,
    wrk,
)

DATABASE = "farmcast_bench_pages"
INDEX_PREFIX = "farmcast-bench-pages"
CONNECTIONS = 8
SECONDS = int(os.environ.get("BENCH_PAGE_SECONDS", "10"))
MIXED_FIRST, MIXED_TOTAL = 1_000, int(os.environ.get("BENCH_MIXED_REQUESTS", "10000"))
GOALS = {
    "ratio_to_ceiling": 0.05,
    "ratio_to_ceiling_cached": 0.60,
    "worker_peak_rss_mb": 150,
    "rss_growth_mb": 10,
}
ENV = server_env(DATABASE, INDEX_PREFIX)


def fresh_site():
    """A new database with the demo content, static files collected, and the index built in the engine."""
    recreate_database(DATABASE)
    for folder in ("CACHE_DIR", "MEDIA_ROOT"):
        shutil.rmtree(ENV[folder], ignore_errors=True)
    log("pages: migrate, load_demo, collectstatic, search_rebuild")
    manage(ENV, "migrate", "--noinput", "-v0")
    manage(ENV, "load_demo")
    manage(ENV, "collectstatic", "--noinput", "-v0")
    manage(ENV, "search_rebuild", "--no-progress")


def page_urls():
    """One URL per public page type, chosen from the demo content (read in this process, the server's settings)."""
    os.environ.update(ENV)
    import django

    django.setup()
    from django.templatetags.static import static
    from django.utils import timezone

    from brands.models import Batch, FarmBrandPage, ProductPage
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
    urls = {
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
    from django.db import connection

    connection.close()
    return urls, static("css/site.css")


def read_query_log(path):
    lines = path.read_text().splitlines() if path.exists() else []
    return [int(line.rsplit("\t", 1)[1]) for line in lines]


def cold(urls):
    """Per page: the first request of a freshly started one-worker server, then a second one (warm)."""
    out = {}
    query_log = WORK / "pages-queries.log"
    for name, url in urls.items():
        query_log.unlink(missing_ok=True)
        with Gunicorn({**ENV, "BENCH_QUERY_LOG": str(query_log)}, workers=1, name="pages-cold") as server:
            load = load_average()
            status, headers, _body, cold_ms = server.get(url)
            status_warm, _h, _b, warm_ms = server.get(url)
        counts = read_query_log(query_log)
        out[name] = {
            "url": url,
            "status": [status, status_warm],
            "cold_ms": round(cold_ms, 1),
            "warm_ms": round(warm_ms, 1),
            "sql_cold": counts[0] if counts else None,
            "sql_warm": counts[1] if len(counts) > 1 else None,
            "failed": status != 200 or status_warm != 200,
            "load_average": load,
        }
        log(f"pages [cold]: {name} {cold_ms:.0f} ms, {out[name]['sql_cold']} queries; warm {warm_ms:.0f} ms")
    return out


def run_pass(label, page_cache, urls, ceiling_url):
    """One server, the ceiling and every page under wrk; the workers' peak RSS after it."""
    shutil.rmtree(ENV["CACHE_DIR"], ignore_errors=True)
    modules_log = WORK / f"pages-{page_cache}-modules.log"
    modules_log.unlink(missing_ok=True)
    env = {**ENV, "PAGE_CACHE_ENABLED": page_cache, "BENCH_MODULES_LOG": str(modules_log)}
    with Gunicorn(env, name=f"pages-{page_cache}") as server:
        cache_states = {}
        for name, url in urls.items():
            for _ in range(2):
                status, headers, _body, _ms = server.get(url)
            cache_states[name] = headers.get("X-Farmcast-Cache")
            if status != 200:
                raise SystemExit(f"pages: {name} {url} answered {status} through gunicorn")
        log(f"pages [{label}]: warming up, then {len(urls) + 2} × {SECONDS} s of wrk at {CONNECTIONS} connections")
        for url in [ceiling_url, *urls.values()]:
            wrk(server.base, [url], 1, 2, "warm-up")
        before = wrk(server.base, [ceiling_url], SECONDS, CONNECTIONS, "ceiling")
        rows = []
        for name, url in urls.items():
            log(f"pages [{label}]: {name} {url}")
            figures = wrk(server.base, [url], SECONDS, CONNECTIONS, name.replace(" ", "-"))
            rows.append({"page": name, "url": url, "cache": cache_states[name], **figures})
        after = wrk(server.base, [ceiling_url], SECONDS, CONNECTIONS, "ceiling")
        peak = server.memory_mb("VmHWM")
    ceiling_rps = (before["requests_per_s"] + after["requests_per_s"]) / 2
    for row in rows:
        row["ratio_to_ceiling"] = round(row["requests_per_s"] / ceiling_rps, 4)
    loaded = sorted(
        {
            name
            for line in (modules_log.read_text() if modules_log.exists() else "").splitlines()
            for name in line.split("\t")[1].split(",")
            if name
        }
    )
    return {
        "ceiling": {"url": ceiling_url, "before": before, "after": after, "requests_per_s": round(ceiling_rps, 1)},
        "pages": rows,
        "worker_peak_rss_mb": list(peak.values()),
        "dictionaries_loaded_in_workers": loaded,
    }


def mixed_requests(urls):
    """A fresh server takes MIXED_TOTAL requests over pages, search and suggest (8 at a time, page cache off):
    each worker's RSS after the first 1,000 and after all of them."""
    searches = [f"/search/?q={quote(q)}" for q in ("大米", "五常", "rice", "wuchang", "脐橙", "honey", "有机")]
    suggests = [f"/search/suggest/?q={quote(q)}" for q in ("五", "wu", "大", "ri", "qich")]
    mix = [*urls.values(), *searches, *suggests]
    with Gunicorn(ENV, name="pages-mixed") as server:

        def fetch(i):
            return server.get(mix[i % len(mix)])[0]

        with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
            statuses = list(pool.map(fetch, range(MIXED_FIRST)))
            after_first = server.memory_mb("VmRSS")
            load_first = load_average()
            statuses += list(pool.map(fetch, range(MIXED_FIRST, MIXED_TOTAL)))
        after_all = server.memory_mb("VmRSS")
        peak = server.memory_mb("VmHWM")
        shared = server.shared_memory_mb()
    growth = {pid: round(after_all[pid] - after_first[pid], 1) for pid in after_all}
    errors = sum(1 for s in statuses if s != 200)
    return {
        "requests": len(statuses),
        "errors": errors,
        "failed": errors > 0,
        "rss_after_first_mb": list(after_first.values()),
        "rss_after_all_mb": list(after_all.values()),
        "rss_growth_mb": list(growth.values()),
        "peak_rss_mb": list(peak.values()),
        "pss_mb": [m["pss"] for m in shared.values()],
        "private_mb": [m["private"] for m in shared.values()],
        "first": MIXED_FIRST,
        "load_average_after_first": load_first,
        "load_average": load_average(),
    }


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("pages: wrk is missing (apt-get install wrk)")
    started = time.perf_counter()
    load_at_start = load_average()
    WORK.mkdir(parents=True, exist_ok=True)
    fresh_site()
    urls, ceiling_url = page_urls()
    cold_figures = cold(urls)
    passes = {"no page cache": run_pass("no page cache", "false", urls, ceiling_url)}
    log(f"pages: {MIXED_TOTAL} mixed requests for the memory check")
    mixed = mixed_requests(urls)
    passes["page cache"] = run_pass("page cache", "true", urls, ceiling_url)
    write_part(
        "pages",
        {
            "settings": "bench.server_settings (production settings, DEBUG off), PostgreSQL, load_demo content",
            "server": f"gunicorn, {WORKERS} sync workers",
            "load": f"wrk -c{CONNECTIONS} -d{SECONDS}s per page, bench/paths.lua",
            "cold": cold_figures,
            "passes": passes,
            "mixed": mixed,
            "goals": GOALS,
            "load_average_at_start": load_at_start,
            "load_average_at_end": load_average(),
            "seconds": round(time.perf_counter() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
