"""The relevance yardstick: judged queries (search/data/yardstick.txt), measured on both search paths.

For each judged query: recall@3, the share of its best results (its grade-2 results, at most
three) among the first three it gets, and nDCG@10, how well the first ten are ordered by grade
(gain 2^grade - 1, discount log2(rank + 1), normalised by the best possible order). The engine's
first ten and its nDCG come from the engine's own _rank_eval API, fed the request the search page
sends (DiscoveryQuery.ranking_request); the database fallback's from search.fallback, computed here
with the same formula. tests/search/test_yardstick.py holds the floors; `make bench` prints the table.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation
from wagtail.models import Locale

from . import engine
from .documents import SEARCHABLE_MODELS
from .fallback import database_search
from .query import DiscoveryQuery

__all__ = ["Judgement", "evaluate", "judgements", "ndcg_at", "recall_at", "summarise"]

RECALL_K = 3
NDCG_K = 10
SITES = {"zh": "zh-hans", "en": "en"}
CATEGORIES = (
    "brand",
    "product",
    "colloquial",
    "pinyin",
    "initials",
    "traditional",
    "typo",
    "cross-language",
    "transcript",
    "policy",
    "question",
)


def judgements_file():
    return Path(__file__).resolve().parent / "data" / "yardstick.txt"


@dataclass
class Judgement:
    category: str
    site: str  # "zh" or "en"
    query: str
    grades: dict  # "type:slug" -> 1 or 2


def judgements(path=None):
    """The judged queries of the file (its header says the format); a malformed line is an error."""
    found = []
    text = Path(path or judgements_file()).read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split(" | ")]
        if len(parts) != 4 or parts[0] not in CATEGORIES or parts[1] not in SITES:
            raise ValueError(f"{path or judgements_file()}:{number}: expected 'category | site | query | results'")
        grades = {}
        for item in parts[3].split():
            key, _, grade = item.rpartition("=")
            kind = key.partition(":")[0]
            if kind not in SEARCHABLE_MODELS or grade not in ("1", "2"):
                raise ValueError(f"{path or judgements_file()}:{number}: bad judged result {item!r}")
            grades[key] = int(grade)
        found.append(Judgement(parts[0], parts[1], parts[2], grades))
    return found


# --- the measures ------------------------------------------------------------------------------


def recall_at(ranked, grades, k=RECALL_K):
    """Share of the query's best-graded results (at most k of them) among the first k ranked."""
    best = max(grades.values(), default=0)
    wanted = {key for key, grade in grades.items() if grade == best}
    if not wanted:
        return 1.0
    return len(wanted & set(ranked[:k])) / min(k, len(wanted))


def dcg(gains):
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at(ranked, grades, k=NDCG_K):
    """nDCG@k as the engine's _rank_eval computes it (dcg with normalize: true)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(key, 0) for key in ranked[:k]]) / ideal if ideal else 1.0


# --- running the queries -----------------------------------------------------------------------


def page_keys(judged):
    """{(site, page id): "type:slug"} for every judged page: its translation in the site's language,
    or the page itself where it has none (stories, replays and policy are in Chinese only)."""
    slugs = defaultdict(set)
    for judgement in judged:
        for key in judgement.grades:
            kind, _, slug = key.partition(":")
            slugs[kind].add(slug)
    by_locale = defaultdict(dict)  # language code -> {key: page id}
    for kind, wanted in slugs.items():
        rows = SEARCHABLE_MODELS[kind].objects.live().filter(slug__in=wanted)
        for pk, slug, language in rows.values_list("pk", "slug", "locale__language_code"):
            by_locale[language][f"{kind}:{slug}"] = pk
    keys = {}
    for site, language in SITES.items():
        pages = {**by_locale[SITES["zh"]], **by_locale[language]}
        keys.update({(site, pk): key for key, pk in pages.items()})
    return keys


@dataclass
class Outcome:
    judgement: Judgement
    ranked: list  # judged keys (or "page:<id>" for unjudged pages) of the first ten results
    recall: float
    ndcg: float


def _outcome(judgement, ranked, ndcg=None):
    return Outcome(
        judgement,
        ranked,
        recall_at(ranked, judgement.grades),
        ndcg_at(ranked, judgement.grades) if ndcg is None else ndcg,
    )


def run_fallback(judged, keys):
    outcomes = []
    for judgement in judged:
        language = SITES[judgement.site]
        with translation.override(language):
            results = database_search(judgement.query, {}, locale=Locale.objects.get(language_code=language))
        ranked = [keys.get((judgement.site, hit["page_id"]), f"page:{hit['page_id']}") for hit in results.hits]
        outcomes.append(_outcome(judgement, ranked))
    return outcomes


def run_engine(judged, keys):
    """One _rank_eval request for every query: the engine ranks and scores nDCG@10 itself."""
    # A minute: a few hundred searches in one request, on an engine that may be busy with other work.
    client = engine.get_client(timeout=60)
    index = next(iter(client.indices.get_alias(name=engine.alias_name())))
    ids = {(site, key): pk for (site, pk), key in keys.items()}
    requests = []
    for number, judgement in enumerate(judged):
        with translation.override(SITES[judgement.site]):
            request = DiscoveryQuery(judgement.query, locale=SITES[judgement.site]).ranking_request()
        ratings = [
            {"_index": index, "_id": str(ids[(judgement.site, key)]), "rating": grade}
            for key, grade in judgement.grades.items()
            if (judgement.site, key) in ids
        ]
        requests.append({"id": str(number), "request": request, "ratings": ratings})
    body = {"requests": requests, "metric": {"dcg": {"k": NDCG_K, "normalize": True}}}
    response = client.rank_eval(index=engine.alias_name(), body=body)
    outcomes = []
    for number, judgement in enumerate(judged):
        detail = response["details"][str(number)]
        ranked = [
            keys.get((judgement.site, int(hit["hit"]["_id"])), f"page:{hit['hit']['_id']}") for hit in detail["hits"]
        ]
        outcomes.append(_outcome(judgement, ranked, ndcg=detail["metric_score"]))
    return outcomes


def evaluate(path="engine", judged=None):
    """Outcomes of every judged query on one path: "engine" or "fallback"."""
    judged = judged or judgements()
    keys = page_keys(judged)
    return run_engine(judged, keys) if path == "engine" else run_fallback(judged, keys)


@dataclass
class Summary:
    recall: float
    ndcg: float
    queries: int
    by_category: dict = field(default_factory=dict)  # category -> (recall, ndcg, queries)


def _means(outcomes):
    n = len(outcomes)
    return (sum(o.recall for o in outcomes) / n, sum(o.ndcg for o in outcomes) / n, n) if n else (0.0, 0.0, 0)


def summarise(outcomes):
    by_category = defaultdict(list)
    for outcome in outcomes:
        by_category[outcome.judgement.category].append(outcome)
    recall, ndcg, n = _means(outcomes)
    return Summary(recall, ndcg, n, {c: _means(by_category[c]) for c in CATEGORIES if by_category[c]})


def table(summaries):
    """A plain-text table: one row per category, a column pair (recall@3, nDCG@10) per path."""
    paths = list(summaries)
    header = f"{'category':<16}{'queries':>8}" + "".join(f"{p + ' R@3':>16}{p + ' nDCG@10':>18}" for p in paths)
    lines = [header, "-" * len(header)]
    for category in CATEGORIES:
        cells = [summaries[p].by_category.get(category) for p in paths]
        if not any(cells):
            continue
        n = next(c for c in cells if c)[2]
        lines.append(f"{category:<16}{n:>8}" + "".join(f"{c[0]:>16.3f}{c[1]:>18.3f}" if c else " " * 34 for c in cells))
    total = summaries[paths[0]].queries
    lines.append(
        f"{'all':<16}{total:>8}" + "".join(f"{summaries[p].recall:>16.3f}{summaries[p].ndcg:>18.3f}" for p in paths)
    )
    return "\n".join(lines)
