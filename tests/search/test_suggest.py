"""/search/suggest/: brands, products, stories and replays by characters, pinyin and initials, on both paths."""

import pytest
from django.urls import reverse

from tests import factories
from tests.search.helpers import engine_answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(site_tree, region, brand, product):
    """五常稻香 (brand), 五常大米 (product), a story and a replay about it, and an unrelated tea."""
    factories.make_story(site_tree.stories, brand=brand, title="五常稻田的秋天", slug="wuchang-autumn")
    factories.make_broadcast(site_tree.replays, brand=brand, title="五常新米直播", slug="wuchang-live")
    tea = factories.make_brand(site_tree.brands, title="安溪茶园", slug="anxi", region=region)
    factories.make_product(tea, title="铁观音", slug="tieguanyin")
    return brand


def suggestions(client, typed, source):
    response = client.get(reverse("search:suggest"), {"q": typed})
    assert response.status_code == 200
    assert response.json()["source"] == source
    return response.json()["suggestions"]


def check_kinds_and_order(found):
    kinds = [s["type"] for s in found if s["type"] != "region"]
    titles = {s["title"] for s in found}
    assert {"五常稻香", "五常大米", "五常稻田的秋天", "五常新米直播"} <= titles
    assert "铁观音" not in titles
    # brands and products come before stories and replays
    assert kinds.index("story") > max(kinds.index("brand"), kinds.index("product"))
    assert kinds.index("replay") > max(kinds.index("brand"), kinds.index("product"))


@pytest.mark.parametrize("typed", ["五常", "wuchang", "wuch", "wc"])
def test_the_fallback_suggests_every_kind_by_characters_pinyin_and_initials(client, settings, catalogue, typed):
    """Without the engine: 五常, its pinyin and its initials suggest the brand, product, story and replay."""
    settings.SEARCH_ENGINE_URL = ""
    check_kinds_and_order(suggestions(client, typed, "database"))


@pytest.mark.engine
@pytest.mark.parametrize("typed", ["五常", "wuchang", "wuch", "wc"])
def test_the_engine_suggests_every_kind_by_characters_pinyin_and_initials(client, catalogue, index_now, typed):
    """With the engine, the same: stories and replays too, after brands and products."""
    index_now()
    engine_answered(client.get(reverse("search:suggest"), {"q": typed}))
    check_kinds_and_order(suggestions(client, typed, "engine"))


def test_a_region_suggestion_leads_to_a_search_the_fallback_filters(client, settings, catalogue, region):
    """Typing a region's pinyin suggests it; following it without the engine lists only what is there."""
    settings.SEARCH_ENGINE_URL = ""
    wuchang = factories.make_region(
        name="五常市", name_en="Wuchang", code="230184", slug="wuchang", parent=region, level=2
    )
    elsewhere = factories.make_region(name="河南省", code="410000", slug="henan")
    factories.make_brand(title="信阳茶农", slug="xinyang", region=elsewhere)
    found = [s for s in suggestions(client, "wuchang", "database") if s["type"] == "region"]
    assert found and found[0]["url"].endswith(f"?region={wuchang.code}")
    province = next(s for s in suggestions(client, "hei", "database") if s["type"] == "region")
    response = client.get(province["url"])
    titles = {hit["title"] for hit in response.context["results"].hits}
    assert "五常稻香" in titles and "信阳茶农" not in titles
