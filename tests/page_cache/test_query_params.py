"""The page cache keys on the query parameters each view reads, and on nothing else."""

import pytest

from tests import factories

from .conftest import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(site_tree):
    return factories.make_brand(site_tree.brands, title="五常稻香", slug="daoxiang")


def test_parameters_a_page_never_reads_share_its_cached_copy(client, brand):
    """?from=timeline&utm_source=… (a shared link) is served the cached page instead of rendering and storing a copy."""
    assert get(client, brand.url)[0] == "miss"
    for n in range(5):
        assert get(client, f"{brand.url}?from=timeline&utm_source=wechat{n}")[0] == "hit"


def test_a_parameter_the_page_reads_still_gets_its_own_copy(client, site_tree, brand):
    """/brands/?page=2 is its own entry, whatever else the link carries, and shows nothing of the rest."""
    assert get(client, site_tree.brands.url + "?page=2")[0] == "miss"
    state, body = get(client, site_tree.brands.url + "?page=2&ref=injected-marker")
    assert state == "hit" and "injected-marker" not in body
    assert get(client, site_tree.brands.url)[0] == "miss"


def test_a_miss_renders_without_the_parameters_it_ignores(client, site_tree, brand):
    """The first visitor's extra parameters never reach the stored copy (pagination links carry only real ones)."""
    for n in range(30):
        factories.make_brand(site_tree.brands, slug=f"brand-page-{n}")
    state, body = get(client, site_tree.brands.url + "?ref=injected-marker")
    assert state == "miss" and "injected-marker" not in body
    assert "?page=2" in body


def test_the_search_page_keys_on_its_own_parameters(client, site_tree):
    """/search/?q=大米 and /search/?q=大米&spm=… are one entry; ?q=小米 is another."""
    assert get(client, "/search/?q=%E5%A4%A7%E7%B1%B3")[0] == "miss"
    assert get(client, "/search/?q=%E5%A4%A7%E7%B1%B3&spm=a1z10")[0] == "hit"
    assert get(client, "/search/?q=%E5%B0%8F%E7%B1%B3")[0] == "miss"
