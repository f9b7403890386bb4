"""Switching language keeps the reader where they are: /i18n/setlang/ never doubles the prefix."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("next_url", "language", "expected"),
    [
        ("/en/brands/", "en", "/en/brands/"),
        ("/en/brands/", "zh-hans", "/brands/"),
        ("/brands/", "en", "/en/brands/"),
        ("/brands/", "zh-hans", "/brands/"),
        ("/en/", "zh-hans", "/"),
        ("/en/search/?q=rice", "zh-hans", "/search/?q=rice"),
        ("https://evil.example/", "en", "/en/"),
    ],
)
def test_setlang_goes_to_the_same_page_in_the_chosen_language(client, site_tree, next_url, language, expected):
    """POST /i18n/setlang/ with next=/en/brands/ and English stays at /en/brands/, never /en/en/brands/."""
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_switch_on_an_untranslated_page_goes_to_it_with_a_notice(client, brand):
    """A Chinese page without English: the switch leads to that page with an English notice, not home or a 404."""
    from bs4 import BeautifulSoup

    from tests import factories

    factories.make_english_translation(brand.get_parent().specific)
    soup = BeautifulSoup(client.get(brand.url).content.decode(), "html.parser")
    switch = soup.select_one(".lang-switch a[lang=en]")
    assert switch["href"] == f"{brand.url}?untranslated=en"
    assert not soup.select("link[rel=alternate][hreflang=en]"), "the Chinese page is no English alternate"
    page = BeautifulSoup(client.get(switch["href"]).content.decode(), "html.parser")
    notice = page.select_one("main .notice[lang=en]")
    assert notice is not None and "not been translated" in notice.get_text()


def test_switch_on_a_translated_page_goes_to_its_translation(client, brand):
    """With an English version, the switch and the hreflang alternate both lead to it."""
    from bs4 import BeautifulSoup

    from tests import factories

    english = factories.make_english_translation(brand, title="Wuchang Daoxiang")
    soup = BeautifulSoup(client.get(brand.url).content.decode(), "html.parser")
    assert soup.select_one(".lang-switch a[lang=en]")["href"] == english.url
    assert soup.select_one("link[rel=alternate][hreflang=en]")["href"].endswith(english.url)
    back = BeautifulSoup(client.get(english.url).content.decode(), "html.parser")
    assert back.select_one(".lang-switch a[lang=zh-hans]")["href"] == brand.url


def test_an_english_address_of_an_untranslated_page_leads_to_the_original_with_a_notice(client, brand):
    """/en/brands/<brand>/ of a brand with no English answers with the Chinese brand and the notice, not a 404."""
    from tests import factories

    factories.make_english_translation(brand.get_parent().specific, title="Brands")
    response = client.get(f"/en{brand.url}")
    assert response.status_code == 302
    assert response["Location"] == f"{brand.url}?untranslated=en"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/en/brands/no-such-brand/").status_code == 404
