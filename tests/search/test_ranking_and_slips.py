"""Ranking shoppers expect, typing slips and long questions, on the engine and on the database fallback alike."""

import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from search import spelling
from tests import factories
from tests.search.helpers import engine_answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(site_tree, brand, category, policy_section):
    """Rice that sells, rice that does not, and a replay and policies that say 大米 more often than either."""
    factories.make_broadcast(site_tree.replays, brand=brand, title="大米大米直播", summary="大米 大米 大米")
    factories.make_policy_news(policy_section, title="大米补贴", summary="大米 大米 大米 大米")
    factories.make_product(
        brand, title="五常大米", slug="bestseller", summary="新米", sales_volume=50_000, category=category
    )
    factories.make_product(
        brand, title="东北大米", slug="slow-seller", summary="新米", sales_volume=3, category=category
    )
    factories.make_product(
        brand, title="五常胚芽米", slug="germ", summary="保留胚芽的轻碾米，适合老人和儿童。", category=category
    )
    factories.make_product(brand, title="Black soil rice 黑土米", slug="black-soil", category=category)
    return brand


@pytest.fixture(params=["engine", "database"])
def path(request, settings):
    """Each test runs on both paths: the engine (with its index filled) and the database fallback."""
    if request.param == "engine":
        request.getfixturevalue("index_now")()
    else:
        settings.SEARCH_ENGINE_URL = ""
    return request.param


def search(client, path, q):
    response = client.get(reverse("search:search"), {"q": q})
    if path == "engine":
        engine_answered(response)
    else:
        assert 'desc="database"' in response["Server-Timing"]
    return response, [hit["title"] for hit in response.context["results"].hits]


@pytest.mark.engine
def test_products_first_then_sales_for_a_product_word(client, shop, path):
    """For 大米: both rice products before the replay and the policy, the best seller first."""
    _, found = search(client, path, "大米")
    assert found[0] == "五常大米"
    assert found.index("东北大米") < min(found.index("大米大米直播"), found.index("大米补贴"))


@pytest.mark.engine
def test_a_homophone_slip_finds_the_product_and_offers_the_right_words(client, shop, path):
    """五长大米 (a pinyin keyboard's slip) finds 五常大米 and the page says 你是不是要找：五常大米."""
    response, found = search(client, path, "五长大米")
    assert found[0] == "五常大米"
    assert response.context["results"].did_you_mean == "五常大米"
    html = response.content.decode()
    assert "你是不是要找：" in html and 'href="?' + urlencode({"q": "五常大米"}) + '"' in html


@pytest.mark.engine
def test_an_english_slip_with_swapped_letters_is_corrected(client, shop, path):
    """rcie (two letters swapped) finds the rice whose English words say rice, and offers "rice"."""
    response, found = search(client, path, "rcie")
    assert "Black soil rice 黑土米" in found
    assert response.context["results"].did_you_mean == "rice"


@pytest.mark.engine
def test_a_long_question_matches_on_its_key_words(client, shop, path):
    """A sentence no page holds whole finds the product holding most of its key words, not the best seller."""
    _, found = search(client, path, "有没有适合老人和儿童吃的大米")
    assert found[0] == "五常胚芽米"


@pytest.mark.engine
def test_a_broadcast_live_now_comes_before_last_weeks(client, site_tree, brand, path_after_live):
    """The same words in a broadcast on air now and in one that ended a week ago: the live one first."""
    _, found = search(client, path_after_live, "新米开仓直播")
    assert found[:2] == ["新米开仓直播 现在", "新米开仓直播 上周"]


@pytest.fixture(params=["engine", "database"])
def path_after_live(request, settings, site_tree, brand):
    now = timezone.now()
    factories.make_broadcast(
        site_tree.replays,
        brand=brand,
        title="新米开仓直播 上周",
        scheduled_start=now - datetime.timedelta(days=7),
        scheduled_end=now - datetime.timedelta(days=7) + datetime.timedelta(hours=2),
    )
    factories.make_broadcast(
        site_tree.replays,
        brand=brand,
        title="新米开仓直播 现在",
        scheduled_start=now - datetime.timedelta(minutes=20),
        scheduled_end=now + datetime.timedelta(hours=1),
    )
    if request.param == "engine":
        request.getfixturevalue("index_now")()
    else:
        settings.SEARCH_ENGINE_URL = ""
    return request.param


def test_damerau_levenshtein_counts_a_swap_as_one_edit():
    """rcie and navle are one edit (a swap) from rice and navel; past the limit it stops early."""
    assert spelling.damerau_levenshtein("rcie", "rice") == 1
    assert spelling.damerau_levenshtein("navle", "navel") == 1
    assert spelling.damerau_levenshtein("wuchan", "wuchang") == 1
    assert spelling.damerau_levenshtein("abcdef", "uvwxyz", limit=2) == 3


def test_correct_words_are_left_alone():
    """Known words, and words near nothing known, come back unchanged (nothing to offer)."""
    vocabulary = spelling.Vocabulary.of(["五常市", "大米", "rice", "枸杞"])
    assert spelling.correct("五常大米 rice", vocabulary) == ""
    assert spelling.correct("梅家坞", vocabulary) == ""
    assert spelling.correct("五长大米", vocabulary) == "五常大米"
    assert spelling.correct("枸起", vocabulary) == "枸杞"


@pytest.fixture(params=["engine", "database"])
def english_rice(request, settings, site_tree, brand, category):
    """A rice product translated into English ("Wuchang rice, new crop"), searched on either path."""
    product = factories.make_product(brand, title="五常大米 新米", slug="wuchang-rice", category=category)
    factories.make_english_translation(brand)
    factories.make_english_translation(product, title="Wuchang rice, new crop")
    if request.param == "engine":
        request.getfixturevalue("index_now")()
    else:
        settings.SEARCH_ENGINE_URL = ""
    return request.param


@pytest.mark.engine
def test_an_english_slip_on_the_english_site_offers_the_word(client, english_rice):
    """/en/search/?q=ricr finds the English rice page and offers "Did you mean: rice" linking to ?q=rice."""
    response = client.get("/en/search/", {"q": "ricr"})
    if english_rice == "engine":
        engine_answered(response)
    else:
        assert 'desc="database"' in response["Server-Timing"]
    html = response.content.decode()
    assert response.context["results"].did_you_mean == "rice"
    assert "Did you mean:" in html and 'href="?q=rice"' in html
    assert "Wuchang rice, new crop" in [hit["title"] for hit in response.context["results"].hits]
