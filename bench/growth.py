"""`make bench`, growth: does a page's cost grow with its content, or faster?

The pages tests/growth/ holds to flat query counts (a brand with 5 and 500 products, a product with
3 and 3,000 reviews, a replay with 4 and 200 chapters, a trace page with 7 and 700 events), built by
the same code (tests/growth/content.py) into the bench's PostgreSQL, served by gunicorn (one worker,
production settings, page cache off). Each page is requested twice to warm up, then RENDERS times one
after another; the median render time of the large variant over the small one is the time ratio,
printed beside the content ratio. The SQL queries are counted inside the worker.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import WORK, Gunicorn, load_average, log, manage, recreate_database, server_env, write_part  # noqa: E402

DATABASE = "farmcast_bench_growth"
ENV = server_env(DATABASE, "farmcast-bench-growth", SEARCH_ENGINE_URL="")
RENDERS = int(os.environ.get("BENCH_GROWTH_RENDERS", "15"))


def build():
    recreate_database(DATABASE)
    manage(ENV, "migrate", "--noinput", "-v0")
    manage(ENV, "collectstatic", "--noinput", "-v0")
    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import connection

    from tests.growth import content

    built = content.build()
    connection.close()
    return built.urls, content.SIZES


def main():
    started = time.perf_counter()
    load_at_start = load_average()
    WORK.mkdir(parents=True, exist_ok=True)
    log("growth: building the small and large pages ...")
    urls, sizes = build()
    query_log = WORK / "growth-queries.log"
    query_log.unlink(missing_ok=True)
    rows = []
    with Gunicorn({**ENV, "BENCH_QUERY_LOG": str(query_log)}, workers=1, name="growth") as server:
        for name, (small_url, large_url) in urls.items():
            load = load_average()
            figures = {}
            for label, url in (("small", small_url), ("large", large_url)):
                for _ in range(2):
                    status = server.get(url)[0]
                    if status != 200:
                        raise SystemExit(f"growth: {name} {url} answered {status}")
                times = [server.get(url)[3] for _ in range(RENDERS)]
                last = query_log.read_text().splitlines()[-1]
                figures[label] = (statistics.median(times), int(last.rsplit("\t", 1)[1]))
            small, large = sizes[name]
            rows.append(
                {
                    "page": name,
                    "small": small,
                    "large": large,
                    "small_ms": round(figures["small"][0], 1),
                    "large_ms": round(figures["large"][0], 1),
                    "time_ratio": round(figures["large"][0] / figures["small"][0], 2),
                    "content_ratio": round(large / small, 1),
                    "small_sql": figures["small"][1],
                    "large_sql": figures["large"][1],
                    "load_average": load,
                }
            )
            log(f"growth: {rows[-1]}")
    write_part(
        "growth",
        {
            "server": "gunicorn, 1 sync worker, production settings, page cache off, PostgreSQL",
            "renders": RENDERS,
            "rows": rows,
            "load_average_at_start": load_at_start,
            "load_average_at_end": load_average(),
            "seconds": round(time.perf_counter() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
