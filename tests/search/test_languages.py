"""Both languages: a query in either language finds the item on either site, shown in the visitor's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.search.helpers import engine_answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(site_tree, region, category):
    """A brand and product in Chinese with English translations whose words appear nowhere in the Chinese."""
    brand = factories.make_brand(site_tree.brands, title="孔雀河香梨园", slug="kongquehe", region=region)
    product = factories.make_product(brand, title="库尔勒香梨 礼盒", slug="korla-gift", category=category)
    factories.make_english_translation(brand, title="Peacock River Orchard", search_description="Pears from Korla")
    english = factories.make_english_translation(
        product, title="Korla Fragrant Pears, gift box", search_description="Twenty hand-picked pears"
    )
    return product, english


def search(client, language, q, source):
    with translation.override(language):
        url = reverse("search:search")
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert f'desc="{source}"' in response["Server-Timing"]
    return [(hit["title"], hit["url"]) for hit in response.context["results"].hits]


def check(client, source, bilingual):
    product, english = bilingual
    # English words on the Chinese site: the Chinese page, at its Chinese address.
    assert ("库尔勒香梨 礼盒", product.url) in search(client, "zh-hans", "Peacock River", source) + search(
        client, "zh-hans", "fragrant pears gift box", source
    )
    # Chinese words on the English site: the English page, at its /en/ address.
    found = search(client, "en", "库尔勒香梨 礼盒", source)
    assert ("Korla Fragrant Pears, gift box", english.url) in found
    assert all(not url.startswith("/brands/") for _, url in found)  # nothing in the other language's tree


def test_the_fallback_finds_either_language_on_either_site(client, settings, bilingual):
    """Without the engine, through the page's translation."""
    settings.SEARCH_ENGINE_URL = ""
    check(client, "database", bilingual)


@pytest.mark.engine
def test_the_engine_finds_either_language_on_either_site(client, bilingual, index_now):
    """With the engine, through the translations' words in each document."""
    index_now()
    engine_answered(client.get(reverse("search:search"), {"q": "Peacock River"}))
    check(client, "engine", bilingual)


@pytest.mark.engine
def test_publishing_a_translation_updates_the_original_document(client, site_tree, region, category, index_now):
    """The Chinese document learns its English words when the translation is published, not at the next rebuild."""
    brand = factories.make_brand(site_tree.brands, title="稻香人家", slug="daoxiang-home", region=region)
    index_now()
    assert search(client, "zh-hans", "Fragrant Paddy Home", "engine") == []
    factories.make_english_translation(brand, title="Fragrant Paddy Home")
    index_now()
    assert [title for title, _ in search(client, "zh-hans", "Fragrant Paddy Home", "engine")] == ["稻香人家"]
