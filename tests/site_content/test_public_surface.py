"""What crawlers, apps and lost visitors see: JSON-LD, sitemap, robots.txt, /healthz, the API, 404 and 500."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_types(response):
    """Every schema.org @type in the page's JSON-LD (top level and @graph)."""
    blocks = LD_JSON.findall(response.content.decode())
    assert blocks, "the page has no JSON-LD"
    types = []
    for block in blocks:
        data = json.loads(block)
        for item in data.get("@graph", [data]):
            types.append(item["@type"])
    return types


@pytest.fixture
def every_page(site_tree, brand, product, story, broadcast, policy_section, policy_news):
    return {
        "brand": brand,
        "product": product,
        "story": story,
        "broadcast": broadcast,
        "policy_section": policy_section,
        "policy_news": policy_news,
        "home": site_tree.home,
        "brands": site_tree.brands,
    }


@pytest.mark.parametrize(
    ("page_name", "expected"),
    [
        ("brand", "Organization"),
        ("product", "Product"),
        ("story", "Article"),
        ("broadcast", "VideoObject"),
        ("policy_news", "NewsArticle"),
    ],
)
def test_page_json_ld_parses_and_names_its_type(client, every_page, page_name, expected):
    """Each page type's JSON-LD is valid JSON with its schema.org type and a breadcrumb list."""
    types = json_ld_types(client.get(every_page[page_name].url))
    assert expected in types
    assert "BreadcrumbList" in types


def test_upcoming_broadcast_is_an_event(client, site_tree, brand):
    """Before it airs, a broadcast is announced as an Event, not a video."""
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=3)
    upcoming = factories.make_broadcast(
        site_tree.replays, brand=brand, scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=1)
    )
    assert "Event" in json_ld_types(client.get(upcoming.url))


def test_json_ld_cannot_be_broken_out_of(client, site_tree, region):
    """A title containing </script> stays inside the JSON-LD string."""
    brand = factories.make_brand(site_tree.brands, region=region, title="</script><script>alert(1)</script>")
    html = client.get(brand.url).content.decode()
    assert "<script>alert(1)" not in html
    assert "Organization" in json_ld_types(client.get(brand.url))


def test_sitemap_lists_published_pages(client, every_page):
    """/sitemap.xml is valid XML listing every published page, and no drafts."""
    draft = factories.make_brand(every_page["brands"], region=every_page["brand"].region)
    draft.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in ET.fromstring(response.content).findall(".//s:loc", ns)}
    for name, page in every_page.items():
        assert any(loc.endswith(page.url) for loc in locations), f"{name} {page.url} missing from the sitemap"
    assert not any(loc.endswith(draft.url or f"/{draft.slug}/") for loc in locations)


def test_robots_txt_names_the_sitemap(client):
    """robots.txt points crawlers at the sitemap and keeps them out of the admin."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert re.search(r"^Sitemap: https?://\S+/sitemap\.xml$", body, re.M)
    assert "Disallow: /admin/" in body


def test_healthz_reports_database_and_search(client):
    """/healthz is uncached JSON saying whether the database and the search engine answer."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response.get("Cache-Control", "") or "max-age=0" in response.get("Cache-Control", "")
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert "search" in body


def test_api_lists_pages_with_their_types(client, every_page):
    """/api/v2/pages/ lists live pages with their Wagtail type."""
    response = client.get("/api/v2/pages/", {"limit": 50})
    assert response.status_code == 200
    items = response.json()["items"]
    types = {item["meta"]["type"] for item in items}
    assert {"brands.FarmBrandPage", "brands.ProductPage", "stories.BroadcastReplayPage"} <= types
    assert every_page["product"].pk in {item["id"] for item in items}


def test_api_filters_by_type(client, every_page):
    """Apps can ask the API for products only."""
    response = client.get("/api/v2/pages/", {"type": "brands.ProductPage", "fields": "*"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [every_page["product"].pk]


@pytest.mark.parametrize("url", ["/no-such-page/", "/en/no-such-page/", "/brands/no-such-brand/"])
def test_unknown_url_gets_a_bilingual_404_with_search(client, site_tree, url):
    """An unknown address answers 404 with a page in both languages and a search form."""
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到" in html
    assert "Page not found" in html
    assert re.search(r'<form[^>]*role="search"', html)
    assert 'name="q"' in html


@pytest.mark.urls("tests.site_content.raising_urls")
def test_server_error_page_leaks_nothing(site_tree):
    """A crash answers a plain 500 page: no traceback, no exception text, no settings."""
    client = Client(raise_request_exception=False)
    response = client.get("/__explode__/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "出错了" in html
    for leak in ("secret-detail", "hunter2", "Traceback", "RuntimeError", "farmcast-tests-only", "SECRET_KEY"):
        assert leak not in html
