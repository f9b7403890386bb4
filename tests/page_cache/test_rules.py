"""Who and what never gets or fills the cache, and how requests are keyed."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import PageViewRestriction

from tests import factories

from .conftest import cache_state, get

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(site_tree):
    return factories.make_brand(site_tree.brands, title="五常稻香", slug="daoxiang")


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.com", "password")


def test_logged_in_editor_never_gets_the_cached_copy(client, brand, editor):
    """An editor's request bypasses a warm cache and gets their own page."""
    get(client, brand.url)
    assert get(client, brand.url)[0] == "hit"
    editor_client = Client()
    editor_client.force_login(editor)
    response = editor_client.get(brand.url)
    assert cache_state(response) == "bypass"
    assert "wagtail-userbar" in response.content.decode()  # their own rendering, with the editing bar


def test_logged_in_editor_never_fills_the_cache(client, brand, editor):
    """What an editor sees is never stored for anonymous visitors."""
    editor_client = Client()
    editor_client.force_login(editor)
    assert cache_state(editor_client.get(brand.url)) == "bypass"
    assert get(client, brand.url)[0] == "miss"


def test_preview_is_never_served_from_or_stored_in_the_cache(client, brand):
    """A preview shows the draft even with the live page cached, and leaves the cache alone."""
    get(client, brand.url)
    brand.title = "草稿标题"
    brand.save_revision()
    preview = brand.make_preview_request()
    assert cache_state(preview) == "bypass"
    assert "草稿标题" in preview.content.decode()
    state, body = get(client, brand.url)
    assert state == "hit" and "草稿标题" not in body


@pytest.mark.parametrize("restriction", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_private_page_is_never_cached(client, brand, restriction):
    """A page behind a password or a login is rendered afresh every time."""
    PageViewRestriction.objects.create(page=brand, restriction_type=restriction, password="secret")
    for _ in range(2):
        response = client.get(brand.url)
        assert cache_state(response) == "bypass"


def test_query_strings_are_cached_separately(client, site_tree, brand):
    """/brands/ and /brands/?page=2 are two entries."""
    assert get(client, site_tree.brands.url)[0] == "miss"
    assert get(client, site_tree.brands.url + "?page=2")[0] == "miss"
    assert get(client, site_tree.brands.url)[0] == "hit"
    assert get(client, site_tree.brands.url + "?page=2")[0] == "hit"


def test_languages_are_cached_separately(client, brand):
    """The Chinese page and its English translation under /en/ never answer for each other."""
    english = factories.make_english_translation(brand, title="Daoxiang Rice")
    assert english.url.startswith("/en/")
    assert get(client, brand.url)[0] == "miss"
    state, body = get(client, english.url)
    assert state == "miss" and "Daoxiang Rice" in body
    state, body = get(client, brand.url)
    assert state == "hit" and 'lang="zh-hans"' in body.lower()
    state, body = get(client, english.url)
    assert state == "hit" and 'lang="en"' in body


@pytest.mark.parametrize(
    "query",
    ["page=" + "9" * 5000, "q=" + "大" * 3000, "page=%ff%fe&t=-1", "page=0&page=x", "%00=%00", "a" * 3000],
    ids=["huge-number", "huge-text", "bad-encoding", "repeated", "nul", "long-key"],
)
def test_bad_or_huge_query_strings_never_crash(client, site_tree, brand, query):
    """Odd query strings get a normal page or a 4xx, never a 500; the huge ones are not cached."""
    for url in (f"{site_tree.brands.url}?{query}", f"{brand.url}?{query}"):
        response = client.get(url)
        assert response.status_code < 500
        if len(query) > 2048:
            assert cache_state(response) == "bypass"


def test_posts_and_admin_bypass_the_cache(client, brand):
    """Only GET and HEAD of public pages are cached; the admin and health check never."""
    assert cache_state(client.post(brand.url)) == "bypass"
    assert cache_state(client.get("/healthz")) == "bypass"
    assert cache_state(client.get("/admin/login/")) == "bypass"


def test_head_is_served_from_the_cache(client, brand):
    """HEAD reads what GET filled."""
    get(client, brand.url)
    assert cache_state(client.head(brand.url)) == "hit"


def test_visitor_with_a_pending_message_bypasses_the_cache(client, brand):
    """A message waiting for the visitor who posted is shown to them, never swapped for the cached page."""
    get(client, brand.url)
    client.cookies["messages"] = "pending"
    assert cache_state(client.get(brand.url)) == "bypass"


def test_cache_off_adds_nothing(client, settings, brand):
    """With PAGE_CACHE_ENABLED off every request renders and no cache header is sent."""
    settings.PAGE_CACHE_ENABLED = False
    assert cache_state(client.get(brand.url)) is None
    assert cache_state(client.get(brand.url)) is None


def test_publishing_a_translation_purges_the_original(client, purges, site_tree, brand):
    """The language switcher links to translations, so a new English page purges the Chinese one."""
    factories.make_english_translation(site_tree.brands)  # the English tree's top exists already
    get(client, brand.url)
    assert get(client, brand.url)[0] == "hit"
    with purges():
        factories.make_english_translation(brand, title="Daoxiang Rice")
    assert get(client, brand.url)[0] == "miss"
