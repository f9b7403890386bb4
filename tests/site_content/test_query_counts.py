"""Listings make the same number of queries whatever their length: no N+1."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rendition_cache(settings):
    """Wagtail caches renditions in the default cache, which would hide a per-card rendition query."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def images(db):
    """A few images shared by every card: each card still loads its own, so a missing prefetch shows."""
    return [factories.make_image() for _ in range(3)]


def queries_to_render(client, url):
    """Queries for one anonymous GET of `url`, after a first GET has made the image renditions."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


def assert_same_count(small, large):
    (few, few_sql), (many, many_sql) = small, large
    extra = [sql for sql in many_sql if sql not in few_sql]
    assert few == many, f"{few} queries with 3 items, {many} with 30; new ones:\n" + "\n".join(extra[:10])


def add_brands(tree, region, images, count):
    return [
        factories.make_brand(tree.brands, region=region, logo=images[i % 3], hero_image=images[(i + 1) % 3])
        for i in range(count)
    ]


def test_home_page_queries_do_not_grow_with_its_lists(client, site_tree, region, images):
    """No N+1: the home page with 3 featured brands, broadcasts and policy items costs what it costs with 30."""
    home = site_tree.home
    section = factories.make_policy_section(region, site_tree.policy)
    home.policy_region = region
    home.save_revision().publish()
    now = timezone.now()

    def add(count):
        brands = add_brands(site_tree, region, images, count)
        home.featured_brands.add(*brands)
        for i, brand in enumerate(brands):
            start = now + datetime.timedelta(days=i + 1)
            factories.make_broadcast(
                site_tree.replays,
                brand=brand,
                poster_image=images[i % 3],
                scheduled_start=start,
                scheduled_end=start + datetime.timedelta(hours=2),
            )
            factories.make_broadcast(site_tree.replays, brand=brand, poster_image=images[(i + 1) % 3])
            factories.make_policy_news(section, topics=[factories.make_policy_topic()])

    add(3)
    small = queries_to_render(client, home.url)
    add(27)
    large = queries_to_render(client, home.url)
    # no N+1
    assert_same_count(small, large)


def test_brand_index_queries_do_not_grow_with_brands(client, site_tree, region, images):
    """No N+1: /brands/ with 3 brands costs what it costs with 30."""
    add_brands(site_tree, region, images, 3)
    small = queries_to_render(client, site_tree.brands.url)
    add_brands(site_tree, region, images, 27)
    large = queries_to_render(client, site_tree.brands.url)
    # no N+1
    assert_same_count(small, large)


def test_brand_product_list_queries_do_not_grow_with_products(client, brand, category, certification, images):
    """No N+1: a brand's page listing 3 products costs what it costs listing 30."""

    def add(count):
        for i in range(count):
            factories.make_product(brand, category=category, certifications=[certification], main_image=images[i % 3])

    add(3)
    small = queries_to_render(client, brand.url)
    add(27)
    large = queries_to_render(client, brand.url)
    # no N+1
    assert_same_count(small, large)
