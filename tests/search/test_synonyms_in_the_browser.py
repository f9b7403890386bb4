"""In a real browser: a synonym an editor saves in the admin changes the next search, with and without the engine.

No rebuild and no command in between: the editor saves the group, then searches.
"""

import pytest

from search import synonyms
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "editor-password"  # noqa: S105 - a throwaway test account


@pytest.fixture
def potatoes(site_tree, region, category, django_user_model):
    """A product titled 高原土豆 (nothing in it says 洋芋), and an admin who can edit synonyms."""
    brand = factories.make_brand(site_tree.brands, title="坝上农场", slug="bashang", region=region)
    factories.make_product(brand, title="高原土豆", slug="plateau-potatoes", summary="沙地种植", category=category)
    django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    synonyms.forget()


def results_text(page, base_url, query):
    page.goto(f"{base_url}/search/?q={query}")
    return page.inner_text(".search-results")


def save_synonym_in_the_admin(page, base_url, terms):
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(base_url + "/admin/snippets/search/synonym/add/")
    page.fill("input[name=terms]", terms)
    page.locator("button.action-save").first.click()
    page.wait_for_url("**/admin/snippets/search/synonym/")


def check_a_saved_synonym_changes_the_next_search(page, base_url):
    assert "高原土豆" not in results_text(page, base_url, "洋芋")
    save_synonym_in_the_admin(page, base_url, "土豆, 洋芋, 马铃薯, potato")
    assert "高原土豆" in results_text(page, base_url, "洋芋")
    assert "高原土豆" in results_text(page, base_url, "马铃薯")


def test_without_the_engine(live_server, page, settings, potatoes):
    """The database fallback applies the group from the next search on."""
    settings.SEARCH_ENGINE_URL = ""
    check_a_saved_synonym_changes_the_next_search(page, live_server.url)


@pytest.mark.engine
def test_with_the_engine(live_server, page, potatoes, index_now):
    """The engine applies it too, its index untouched since the product was indexed."""
    index_now()
    check_a_saved_synonym_changes_the_next_search(page, live_server.url)
