"""The discovery query: one request with full text, filters, facets, sort, highlights and suggestions."""

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import escape

from brands.models.provenance import LotCodeError, format_lot_code, normalise_lot_code
from site_content.clock import clock

from . import engine, questions, synonyms
from .documents import SEARCHABLE_MODELS
from .text import has_cjk, segmented, to_simplified

MAX_QUERY_CHARS = 200  # longer input is truncated: no product name is this long
MAX_ANALYSED_CHARS = 64  # what the engine's text clauses read of it (see text_query)
PAGE_SIZE = 10
MAX_RESULT_WINDOW = 10_000
FACET_SIZE = 30

SORTS = {
    "relevance": ["_score", {"published": {"order": "desc", "missing": "_last"}}],
    "newest": [{"published": {"order": "desc", "missing": "_last"}}, "_score"],
    "price_asc": [{"price": {"order": "asc", "missing": "_last"}}, "_score"],
    "price_desc": [{"price": {"order": "desc", "missing": "_last"}}, "_score"],
    "sales": [{"sales_volume": {"order": "desc", "missing": "_last"}}, "_score"],
    # unmapped_type: an index built before ratings existed sorts instead of failing until its rebuild.
    "rating": [
        {"rating": {"order": "desc", "missing": "_last", "unmapped_type": "double"}},
        {"review_count": {"order": "desc", "missing": "_last", "unmapped_type": "integer"}},
        "_score",
    ],
}
MOMENT_HITS = "moment"  # name of the inner hits that say which chapter or transcript line matched
HIGHLIGHT = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"]}
LOT_QUERY = "lot:"  # prefix of the named query that says which lot code a hit matched
# What execute() reads of the engine's answer; the rest (ids, scores, sort values) is never parsed.
RESPONSE_PATHS = [
    "took",
    "hits.total",
    "hits.hits._source",
    "hits.hits.highlight",
    "hits.hits.matched_queries",
    "hits.hits.inner_hits.*.hits.hits._source",
    "hits.hits.inner_hits.*.hits.hits.highlight",
    "aggregations.*.values.buckets",
]
# facet name (the URL parameter) -> indexed field
FACETS = {
    "type": "type",
    "region": "region_codes",
    "category": "category",
    "certification": "certifications",
    "season": "season_months",
}
# The province facet counts provinces only, while `region=` filters on any level's code.
FACET_AGG_FIELD = {**FACETS, "region": "province_code"}
_SAFE_VALUE = re.compile(r"^[\w-]{1,64}$")


def Q(*args, **kwargs):
    """A query in the configured engine's DSL (both engines' DSLs take the same arguments)."""
    return engine.dsl().Q(*args, **kwargs)


def Search(**kwargs):
    """A search request in the configured engine's DSL."""
    return engine.dsl().Search(**kwargs)


def clean_query(raw):
    """Collapse whitespace and cut to MAX_QUERY_CHARS; control characters are dropped."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or "")[: MAX_QUERY_CHARS * 4])
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def clean_filters(params):
    """Keep only well-formed facet values; unknown but well-formed ones simply match nothing."""
    filters = {}
    for name in FACETS:
        values = []
        for value in params.getlist(name) if hasattr(params, "getlist") else params.get(name, []):
            value = (value or "").strip()
            if not _SAFE_VALUE.match(value):
                continue
            if name == "type" and value not in SEARCHABLE_MODELS:
                continue
            if name == "season":
                if not value.isdigit() or not 1 <= int(value) <= 12:
                    continue
                value = int(value)
            if value not in values:
                values.append(value)
        if values:
            filters[name] = values[:20]
    return filters


def clean_page_number(raw):
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, MAX_RESULT_WINDOW // PAGE_SIZE))


def clean_sort(raw):
    return raw if raw in SORTS else "relevance"


def lot_codes_in(query):
    """Lot codes a query may be: the whole query without spaces (WC7K 3MXP) or any word (WC7K-3MXP)."""
    codes = []
    for candidate in [query.replace(" ", ""), *query.split()]:
        try:
            code = normalise_lot_code(candidate)
        except LotCodeError:
            continue
        if code not in codes:
            codes.append(code)
    return codes[:5]


@dataclass
class SearchResults:
    hits: list
    total: int
    page: int
    num_pages: int
    facets: dict = field(default_factory=dict)
    did_you_mean: str = ""
    took_ms: int = 0

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


class DiscoveryQuery:
    """Builds and runs the discovery search; all user input is cleaned before it gets here."""

    def __init__(self, query="", filters=None, sort="relevance", page=1, locale=None, page_size=PAGE_SIZE):
        self.query = clean_query(query)
        # Synonyms and corrected slips (search.synonyms, search.spelling), worked out once per search.
        self.expansion = synonyms.expand(to_simplified(self.query)[:MAX_ANALYSED_CHARS]) if self.query else None
        self.filters = filters or {}
        self.sort = clean_sort(sort)
        self.page = page
        self.locale = locale
        self.page_size = page_size

    # --- the parts ----------------------------------------------------------------------

    def text_query(self):
        if not self.query:
            return Q("match_all")
        # The engine refuses a query of more than 1024 clauses, and every bigram of a long Chinese
        # query is one per field: a pasted paragraph is searched by its beginning.
        simplified = to_simplified(self.query)[:MAX_ANALYSED_CHARS]
        words = segmented(simplified, for_query=True)
        # A code typed from a label finds its product first, and the hit says which lot (see execute()).
        clauses = [
            Q("term", lot_codes={"value": code, "boost": 20, "_name": f"{LOT_QUERY}{code}"})
            for code in lot_codes_in(self.query)
        ]
        if words:
            # Jieba words, all required: the precise match, boosted above bigrams. With synonyms
            # (search.synonyms, applied here rather than in the index so an edit needs no rebuild)
            # each word may be matched by one of its alternatives instead, at a little less weight.
            clauses.append(words_query(self.expansion))
            # The query's words in order in a title: the name itself (a brand's name beats the
            # products that carry that brand in their text).
            clauses.append(Q("match_phrase", title_seg={"query": words, "boost": TITLE_PHRASE_WEIGHT}))
            if questions.is_question(simplified):
                clauses += question_clauses(questions.key_words(simplified))
            if self.expansion.corrected:
                # The query as the shopper probably meant it (五长大米 -> 五常大米), below what was typed.
                clauses.append(words_query(self.expansion.corrected, boost=CORRECTED_WEIGHT))
        if has_cjk(simplified):
            clauses.append(
                Q(
                    "multi_match",
                    query=simplified,
                    fields=[
                        "title^3",
                        "summary^2",
                        "body",
                        "brand^2",
                        "region_names",
                        "category_name",
                        "translations^2",
                    ],
                    minimum_should_match="75%",
                )
            )
            clauses.append(Q("match_phrase", **{"title.chars": {"query": simplified, "boost": 0.5}}))
        else:
            # Latin text: English stems with typo tolerance, and pinyin for people who type it.
            clauses.append(
                Q(
                    "multi_match",
                    query=simplified,
                    fields=[
                        "title.en^3",
                        "summary.en^2",
                        "body.en",
                        "brand.en^2",
                        "region_names.en",
                        "translations.en^2",
                    ],
                    fuzziness="AUTO",
                    prefix_length=1,
                    operator="and",
                )
            )
            compact = simplified.lower()
            clauses.append(
                Q(
                    "multi_match",
                    query=compact,
                    fields=["title_pinyin^4", "title_pinyin_words^3", "title_initials^3"],
                )
            )
            clauses.append(Q("match", suggest={"query": compact.replace(" ", ""), "boost": 0.5}))
        clauses.append(self.moment_query(simplified, words))
        return Q("bool", should=clauses, minimum_should_match=1)

    def moment_query(self, simplified, words):
        """Replays' chapters and transcript lines, one at a time: the best line comes back as an inner hit.

        Each line is matched on its own, so a hit means the words were said together there, and
        the result can link to that second of the video.
        """
        cjk = has_cjk(simplified)
        should = []
        if words:
            should.append(Q("match", **{"moments.text_seg": {"query": words, "operator": "and"}}))
        if cjk:
            should.append(Q("match", **{"moments.text": {"query": simplified, "minimum_should_match": "75%"}}))
            highlight_field = "moments.text"
        else:
            should.append(Q("match", **{"moments.text.en": {"query": simplified, "operator": "and"}}))
            highlight_field = "moments.text.en"
        return Q(
            "nested",
            path="moments",
            score_mode="max",
            # An index built before moments existed answers without them until its rebuild.
            ignore_unmapped=True,
            query=Q("bool", should=should, minimum_should_match=1),
            inner_hits={
                "name": MOMENT_HITS,
                "size": 1,
                "_source": ["moments.kind", "moments.start", "moments.text", "moments.url"],
                "highlight": {
                    **HIGHLIGHT,
                    "fields": {
                        highlight_field: {
                            "number_of_fragments": 0,
                            # The words clause alone marks nothing in a bigram field: ask with the text itself.
                            "highlight_query": Q("match", **{highlight_field: simplified}).to_dict(),
                        }
                    },
                },
            },
        )

    def filter_clauses(self, skip=None):
        clauses = [Q("term", locale=self.locale)] if self.locale else []
        for name, values in self.filters.items():
            if name != skip:
                clauses.append(Q("terms", **{FACETS[name]: values}))
        return clauses

    def ranking_request(self):
        """The query and filters that decide which results come first, without facets or highlights.

        What search.yardstick hands the engine's _rank_eval API: the same ranking as build(), with
        the filters inside the query (post_filter does not change scores, so the order is the same).
        """
        filters = self.filter_clauses(skip="__none__")
        return {"query": Q("bool", must=[self.ranked_query()], filter=filters).to_dict()}

    def ranked_query(self):
        """The text query, ranked as shoppers expect when they sort by relevance (see ranked())."""
        if not self.query or self.sort != "relevance":
            return self.text_query()
        return ranked(self.text_query())

    def build(self):
        search = Search(using=engine.get_client(), index=engine.alias_name()).query(self.ranked_query())
        base_filters = self.filter_clauses(skip="__none__")
        if base_filters:
            search = search.post_filter(Q("bool", filter=base_filters))
        for name in FACETS:
            # Each facet counts what the OTHER selected filters leave, so choosing a value does
            # not hide its siblings.
            others = self.filter_clauses(skip=name)
            agg = search.aggs.bucket(
                f"f_{name}", "filter", filter=Q("bool", filter=others) if others else Q("match_all")
            )
            agg.bucket("values", "terms", field=FACET_AGG_FIELD[name], size=FACET_SIZE)
        search = search.sort(*SORTS[self.sort])
        search = search.highlight_options(**HIGHLIGHT, number_of_fragments=1, fragment_size=120)
        search = search.highlight("title", number_of_fragments=0).highlight("summary").highlight("body")
        start = (self.page - 1) * self.page_size
        # request_cache: the engine keeps the answer to a repeated query (a popular word, paging
        # back) until the index next changes, as it does by default only for size=0 requests.
        search = search.extra(from_=start, size=self.page_size, track_total_hits=True).params(request_cache=True)
        return search.source(
            [
                "page_id",
                "type",
                "url",
                "title",
                "summary",
                "brand",
                "province_code",
                "city_code",
                "province_name",
                "city_name",
                "county_name",
                "price",
                "unit",
                "image_id",
                "published",
                "sales_volume",
                "rating",
                "review_count",
            ]
        )

    def execute(self):
        # The client's plain dicts rather than the DSL's Response: wrapping every hit, highlight and
        # bucket in AttrDicts cost more Python time per page of results than the rest of the view.
        search = self.build()
        response = engine.get_client().search(
            index=engine.alias_name(), body=search.to_dict(), filter_path=RESPONSE_PATHS, **search._params
        )
        total = response["hits"]["total"]["value"]
        num_pages = max(1, min(-(-total // self.page_size), MAX_RESULT_WINDOW // self.page_size))
        hits = []
        for hit in response["hits"].get("hits", []):
            source = hit["_source"]
            highlight = hit.get("highlight") or {}
            source["title_html"] = highlight["title"][0] if "title" in highlight else None
            snippet = None
            for name in ("summary", "body"):
                if name in highlight:
                    snippet = highlight[name][0]
                    break
            source["snippet_html"] = snippet
            moment = matched_moment(hit)
            if moment is not None:
                source["moment"] = moment
                source["url"] = moment["url"] or source.get("url")
            lots = [name[len(LOT_QUERY) :] for name in hit.get("matched_queries", []) if name.startswith(LOT_QUERY)]
            if lots:
                source["lot_code"] = format_lot_code(lots[0])
                source["trace_url"] = reverse("trace:batch", kwargs={"code": source["lot_code"]})
            hits.append(source)
        aggregations = response.get("aggregations", {})
        facets = {
            name: [
                (b["key"], b["doc_count"])
                for b in aggregations.get(f"f_{name}", {}).get("values", {}).get("buckets", [])
            ]
            for name in FACETS
        }
        if self.expansion and self.expansion.corrected_text:
            did_you_mean, did_you_mean_took = self.expansion.corrected_text, 0
        else:
            did_you_mean, did_you_mean_took = self.did_you_mean() if total == 0 else ("", 0)
        return SearchResults(
            hits=hits,
            total=total,
            page=self.page,
            num_pages=num_pages,
            facets=facets,
            did_you_mean=did_you_mean,
            took_ms=response["took"] + did_you_mean_took,
        )

    def did_you_mean(self):
        """A spelling the index knows, asked for only when nothing matched (a small second request).

        Returns (suggestion or "", the engine's took in ms)."""
        if not self.query:
            return "", 0
        search = Search(using=engine.get_client(), index=engine.alias_name()).extra(size=0)
        search = search.suggest(
            "did_you_mean",
            segmented(to_simplified(self.query), for_query=True) or self.query,
            term={"field": "text_seg", "suggest_mode": "missing", "min_word_length": 2},
        )
        response = search.execute()
        suggest = getattr(response, "suggest", None)
        if not suggest or "did_you_mean" not in suggest:
            return "", response.took
        words, changed = [], False
        for entry in suggest.did_you_mean:
            if entry.options:
                words.append(entry.options[0].text)
                changed = True
            else:
                words.append(entry.text)
        return (" ".join(words) if changed else ""), response.took


# What a shopper looking for a thing wants first: the thing, then who makes it, then the rest.
TYPE_WEIGHTS = {"product": 1.6, "brand": 1.4}
# Business signals, added to 1 and multiplied into the score: a best seller, a well-rated product,
# a broadcast on air now and fresh content move up, but never past a clearly better text match.
SALES_WEIGHT = 0.05  # per tenfold of units sold (log10(1 + sales))
RATING_WEIGHT = 0.02  # per star of the average rating
FRESHNESS_WEIGHT = 0.1  # published today; half of it six months ago
LIVE_WEIGHT = 0.3  # a broadcast that started within the last LIVE_HOURS
LIVE_HOURS = 3


def ranked(query):
    """`query` with the kind of result and the business signals multiplied into its score."""
    by_type = Q(
        "function_score",
        query=query,
        functions=[{"filter": Q("term", type=kind).to_dict(), "weight": w} for kind, w in TYPE_WEIGHTS.items()],
        score_mode="first",
        boost_mode="multiply",
    )
    return Q(
        "function_score",
        query=by_type,
        functions=[
            {"weight": 1},
            {
                "field_value_factor": {"field": "sales_volume", "modifier": "log1p", "missing": 0},
                "weight": SALES_WEIGHT,
            },
            {"field_value_factor": {"field": "rating", "modifier": "none", "missing": 0}, "weight": RATING_WEIGHT},
            {"gauss": {"published": {"origin": "now", "scale": "180d", "decay": 0.5}}, "weight": FRESHNESS_WEIGHT},
            {
                "filter": Q(
                    "bool",
                    filter=[
                        Q("term", type="replay"),
                        Q("range", published={"gte": f"now-{LIVE_HOURS}h", "lte": "now"}),
                    ],
                ).to_dict(),
                "weight": LIVE_WEIGHT,
            },
        ],
        score_mode="sum",
        boost_mode="multiply",
    )


WORD_FIELDS = ["title_seg^6", "text_seg^2"]
CORRECTED_WEIGHT = 0.5
QUESTION_WEIGHT = 0.6  # below a match of every word typed
QUESTION_SLOP = 6  # key words this many positions apart still count as together
TITLE_PHRASE_WEIGHT = 3


def question_clauses(key_words):
    """A long question matches on most of its key words (each as typed or a synonym), close together first."""
    text = " ".join(key_words)
    return [
        words_query(
            synonyms.expand(text, correct=False),
            boost=QUESTION_WEIGHT,
            minimum_should_match=questions.MINIMUM_SHOULD_MATCH,
        ),
        Q("match_phrase", title_seg={"query": text, "slop": QUESTION_SLOP, "boost": QUESTION_WEIGHT}),
        Q("match_phrase", text_seg={"query": text, "slop": QUESTION_SLOP, "boost": QUESTION_WEIGHT / 2}),
    ]


def words_query(expansion, boost=1.0, minimum_should_match=None):
    """Every word of the query in the segmented fields, each as typed or as one of its synonyms.

    Every word is required, or with `minimum_should_match` (a long question) that many of them.
    """

    def words_match(text, weight=1.0):
        return Q(
            "multi_match",
            query=segmented(text, for_query=True),
            fields=WORD_FIELDS,
            operator="and",
            type="cross_fields",
            boost=weight,
        )

    if not expansion.expanded and minimum_should_match is None:
        return words_match(" ".join(expansion.words), boost)
    groups = [
        words_match(group.text)
        if not group.expanded
        else Q(
            "bool", should=[words_match(text, weight) for text, weight in group.alternatives], minimum_should_match=1
        )
        for group in expansion.groups
    ]
    if minimum_should_match is None:
        return Q("bool", must=groups, boost=boost)
    return Q("bool", should=groups, minimum_should_match=minimum_should_match, boost=boost)


def matched_moment(hit):
    """The chapter or transcript line a replay hit matched: {kind, start, clock, text_html, url}, or None.

    text_html is the engine's highlight (it escapes the line and adds only <mark>), else the line escaped here.
    """
    hits = hit.get("inner_hits", {}).get(MOMENT_HITS, {}).get("hits", {}).get("hits")
    if not hits:
        return None
    moment = hits[0]["_source"]
    fragments = next(iter(hits[0].get("highlight", {}).values()), None)
    return {
        "kind": moment.get("kind"),
        "start": moment.get("start", 0),
        "clock": clock(moment.get("start", 0)),
        "text_html": fragments[0] if fragments else escape(moment.get("text", "")),
        "url": moment.get("url"),
    }


# What the search box suggests, and how much each kind weighs against the others.
SUGGESTED_TYPES = {"brand": 4, "product": 4, "story": 1, "replay": 1}


def suggest(query, locale=None, size=8):
    """Titles whose words, pinyin or initials start with what was typed: [{'title', 'url', 'type'}]."""
    query = clean_query(query)[:50]
    if not query:
        return []
    simplified = to_simplified(query).lower()
    terms = simplified if has_cjk(simplified) else simplified.replace(" ", "")
    matching = Q(
        "bool",
        should=[Q("match", suggest={"query": terms, "operator": "and"}), Q("match", title_initials=terms)],
        minimum_should_match=1,
        filter=[Q("terms", type=list(SUGGESTED_TYPES))] + ([Q("term", locale=locale)] if locale else []),
    )
    # Brands and products first (what a shopper typing a name wants), then stories and replays.
    by_type = [{"filter": Q("term", type=t).to_dict(), "weight": w} for t, w in SUGGESTED_TYPES.items()]
    search = Search(using=engine.get_client(), index=engine.alias_name()).query(
        Q("function_score", query=matching, functions=by_type, score_mode="first", boost_mode="multiply")
    )
    search = search.sort("_score", {"sales_volume": {"order": "desc", "missing": "_last"}})
    # Typing is a run of prefixes many people type alike (w, wu, wuc...): the engine's request cache
    # answers repeats until the index next changes.
    search = search.source(["title", "url", "type"]).extra(size=size).params(request_cache=True)
    return [{"title": h.title, "url": h.url, "type": h.type} for h in search.execute()]
