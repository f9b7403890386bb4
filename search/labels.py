"""The small snippet tables search shows names from (regions, categories, certifications), cached.

Every search page labels its facets with them and every keystroke in the search box looks for
regions by name, so reading the tables on each request was a fixed cost on the hot path. They
hold a few dozen rows and change when an editor renames one: the cache is dropped on any save or
delete (search.signals) and expires after a few minutes anyway, for the processes a shared cache
backend does not reach.
"""

import itertools

from django.core.cache import cache

from site_content.models import CertificationType, ProductCategory, Region

from .text import has_cjk

CACHE_KEY = "farmcast:search:snippets:v1"
CACHE_SECONDS = 300


def snippets():
    """{"region": [Region, ...], "category": [...], "certification": [...]}, ordered for display."""
    tables = cache.get(CACHE_KEY)
    if tables is None:
        tables = {
            "region": list(Region.objects.order_by("level", "code")),
            "category": list(ProductCategory.objects.order_by("pk")),
            "certification": list(CertificationType.objects.order_by("pk")),
        }
        cache.set(CACHE_KEY, tables, CACHE_SECONDS)
    return tables


def forget(**kwargs):
    cache.delete(CACHE_KEY)


KEY_FIELD = {"region": "code", "category": "slug", "certification": "slug"}


def labels(name, keys):
    """{key: display name in the active language} for the facet's keys that exist."""
    wanted = set(keys)
    field = KEY_FIELD[name]
    return {getattr(obj, field): obj.display_name for obj in snippets()[name] if getattr(obj, field) in wanted}


def regions_starting_with(query, limit):
    """Regions whose Chinese name starts with what was typed, or else whose slug (pinyin) or English name does."""
    if has_cjk(query):
        matches = (r for r in snippets()["region"] if r.name.startswith(query))
    else:
        term, lowered = query.replace(" ", "").lower(), query.lower()
        matches = (
            r
            for r in snippets()["region"]
            if r.slug.lower().startswith(term) or (r.name_en or "").lower().startswith(lowered)
        )
    return list(itertools.islice(matches, limit))
