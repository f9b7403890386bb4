"""`make bench`, relevance: the yardstick (search/data/yardstick.txt) on the demo, per category and path.

On the bench's PostgreSQL, a copy of the pages part's demo (or a fresh `load_demo` when run alone),
with its own index prefix: recall@3 and nDCG@10 for the engine (its _rank_eval API) and the database
fallback, with the synonym dictionary and without it (what the dictionary is worth); then, through
gunicorn with production settings (its file cache shared by the workers):
- expansion: /search/ latency of every judged query with the dictionary and with none, on each path;
- apply latency: from saving a new synonym group (in this process) to the first /search/ answer of a
  worker that uses it, on each path: no rebuild, no restart.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    WORK,
    Gunicorn,
    load_average,
    log,
    manage,
    percentile,
    recreate_database,
    server_env,
    write_part,
)

DATABASE = "farmcast_bench_yardstick"
PREFIX = "farmcast-bench-yardstick"
ENV = server_env(DATABASE, PREFIX)
APPLY_TRIES = 5
PATHS = ("engine", "fallback")


def build():
    """The demo in this part's database, Wagtail's database index filled, the engine index built."""
    template = os.environ.get("BENCH_DEMO_DATABASE")
    recreate_database(DATABASE, template=template)
    if not template:
        manage(ENV, "migrate", "--noinput", "-v0")
        manage(ENV, "load_demo")
    manage(ENV, "load_synonyms")
    manage(ENV, "collectstatic", "--noinput", "-v0")
    # What a worker keeps current on every publish; load_demo's index tasks wait for a worker.
    manage(ENV, "update_index", "--backend", "database" if ENV.get("SEARCH_ENGINE_URL") else "default")
    manage(ENV, "search_rebuild", "--no-progress")
    os.environ.update(ENV)
    import django

    django.setup()


def measure():
    from search import labels, synonyms, yardstick

    labels.forget()
    synonyms.forget()
    return {path: yardstick.summarise(yardstick.evaluate(path)) for path in PATHS}


def latencies(judged):
    """/search/ wall milliseconds of every judged query, on each path, through gunicorn."""
    found = {}
    for path in PATHS:
        env = dict(ENV, SEARCH_ENGINE_URL="") if path == "fallback" else ENV
        with Gunicorn(env, workers=1, name=f"yardstick-{path}") as server:
            walls = []
            for judgement in judged[:5] + judged:  # the first five warm up
                prefix = "/en" if judgement.site == "en" else ""
                status, _headers, _body, ms = server.get(f"{prefix}/search/?q={quote(judgement.query)}")
                if status != 200:
                    raise SystemExit(f"yardstick: {judgement.query!r} answered {status} on the {path} path")
                walls.append(ms)
            found[path] = walls[5:]
    return found


def apply_latency():
    """Milliseconds from saving a synonym group to a worker's search that finds a page only through it."""
    from search.models import Synonym

    found = {}
    for path in PATHS:
        env = dict(ENV, SEARCH_ENGINE_URL="") if path == "fallback" else ENV
        times = []
        with Gunicorn(env, workers=2, name=f"yardstick-apply-{path}") as server:
            for n in range(APPLY_TRIES):
                word = "试验词" + "甲乙丙丁戊己庚辛"[n] + "天地"[PATHS.index(path)]
                url = f"/search/?q={quote(word)}"
                if "result-list" in server.get(url)[2].decode():
                    raise SystemExit(f"yardstick: {word} found something before its synonym existed")
                started = time.perf_counter()
                group = Synonym.objects.create(terms=f"{word}, 五常大米")
                while "result-list" not in server.get(url)[2].decode():
                    if time.perf_counter() - started > 30:
                        raise SystemExit(f"yardstick: a saved synonym did not apply within 30 s ({path})")
                times.append((time.perf_counter() - started) * 1000)
                group.delete()
        found[path] = times
    return found


def part(summary):
    return {
        "recall_at_3": round(summary.recall, 3),
        "ndcg_at_10": round(summary.ndcg, 3),
        "queries": summary.queries,
        "by_category": {
            c: {"recall_at_3": round(r, 3), "ndcg_at_10": round(n, 3), "queries": q}
            for c, (r, n, q) in summary.by_category.items()
        },
    }


def main():
    started = time.perf_counter()
    load_at_start = load_average()
    WORK.mkdir(parents=True, exist_ok=True)
    log("yardstick: the demo, Wagtail's database index and the engine index ...")
    build()
    from search import engine, synonyms, yardstick
    from search.models import Synonym

    judged = yardstick.judgements()
    log(f"yardstick: {len(judged)} judged queries, with the synonym dictionary ...")
    with_dictionary = measure()
    timing = latencies(judged)
    applied = apply_latency()
    log("yardstick: without the synonym dictionary ...")
    kept = list(Synonym.objects.all())
    Synonym.objects.all().delete()
    synonyms.forget()
    without_dictionary = measure()
    timing_without = latencies(judged)
    Synonym.objects.bulk_create(kept)
    synonyms.forget()
    engine.get_client(timeout=60).indices.delete(index=f"{PREFIX}-*", ignore_unavailable=True, allow_no_indices=True)

    data = {
        "judged_queries": len(judged),
        "floors": {"engine": 0.9, "fallback": 0.8},
        "with_synonyms": {p: part(s) for p, s in with_dictionary.items()},
        "without_synonyms": {p: part(s) for p, s in without_dictionary.items()},
        "search_ms": {
            p: {
                "with_synonyms_p50": round(statistics.median(timing[p]), 1),
                "with_synonyms_p95": round(percentile(timing[p], 95), 1),
                "without_synonyms_p50": round(statistics.median(timing_without[p]), 1),
                "without_synonyms_p95": round(percentile(timing_without[p], 95), 1),
            }
            for p in PATHS
        },
        "synonym_apply_ms": {
            p: {"median": round(statistics.median(t), 1), "max": round(max(t), 1)} for p, t in applied.items()
        },
        "load_average_at_start": load_at_start,
        "load_average_at_end": load_average(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    path = write_part("yardstick", data)
    print("\nRelevance yardstick, with the synonym dictionary (recall@3 floors: engine 0.9, fallback 0.8)")
    print(yardstick.table(with_dictionary))
    print("\nWithout the synonym dictionary")
    print(yardstick.table(without_dictionary))
    print("\n/search/ latency of the judged queries through gunicorn, p50 / p95 ms")
    for p, t in data["search_ms"].items():
        print(
            f"  {p:<9} with synonyms {t['with_synonyms_p50']} / {t['with_synonyms_p95']}"
            f"   without {t['without_synonyms_p50']} / {t['without_synonyms_p95']}"
        )
    print("\nA synonym group saved applies to the next search (no rebuild), median / max ms")
    for p, t in data["synonym_apply_ms"].items():
        print(f"  {p:<9} {t['median']} / {t['max']}")
    print(f"\n(part written to {path})")


if __name__ == "__main__":
    main()
