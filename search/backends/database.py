"""Wagtail's database search backend, taught to read Chinese.

Wagtail's SQLite (FTS5 unicode61) and PostgreSQL (tsvector) backends split text on spaces and
punctuation, so a run of Chinese characters such as 五常大米 is one token and 大米 never matches it.
This backend wraps the one Wagtail would pick for the connection and runs every indexed value and
every query string through `search.text`, the same analysis the discovery engine uses: words are
segmented with jieba and joined by spaces, traditional characters fold to simplified, and titles
also carry their pinyin (wuchang, wuchangdami, wcdm) so people who type pinyin find them.

Use it with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}``.
After switching to it (or changing `search.text`), run ``manage.py update_index`` once.
"""

import types

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from modelsearch.backends.base import EmptySearchResults
from modelsearch.index import RelatedFields
from modelsearch.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText

from search.text import pinyin_forms, segment, segmented

__all__ = ["SearchBackend", "segment_query", "index_text"]


def index_text(value: str, *, with_pinyin: bool = False) -> str:
    """The text to store in the index for one field value: segmented words, then pinyin forms."""
    text = segmented(value)
    if not with_pinyin:
        return text
    forms = pinyin_forms(value)
    # dict.fromkeys keeps order and drops repeats (a one-word title's words and full forms match).
    pinyin = dict.fromkeys(" ".join((forms["words"], forms["full"], forms["initials"])).split())
    return " ".join([text, *pinyin]) if pinyin else text


# The vendor backends nest one SQL expression per query term and recurse through them when
# compiling, so a pasted page of text would exhaust Python's stack; nobody means more words than this.
MAX_QUERY_TERMS = 32


def _query_text(text: str, *, keep_order: bool = False) -> str:
    tokens = segment(text, for_query=True)
    if not keep_order:
        tokens = list(dict.fromkeys(tokens))  # repeats add nothing to an all-terms query
    return " ".join(tokens[:MAX_QUERY_TERMS])


def segment_query(query):
    """Rewrite a query (a string or a modelsearch query tree) with segmented query strings.

    Returns "" when nothing searchable is left (a query of punctuation only), which the base
    backend answers with empty results instead of handing a syntax error to the database.
    """
    if query is None or isinstance(query, str):
        return query if query is None else _query_text(query)
    if isinstance(query, PlainText):
        text = _query_text(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else ""
    if isinstance(query, Phrase):
        text = _query_text(query.query_string, keep_order=True)
        return Phrase(text) if text else ""
    if isinstance(query, Fuzzy):
        text = _query_text(query.query_string)
        return Fuzzy(text, operator=query.operator, unaccent=query.unaccent) if text else ""
    if isinstance(query, Boost):
        subquery = segment_query(query.subquery)
        return Boost(subquery, query.boost) if subquery != "" else ""
    if isinstance(query, Not):
        subquery = segment_query(query.subquery)
        return Not(subquery) if subquery != "" else ""
    if isinstance(query, (And, Or)):
        subqueries = [sub for sub in (segment_query(sub) for sub in query.subqueries) if sub != ""]
        if not subqueries:
            return ""
        return subqueries[0] if len(subqueries) == 1 else type(query)(subqueries)
    return query  # MatchAll and anything else carry no text


class SegmentingIndexerMixin:
    """Segments each leaf field value as modelsearch's ObjectIndexer prepares it.

    Both vendor indexers yield tuples ending with the prepared string ((field, value) for SQLite,
    (field, weight, value) for PostgreSQL); only the leaves are rewritten, because RelatedFields
    recurse through this same method and would otherwise be segmented twice.
    """

    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            yield from super().prepare_field(obj, field)
            return
        for *head, value in super().prepare_field(obj, field):
            yield (*head, index_text(value, with_pinyin=field.field_name == "title"))


class SegmentingQueryMixin:
    """Segments the query before the vendor backend compiles it, for search() and autocomplete()."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = segment_query(query)
        if query == "":
            return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


def _global_names(code):
    # Names used by a function and the comprehensions nested in it (separate code objects before 3.12).
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _add_items_using(indexer_class, add_items):
    # modelsearch's Index.add_items builds `ObjectIndexer(obj, backend)` by its module-global name
    # and offers no hook to choose the class; rather than copy its SQL-writing body, reuse that
    # function's code with `ObjectIndexer` resolved to our subclass. The guard turns an upstream
    # rename into a clear error at startup instead of silently unsegmented indexing.
    if "ObjectIndexer" not in _global_names(add_items.__code__):
        raise ImproperlyConfigured(
            f"{add_items.__qualname__} no longer uses ObjectIndexer; update search.backends.database."
        )
    namespace = {**add_items.__globals__, "ObjectIndexer": indexer_class}
    return types.FunctionType(
        add_items.__code__, namespace, add_items.__name__, add_items.__defaults__, add_items.__closure__
    )


def _segmenting_backend_class(module):
    """Subclass a vendor module's backend, index and indexer so that indexing and queries segment."""
    indexer_class = type(
        f"Segmenting{module.ObjectIndexer.__name__}", (SegmentingIndexerMixin, module.ObjectIndexer), {}
    )
    base_index = module.SearchBackend.index_class
    index_class = type(
        f"Segmenting{base_index.__name__}",
        (base_index,),
        {"add_items": _add_items_using(indexer_class, base_index.add_items), "__module__": __name__},
    )
    return type(
        f"Segmenting{module.SearchBackend.__name__}",
        (SegmentingQueryMixin, module.SearchBackend),
        {"index_class": index_class, "__module__": __name__},
    )


_backend_classes = {}


def _backend_class_for(vendor):
    if vendor not in _backend_classes:
        if vendor == "postgresql":
            from modelsearch.backends.database.postgres import postgres as module
        else:
            from modelsearch.backends.database.sqlite import sqlite as module
        _backend_classes[vendor] = _segmenting_backend_class(module)
    return _backend_classes[vendor]


def SearchBackend(params):  # noqa: N802 - Wagtail looks the backend up by this name
    """Return the segmenting backend for the default database, as Wagtail's database backend does."""
    from modelsearch.backends import database as upstream

    backend = upstream.SearchBackend(params)
    if connection.vendor in ("postgresql", "sqlite") and type(backend).__name__ in (
        "PostgresSearchBackend",
        "SQLiteSearchBackend",
    ):
        return _backend_class_for(connection.vendor)(params)
    # SQLite without FTS5, MySQL: the plain LIKE/MySQL backends; segmenting queries alone would
    # not help them, so they are left as they are.
    return backend
