"""Simplified Chinese at /, English under /en/ where a page has a translation."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def html_lang(response):
    match = re.search(r"<html[^>]*\slang=\"([^\"]+)\"", response.content.decode())
    assert match, "no lang attribute on <html>"
    return match.group(1).lower()


def test_root_is_chinese(client, site_tree):
    """/ is served in Simplified Chinese, whatever the browser asks for."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"


def test_english_translation_is_served_under_en(client, brand):
    """A translated brand is English at /en/brands/<brand>/, Chinese at /brands/<brand>/."""
    english = factories.make_english_translation(brand, title="Wuchang Daoxiang")
    assert english.url == f"/en/brands/{brand.slug}/"
    response = client.get(english.url)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Wuchang Daoxiang" in response.content.decode()
    chinese = client.get(brand.url)
    assert html_lang(chinese) == "zh-hans"
    assert "五常稻香" in chinese.content.decode()


def test_pages_link_their_translation(client, brand):
    """Each language version tells readers and crawlers where the other is (hreflang)."""
    factories.make_english_translation(brand, title="Wuchang Daoxiang")
    html = client.get(brand.url).content.decode()
    assert re.search(
        rf'hreflang="en"[^>]*href="[^"]*/en/brands/{brand.slug}/"|href="[^"]*/en/brands/{brand.slug}/"[^>]*hreflang="en"',
        html,
    )


def test_untranslated_page_redirects_to_the_original_in_english(client, brand):
    """Without a translation, /en/brands/<brand>/ leads to the Chinese page with a notice (issue 14), never serves it
    under an English URL."""
    factories.make_english_translation(brand.get_parent().specific)
    response = client.get(f"/en/brands/{brand.slug}/")
    assert response.status_code == 302 and response["Location"] == f"{brand.url}?untranslated=en"
