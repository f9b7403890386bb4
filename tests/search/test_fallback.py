"""/search/ without the engine (search.fallback): constant queries, the engine's filters, shoppers' ranking.

No engine here: SEARCH_ENGINE_URL is empty, so the view answers from Wagtail's database backend
(search.backends.database), SQLite locally and PostgreSQL in CI.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_engine(settings):
    settings.SEARCH_ENGINE_URL = ""


def search(client, **params):
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    assert 'desc="database"' in response["Server-Timing"]
    return response


def titles(response):
    return [hit["title"] for hit in response.context["results"].hits]


def queries_for(client, params):
    search(client, **params)  # renditions are made on first view; count the next one
    with CaptureQueriesContext(connection) as captured:
        response = search(client, **params)
    return response, len(captured)


def test_query_count_does_not_grow_with_hits(client, site_tree, region, category):
    """A page of 10 hits with images costs as many queries as a page of 3 (no N+1)."""
    few_brand = factories.make_brand(site_tree.brands, title="少量农场", region=region)
    for n in range(3):
        factories.make_product(
            few_brand, title=f"少量黑土大米{n}", category=category, main_image=factories.make_image()
        )
    few, few_queries = queries_for(client, {"q": "少量黑土大米", "type": "product"})
    assert few.context["results"].total == 3

    many_brand = factories.make_brand(site_tree.brands, title="大量农场", region=region)
    for n in range(17):
        factories.make_product(
            many_brand, title=f"大量黑土大米{n}", category=category, main_image=factories.make_image()
        )
    many, many_queries = queries_for(client, {"q": "大量黑土大米", "type": "product"})
    assert many.context["results"].total == 17
    assert len(many.context["results"].hits) == 10
    assert all(hit["image"] is not None and hit["brand"] == "大量农场" for hit in many.context["results"].hits)
    # no N+1: brands, regions, URLs and images of every hit come in bulk.
    assert many_queries == few_queries


def test_query_count_with_every_page_type_does_not_grow(client, site_tree, region, brand, category):
    """Hits of all five types, filtered by region: two of each cost as many queries as one of each."""
    section = factories.make_policy_section(region)

    def add_one_of_each(n):
        factories.make_story(site_tree.stories, brand=brand, title=f"稻田故事{n}", introduction="稻田")
        factories.make_broadcast(site_tree.replays, brand=brand, title=f"稻田直播{n}", summary="稻田")
        factories.make_policy_news(section, title=f"稻田补贴{n}", summary="稻田")
        factories.make_product(brand, title=f"稻田大米{n}", category=category, main_image=factories.make_image())

    add_one_of_each(0)
    params = {"q": "稻田", "region": region.code}
    one, one_queries = queries_for(client, params)
    add_one_of_each(1)
    two, two_queries = queries_for(client, params)
    assert {hit["type"] for hit in one.context["results"].hits} >= {"story", "replay", "policy", "product"}
    assert len(two.context["results"].hits) == len(one.context["results"].hits) + 4
    # no N+1: one search, one query per signal and per type shown, brands, policy regions, images.
    assert two_queries == one_queries


def test_region_filter_is_honoured(client, site_tree, category):
    """?region= keeps what belongs to the region or below it: brands, their products, stories and policy."""
    heilongjiang = factories.make_region(name="黑龙江省", code="230000", slug="hlj")
    wuchang = factories.make_region(name="五常市", code="230184", slug="wuchang", parent=heilongjiang, level=2)
    henan = factories.make_region(name="河南省", code="410000", slug="henan")
    rice_farm = factories.make_brand(site_tree.brands, title="五常米农", region=wuchang)
    tea_farm = factories.make_brand(site_tree.brands, title="信阳茶农", region=henan)
    factories.make_product(rice_farm, title="五常长粒香", category=category)
    factories.make_product(tea_farm, title="信阳毛尖", category=category)
    factories.make_story(site_tree.stories, brand=rice_farm, title="五常的秋天")
    factories.make_policy_news(factories.make_policy_section(henan), title="河南茶叶补贴")

    found = set(titles(search(client, region="230184")))
    assert found == {"五常米农", "五常长粒香", "五常的秋天"}
    assert set(titles(search(client, region="230000"))) == found  # a province includes its cities
    assert set(titles(search(client, region="410000"))) == {"信阳茶农", "信阳毛尖", "河南茶叶补贴"}


def test_type_category_and_season_filters(client, brand):
    """type=, category= and season= narrow the fallback's results as they do the engine's."""
    rice = factories.make_category(name="大米", slug="rice")
    fruit = factories.make_category(name="水果", slug="fruit")
    factories.make_product(brand, title="秋季大米", category=rice, season_start=9, season_end=11)
    factories.make_product(brand, title="冬季橙子", category=fruit, season_start=11, season_end=2)
    assert titles(search(client, category="fruit")) == ["冬季橙子"]
    assert titles(search(client, season="1", type="product")) == ["冬季橙子"]
    assert titles(search(client, season="10", type="product")) == ["秋季大米"]


def test_products_rank_above_stories_replays_and_policy_for_a_product_word(
    client, site_tree, brand, category, policy_section
):
    """For 大米, the rice itself comes before the replay and policies that mention rice more often."""
    factories.make_broadcast(site_tree.replays, brand=brand, title="大米大米直播", summary="大米 大米 大米")
    factories.make_policy_news(policy_section, title="大米补贴", summary="大米 大米 大米 大米")
    factories.make_policy_news(policy_section, title="大米质量", summary="大米 大米 大米 大米")
    factories.make_product(brand, title="五常大米", summary="新米", category=category)
    assert titles(search(client, q="大米"))[0] == "五常大米"


def test_sort_by_price_and_sales(client, brand, category):
    """The fallback honours sort= for price and sales."""
    for title, price, sales in [("便宜米", "10.00", 5), ("中价米", "50.00", 500), ("贵米", "99.00", 50)]:
        factories.make_product(brand, title=title, price=price, sales_volume=sales, category=category)
    assert titles(search(client, q="米", type="product", sort="price_asc")) == ["便宜米", "中价米", "贵米"]
    assert titles(search(client, q="米", type="product", sort="sales")) == ["中价米", "贵米", "便宜米"]


def test_live_broadcast_ranks_above_an_old_replay(client, site_tree, brand):
    """A broadcast live now comes before the same words in yesterday's replay."""
    now = timezone.now()
    factories.make_broadcast(site_tree.replays, brand=brand, title="新米直播 昨天")
    factories.make_broadcast(
        site_tree.replays,
        brand=brand,
        title="新米直播 现在",
        scheduled_start=now - datetime.timedelta(minutes=10),
        scheduled_end=now + datetime.timedelta(hours=1),
    )
    assert titles(search(client, q="新米直播"))[0] == "新米直播 现在"


def test_notice_speaks_to_shoppers(client, product):
    """The fallback's notice tells a shopper results may be rougher, without engine or database jargon."""
    html = search(client, q="五常大米").content.decode()
    notice = html.split('class="notice" role="status">', 1)[1].split("</p>", 1)[0]
    assert "简易模式" in notice
    assert not any(word in notice for word in ("引擎", "数据库", "engine", "database"))


def test_english_results_name_regions_in_english(client, brand, product):
    """Without the engine too, /en/search/ names a hit's region in English and /search/ in Chinese."""
    city = factories.make_region(parent=brand.region, name="哈尔滨市", name_en="Harbin")
    brand.region = city
    brand.save_revision().publish()
    factories.make_english_translation(product, title="Wuchang rice")
    english = client.get("/en/search/", {"q": "Wuchang", "type": "product"})
    assert 'desc="database"' in english["Server-Timing"]
    assert [h["region"] for h in english.context["results"].hits] == ["Heilongjiang · Harbin"]
    chinese = client.get("/search/", {"q": "五常大米", "type": "product"})
    assert [h["region"] for h in chinese.context["results"].hits] == ["黑龙江省 · 哈尔滨市"]
