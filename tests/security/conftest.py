"""One public page of every type, for the header and browser checks; an engine index of its own for search checks."""

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import timezone

from brands.models.provenance import Batch
from tests import factories


def build_public_pages():
    """Publish one page of each public type and return {page type: URL}."""
    tree = factories.make_site_tree()
    region = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    topic = factories.make_policy_topic(name="补贴", name_en="Subsidies", slug="subsidies")
    brand = factories.make_brand(tree.brands, title="五常稻香", slug="wuchang-daoxiang", region=region)
    product = factories.make_product(brand, title="五常大米", slug="wuchang-rice")
    story = factories.make_story(tree.stories, brand=brand, products=[product])
    replay = factories.make_broadcast(tree.replays, brand=brand, slug="harvest-live")
    start = timezone.now() + datetime.timedelta(days=2)
    upcoming = factories.make_broadcast(
        tree.replays,
        brand=brand,
        slug="upcoming-live",
        scheduled_start=start,
        scheduled_end=start + datetime.timedelta(hours=2),
    )
    section = factories.make_policy_section(region, tree.policy)
    policy = factories.make_policy_news(section, topics=[topic])
    batch = Batch.objects.create(
        product=product,
        quantity=Decimal("500"),
        unit="kg",
        harvest_date=(timezone.now() - datetime.timedelta(days=20)).date(),
        status=Batch.Status.AVAILABLE,
    )
    return {
        "home": "/",
        "brand": brand.url,
        "product": product.url,
        "story": story.url,
        "replay": replay.url,
        "upcoming broadcast": upcoming.url,
        "policy item": policy.url,
        "policy listing": "/policy/?region=heilongjiang&topic=subsidies",
        "search": "/search/?q=%E5%A4%A7%E7%B1%B3",
        "trace": f"/trace/{batch.display_code}/",
    }


def parse_csp(header):
    """{directive: [sources]} from a Content-Security-Policy header value."""
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


@pytest.fixture
def discovery_engine(engine_url, settings):
    """An empty discovery index of this run's own on the shared engine; skip locally, fail under CI=true."""
    from search import engine
    from search.documents import create_index

    settings.SEARCH_ENGINE_URL = engine_url
    settings.SEARCH_INDEX_PREFIX = f"farmcast-test-security-{os.getpid()}"
    client = engine.get_client()
    alias = engine.alias_name()
    client.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
    client.indices.put_alias(index=create_index(client), name=alias)
    yield client
    client.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
