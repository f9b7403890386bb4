"""Synonyms (search.synonyms): the shipped dictionary, query-side expansion, editing, and the fallback using them."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from home.demo import data
from search import synonyms
from search.models import Synonym
from tests import factories

SHIPPED = synonyms.parse_dictionary(synonyms.dictionary_file().read_text(encoding="utf-8"))


def dictionary(*lines):
    return synonyms.compile_groups(
        (terms, narrower) for terms, narrower, _ in synonyms.parse_dictionary("\n".join(lines))
    )


def alternatives(query, *lines):
    return [[text for text, _ in group.alternatives] for group in synonyms.expand(query, dictionary(*lines)).groups]


def test_the_shipped_dictionary_is_large_and_one_way_where_it_must_be():
    """At least 150 groups, with broader words (水果, 茶) that reach narrower ones in one direction only."""
    assert len(SHIPPED) >= 150
    assert sum(1 for _, narrower, _ in SHIPPED if narrower) >= 20
    firsts = [terms[0] for terms, _, _ in SHIPPED]
    assert len(firsts) == len(set(firsts)), "a group's first term is its key: it must be unique"


def _dictionary_terms():
    return {term.lower() for terms, narrower, _ in SHIPPED for term in terms + narrower}


@pytest.mark.parametrize("product", [p for brand in data.BRANDS for p in brand["products"]], ids=lambda p: p["slug"])
def test_every_demo_product_has_its_words_in_the_dictionary(product):
    """Each product the demo sells has a dictionary word in its Chinese title and one in its English title."""
    terms = _dictionary_terms()
    chinese = {t for t in terms if t in product["title"]}
    english = {t for t in terms if f" {t} " in f" {product['title_en'].lower().replace(',', ' ')} "}
    assert chinese, product["title"]
    assert english, product["title_en"]


@pytest.mark.parametrize(
    ("colloquial", "formal"),
    [
        ("土豆", "马铃薯"),
        ("西红柿", "番茄"),
        ("地瓜", "红薯"),
        ("苞米", "玉米"),
        ("kiwi", "猕猴桃"),
        ("sweet potato", "红薯"),
    ],
)
def test_colloquial_regional_and_english_names_share_a_group(colloquial, formal):
    """The issue's examples: 土豆/马铃薯, 番茄/西红柿, 红薯/地瓜, 玉米/苞米, 猕猴桃/kiwi, 红薯/sweet potato."""
    shipped = synonyms.compile_groups((t, n) for t, n, _ in SHIPPED)
    found = [text for group in synonyms.expand(colloquial, shipped).groups for text, _ in group.alternatives]
    assert formal in found


def test_equivalents_find_each_other_and_narrower_words_stay_narrow():
    """水果 => 苹果: 水果 brings 苹果 in, 苹果 does not bring 水果 or 梨; equivalents go both ways."""
    lines = ("水果, fruit => 苹果, 梨", "苹果, apple")
    assert alternatives("水果", *lines) == [["水果", "fruit", "苹果", "梨"]]
    assert alternatives("苹果", *lines) == [["苹果", "apple"]]
    assert alternatives("apple", *lines) == [["apple", "苹果"]]
    assert alternatives("梨", *lines) == [["梨"]]


def test_phrases_and_words_inside_a_chinese_name_expand():
    """A two-word English term is matched whole; a term ending a longer Chinese word keeps the rest required."""
    lines = ("红薯, 地瓜, sweet potato", "大米, rice", "白菜, napa cabbage")
    assert alternatives("sweet potato 5kg", *lines) == [["sweet potato", "红薯", "地瓜"], ["5kg"]]
    assert alternatives("东北大米", *lines) == [["东北"], ["大米", "rice"]]
    # jieba keeps 大白菜 whole: its last word 白菜 still brings its synonyms, with 大 required as typed.
    assert alternatives("大白菜", *lines) == [["大白菜", "大 napa cabbage"]]


def test_a_query_without_synonyms_is_left_alone():
    """Words the dictionary does not know come back as typed, one group each."""
    assert alternatives("五常 稻香", "大米, rice") == [["五常"], ["稻香"]]


@pytest.mark.django_db
def test_load_synonyms_adds_what_is_missing_and_never_overwrites_an_edit():
    """The command is idempotent, and an editor's change to a shipped group survives a second run."""
    out = io.StringIO()
    call_command("load_synonyms", stdout=out)
    assert Synonym.objects.count() == len(SHIPPED)
    potato = Synonym.objects.get(dictionary_key="土豆")
    potato.terms = "土豆, 马铃薯"
    potato.save()
    call_command("load_synonyms", stdout=out)
    assert Synonym.objects.count() == len(SHIPPED)
    assert Synonym.objects.get(dictionary_key="土豆").terms == "土豆, 马铃薯"


@pytest.mark.django_db
def test_a_group_needs_two_words_or_a_narrower_one(admin_client):
    """The admin refuses a group of one word, with the error on the terms field."""
    response = admin_client.post(
        reverse("wagtailsnippets_search_synonym:add"), {"terms": "土豆", "narrower": "", "note": ""}
    )
    assert response.status_code == 200
    assert "terms" in response.context["form"].errors
    assert not Synonym.objects.exists()


@pytest.mark.django_db
def test_a_group_saved_in_the_admin_changes_the_next_fallback_search(admin_client, client, settings, brand):
    """Without the engine: 洋芋 finds nothing, an editor saves 土豆, 洋芋 in the admin, 洋芋 finds the potatoes."""
    settings.SEARCH_ENGINE_URL = ""
    factories.make_product(brand, title="高原土豆", summary="沙地种植")

    def titles(query):
        response = client.get(reverse("search:search"), {"q": query})
        assert 'desc="database"' in response["Server-Timing"]
        return [hit["title"] for hit in response.context["results"].hits]

    assert titles("洋芋") == []
    response = admin_client.post(
        reverse("wagtailsnippets_search_synonym:add"), {"terms": "土豆, 洋芋, potato", "narrower": "", "note": ""}
    )
    assert response.status_code == 302
    assert titles("洋芋") == ["高原土豆"]
    assert titles("potato") == ["高原土豆"]
