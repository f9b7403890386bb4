"""`make bench`, search: indexing throughput, query and suggest latency, and the database fallback.

Run by scripts/bench.sh (which starts the engine if needed). Every figure is measured in this run,
on this machine, and compared with a baseline measured in the same run: the project's indexing
path against a raw helpers.bulk of the same prepared documents, and engine search against the
database fallback on the same query mix.
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from bench.generate import EN, ZH, Generator  # noqa: E402
from search import engine  # noqa: E402
from search.documents import SEARCHABLE_MODELS, create_index, finish_bulk_load  # noqa: E402
from search.indexing import REBUILD_BATCH_SIZE, bulk_load, default_workers  # noqa: E402

TOTAL = int(os.environ.get("BENCH_DOCUMENTS", "50000"))
QUERIES = 200
FALLBACK_PAGES = int(os.environ.get("BENCH_FALLBACK_PAGES", "5000"))
GOALS = {"index_ratio": 0.5, "search_p95_ms": 50, "fallback_speedup": 10, "suggest_p95_ms": 20}


def log(message):
    print(message, file=sys.stderr, flush=True)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fresh_database():
    db = Path(settings.DATABASES["default"]["NAME"])
    db.parent.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 — regions, categories, skeleton tree


def drop_bench_indices(client):
    client.indices.delete(index=f"{engine.index_prefix()}-*", ignore_unavailable=True, allow_no_indices=True)


def index_through_project(client):
    """What search_rebuild does (create_index, bulk_load with its default workers, finish_bulk_load), timed.

    Returns the documents too, read back from the request bodies after the clock stops, for the raw baseline.
    """
    bodies = []
    started = time.perf_counter()
    index = create_index(client, bulk_load=True)
    bulk_load(client, index, keep_bodies=bodies)
    finish_bulk_load(client, index)
    seconds = time.perf_counter() - started
    client.indices.put_alias(index=index, name=engine.alias_name())
    docs = {}
    for body in bodies:
        lines = body.decode().splitlines()
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            docs[json.loads(action)["index"]["_id"]] = json.loads(source)
    return docs, seconds


def index_raw(client, docs):
    """The same prepared documents through a bare helpers.bulk into an index with the same settings."""
    index = create_index(client, f"{engine.alias_name()}-raw", bulk_load=True)
    actions = ({"_index": index, "_id": pid, "_source": doc} for pid, doc in docs.items())
    started = time.perf_counter()
    engine.bulk(client, actions, chunk_size=REBUILD_BATCH_SIZE)
    finish_bulk_load(client, index)
    seconds = time.perf_counter() - started
    client.indices.delete(index=index)
    return seconds


def query_mix(lot_codes, seed=7):
    """200 search URLs: Chinese and English words, pinyin, typos, lot codes; facets, sorts, pages."""
    rng = random.Random(seed)
    zh_terms = ZH["products"] + ZH["places"] + [p + w for p in ZH["places"][:6] for w in ZH["products"][:4]]
    en_terms = EN["products"] + EN["places"] + ["organic rice", "hairy crab yangcheng", "oranges gannan"]
    pinyin = ["wuchang", "wuchangdami", "wcdm", "qicheng", "dazhaxie", "gouqi", "mihoutao"]
    typos = ["oranegs", "hony", "walnts", "kiwifriut", "organik rice"]
    filters = [
        {},
        {},
        {"type": "product"},
        {"type": "policy"},
        {"season": str(rng.randint(1, 12))},
        {"certification": "organic"},
        {"region": "230000"},
        {"type": "replay"},
    ]
    sorts = ["relevance", "relevance", "relevance", "newest", "price_asc", "sales", "rating"]
    urls = []
    for i in range(QUERIES):
        roll = i % 10
        if roll < 5:
            prefix, q = "/search/", rng.choice(zh_terms)
        elif roll < 7:
            prefix, q = "/en/search/", rng.choice(en_terms)
        elif roll == 7:
            prefix, q = "/search/", rng.choice(pinyin)
        elif roll == 8:
            prefix, q = "/en/search/", rng.choice(typos)
        else:
            code = rng.choice(lot_codes) if lot_codes else "WC7K3MXP"
            prefix, q = "/search/", f"{code[:4]}-{code[4:]}" if rng.random() < 0.5 else code
        params = {"q": q, **rng.choice(filters), "sort": rng.choice(sorts), "page": rng.choice(["1", "1", "1", "2"])}
        urls.append((prefix, params))
    return urls


def suggest_mix(seed=11):
    rng = random.Random(seed)
    typed = [t[:n] for t in ["wuchangdami", "dazhaxie", "qicheng", "gouqi"] for n in (2, 4, 6)]
    typed += [p[:n] for p in ZH["places"] for n in (1, 2)] + ["wc", "wcdm", "五常大", "赣南脐"]
    return [rng.choice(typed) for _ in range(QUERIES)]


def run_searches(client, urls):
    walls, took = [], []
    for prefix, params in urls:
        started = time.perf_counter()
        response = client.get(prefix, params)
        walls.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (prefix, params, response.status_code)
        timing = response.get("Server-Timing", "")
        for part in timing.split(","):
            name, _, rest = part.strip().partition(";")
            if name == "engine":
                took.append(float(rest.split("dur=")[1]))
    return walls, took


def index_fallback(n_pages):
    """Wagtail's database index (the fallback's) for the first n pages, split across the page types."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    per_model = n_pages // len(SEARCHABLE_MODELS)
    done = 0
    started = time.perf_counter()
    for model in SEARCHABLE_MODELS.values():
        index = backend.get_index_for_model(model)
        objects = list(model.objects.live().order_by("pk")[:per_model])
        for start in range(0, len(objects), 500):
            index.add_items(model, objects[start : start + 500])
        done += len(objects)
    return done, time.perf_counter() - started


def main():
    started = time.perf_counter()
    load_at_start = os.getloadavg()
    client = engine.get_client(timeout=60)
    drop_bench_indices(client)
    log("fresh database: migrate and load_demo ...")
    fresh_database()
    log("generating pages ...")
    gen_started = time.perf_counter()
    generator = Generator(TOTAL)
    counts = generator.run(log=log)
    generate_seconds = time.perf_counter() - gen_started

    log("indexing through the project's path ...")
    docs, project_seconds = index_through_project(client)
    log(f"  {len(docs)} documents in {project_seconds:.1f}s; raw helpers.bulk of the same documents ...")
    raw_seconds = index_raw(client, docs)
    n_docs = len(docs)
    del docs

    http = Client()
    urls = query_mix(generator.sample_lots)
    log("searching (engine) ...")
    # Warm-up (JIT, first connections) on a different draw of the same kinds of query, so the
    # measured queries find no engine cache primed with themselves.
    warm_up = query_mix(generator.sample_lots, seed=8)[:20]
    run_searches(http, warm_up)
    walls, took = run_searches(http, urls)
    log("suggest ...")
    typed = suggest_mix()
    for q in suggest_mix(seed=12)[:20]:
        http.get("/search/suggest/", {"q": q})
    suggest_walls = []
    for q in typed:
        t0 = time.perf_counter()
        assert http.get("/search/suggest/", {"q": q}).status_code == 200
        suggest_walls.append((time.perf_counter() - t0) * 1000)

    log(f"database fallback: indexing {FALLBACK_PAGES} pages into Wagtail's database index ...")
    fallback_pages, fallback_index_seconds = index_fallback(FALLBACK_PAGES)
    with override_settings(SEARCH_ENGINE_URL=""):
        run_searches(http, warm_up)
        fallback_walls, _ = run_searches(http, urls)
    drop_bench_indices(client)

    result = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        # Other work on the machine skews every figure; the load average says how much there was.
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
        },
        "database": f"SQLite {settings.DATABASES['default']['NAME']}",
        "documents": n_docs,
        "generated": counts,
        "generate_seconds": round(generate_seconds, 1),
        "indexing": {
            "preparing_processes": default_workers(),
            "project_docs_per_s": round(n_docs / project_seconds),
            "raw_bulk_docs_per_s": round(n_docs / raw_seconds),
            "ratio": round(raw_seconds / project_seconds, 3),
            "project_seconds": round(project_seconds, 1),
            "raw_seconds": round(raw_seconds, 1),
        },
        "search": {
            "queries": len(walls),
            "http_p50_ms": round(statistics.median(walls), 1),
            "http_p95_ms": round(percentile(walls, 95), 1),
            "took_p50_ms": round(statistics.median(took), 1) if took else None,
            "took_p95_ms": round(percentile(took, 95), 1) if took else None,
        },
        "fallback": {
            "pages_in_database_index": fallback_pages,
            "index_seconds": round(fallback_index_seconds, 1),
            "http_p50_ms": round(statistics.median(fallback_walls), 1),
            "http_p95_ms": round(percentile(fallback_walls, 95), 1),
        },
        "suggest": {
            "queries": len(suggest_walls),
            "http_p50_ms": round(statistics.median(suggest_walls), 1),
            "http_p95_ms": round(percentile(suggest_walls, 95), 1),
        },
        "goals": GOALS,
    }
    result["search"]["fallback_speedup_p50"] = round(
        result["fallback"]["http_p50_ms"] / result["search"]["http_p50_ms"], 1
    )
    result["search"]["fallback_speedup_p95"] = round(
        result["fallback"]["http_p95_ms"] / result["search"]["http_p95_ms"], 1
    )
    result["seconds"] = round(time.perf_counter() - started, 1)

    out = ROOT / "bench" / "results" / f"search-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_table(result)
    print(f"\nJSON: {out.relative_to(ROOT)}")


def print_table(r):
    def verdict(ok):
        return "met" if ok else "MISSED"

    idx, s, fb, sg = r["indexing"], r["search"], r["fallback"], r["suggest"]
    rows = [
        ("documents indexed", f"{r['documents']}", "", ""),
        ("indexing, project path", f"{idx['project_docs_per_s']} docs/s", "", ""),
        ("indexing, raw helpers.bulk", f"{idx['raw_bulk_docs_per_s']} docs/s", "", ""),
        ("indexing ratio project/raw", f"{idx['ratio']}", "≥ 0.5", verdict(idx["ratio"] >= 0.5)),
        (
            "search HTTP p50 / p95",
            f"{s['http_p50_ms']} / {s['http_p95_ms']} ms",
            "p95 < 50 ms",
            verdict(s["http_p95_ms"] < 50),
        ),
        ("search engine took p50 / p95", f"{s['took_p50_ms']} / {s['took_p95_ms']} ms", "", ""),
        (
            f"fallback HTTP p50 / p95 ({fb['pages_in_database_index']} pages)",
            f"{fb['http_p50_ms']} / {fb['http_p95_ms']} ms",
            "",
            "",
        ),
        (
            "engine speed-up over fallback p50 / p95",
            f"{s['fallback_speedup_p50']}× / {s['fallback_speedup_p95']}×",
            "≥ 10×",
            verdict(s["fallback_speedup_p95"] >= 10),
        ),
        (
            "suggest HTTP p50 / p95",
            f"{sg['http_p50_ms']} / {sg['http_p95_ms']} ms",
            "p95 < 20 ms",
            verdict(sg["http_p95_ms"] < 20),
        ),
        ("whole run", f"{r['seconds']} s", "", ""),
        (
            "load average start / end",
            f"{r['machine']['load_average_at_start'][0]:.1f} / {r['machine']['load_average_at_end'][0]:.1f}",
            f"{r['machine']['cpus']} CPUs",
            "",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print("\nSearch benchmark")
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
