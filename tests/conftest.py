"""Fixtures shared by every test module. Data builders live in tests/factories.py."""

import pytest

from tests import factories


def pytest_configure(config):
    # Tests serve static files from the finders; whitenoise's note about a missing STATIC_ROOT is noise.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploads and renditions go to a throwaway folder, for class-level test data too."""
    from django.conf import settings

    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    yield
    settings.MEDIA_ROOT = previous


@pytest.fixture
def site_tree(db):
    """The zh-hans home page and its /brands/, /stories/, /replays/ and /policy/ indexes."""
    return factories.make_site_tree()


@pytest.fixture
def home_page(site_tree):
    return site_tree.home


@pytest.fixture
def region(db):
    return factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")


@pytest.fixture
def category(db):
    return factories.make_category(name="大米", name_en="Rice", slug="rice")


@pytest.fixture
def certification(db):
    return factories.make_certification(name="地理标志", name_en="Geographical indication", slug="gi")


@pytest.fixture
def brand(site_tree, region):
    return factories.make_brand(site_tree.brands, title="五常稻香", slug="wuchang-daoxiang", region=region)


@pytest.fixture
def product(brand, category, certification):
    return factories.make_product(
        brand, title="五常大米", slug="wuchang-rice", category=category, certifications=[certification]
    )


@pytest.fixture
def story(site_tree, brand, product):
    return factories.make_story(site_tree.stories, brand=brand, products=[product])


@pytest.fixture
def broadcast(site_tree, brand):
    return factories.make_broadcast(site_tree.replays, brand=brand)


@pytest.fixture
def policy_section(site_tree, region):
    return factories.make_policy_section(region, site_tree.policy)


@pytest.fixture
def policy_news(policy_section):
    return factories.make_policy_news(policy_section)
