"""Each change purges exactly the cached pages that show it, on the next anonymous request."""

import datetime
from decimal import Decimal

import pytest

from brands.models.provenance import Batch
from feedback.models import Review, Status
from stories.models import BroadcastChapter
from tests import factories

from .conftest import get, without_csrf_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def rice(site_tree, category):
    brand = factories.make_brand(site_tree.brands, title="五常稻香", slug="daoxiang")
    product = factories.make_product(brand, title="稻花香大米", slug="daohuaxiang", price="89.00", category=category)
    return brand, product


@pytest.fixture
def orange(site_tree, category):
    brand = factories.make_brand(site_tree.brands, title="赣南脐橙园", slug="gannan")
    product = factories.make_product(brand, title="赣南脐橙", slug="navel", price="59.00", category=category)
    return brand, product


def test_second_anonymous_request_is_a_hit_with_the_same_page(client, rice):
    """The first anonymous request fills the cache and the second is served from it, unchanged."""
    brand, _ = rice
    first = get(client, brand.url)
    second = get(client, brand.url)
    assert (first[0], second[0]) == ("miss", "hit")
    # Equal but for the CSRF token, which every visitor gets fresh (masked differently each time).
    assert without_csrf_tokens(second[1]) == without_csrf_tokens(first[1])


def test_price_change_shows_on_product_brand_and_listing_but_keeps_other_brands_cached(
    client, purges, site_tree, rice, orange
):
    """A new price purges its product page, its brand page and the brand listing; another brand stays a hit."""
    brand, product = rice
    other_brand, _ = orange
    urls = [product.url, brand.url, site_tree.brands.url, other_brand.url]
    for url in urls:
        get(client, url)
    assert all(get(client, url)[0] == "hit" for url in urls)

    with purges():
        product.price = Decimal("99.00")
        product.save_revision().publish()

    for url in (product.url, brand.url, site_tree.brands.url):
        state, body = get(client, url)
        assert state == "miss", url
        if url != site_tree.brands.url:  # brand cards do not show prices; the listing is purged all the same
            assert "¥99.00" in body and "¥89.00" not in body, url
    assert get(client, other_brand.url)[0] == "hit"


def test_brand_page_shows_a_newly_published_product(client, purges, rice, category):
    """Publishing a product under a brand purges that brand's page."""
    brand, _ = rice
    get(client, brand.url)
    with purges():
        factories.make_product(brand, title="新米礼盒", slug="gift-box", category=category)
    state, body = get(client, brand.url)
    assert state == "miss" and "新米礼盒" in body


def test_story_publish_purges_story_index_and_home(client, purges, site_tree, rice):
    """A new story appears on /stories/ and on the home page at once."""
    brand, _ = rice
    for url in (site_tree.stories.url, site_tree.home.url, brand.url):
        get(client, url)
    with purges():
        factories.make_story(site_tree.stories, title="稻田里的一年", slug="a-year", brand=brand)
    for url in (site_tree.stories.url, site_tree.home.url):
        assert get(client, url)[0] == "miss", url
    assert "稻田里的一年" in get(client, site_tree.stories.url)[1]
    # The story names the brand, so the brand page (which lists its stories) is purged too.
    assert get(client, brand.url)[0] == "miss"


def test_policy_item_publish_purges_region_listing_and_policy_index(client, purges, site_tree, region):
    """A published policy item shows on its region's listing and on /policy/ on the next request."""
    section = factories.make_policy_section(region)
    other_section = factories.make_policy_section(
        factories.make_region(name="江西省", name_en="Jiangxi", code="360000", slug="jiangxi")
    )
    for url in (section.url, site_tree.policy.url, other_section.url):
        get(client, url)
    with purges():
        factories.make_policy_news(section, title="关于春耕补贴的通知", slug="spring-subsidy")
    for url in (section.url, site_tree.policy.url):
        state, body = get(client, url)
        assert state == "miss" and "关于春耕补贴的通知" in body, url
    assert get(client, other_section.url)[0] == "hit"


def test_filtered_policy_listing_is_purged_too(client, purges, site_tree, region):
    """A listing filtered by query string is its own entry, and a new item purges it as well."""
    section = factories.make_policy_section(region)
    url = f"{site_tree.policy.url}?region={region.slug}"
    get(client, url)
    assert get(client, url)[0] == "hit"
    with purges():
        factories.make_policy_news(section, title="高标准农田建设通知", slug="farmland")
    state, body = get(client, url)
    assert state == "miss" and "高标准农田建设通知" in body


def test_approved_review_purges_its_product_page(client, purges, rice):
    """A moderator's approval shows the review on the product page at once."""
    _, product = rice
    review = Review.objects.create(
        product=product,
        rating=5,
        title="很香",
        body="米粒饱满，煮饭很香。",
        display_name="李先生",
        email="li@example.com",
    )
    review.confirm()
    get(client, product.url)
    assert get(client, product.url)[0] == "hit"
    with purges():
        review.status = Status.APPROVED
        review.moderated_at = review.confirmed_at
        review.save()
    state, body = get(client, product.url)
    assert state == "miss" and "米粒饱满" in body


def test_snippet_rename_purges_every_page(client, purges, rice, region):
    """Renaming a region (shown on brand pages and elsewhere) purges everything."""
    brand, product = rice
    get(client, brand.url)
    get(client, product.url)
    with purges():
        brand.region.name = "黑龙江"
        brand.region.save()
    assert get(client, brand.url)[0] == "miss"
    assert get(client, product.url)[0] == "miss"


def test_unpublished_product_disappears_from_its_brand_page(client, purges, rice):
    """Unpublishing purges the brand page that listed the product."""
    brand, product = rice
    assert "稻花香大米" in get(client, brand.url)[1]
    with purges():
        product.unpublish()
    state, body = get(client, brand.url)
    assert state == "miss" and "稻花香大米" not in body


def test_batch_change_purges_its_product_page(client, purges, rice):
    """A new batch (provenance, not a page) purges the product page that lists batches."""
    _, product = rice
    get(client, product.url)
    assert get(client, product.url)[0] == "hit"
    with purges():
        Batch.objects.create(product=product, quantity=100, unit="kg", harvest_date=datetime.date(2025, 10, 1))
    assert get(client, product.url)[0] == "miss"


def test_price_change_shows_on_a_replay_whose_chapter_shows_the_product(client, purges, site_tree, rice):
    """A replay links to the product in a chapter, across the tree: the new price shows there too."""
    brand, product = rice
    broadcast = factories.make_broadcast(site_tree.replays, slug="harvest-live", brand=brand, duration_seconds=600)
    broadcast.chapters.add(BroadcastChapter(start_seconds=60, title="试吃新米", product=product))
    broadcast.save_revision().publish()
    assert "¥89.00" in get(client, broadcast.url)[1]
    assert get(client, broadcast.url)[0] == "hit"
    with purges():
        product.price = Decimal("99.00")
        product.save_revision().publish()
    state, body = get(client, broadcast.url)
    assert state == "miss" and "¥99.00" in body


def test_search_results_are_purged_by_any_publish(client, purges, site_tree, rice, category):
    """A cached search page is dropped when any page changes (and lives a minute at most: the index lags)."""
    url = "/search/?q=" + "大米"
    client.get(url)
    assert client.get(url)["X-Farmcast-Cache"] == "hit"
    with purges():
        factories.make_story(site_tree.stories, title="新米上市", slug="new-rice")
    assert client.get(url)["X-Farmcast-Cache"] == "miss"


def test_search_results_are_purged_by_a_saved_synonym(client, purges, rice):
    """A synonym applies to the next search: saving one drops cached result pages, other pages stay cached."""
    from search.models import Synonym

    _, product = rice
    url = "/search/?q=" + "稻米"
    client.get(url)
    client.get(product.url)
    assert client.get(url)["X-Farmcast-Cache"] == "hit"
    with purges():
        Synonym.objects.create(terms="大米, 稻米")
    assert client.get(url)["X-Farmcast-Cache"] == "miss"
    assert client.get(product.url)["X-Farmcast-Cache"] == "hit"


def test_trace_page_is_purged_by_a_provenance_change(client, purges, rice):
    """The batch's public trace page is cached, and a new event on any batch drops it."""
    _, product = rice
    batch = Batch.objects.create(product=product, quantity=100, unit="kg", harvest_date=datetime.date(2025, 10, 1))
    url = f"/trace/{batch.display_code}/"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Farmcast-Cache"] == "hit"
    with purges():
        batch.status = Batch.Status.SOLD_OUT
        batch.save()
    response = client.get(url)
    assert response["X-Farmcast-Cache"] == "miss"


def test_edited_image_purges_the_pages_that_show_it(client, purges, site_tree, category):
    """Moving an image's focal point changes its renditions: the pages using it are purged, others not."""
    logo = factories.make_image()
    brand = factories.make_brand(site_tree.brands, title="有图品牌", slug="with-logo", logo=logo)
    other = factories.make_brand(site_tree.brands, title="无图品牌", slug="without-logo")
    for url in (brand.url, other.url):
        get(client, url)
    with purges():
        logo.focal_point_x, logo.focal_point_y, logo.focal_point_width, logo.focal_point_height = 10, 10, 20, 20
        logo.save()
    assert get(client, brand.url)[0] == "miss"
    assert get(client, other.url)[0] == "hit"
