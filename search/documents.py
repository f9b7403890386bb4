"""The discovery index: one document per published brand, product, story, broadcast and policy news.

Documents are denormalised so a query never joins: each carries its brand, its region path, its
category and certificates, its season, price and sales, and the same text three ways: CJK
bigrams (recall), words pre-segmented by search.text (precision), and pinyin (people type it).
A replay also carries its chapters and transcript lines as nested moments, so a query can say
which moment matched and the result can link to it.
"""

import hashlib
import json
from functools import cache, lru_cache

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing

from brands.models import FarmBrandPage, ProductPage
from stories.models import BrandStoryPage, BroadcastReplayPage, PolicyNewsPage

from . import engine
from .text import pinyin_forms, segmented, to_simplified

# type key in the index -> page model. The keys are public: they appear in ?type= URLs.
SEARCHABLE_MODELS = {
    "brand": FarmBrandPage,
    "product": ProductPage,
    "story": BrandStoryPage,
    "replay": BroadcastReplayPage,
    "policy": PolicyNewsPage,
}
TYPE_LABELS = {
    "brand": _("Brands"),
    "product": _("Products"),
    "story": _("Stories"),
    "replay": _("Broadcasts"),
    "policy": _("Policy news"),
}
TYPE_OF_MODEL = {model: key for key, model in SEARCHABLE_MODELS.items()}

CJK = "farmcast_cjk"
WORDS = "farmcast_words"
WORDS_SEARCH = "farmcast_words_search"
ENGLISH = "farmcast_english"
PREFIX = "farmcast_prefix"
PREFIX_SEARCH = "farmcast_prefix_search"


# A nested document per moment counts against the engine's nested_objects.limit (10,000 per
# document); chapters come first, so a very long transcript loses its last lines, never a chapter.
MAX_MOMENTS = 5000


def declare_document(dsl):
    """The discovery index's Document (its mapping) in one engine's DSL.

    Both engines' DSLs (opensearch-py's and elasticsearch-dsl) speak the same API, so the mapping
    is written once here and each engine's module hands in its own DSL (document_class() below).
    """

    def cjk_text(chars=False):
        """Bigrams for recall, with an English-stemmed sub-field for Latin words.

        `chars` adds single characters (the standard tokenizer's CJK output), so a one-character
        query (米) still finds 便宜米 by phrase: bigrams alone never hold a lone character.
        """
        fields = {"en": dsl.Text(analyzer=ENGLISH)}
        if chars:
            fields["chars"] = dsl.Text(analyzer="standard")
        return dsl.Text(analyzer=CJK, fields=fields)

    def words_text():
        """Text segmented in Python (search.text); synonyms are expanded on the query side only."""
        return dsl.Text(analyzer=WORDS, search_analyzer=WORDS_SEARCH)

    class Moment(dsl.InnerDoc):
        """A chapter title or a transcript line of a replay, searched one by one to find where a query was said."""

        kind = dsl.Keyword()  # "chapter" or "transcript"
        start = dsl.Integer()
        text = cjk_text()
        text_seg = words_text()
        url = dsl.Keyword(index=False)

    class DiscoveryIndex(dsl.Document):
        page_id = dsl.Integer()
        type = dsl.Keyword()
        locale = dsl.Keyword()
        url = dsl.Keyword(index=False)
        title = cjk_text(chars=True)
        title_seg = words_text()
        title_pinyin = dsl.Text(analyzer=WORDS)
        title_pinyin_words = dsl.Text(analyzer=WORDS)
        title_initials = dsl.Text(analyzer=WORDS)
        summary = cjk_text()
        body = cjk_text()
        text_seg = words_text()
        brand = cjk_text()
        brand_id = dsl.Integer()
        province_code = dsl.Keyword()
        city_code = dsl.Keyword()
        county_code = dsl.Keyword()
        province_name = dsl.Keyword()
        city_name = dsl.Keyword()
        county_name = dsl.Keyword()
        region_codes = dsl.Keyword()
        region_names = cjk_text()
        category = dsl.Keyword()
        category_name = cjk_text()
        certifications = dsl.Keyword()
        certification_names = cjk_text()
        season_months = dsl.Integer()
        # Provenance (brands/models/provenance.py): lot codes as printed minus the dash, the months batches
        # were harvested in, and where their events happened.
        lot_codes = dsl.Keyword()
        harvest_months = dsl.Integer()
        event_region_codes = dsl.Keyword()
        event_places = cjk_text()
        # The page's translations' titles and descriptions: a query in either language finds the
        # page in the visitor's (search.query), which then shows it in that language.
        translations = cjk_text()
        # Certification types backed by a certificate valid today (a subset of `certifications`).
        verified_certifications = dsl.Keyword()
        rating = dsl.Double()
        review_count = dsl.Integer()
        price = dsl.Double()
        unit = dsl.Keyword(index=False)
        sales_volume = dsl.Long()
        published = dsl.Date()
        updated = dsl.Date()
        tags = dsl.Keyword()
        image_id = dsl.Integer(index=False)
        suggest = dsl.Text(analyzer=PREFIX, search_analyzer=PREFIX_SEARCH)
        moments = dsl.Nested(Moment)
        content_hash = dsl.Keyword()

        class Index:
            # Reads and writes go through the alias; search_rebuild creates the timestamped index.
            name = "farmcast-discovery"

    return DiscoveryIndex


@cache
def _document_class(name):
    return declare_document(engine._adapter(name).dsl)


def document_class():
    """The discovery index's Document class in the configured engine's DSL (its mapping)."""
    return _document_class(engine.engine_name())


def mapping():
    """The index's mappings as a dict (the same on every engine)."""
    return document_class()._doc_type.mapping.to_dict()


class DiscoveryDocument:
    """What a page becomes in the index: a dict built by from_page, a prepare_<field> per derived field."""

    # --- what is indexed ---------------------------------------------------------------------

    @staticmethod
    def get_queryset():
        return Page.objects.live().public().type(*SEARCHABLE_MODELS.values()).specific()

    @classmethod
    def from_page(cls, page, context):
        """The document for a specific page; `context` holds what was prefetched for the batch."""
        doc = {"page_id": page.pk, "type": TYPE_OF_MODEL[type(page)]}
        for name, prepare in cls._preparers():
            doc[name] = prepare(page, context) if prepare else None
        doc["title_seg"] = segmented(page.title)
        doc["text_seg"] = segmented(
            " ".join(
                filter(
                    None,
                    [
                        doc["summary"],
                        doc["body"],
                        doc["brand"],
                        doc["region_names"],
                        doc["category_name"],
                        doc["certification_names"],
                        doc["event_places"],
                        doc["translations"],
                        " ".join(doc["tags"] or []),
                    ],
                )
            )
        )
        doc["suggest"] = cls.prepare_suggest(page, doc)
        doc = {k: v for k, v in doc.items() if v not in (None, "", [])}
        doc["content_hash"] = content_hash(doc)
        return doc

    @classmethod
    @cache
    def _preparers(cls):
        """(field, prepare_<field> or None) in mapping order, for the fields from_page fills one by one."""
        derived = ("page_id", "type", "content_hash", "suggest", "title_seg", "text_seg")
        return tuple(
            (name, getattr(cls, f"prepare_{name}", None))
            for name in document_class()._doc_type.mapping
            if name not in derived
        )

    @staticmethod
    def prepare_locale(page, context):
        return context.locales.get(page.locale_id)

    @staticmethod
    def prepare_translations(page, context):
        return to_simplified(context.translations_of(page)) or None

    @staticmethod
    def prepare_url(page, context):
        return context.url_of(page)

    @staticmethod
    def prepare_title(page, context):
        return to_simplified(page.title)

    @staticmethod
    def prepare_title_pinyin(page, context):
        return _pinyin(page.title)["full"]

    @staticmethod
    def prepare_title_pinyin_words(page, context):
        return _pinyin(page.title)["words"]

    @staticmethod
    def prepare_title_initials(page, context):
        return _pinyin(page.title)["initials"]

    @staticmethod
    def prepare_summary(page, context):
        if isinstance(page, FarmBrandPage):
            text = page.tagline
        elif isinstance(page, BrandStoryPage):
            text = page.introduction
        else:
            text = getattr(page, "summary", "")
        return to_simplified(text or page.search_description or "")

    @staticmethod
    def prepare_body(page, context):
        if isinstance(page, FarmBrandPage):
            parts = page.story.stream_block.get_searchable_content(page.story)
        elif isinstance(page, BrandStoryPage):
            parts = page.body.stream_block.get_searchable_content(page.body)
        elif isinstance(page, BroadcastReplayPage):
            parts = [page.host, get_text_for_indexing(page.description or "")]
        elif isinstance(page, PolicyNewsPage):
            parts = [page.authority, page.document_number, get_text_for_indexing(page.body or "")]
        else:
            parts = [get_text_for_indexing(page.description or "")]
        return to_simplified(" ".join(p for p in parts if p))

    @staticmethod
    def prepare_brand(page, context):
        brand = context.brand_of(page)
        return brand.title if brand else None

    @staticmethod
    def prepare_brand_id(page, context):
        brand = context.brand_of(page)
        return brand.pk if brand else None

    @staticmethod
    def prepare_province_code(page, context):
        return _path_attr(context.regions_of(page), 0, "code")

    @staticmethod
    def prepare_city_code(page, context):
        return _path_attr(context.regions_of(page), 1, "code")

    @staticmethod
    def prepare_county_code(page, context):
        return _path_attr(context.regions_of(page), 2, "code")

    @staticmethod
    def prepare_province_name(page, context):
        return _path_attr(context.regions_of(page), 0, "name")

    @staticmethod
    def prepare_city_name(page, context):
        return _path_attr(context.regions_of(page), 1, "name")

    @staticmethod
    def prepare_county_name(page, context):
        return _path_attr(context.regions_of(page), 2, "name")

    @staticmethod
    def prepare_region_codes(page, context):
        return sorted({r.code for path in context.regions_of(page) for r in path})

    @staticmethod
    def prepare_region_names(page, context):
        names = []
        for path in context.regions_of(page):
            for r in path:
                names += [r.name, r.name_en]
        return " ".join(dict.fromkeys(n for n in names if n))

    @staticmethod
    def prepare_category(page, context):
        return page.category.slug if isinstance(page, ProductPage) else None

    @staticmethod
    def prepare_category_name(page, context):
        if isinstance(page, ProductPage):
            return " ".join(filter(None, [page.category.name, page.category.name_en]))
        return None

    @staticmethod
    def prepare_certifications(page, context):
        return sorted(c.slug for c in context.certification_types_of(page))

    @staticmethod
    def prepare_certification_names(page, context):
        return " ".join(n for c in context.certification_types_of(page) for n in (c.name, c.name_en) if n) or None

    @staticmethod
    def prepare_verified_certifications(page, context):
        return sorted(c.slug for c in context.provenance_of(page).valid_types.values())

    @staticmethod
    def prepare_lot_codes(page, context):
        return sorted(context.provenance_of(page).lot_codes)

    @staticmethod
    def prepare_harvest_months(page, context):
        return sorted(context.provenance_of(page).harvest_months)

    @staticmethod
    def prepare_event_region_codes(page, context):
        return sorted({r.code for path in context.provenance_of(page).event_regions for r in path})

    @staticmethod
    def prepare_event_places(page, context):
        names = [n for path in context.provenance_of(page).event_regions for r in path for n in (r.name, r.name_en)]
        return " ".join(dict.fromkeys(n for n in names if n)) or None

    @staticmethod
    def prepare_rating(page, context):
        return context.rating_of(page)["average"]

    @staticmethod
    def prepare_review_count(page, context):
        return context.rating_of(page)["count"] or None

    @staticmethod
    def prepare_season_months(page, context):
        return page.season_months if isinstance(page, ProductPage) else []

    @staticmethod
    def prepare_price(page, context):
        price = getattr(page, "price", None)
        return float(price) if price is not None else None

    @staticmethod
    def prepare_unit(page, context):
        return getattr(page, "unit", None)

    @staticmethod
    def prepare_sales_volume(page, context):
        return getattr(page, "sales_volume", None)

    @staticmethod
    def prepare_published(page, context):
        if isinstance(page, BrandStoryPage):
            value = page.date
        elif isinstance(page, BroadcastReplayPage):
            value = page.scheduled_start
        elif isinstance(page, PolicyNewsPage):
            value = page.effective_date
        else:
            value = page.first_published_at
        return value.isoformat() if value else None

    @staticmethod
    def prepare_updated(page, context):
        return page.last_published_at.isoformat() if page.last_published_at else None

    @staticmethod
    def prepare_tags(page, context):
        if isinstance(page, FarmBrandPage):
            return sorted(t.name for t in page.tags.all())
        return []

    @staticmethod
    def prepare_image_id(page, context):
        for field in ("main_image_id", "logo_id", "hero_image_id", "poster_image_id"):
            if getattr(page, field, None):
                return getattr(page, field)
        brand = context.brand_of(page)
        return (brand.logo_id or brand.hero_image_id) if brand else None

    @staticmethod
    def prepare_moments(page, context):
        """A replay's chapters, then its transcript lines, each with the link that plays from it.

        The link is built from the batch's page URL rather than page.moment_url(), which would look
        the site's root paths up again for every line; the `?t=N#t=N` shape is the same.
        """
        if not isinstance(page, BroadcastReplayPage):
            return []
        base = context.url_of(page)
        moments = [("chapter", chapter.start_seconds, chapter.title) for chapter in page.chapters.all()]
        moments += [("transcript", cue.start, cue.text) for cue in page.transcript_cues()]
        docs = []
        for kind, start, text in moments[:MAX_MOMENTS]:
            text = to_simplified(text or "").strip()
            if not text:
                continue
            start = int(start)
            docs.append(
                {
                    "kind": kind,
                    "start": start,
                    "text": text,
                    "text_seg": segmented(text),
                    "url": f"{base}?t={start}#t={start}" if base else None,
                }
            )
        return docs

    @staticmethod
    def prepare_suggest(page, doc):
        """Everything a prefix typed into the search box may start: the title, its words and pinyin."""
        forms = [doc.get("title", "")] + doc.get("title_seg", "").split()
        forms += [doc.get("title_pinyin"), doc.get("title_pinyin_words"), doc.get("title_initials")]
        return " ".join(dict.fromkeys(f for f in forms if f))


@lru_cache(maxsize=2048)
def _pinyin(title):
    return pinyin_forms(title)


def _path_attr(paths, depth, attr):
    # A page with several regions (policy news) keeps the first path's names and codes; all its
    # codes are still in region_codes for filtering.
    if not paths or len(paths[0]) <= depth:
        return None
    return getattr(paths[0][depth], attr)


def content_hash(doc):
    payload = json.dumps({k: v for k, v in doc.items() if k != "content_hash"}, sort_keys=True, default=str)
    return hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()


def index_settings():
    """Analysis settings. No synonyms: search.synonyms applies them to queries, so an edit needs no rebuild."""
    filters = {
        "farmcast_edge": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
        "farmcast_en_stemmer": {"type": "stemmer", "language": "english"},
    }
    return {
        "number_of_shards": 1,
        # One replica on a cluster of two or more nodes, none on a single node (which stays green).
        "auto_expand_replicas": "0-1",
        "max_result_window": 10_000,
        "analysis": {
            "filter": filters,
            "analyzer": {
                CJK: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                },
                WORDS: {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
                WORDS_SEARCH: {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
                ENGLISH: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "farmcast_en_stemmer"],
                },
                PREFIX: {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase", "farmcast_edge"]},
                PREFIX_SEARCH: {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
            },
        },
    }


def index_body():
    return {"settings": index_settings(), "mappings": mapping()}


def create_index(client, name=None, bulk_load=False):
    """A new index; `bulk_load` leaves refreshes off until finish_bulk_load (nobody reads it yet)."""
    name = name or engine.new_index_name()
    body = index_body()
    if bulk_load:
        body["settings"]["refresh_interval"] = "-1"
    client.indices.create(index=name, body=body)
    return name


def finish_bulk_load(client, name):
    """Back to the default refresh interval, and everything written so far searchable."""
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": None}})
    client.indices.refresh(index=name)
