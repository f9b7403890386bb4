"""HomePage.route finds pages by their URL path in one query, and answers every URL as Wagtail's walk does."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests import factories

pytestmark = pytest.mark.django_db


def route(url):
    return Page.route_for_request(RequestFactory().get(url), url)


def test_deep_page_is_found_with_the_same_queries_as_a_shallow_one(product, brand):
    """A product (three levels below home) costs the same routing queries as its brand (two levels)."""
    route(brand.url)  # content types and locales are cached after a first request
    counts = []
    for page in (brand, product):
        with CaptureQueriesContext(connection) as queries:
            result = route(page.url)
        assert result.page.specific == page.specific
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_missing_or_unpublished_page_is_not_found(client, brand, product):
    """A slug that names nothing, or a draft, is a 404 as before."""
    assert client.get(brand.url + "no-such-product/").status_code == 404
    product.unpublish()
    assert client.get(product.url).status_code == 404


def test_page_below_an_unpublished_section_is_still_served(client, site_tree, brand):
    """Wagtail serves a live page whose ancestor is a draft; so does the shortcut."""
    site_tree.brands.unpublish()
    assert client.get(brand.url).status_code == 200


def test_routes_of_a_routable_page_and_pages_below_it(client, policy_news):
    """/policy/feed/rss/ is a route of the policy index; /policy/<region>/<slug>/ a page below it."""
    top = policy_news.get_parent().get_parent()
    assert client.get(top.url + "feed/rss/").status_code == 200
    assert client.get(policy_news.url).status_code == 200


def test_english_pages_route_under_the_english_home(client, brand):
    """/en/... finds the English tree's pages."""
    english = factories.make_english_translation(brand, title="Wuchang Daoxiang")
    response = client.get(english.url)
    assert response.status_code == 200
    assert "Wuchang Daoxiang" in response.content.decode()
