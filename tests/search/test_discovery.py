"""Discovery search through HTTP, against the real OpenSearch engine."""

import pytest
from django.urls import reverse

from tests import factories
from tests.search.helpers import engine_answered

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


def titles(response):
    return [hit["title"] for hit in response.context["results"].hits]


def search(client, **params):
    return engine_answered(client.get(reverse("search:search"), params))


def test_segmented_word_finds_it_inside_a_longer_name(client, product, index_now):
    """大米 finds the product titled 五常大米 (jieba words plus bigrams), and so does 五常."""
    index_now()
    assert "五常大米" in titles(search(client, q="大米"))
    assert "五常大米" in titles(search(client, q="五常"))


def test_traditional_characters_find_simplified_text(client, brand, category, index_now):
    """A query in traditional characters (臍橙) finds a product written in simplified ones (脐橙)."""
    factories.make_product(brand, title="赣南脐橙", category=category)
    index_now()
    assert "赣南脐橙" in titles(search(client, q="臍橙"))


@pytest.mark.parametrize("typed", ["wuchang", "wuchangdami", "wcdm", "五常"])
def test_suggest_answers_pinyin_and_initials(client, product, index_now, typed):
    """Typing pinyin, its initials or the first characters suggests 五常大米."""
    index_now()
    response = engine_answered(client.get(reverse("search:suggest"), {"q": typed}))
    assert "五常大米" in [s["title"] for s in response.json()["suggestions"]]


def test_pinyin_query_finds_the_page(client, product, index_now):
    """A full search for pinyin finds the Chinese title."""
    index_now()
    assert "五常大米" in titles(search(client, q="wuchangdami"))


def test_latin_typo_is_tolerated(client, brand, category, index_now):
    """A one-letter typo in English text still finds the page."""
    factories.make_product(brand, title="Heirloom tomatoes 番茄", summary="Sweet heirloom tomatoes", category=category)
    index_now()
    assert "Heirloom tomatoes 番茄" in titles(search(client, q="heirlom"))


def test_filters_narrow_and_facets_count_the_other_filters(client, site_tree, region, index_now):
    """Choosing a category narrows results; the category facet still counts every category."""
    rice = factories.make_category(name="大米", slug="rice")
    fruit = factories.make_category(name="水果", slug="fruit")
    brand = factories.make_brand(site_tree.brands, title="黑土农场", region=region)
    factories.make_product(brand, title="农场大米", category=rice)
    factories.make_product(brand, title="农场香瓜", category=fruit)
    index_now()

    response = search(client, q="农场", category="rice")
    assert titles(response) == ["农场大米"]
    facets = {f["name"]: {o["value"]: o["count"] for o in f["options"]} for f in response.context["facets"]}
    assert facets["category"] == {"rice": 1, "fruit": 1}
    assert facets["type"] == {"product": 1}
    assert facets["region"] == {"230000": 1}


def test_type_and_season_filters(client, brand, category, index_now):
    """type=product keeps products only; season=10 keeps what is in season in October."""
    factories.make_product(brand, title="秋季大米", category=category, season_start=9, season_end=11)
    factories.make_product(brand, title="春季大米", category=category, season_start=3, season_end=4)
    index_now()
    assert set(titles(search(client, q="大米", type="product", season="10"))) == {"秋季大米"}
    assert "五常稻香" not in titles(search(client, q="五常", type="product"))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["便宜米", "中价米", "贵米"]),
        ("price_desc", ["贵米", "中价米", "便宜米"]),
        ("sales", ["中价米", "贵米", "便宜米"]),
        ("newest", ["贵米", "中价米", "便宜米"]),
    ],
)
def test_sort_orders(client, brand, category, index_now, sort, expected):
    """Each sort key orders results as its name says."""
    for title, price, sales in [("便宜米", "10.00", 5), ("中价米", "50.00", 500), ("贵米", "99.00", 50)]:
        factories.make_product(brand, title=title, price=price, sales_volume=sales, category=category)
    index_now()
    assert titles(search(client, q="米", type="product", sort=sort)) == expected


def test_highlights_escape_page_text(client, brand, category, index_now):
    """A page titled with markup is shown escaped, with only our <mark> tags added."""
    factories.make_product(brand, title="<script>alert(1)</script>大米", category=category)
    index_now()
    response = search(client, q="大米 script")
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;<mark>script</mark>&gt;alert(1)" in body


def test_pagination_and_huge_page_number(client, brand, category, index_now):
    """Results come ten per page; a page number past the end is clamped, not an error."""
    for n in range(12):
        factories.make_product(brand, title=f"东北大米{n}", category=category)
    index_now()
    first = search(client, q="东北大米")
    assert first.context["results"].total == 12
    assert len(titles(first)) == 10
    assert len(titles(search(client, q="东北大米", page="2"))) == 2
    assert search(client, q="东北大米", page="999999999").status_code == 200


def test_did_you_mean_when_nothing_matches(client, brand, category, index_now):
    """A word two letters off an indexed one matches nothing (typo tolerance allows one edit at five
    letters) and the page offers the indexed spelling, whose link finds the product."""
    factories.make_product(brand, title="Wildflower honey 蜂蜜", summary="Raw honey from the hills", category=category)
    index_now()
    response = search(client, q="hxnxy")
    results = response.context["results"]
    assert results.total == 0
    assert results.did_you_mean == "honey"
    link = response.context["did_you_mean_url"]
    assert link == "?q=honey" and f'href="{link}"' in response.content.decode()
    assert "Wildflower honey 蜂蜜" in titles(search(client, q=results.did_you_mean))


def test_synonyms_apply_to_the_next_search_without_a_rebuild(client, brand, category, index_now):
    """An editor's synonym group (脐橙, 橙子, navel orange) lets 橙子 find 赣南脐橙 at once; deleting it undoes it."""
    from search.models import Synonym

    factories.make_product(brand, title="赣南脐橙", summary="甜", category=category)
    index_now()
    assert "赣南脐橙" not in titles(search(client, q="橙子"))
    group = Synonym.objects.create(terms="脐橙, 橙子, navel orange")
    assert "赣南脐橙" in titles(search(client, q="橙子"))
    assert "赣南脐橙" in titles(search(client, q="navel orange"))
    group.delete()
    assert "赣南脐橙" not in titles(search(client, q="橙子"))


def test_english_results_name_regions_in_english(client, brand, product, index_now):
    """On /en/search/ a hit's region reads "Heilongjiang · Harbin", in Chinese 黑龙江省 · 哈尔滨市 (the document keeps Chinese)."""
    city = factories.make_region(parent=brand.region, name="哈尔滨市", name_en="Harbin")
    brand.region = city
    brand.save_revision().publish()
    factories.make_english_translation(product, title="Wuchang rice")
    index_now()
    english = engine_answered(client.get("/en/search/", {"q": "Wuchang rice", "type": "product"}))
    assert [h["region"] for h in english.context["results"].hits] == ["Heilongjiang · Harbin"]
    chinese = engine_answered(client.get("/search/", {"q": "五常大米", "type": "product"}))
    assert [h["region"] for h in chinese.context["results"].hits] == ["黑龙江省 · 哈尔滨市"]
