"""The search page and suggestions against the real engine: database work that does not grow with the results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.search.helpers import engine_answered

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


def queries_for_search(client, n_products, brand, category, index_now):
    for n in range(n_products):
        factories.make_product(brand, title=f"黑土大米{n}", category=category, main_image=factories.make_image())
    index_now()
    params = {"q": "黑土大米", "category": category.slug}
    client.get(reverse("search:search"), params)  # renditions are made on first view; count the next one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("search:search"), params)
    engine_answered(response)
    return response, len(captured)


def test_search_query_count_does_not_grow_with_results(client, site_tree, region, category, index_now):
    """A page of 10 results with images and facets costs as many queries as a page of 3 (no N+1)."""
    few_brand = factories.make_brand(site_tree.brands, title="少量农场", region=region)
    few, few_queries = queries_for_search(client, 3, few_brand, category, index_now)
    assert few.context["results"].total == 3

    many_brand = factories.make_brand(site_tree.brands, title="大量农场", region=region)
    many, many_queries = queries_for_search(client, 17, many_brand, category, index_now)
    assert many.context["results"].total == 20
    assert len(many.context["results"].hits) == 10
    assert all(hit["image"] is not None for hit in many.context["results"].hits)
    # no N+1: the images and their renditions of every hit, and each facet's labels, come in bulk.
    assert many_queries == few_queries


def test_facet_labels_follow_a_renamed_category(client, brand, category, index_now):
    """Facet labels are cached, but renaming a category shows the new name on the next search."""
    factories.make_product(brand, title="黑土小米", category=category)
    index_now()

    def category_labels():
        response = engine_answered(client.get(reverse("search:search"), {"q": "黑土小米"}))
        facet = next(f for f in response.context["facets"] if f["name"] == "category")
        return [option["label"] for option in facet["options"]]

    assert category_labels() == [category.name]
    category.name = "杂粮"
    category.save()
    assert category_labels() == ["杂粮"]


def test_suggest_reads_no_database_once_warm(client, product, region, index_now):
    """Suggestions come from the engine and the cached region list: no query per keystroke."""
    index_now()
    url = reverse("search:suggest")
    client.get(url, {"q": "wu"})
    with CaptureQueriesContext(connection) as captured:
        response = engine_answered(client.get(url, {"q": "wuch"}))
    assert "五常大米" in [s["title"] for s in response.json()["suggestions"]]
    assert len(captured) == 0
