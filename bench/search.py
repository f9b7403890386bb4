"""`make bench`, search at 50,000 documents: indexing, latency through the server, the fallback, freshness.

Pages are generated (bench/generate.py) into the bench's own PostgreSQL database and indexed in the
real engine. Every search figure is measured through gunicorn with production settings (page cache
off, so each request searches), with the same list of 200 queries (Chinese and English words,
pinyin, typos, lot codes; facets, sorts, pages):

- indexing: the project's path (what search_rebuild does) against a raw helpers.bulk of the same
  prepared documents into an index with the same settings, three times; the median ratio counts.
- search and suggest: wrk over the query list at 1 and at 8 connections; the engine's own `took`
  from each answer's Server-Timing header in a sequential pass; "cold" is the first search a freshly
  started server answers.
- fallback: the same queries with the engine switched off (SEARCH_ENGINE_URL empty), at 1 connection,
  on Wagtail's database index of FALLBACK_PAGES pages; compared with the engine at 1 connection.
- freshness: with `manage.py search_worker` running, a product is published the way the admin
  publishes (save_revision().publish()) and the engine polled until a search returns its new title.
- Elasticsearch beside OpenSearch: the same pages indexed into Elasticsearch 7.10 (BENCH_ELASTICSEARCH_URL,
  which scripts/bench.sh starts) through the project's path once, then the same search and suggest
  figures through a server configured for it, so the two engines' latency is read side by side.
"""

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    ROOT,
    WORK,
    WORKERS,
    Gunicorn,
    load_average,
    log,
    manage,
    recreate_database,
    sequential,
    server_env,
    summary,
    write_part,
    wrk,
)

DATABASE = "farmcast_bench_search"
INDEX_PREFIX = os.environ.get("BENCH_INDEX_PREFIX", "farmcast-bench")
ELASTICSEARCH_URL = os.environ.get("BENCH_ELASTICSEARCH_URL", "")
ENV = server_env(DATABASE, INDEX_PREFIX)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from bench.generate import EN, ZH, Generator  # noqa: E402
from search import engine  # noqa: E402
from search.documents import SEARCHABLE_MODELS, create_index, finish_bulk_load  # noqa: E402
from search.indexing import REBUILD_BATCH_SIZE, bulk_load, default_workers  # noqa: E402

TOTAL = int(os.environ.get("BENCH_DOCUMENTS", "50000"))
QUERIES = 200
ROUNDS = int(os.environ.get("BENCH_INDEX_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SEARCH_SECONDS", "15"))
FALLBACK_PAGES = int(os.environ.get("BENCH_FALLBACK_PAGES", "5000"))
PUBLISHES = int(os.environ.get("BENCH_PUBLISHES", "20"))
GOALS = {
    "index_ratio": 0.6,
    "search_p95_ms_at_8": 50,
    "suggest_p95_ms_at_1": 20,
    "fallback_slower": 10,
    "publish_to_searchable_p95_s": 2,
}


def drop_bench_indices(client):
    client.indices.delete(index=f"{engine.index_prefix()}-*", ignore_unavailable=True, allow_no_indices=True)


def fresh_database():
    # The pages part's database already holds the demo (scripts/bench.sh runs pages first and names it
    # here): a copy saves the migrations and load_demo, minutes on a busy machine.
    template = os.environ.get("BENCH_DEMO_DATABASE")
    recreate_database(DATABASE, template=template)
    if template:
        return
    call_command("migrate", verbosity=0, interactive=False)
    # The demo gives regions, categories and the tree; its replay videos (ffmpeg encodes them, for
    # minutes on a busy machine) are not indexed, so ffmpeg is hidden from it here.
    path = os.environ["PATH"]
    os.environ["PATH"] = os.pathsep.join(p for p in path.split(os.pathsep) if not Path(p, "ffmpeg").exists())
    try:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        os.environ["PATH"] = path


def reset_sequences():
    """The generator writes explicit ids; PostgreSQL's sequences must move past them before anything else inserts."""
    from django.apps import apps

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def no_style():
    from django.core.management.color import no_style as style

    return style()


def index_through_project(client, keep):
    """What search_rebuild does (create_index, bulk_load with its default workers, finish_bulk_load), timed."""
    bodies = [] if keep else None
    started = time.perf_counter()
    index = create_index(client, bulk_load=True)
    bulk_load(client, index, keep_bodies=bodies)
    finish_bulk_load(client, index)
    seconds = time.perf_counter() - started
    docs = {}
    import json

    for body in bodies or []:
        lines = body.decode().splitlines()
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            docs[json.loads(action)["index"]["_id"]] = json.loads(source)
    return index, docs, seconds


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


def indexing(client):
    """ROUNDS rounds of project path then raw bulk; the last project index stays behind the alias."""
    rounds, docs, index = [], None, None
    for n in range(ROUNDS):
        if index:
            client.indices.delete(index=index)
        load = load_average()
        index, new_docs, project_seconds = index_through_project(client, keep=docs is None)
        docs = docs or new_docs
        raw_seconds = index_raw(client, docs)
        rounds.append(
            {
                "project_docs_per_s": round(len(docs) / project_seconds),
                "raw_bulk_docs_per_s": round(len(docs) / raw_seconds),
                "ratio": round(raw_seconds / project_seconds, 3),
                "load_average": load,
            }
        )
        log(f"search: indexing round {n + 1}: {rounds[-1]}")
    client.indices.put_alias(index=index, name=engine.alias_name())
    return len(docs), {
        "preparing_processes": default_workers(),
        "rounds": rounds,
        "ratio_median": statistics.median(r["ratio"] for r in rounds),
        "project_docs_per_s_median": statistics.median(r["project_docs_per_s"] for r in rounds),
        "raw_bulk_docs_per_s_median": statistics.median(r["raw_bulk_docs_per_s"] for r in rounds),
    }


def query_mix(lot_codes, seed=7):
    """200 search paths: Chinese and English words, pinyin, typos, lot codes; facets, sorts, pages."""
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
    paths = []
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
        paths.append(prefix + "?" + urlencode(params))
    return paths


def suggest_mix(seed=11):
    rng = random.Random(seed)
    typed = [t[:n] for t in ["wuchangdami", "dazhaxie", "qicheng", "gouqi"] for n in (2, 4, 6)]
    typed += [p[:n] for p in ZH["places"] for n in (1, 2)] + ["wc", "wcdm", "五常大", "赣南脐"]
    return [f"/search/suggest/?q={quote(rng.choice(typed))}" for _ in range(QUERIES)]


def index_fallback(n_pages):
    """Wagtail's database index (the fallback's) for the first n pages, split across the page types."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend("database")
    per_model = n_pages // len(SEARCHABLE_MODELS)
    done = 0
    for model in SEARCHABLE_MODELS.values():
        index = backend.get_index_for_model(model)
        objects = list(model.objects.live().order_by("pk")[:per_model])
        for start in range(0, len(objects), 500):
            index.add_items(model, objects[start : start + 500])
        done += len(objects)
    return done


def engine_took(rows):
    took = []
    for _status, _ms, timing in rows:
        for part in (timing or "").split(","):
            name, _, rest = part.strip().partition(";")
            if name == "engine" and "dur=" in rest:
                took.append(float(rest.split("dur=")[1].split(";")[0]))
    return took


def through_the_server(searches, suggests, env=ENV, name="search"):
    """Cold first search, the engine's took, and wrk at 1 and 8 connections for search and suggest."""
    with Gunicorn(env, workers=1, name=f"{name}-cold") as server:
        load = load_average()
        status, _h, _b, cold_ms = server.get(searches[0])
    cold = {"ms": round(cold_ms, 1), "status": status, "failed": status != 200, "load_average": load}
    out = {"cold_first_search": cold}
    with Gunicorn(env, name=name) as server:
        sequential(server.base, query_mix([], seed=8)[:20] + suggest_mix(seed=12)[:20])  # warm-up, other queries
        load = load_average()
        rows = sequential(server.base, searches, header="Server-Timing")
        took = engine_took(rows)
        out["sequential"] = {
            **summary([ms for _s, ms, _t in rows]),
            "errors": sum(1 for s, _ms, _t in rows if s != 200),
            "engine_took_p50_ms": round(statistics.median(took), 1) if took else None,
            "engine_took_p95_ms": round(sorted(took)[round(0.95 * (len(took) - 1))], 1) if took else None,
            "load_average": load,
        }
        for connections in (1, 8):
            log(f"{name}: wrk at {connections} connection(s)")
            out[f"search_c{connections}"] = wrk(server.base, searches, SECONDS, connections, f"{name}-c{connections}")
            out[f"suggest_c{connections}"] = wrk(
                server.base, suggests, SECONDS, connections, f"{name}-suggest-c{connections}"
            )
    return out


def on_elasticsearch(searches, suggests):
    """The same pages and queries on Elasticsearch: indexing once through the project's path, then the
    server's figures, for the side-by-side table. None when no Elasticsearch answers."""
    if not ELASTICSEARCH_URL:
        return None
    with override_settings(SEARCH_ENGINE="elasticsearch", SEARCH_ENGINE_URL=ELASTICSEARCH_URL):
        client = engine.get_client(timeout=60)
        name, version = engine.server_identity(client)
        drop_bench_indices(client)
        log(f"search: indexing into {name} {version} ...")
        load = load_average()
        started = time.perf_counter()
        index = create_index(client, bulk_load=True)
        n_docs = bulk_load(client, index)
        finish_bulk_load(client, index)
        seconds = time.perf_counter() - started
        client.indices.put_alias(index=index, name=engine.alias_name())
        connection.close()
        env = {**ENV, "SEARCH_ENGINE": "elasticsearch", "SEARCH_ENGINE_URL": ELASTICSEARCH_URL}
        served = through_the_server(searches, suggests, env=env, name="search-es")
        drop_bench_indices(client)
    return {
        "engine": f"Elasticsearch {version}",
        "indexing": {"project_docs_per_s": round(n_docs / seconds), "seconds": round(seconds, 1), "load_average": load},
        **served,
    }


def fallback(searches):
    """The same searches with the engine switched off, at 1 connection."""
    with Gunicorn({**ENV, "SEARCH_ENGINE_URL": ""}, name="search-fallback") as server:
        sequential(server.base, searches[-5:])
        return wrk(server.base, searches, max(SECONDS, 30), 1, "fallback-c1")


def publish_to_searchable(client):
    """Seconds from publish (the admin's code path) to a search returning the new title, search_worker running."""
    from brands.models import ProductPage

    worker = subprocess.Popen(  # noqa: S603 — our own interpreter and command
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "search_worker"],
        cwd=ROOT,
        env=ENV,
        stdout=(WORK / "search-worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    seconds, load = [], load_average()
    try:
        time.sleep(3)  # the worker's start-up is not what is measured
        products = list(ProductPage.objects.live().order_by("pk")[:PUBLISHES])
        for n, product in enumerate(products):
            title = f"{product.title} bench{n}x{random.randrange(10**6)}"  # noqa: S311
            product.title = title
            revision = product.save_revision()
            started = time.perf_counter()
            revision.publish()
            deadline = started + 30
            while time.perf_counter() < deadline:
                hits = client.search(
                    index=engine.alias_name(),
                    body={"query": {"term": {"page_id": product.pk}}, "_source": ["title"]},
                )["hits"]["hits"]
                if hits and hits[0]["_source"].get("title") == title:
                    break
                time.sleep(0.02)
            seconds.append(time.perf_counter() - started)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {
        "publishes": len(seconds),
        "p50_s": round(statistics.median(seconds), 2),
        "p95_s": round(sorted(seconds)[round(0.95 * (len(seconds) - 1))], 2),
        "max_s": round(max(seconds), 2),
        "load_average": load,
    }


def main():
    started = time.perf_counter()
    load_at_start = load_average()
    WORK.mkdir(parents=True, exist_ok=True)
    client = engine.get_client(timeout=60)
    drop_bench_indices(client)
    log("search: fresh database (migrate, load_demo) ...")
    fresh_database()
    # The server's pages need the collected static files' manifest: without it (the part run alone,
    # `scripts/bench.sh search`) every search answered 500.
    manage(ENV, "collectstatic", "--noinput", "-v0")
    log("search: generating pages ...")
    generator = Generator(TOTAL)
    counts = generator.run(log=log)
    reset_sequences()
    n_docs, index_figures = indexing(client)
    searches, suggests = query_mix(generator.sample_lots), suggest_mix()
    log(f"search: Wagtail's database index for {FALLBACK_PAGES} pages (the fallback's) ...")
    fallback_pages = index_fallback(FALLBACK_PAGES)
    connection.close()
    served = through_the_server(searches, suggests)
    log("search: the database fallback ...")
    fallback_figures = fallback(searches)
    log("search: publish -> searchable ...")
    freshness = publish_to_searchable(client)
    elasticsearch = on_elasticsearch(searches, suggests)
    engine_c1 = served["search_c1"]
    write_part(
        "search",
        {
            "database": "PostgreSQL (the bench's own cluster)",
            "server": f"gunicorn, {WORKERS} sync workers, production settings, page cache off",
            "documents": n_docs,
            "generated": counts,
            "indexing": index_figures,
            **served,
            "fallback": {
                "pages_in_database_index": fallback_pages,
                **fallback_figures,
                "slower_p50": round(fallback_figures["p50_ms"] / engine_c1["p50_ms"], 1),
                "slower_p95": round(fallback_figures["p95_ms"] / engine_c1["p95_ms"], 1),
            },
            "publish_to_searchable": freshness,
            "engine": f"OpenSearch {engine.server_identity(client)[1]}",
            "elasticsearch": elasticsearch,
            "goals": GOALS,
            "load_average_at_start": load_at_start,
            "load_average_at_end": load_average(),
            "seconds": round(time.perf_counter() - started, 1),
        },
    )
    drop_bench_indices(client)


if __name__ == "__main__":
    main()
