"""The database fallback: /search/ without the engine, in a fixed number of queries.

Wagtail's database backend (search.backends.database, with Chinese segmentation and pinyin) finds
the candidates and scores them; this module filters them as the engine would (type, region,
category, certification, season), ranks them as shoppers expect (a title match first, products and
brands above stories, replays and policy for a product word, then sales and freshness), and loads
one page of hits with everything the result list shows. The queries do not grow with the number of
hits: one search, one query per kind of signal, one per page type on the page, then the images.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.search.query import And, Or, PlainText

from brands.models import FarmBrandPage, ProductPage
from stories.models import BrandStoryPage, BroadcastReplayPage, PolicyNewsPage

from . import labels, questions, synonyms
from .documents import SEARCHABLE_MODELS, TYPE_OF_MODEL
from .query import PAGE_SIZE, SearchResults
from .text import has_cjk, segment, to_simplified

# The backend scores at most this many candidates; ranking and filters work on them. Past this
# many matches a shopper refines the query rather than paging, and the fallback is a stopgap.
CANDIDATES = 300
# For a product word (a query some product or brand title answers), the other kinds rank lower.
TYPE_WEIGHT_FOR_PRODUCT_WORD = {"product": 1.0, "brand": 0.9, "story": 0.55, "replay": 0.55, "policy": 0.45}
TITLE_MATCH_BONUS = 1.0
MAX_NAME_CHARS = 8  # a Chinese query this short may be (part of) a name
IMAGE_FIELDS = ("main_image_id", "logo_id", "hero_image_id", "poster_image_id")


@dataclass
class Candidate:
    page: Page  # a plain Page row: id, title, content type, path, dates
    type: str
    relevance: float = 1.0
    title_match: bool = False
    sales: int = 0
    price: float | None = None
    live: bool = False
    score: float = 0.0


def _backend_name():
    # With an engine configured, Wagtail's default backend is that (unreachable) engine: ask the
    # database backend kept beside it (settings: WAGTAILSEARCH_BACKENDS["database"]).
    return "database" if "database" in settings.WAGTAILSEARCH_BACKENDS else "default"


def _type_of_content_type():
    return {ContentType.objects.get_for_model(model).pk: key for key, model in SEARCHABLE_MODELS.items()}


# --- filters ---------------------------------------------------------------------------------


def _region_codes_with_descendants(codes):
    """The regions named and every region below them (a province's filter includes its counties)."""
    regions = labels.snippets()["region"]  # cached: no query when warm
    code_of = {r.pk: r.code for r in regions}
    children = defaultdict(list)
    for region in regions:
        children[code_of.get(region.parent_id)].append(region.code)
    found, stack = set(), [code for code in codes if code in code_of.values()]
    while stack:
        code = stack.pop()
        if code not in found:
            found.add(code)
            stack.extend(children.get(code, ()))
    return found


def _region_condition(codes):
    brands = FarmBrandPage.objects.filter(region__code__in=codes)
    return (
        Q(farmbrandpage__region__code__in=codes)
        | Q(brandstorypage__brand__region__code__in=codes)
        | Q(broadcastreplaypage__brand__region__code__in=codes)
        | Q(policynewspage__regions__code__in=codes)
        # A product's region is its brand's, and products sit right below their brand page.
        | Q(parent_path__in=brands.values("path"))
    )


def filtered_pages(pages, filters):
    """The engine's filters as conditions on the page id, each a subquery of the one search query."""
    conditions = []
    if filters.get("region"):
        conditions.append(_region_condition(_region_codes_with_descendants(filters["region"])))
    if filters.get("category"):
        conditions.append(Q(productpage__category__slug__in=filters["category"]))
    if filters.get("certification"):
        conditions.append(Q(productpage__certifications__slug__in=filters["certification"]))
    if filters.get("season"):
        conditions.append(_in_season(filters["season"]))
    for condition in conditions:
        # Through the page id, a field every search backend filters on: the database backend
        # refuses conditions on fields a model does not declare as FilterFields.
        matching = Page.objects.annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        pages = pages.filter(pk__in=matching.filter(condition).values("pk"))
    return pages


def _in_season(months):
    condition = Q()
    for month in months:
        # A season may wrap round the new year (Nov-Feb): start > end.
        condition |= Q(productpage__season_start__lte=month, productpage__season_end__gte=month) | (
            Q(productpage__season_start__gt=F("productpage__season_end"))
            & (Q(productpage__season_start__lte=month) | Q(productpage__season_end__gte=month))
        )
    return condition


# --- candidates and ranking ------------------------------------------------------------------


def _groups_query(expansion):
    parts = []
    for group in expansion.groups:
        alternatives = [PlainText(text, operator="and") for text, _ in group.alternatives]
        parts.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    return parts[0] if len(parts) == 1 else And(parts)


def backend_query(expansion):
    """The expanded query as Wagtail query objects: every group required, any of its alternatives;
    or else the query with its slips corrected."""
    if not expansion.groups:
        return ""
    query = _groups_query(expansion)
    if expansion.corrected and expansion.corrected.groups:
        query = Or([query, _groups_query(expansion.corrected)])
    return query


def _candidates(pages, query, expansion, types_by_ct):
    if not query:
        results = pages.order_by("-first_published_at", "-pk")[:CANDIDATES]
        return [Candidate(page=p, type=types_by_ct.get(p.content_type_id, "")) for p in results]
    candidates = {}
    if asks_with_fillers(query):
        # The words that only do the asking (有没有, 适合, 的) would match, and rank, every page that
        # says them: a question is matched on most of its key words, as the engine does.
        _add_question_candidates(candidates, pages, query, types_by_ct)
    else:
        search_query = backend_query(expansion) if expansion.expanded or expansion.corrected else query
        results = list(pages.search(search_query, backend=_backend_name()).annotate_score("_score")[:CANDIDATES])
        scores = [abs(getattr(page, "_score", 0) or 0) for page in results]
        top = max(scores, default=0)
        for page, score in zip(results, scores, strict=True):
            # SQLite's bm25() is negative (lower is better) and PostgreSQL's ts_rank positive: the
            # backend already ordered them, so only the size relative to the best one is used.
            candidates[page.pk] = Candidate(
                page=page, type=types_by_ct.get(page.content_type_id, ""), relevance=score / top if top else 1.0
            )
        if not candidates and questions.is_question(query):
            _add_question_candidates(candidates, pages, query, types_by_ct)
    compact = "".join((expansion.corrected_text or to_simplified(query)).split())
    if has_cjk(compact) and len(compact) <= MAX_NAME_CHARS:
        # A short Chinese query is often part of a name that segmentation split differently (米 in
        # 贵米): the title containing it is a match the word index cannot see.
        for page in pages.filter(title__contains=compact)[:CANDIDATES]:
            candidates.setdefault(
                page.pk, Candidate(page=page, type=types_by_ct.get(page.content_type_id, ""), relevance=0.5)
            )
    return list(candidates.values())


# A result found through its translation ranks a little below one found in the visitor's language.
TRANSLATED_WEIGHT = 0.9


def in_language(candidates, locale):
    """Each candidate as the page in `locale`: its translation there if it has one, else itself (one query).

    Two candidates that are translations of each other become one, with the better relevance.
    """
    keys = {c.page.translation_key for c in candidates if c.page.locale_id != locale.pk}
    translated = {}
    if keys:
        rows = Page.objects.live().public().filter(locale=locale, translation_key__in=keys)
        translated = {page.translation_key: page for page in rows}
    found = {}
    for candidate in candidates:
        if candidate.page.locale_id != locale.pk:
            candidate.relevance *= TRANSLATED_WEIGHT
            candidate.page = translated.get(candidate.page.translation_key, candidate.page)
        kept = found.get(candidate.page.pk)
        if kept is None or candidate.relevance > kept.relevance:
            found[candidate.page.pk] = candidate
    return list(found.values())


def asks_with_fillers(query):
    """Whether the query is a question with words that only do the asking (search.questions.FILLER_WORDS)."""
    return questions.is_question(query) and questions.key_words(query) != segment(query, for_query=True)


def question_expansion(query):
    """A question's key words with their synonyms (a sentence's slips are not guessed at)."""
    return synonyms.expand(" ".join(questions.key_words(query)), correct=False)


# What each page type shows under its title in the results: with the title, where a question's key
# words are looked for (one query for every candidate, through the page's own row).
SHORT_TEXT_FIELDS = (
    "search_description",
    "productpage__summary",
    "farmbrandpage__tagline",
    "brandstorypage__introduction",
    "broadcastreplaypage__summary",
    "policynewspage__summary",
)


def _add_question_candidates(candidates, pages, query, types_by_ct):
    """A question: pages whose title and summary hold most of its key words first (two queries).

    The database's score cannot tell a page saying one key word often (a rice's title says 大米, a
    subsidy says it four times) from one holding most of them once (the germ rice's summary says 老人
    and 儿童): how many the title and summary hold decides first, as minimum_should_match does.
    """
    expansion = question_expansion(query)
    if not expansion.groups:
        return
    needed = questions.required(len(expansion.groups))
    groups = [Or([PlainText(t, operator="and") for t, _ in g.alternatives]) for g in expansion.groups]
    results = pages.search(groups[0] if len(groups) == 1 else Or(groups), backend=_backend_name())
    results = list(results.annotate_score("_score")[:CANDIDATES])
    top = max((abs(getattr(page, "_score", 0) or 0) for page in results), default=0) or 1
    rows = Page.objects.filter(pk__in=[page.pk for page in results]).values_list("pk", *SHORT_TEXT_FIELDS)
    short_text = {pk: " ".join(filter(None, texts)) for pk, *texts in rows}
    for page in results:
        text = " ".join(segment(to_simplified(f"{page.title} {short_text.get(page.pk, '')}")))
        held = sum(any(_holds(text, alternative) for alternative, _ in g.alternatives) for g in expansion.groups)
        score = abs(getattr(page, "_score", 0) or 0) / top
        candidates[page.pk] = Candidate(
            page=page,
            type=types_by_ct.get(page.content_type_id, ""),
            relevance=(0.3 * score + 0.7 * held / len(expansion.groups)) * (1.0 if held >= needed else 0.5),
        )


def _holds(text, alternative):
    return all(word in text for word in alternative.lower().split())


def _title_matches(title, expansion):
    """Whether the title holds every group of the query, as typed or as one of its synonyms."""
    if not expansion.groups:
        return False
    title_words = set(segment(title))
    compact = "".join(segment(title))

    def holds(text):
        return all(word in title_words or word in compact for word in text.lower().split())

    return all(any(holds(text) for text, _ in group.alternatives) for group in expansion.groups)


def _add_signals(candidates, now):
    """Sales and prices of candidate products and the live state of candidate broadcasts: one query each."""
    by_type = defaultdict(list)
    for candidate in candidates:
        by_type[candidate.type].append(candidate)
    if by_type["product"]:
        rows = ProductPage.objects.filter(pk__in=[c.page.pk for c in by_type["product"]]).values_list(
            "pk", "sales_volume", "price"
        )
        signals = {pk: (sales, price) for pk, sales, price in rows}
        for candidate in by_type["product"]:
            sales, price = signals.get(candidate.page.pk, (0, None))
            candidate.sales, candidate.price = sales or 0, float(price) if price is not None else None
    if by_type["replay"]:
        live = set(
            BroadcastReplayPage.objects.filter(pk__in=[c.page.pk for c in by_type["replay"]], scheduled_start__lte=now)
            .filter(Q(actual_end__gt=now) | Q(actual_end__isnull=True, scheduled_end__gt=now))
            .values_list("pk", flat=True)
        )
        for candidate in by_type["replay"]:
            candidate.live = candidate.page.pk in live


def _freshness(page, now):
    published = page.last_published_at or page.first_published_at
    if published is None:
        return 0.0
    age_days = max(0.0, (now - published).total_seconds() / 86400)
    return 1.0 / (1.0 + age_days / 180)  # half after six months


def rank(candidates, expansion, now):
    """Order candidates as shoppers expect; the database's own score is the first ingredient."""
    for candidate in candidates:
        candidate.title_match = _title_matches(candidate.page.title, expansion) or bool(
            expansion.corrected and _title_matches(candidate.page.title, expansion.corrected)
        )
    product_word = any(c.title_match and c.type in ("product", "brand") for c in candidates)
    for candidate in candidates:
        weight = TYPE_WEIGHT_FOR_PRODUCT_WORD.get(candidate.type, 1.0) if product_word else 1.0
        signals = 0.05 * math.log10(1 + candidate.sales) + 0.3 * candidate.live + 0.1 * _freshness(candidate.page, now)
        candidate.score = (candidate.relevance + TITLE_MATCH_BONUS * candidate.title_match) * weight * (1 + signals)
    return sorted(candidates, key=lambda c: (-c.score, -c.page.pk))


SORT_KEYS = {
    "newest": lambda c: (-(c.page.first_published_at.timestamp() if c.page.first_published_at else 0), -c.page.pk),
    "price_asc": lambda c: (c.price is None, c.price or 0, -c.page.pk),
    "price_desc": lambda c: (c.price is None, -(c.price or 0), -c.page.pk),
    "sales": lambda c: (-c.sales, -c.page.pk),
}


# --- one page of hits, loaded in bulk --------------------------------------------------------


def _specific_pages(candidates):
    """{page id: specific page} for one page of hits: one query per page type present, plus brands."""
    ids_by_type = defaultdict(list)
    for candidate in candidates:
        ids_by_type[candidate.type].append(candidate.page.pk)
    pages = {}
    querysets = {
        "brand": FarmBrandPage.objects.select_related("region__parent__parent"),
        "product": ProductPage.objects.all(),
        "story": BrandStoryPage.objects.select_related("brand__region__parent__parent"),
        "replay": BroadcastReplayPage.objects.select_related("brand__region__parent__parent"),
        "policy": PolicyNewsPage.objects.prefetch_related("regions__parent__parent"),
    }
    for key, ids in ids_by_type.items():
        if key in querysets:
            for page in querysets[key].filter(pk__in=ids).defer_streamfields():
                pages[page.pk] = page
    products = [p for p in pages.values() if isinstance(p, ProductPage)]
    brands_by_path = {}
    if products:
        parent_paths = {p.path[: -Page.steplen] for p in products}
        brands = FarmBrandPage.objects.filter(path__in=parent_paths).select_related("region__parent__parent")
        brands_by_path = {b.path: b for b in brands.defer_streamfields()}
    for product in products:
        product._fallback_brand = brands_by_path.get(product.path[: -Page.steplen])
    return pages


def _brand_of(page):
    if isinstance(page, ProductPage):
        return getattr(page, "_fallback_brand", None)
    if isinstance(page, FarmBrandPage):
        return page
    return getattr(page, "brand", None)


def _region_of(page):
    if isinstance(page, PolicyNewsPage):
        regions = list(page.regions.all())
        return regions[0] if regions else None
    brand = _brand_of(page)
    return brand.region if brand is not None else None


def page_hit(page, request=None):
    """The same shape as an engine hit, from a specific page loaded by _specific_pages."""
    brand = _brand_of(page)
    region = _region_of(page)
    path = region.ancestors_and_self() if region else []
    return {
        "page_id": page.pk,
        "type": TYPE_OF_MODEL.get(type(page)),
        "url": page.get_url(request=request),
        "title": page.title,
        "summary": getattr(page, "summary", "") or getattr(page, "tagline", "") or getattr(page, "introduction", ""),
        "brand": brand.title if brand is not None and not isinstance(page, FarmBrandPage) else None,
        "province_code": path[0].code if path else None,
        "city_code": path[1].code if len(path) > 1 else None,
        "province_name": path[0].name if path else None,
        "city_name": path[1].name if len(path) > 1 else None,
        "price": float(page.price) if getattr(page, "price", None) is not None else None,
        "unit": getattr(page, "unit", None),
        "image_id": next((getattr(page, f) for f in IMAGE_FIELDS if getattr(page, f, None)), None),
    }


def database_search(query, filters, sort="relevance", page_number=1, request=None, locale=None):
    """One page of results from the database, in the shape the engine's results take."""
    now = timezone.now()
    locale = locale or Locale.get_active()
    pages = Page.objects.live().public()
    # A query searches both languages (the database index holds each page in its own language
    # only); what is found in the other one is shown through its translation (in_language).
    pages = pages if query else pages.filter(locale=locale)
    types = [SEARCHABLE_MODELS[t] for t in filters.get("type", [])] or list(SEARCHABLE_MODELS.values())
    pages = filtered_pages(pages.type(*types), filters)
    types_by_ct = _type_of_content_type()
    expansion = synonyms.expand(query) if query else None
    candidates = in_language(_candidates(pages, query, expansion, types_by_ct), locale)
    _add_signals(candidates, now)
    if sort in SORT_KEYS:
        ordered = sorted(candidates, key=SORT_KEYS[sort])
    elif query:
        # A question's title matches are judged on its key words, as it was searched.
        ordered = rank(candidates, question_expansion(query) if asks_with_fillers(query) else expansion, now)
    else:
        ordered = candidates
    total = len(ordered)
    num_pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page_number), num_pages)
    shown = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    specific = _specific_pages(shown)
    hits = [page_hit(specific[c.page.pk], request) for c in shown if c.page.pk in specific]
    did_you_mean = expansion.corrected_text if expansion else ""
    return SearchResults(hits=hits, total=total, page=page, num_pages=num_pages, did_you_mean=did_you_mean)


SUGGESTED_TYPES = ("brand", "product", "story", "replay")


def database_suggestions(query, limit=8, request=None, locale=None):
    """Titles starting with what was typed, also by pinyin and initials: brands and products, then the rest.

    Wagtail's autocomplete on the segmenting database backend, which indexes every page title with
    its pinyin forms (search.backends.database): one query, and one for the site's root paths.
    """
    types_by_ct = _type_of_content_type()
    pages = Page.objects.live().public().filter(locale=locale or Locale.get_active())
    pages = pages.type(*(SEARCHABLE_MODELS[t] for t in SUGGESTED_TYPES))
    found = list(pages.autocomplete(query, backend=_backend_name())[: limit * 2])
    found.sort(key=lambda page: types_by_ct.get(page.content_type_id) not in ("brand", "product"))
    return [
        {"title": page.title, "url": page.get_url(request=request), "type": types_by_ct.get(page.content_type_id)}
        for page in found[:limit]
    ]


def hits_for_pages(pages, locale, request=None):
    """Result hits for plain Page rows, in the visitor's language where a translation exists, in order."""
    types_by_ct = _type_of_content_type()
    candidates = in_language([Candidate(page=p, type=types_by_ct.get(p.content_type_id, "")) for p in pages], locale)
    specific = _specific_pages(candidates)
    return [page_hit(specific[c.page.pk], request) for c in candidates if c.page.pk in specific]
