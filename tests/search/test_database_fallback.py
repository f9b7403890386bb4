"""Wagtail's database search backend (search.backends.database) finds Chinese, pinyin and English.

These run against the real database of the test run: SQLite FTS5 locally, PostgreSQL when
DATABASE_URL points at one (as in CI). Pages are indexed by Wagtail's own publish signals.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from modelsearch.conf import get_app_config
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Not, Phrase, PlainText

from brands.models import FarmBrandPage, ProductPage
from search.backends.database import segment_query
from tests import factories

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "search.backends.database"}}


@pytest.fixture(autouse=True)
def _database_search(settings):
    """Use the segmenting database backend even where an engine URL is configured."""
    settings.WAGTAILSEARCH_BACKENDS = DATABASE_BACKEND


@pytest.fixture
def rice(region):
    """A brand with one product titled 五常大米, and an unrelated product that must not match."""
    brand = factories.make_brand(title="稻香合作社", region=region, tagline="Black soil rice from Heilongjiang")
    product = factories.make_product(
        brand=brand, title="五常大米", summary="稻花香2号 new-crop rice", description="<p>真空包装</p>"
    )
    factories.make_product(brand=brand, title="赣南脐橙", summary="Navel oranges", description="<p>果园直发</p>")
    return product


def titles(results):
    return {page.title for page in results}


def test_the_configured_backend_is_the_segmenting_one_for_this_database():
    """The settings' backend is our subclass of the vendor backend Wagtail would choose."""
    backend = get_search_backend()
    assert type(backend).__module__ == "search.backends.database"
    assert type(backend).__name__ in ("SegmentingSQLiteSearchBackend", "SegmentingPostgresSearchBackend")


@pytest.mark.parametrize("query", ["大米", "五常", "五常大米", "五常大米", "五常 大米"])
def test_chinese_words_inside_a_title_find_the_page(rice, query):
    """Parts of 五常大米, the whole name and its traditional spelling all find the page."""
    assert titles(ProductPage.objects.search(query)) == {"五常大米"}
    assert "五常大米" in titles(Page.objects.live().search(query))


@pytest.mark.parametrize("query", ["wuchang", "wuchangdami", "wcdm", "WuChang Dami"])
def test_pinyin_finds_the_page(rice, query):
    """Full pinyin, per-word pinyin and initials of the title find it."""
    assert titles(ProductPage.objects.search(query)) == {"五常大米"}


def test_english_words_still_match(rice):
    """Latin text is still indexed and matched, case-insensitively."""
    assert titles(ProductPage.objects.search("Navel")) == {"赣南脐橙"}
    assert "稻香合作社" in titles(FarmBrandPage.objects.search("heilongjiang"))
    assert titles(ProductPage.objects.search("rice")) == {"五常大米"}


def test_words_from_body_and_related_snippets_match(rice):
    """Body fields and related snippets (the region's name) are segmented too."""
    assert titles(ProductPage.objects.search("真空")) == {"五常大米"}
    assert titles(FarmBrandPage.objects.search("黑龙江")) == {"稻香合作社"}


def test_unrelated_chinese_does_not_match(rice):
    """Segmentation does not turn search into match-everything."""
    assert titles(ProductPage.objects.search("脐橙")) == {"赣南脐橙"}
    assert list(ProductPage.objects.search("苹果")) == []


def test_filters_combine_with_a_segmented_query(rice):
    """Queryset filters still apply before the search."""
    assert titles(ProductPage.objects.filter(price__lt=100).search("大米")) == {"五常大米"}
    assert list(ProductPage.objects.filter(price__gt=1000).search("大米")) == []


def test_autocomplete_finds_partial_chinese_and_pinyin(rice):
    """Admin choosers' autocomplete matches a word being typed, in characters or pinyin."""
    backend = get_search_backend()
    for partial in ["五常", "五常大", "wuch", "wcd"]:
        assert "五常大米" in titles(backend.autocomplete(partial, ProductPage)), partial


def test_query_objects_are_segmented(rice):
    """Wagtail query trees (as parse_query_string builds them) are segmented leaf by leaf."""
    backend = get_search_backend()
    assert titles(backend.search(PlainText("五常大米"), ProductPage)) == {"五常大米"}
    assert titles(backend.search(Phrase("五常大米"), ProductPage)) == {"五常大米"}
    assert titles(backend.search(And([PlainText("大米"), Not(PlainText("脐橙"))]), ProductPage)) == {"五常大米"}
    assert segment_query(And([PlainText("!!"), PlainText("。。")])) == ""


def test_updating_a_title_updates_the_index(rice):
    """Publishing a new title replaces the old words in the index."""
    rice.title = "响水大米"
    rice.save_revision().publish()
    assert titles(ProductPage.objects.search("响水")) == {"响水大米"}
    assert list(ProductPage.objects.search("五常")) == []


def test_update_index_rebuilds_a_segmented_index(rice):
    """`manage.py update_index` (run once after switching backends) writes the segmented index."""
    get_app_config().get_model("IndexEntry").objects.all().delete()
    assert list(ProductPage.objects.search("大米")) == []
    call_command("update_index", stdout=StringIO())
    assert titles(ProductPage.objects.search("大米")) == {"五常大米"}
    assert titles(ProductPage.objects.search("wcdm")) == {"五常大米"}


@pytest.mark.parametrize(
    "query",
    ["", "   ", "！？。，", '"\\:(*) OR -', "*", "'", "大米" * 5000, ("五常大米 rice, " * 1000)[:10_000]],
)
def test_bad_queries_do_not_raise(rice, query):
    """Punctuation-only, syntax characters and 10,000-character queries return results or nothing."""
    results = list(ProductPage.objects.search(query))
    assert all(isinstance(page, ProductPage) for page in results)
    assert isinstance(len(list(get_search_backend().autocomplete(query, ProductPage))), int)
