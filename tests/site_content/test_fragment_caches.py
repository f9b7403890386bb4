"""Cached template fragments: a second visit skips the work, and every change an editor makes shows at once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from brands.models import Batch
from home.cache import FRAGMENT_KEY_PREFIX
from site_content.models import SiteSettings
from stories.models import BroadcastChapter
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragment_cache")]

NOW = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)


def without_csrf_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def render(client, url):
    """(HTML, number of queries) of one anonymous GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_second_visit_renders_the_same_page_with_fewer_queries(client, site_tree, brand, product, story):
    """Home, brand, product and story: the cached copy is the same HTML, built from far fewer queries."""
    site_tree.home.featured_brands.add(brand)
    site_tree.home.save_revision().publish()
    for url in (site_tree.home.url, brand.url, product.url, story.url):
        first, first_queries = render(client, url)
        second, second_queries = render(client, url)
        # The feedback forms outside the fragments carry a new CSRF token each time.
        assert without_csrf_tokens(second) == without_csrf_tokens(first)
        assert second_queries < first_queries / 2, url


def test_publishing_a_brand_shows_on_its_page_and_in_the_home_page_list(client, site_tree, brand, commits):
    """A republished brand's new title is on its page and in the home page's featured list at once."""
    site_tree.home.featured_brands.add(brand)
    site_tree.home.save_revision().publish()
    render(client, brand.url)
    render(client, site_tree.home.url)
    with commits():
        brand.title = "五常新米"
        brand.save_revision().publish()
    assert "五常新米" in render(client, brand.url)[0]
    assert "五常新米" in render(client, site_tree.home.url)[0]


def test_a_new_product_appears_on_its_brand_page(client, brand, category, commits):
    """Publishing a product under a brand lists it on the brand's cached page."""
    render(client, brand.url)
    with commits():
        factories.make_product(brand, category=category, title="稻花香二号")
    assert "稻花香二号" in render(client, brand.url)[0]


def test_unpublishing_a_section_removes_it_from_every_pages_navigation(client, site_tree, brand, commits):
    """The header's section links follow an unpublish on pages cached before it."""
    assert f'href="{site_tree.stories.url}"' in render(client, brand.url)[0]
    with commits():
        site_tree.stories.unpublish()
    assert f'href="{site_tree.stories.url}"' not in render(client, brand.url)[0]


def test_a_region_renamed_in_the_snippets_shows_on_the_brand_page(client, brand, commits):
    """Snippets are in many fragments: editing one shows everywhere."""
    render(client, brand.url)
    region = brand.region
    with commits():
        region.name = "新名字省"
        region.save()
    assert "新名字省" in render(client, brand.url)[0]


def test_site_settings_tagline_shows_in_the_footer(client, site_tree, brand, commits):
    """The footer is cached too: a new tagline in the site settings reaches it."""
    render(client, brand.url)
    with commits():
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.tagline = "看得见的好农货"
        settings.save()
    assert "看得见的好农货" in render(client, brand.url)[0]


def test_a_new_translation_adds_the_language_link(client, brand, commits):
    """The language switcher of a cached page links the translation published after it."""
    body, _ = render(client, brand.url)
    with commits():
        english = factories.make_english_translation(brand, title="Wuchang Daoxiang")
    assert f'href="{english.url}"' not in body
    assert f'href="{english.url}"' in render(client, brand.url)[0]


def test_policy_listing_is_cached_per_query_string(client, policy_section, region):
    """Two filters on /policy/ are two fragments: neither shows the other's items."""
    factories.make_policy_news(policy_section, title="稻米补贴", topics=[factories.make_policy_topic(slug="rice")])
    factories.make_policy_news(policy_section, title="农机补贴", topics=[factories.make_policy_topic(slug="tools")])
    url = policy_section.get_parent().url
    rice, _ = render(client, url + "?topic=rice")
    tools, _ = render(client, url + "?topic=tools")
    assert "稻米补贴" in rice and "农机补贴" not in rice
    assert "农机补贴" in tools and "稻米补贴" not in tools


def test_broadcast_state_flips_on_time_without_a_publish(client, site_tree, time_machine):
    """Home and the broadcast's page show "live" from the start and "replay" from the end, cached or not."""
    time_machine.move_to(NOW, tick=False)
    start = NOW + datetime.timedelta(hours=1)
    broadcast = factories.make_broadcast(
        site_tree.replays, scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=2)
    )
    for url in (site_tree.home.url, broadcast.url):
        time_machine.move_to(NOW, tick=False)
        assert "badge-upcoming" in render(client, url)[0]
        time_machine.move_to(start + datetime.timedelta(minutes=1), tick=False)
        assert "badge-live" in render(client, url)[0]
        time_machine.move_to(start + datetime.timedelta(hours=3), tick=False)
        assert "badge-replay" in render(client, url)[0]


def test_policy_status_follows_the_date(client, policy_section, time_machine):
    """A policy item cached before its effective date says "in force" from that day on."""
    time_machine.move_to(NOW, tick=False)
    news = factories.make_policy_news(
        policy_section, effective_date=NOW.date() + datetime.timedelta(days=1), expiry_date=None
    )
    assert "badge-pending" in render(client, news.url)[0]
    time_machine.move_to(NOW + datetime.timedelta(days=2), tick=False)
    assert "badge-in-force" in render(client, news.url)[0]


def test_preview_never_reads_or_fills_the_fragment_cache(client, brand):
    """A draft's preview shows the draft, and visitors still get the live page afterwards."""
    render(client, brand.url)
    brand.title = "草稿标题"
    brand.save_revision()
    preview = brand.make_preview_request()
    assert "草稿标题" in preview.content.decode()
    assert "草稿标题" not in render(client, brand.url)[0]


def test_private_brand_stays_out_of_listings(client, site_tree, region):
    """A brand behind a password is left out of /brands/ (the restriction is a subquery now, not a query per list)."""
    factories.make_brand(site_tree.brands, region=region, title="公开品牌")
    private = factories.make_brand(site_tree.brands, region=region, title="私密品牌")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    body, _ = render(Client(), site_tree.brands.url)
    assert "公开品牌" in body and "私密品牌" not in body


def test_a_broadcast_published_later_goes_live_at_its_own_start(client, site_tree, time_machine, commits):
    """The cached next start or end gives way to a sooner one published after it was read."""
    time_machine.move_to(NOW, tick=False)
    later = NOW + datetime.timedelta(hours=5)
    factories.make_broadcast(
        site_tree.replays, scheduled_start=later, scheduled_end=later + datetime.timedelta(hours=1)
    )
    render(client, site_tree.home.url)
    sooner = NOW + datetime.timedelta(hours=1)
    with commits():
        factories.make_broadcast(
            site_tree.replays, scheduled_start=sooner, scheduled_end=sooner + datetime.timedelta(hours=1)
        )
    time_machine.move_to(sooner + datetime.timedelta(minutes=1), tick=False)
    assert "badge-live" in render(client, site_tree.home.url)[0]


def presenting(product, start, title, batch=None):
    """A broadcast from `start` to an hour later, with a chapter presenting `product` (and showing `batch`)."""
    broadcast = factories.make_broadcast(
        title=title, scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=1)
    )
    broadcast.chapters = [BroadcastChapter(start_seconds=30, title=f"{title}的讲解", product=product, batch=batch)]
    broadcast.save_revision().publish()
    return broadcast


def test_a_product_pages_replay_moment_appears_when_its_broadcast_ends(client, product, time_machine):
    """The moments sit in the product's cached fragment, which a broadcast's end moves on without a publish."""
    time_machine.move_to(NOW, tick=False)
    presenting(product, NOW + datetime.timedelta(hours=1), "稻田直播")
    assert "稻田直播的讲解" not in render(client, product.url)[0]
    assert "稻田直播的讲解" not in render(client, product.url)[0]  # now from the fragment
    time_machine.move_to(NOW + datetime.timedelta(hours=2, minutes=1), tick=False)
    assert "稻田直播的讲解" in render(client, product.url)[0]


def test_a_new_moment_shows_at_once_and_a_cached_one_costs_no_chapter_query(client, product, commits):
    """A replay published with a chapter presenting the product shows on its next view; views after that read
    the moments from the fragment, without querying the chapters."""
    render(client, product.url)
    with commits():
        presenting(product, NOW, "秋收直播")
    assert "秋收直播的讲解" in render(client, product.url)[0]
    with CaptureQueriesContext(connection) as queries:
        assert "秋收直播的讲解" in client.get(product.url).content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "broadcastchapter" in q["sql"]]


def test_a_cached_trace_view_checks_the_chain_but_reads_no_moments_or_stories(client, product, commits):
    """The trace page's moments and "more from the brand" are fragments; the chain is verified on every view."""
    batch = Batch.objects.create(
        product=product, quantity=Decimal("500"), unit="kg", harvest_date=NOW.date(), status=Batch.Status.AVAILABLE
    )
    url = f"/trace/{batch.display_code}/"
    presenting(product, NOW, "开镰直播", batch=batch)
    render(client, url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "开镰直播的讲解" in html
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "broadcastchapter" not in tables and "brandstorypage" not in tables
    assert "provenanceevent" in tables  # the chain is still read and checked
    with commits():
        presenting(product, NOW, "晒谷直播", batch=batch)
    assert "晒谷直播的讲解" in render(client, url)[0]


def site_queries(client, url, **headers):
    """(status, HTML, how many queries read wagtailcore_site) of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return (
        response.status_code,
        response.content.decode(),
        sum('"wagtailcore_site"' in q["sql"] for q in queries.captured_queries),
    )


def test_the_site_is_looked_up_once_per_host_until_a_site_changes(client, site_tree, story, commits):
    """home/sites.py: a second request finds its Site in the cache; a new Site for the host counts at once."""
    assert site_queries(client, story.url)[2] == 1
    status, html, lookups = site_queries(client, story.url)
    assert (status, lookups) == (200, 0)
    # A site of its own for this host and port, rooted at the stories index: "/" now shows that index.
    with commits():
        Site.objects.create(hostname="testserver", port=80, root_page=site_tree.stories, site_name="故事站")
    status, html, lookups = site_queries(client, "/")
    assert status == 200 and lookups >= 1  # (Wagtail's own cache of the sites' root paths is rebuilt too)
    assert f"<h1>{site_tree.stories.title}</h1>" in html
    assert site_queries(client, "/")[::2] == (200, 0)


def test_the_cached_site_holds_its_home_page_for_routing(client, site_tree, story):
    """Wagtail routes from the Site's root page as its own type: the cached Site keeps it so, no query for it."""
    for url in (story.url, site_tree.home.url):
        render(client, url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in queries.captured_queries if '"home_homepage"' in q["sql"]], url


def test_the_trace_and_search_pages_take_the_site_from_the_cache_too(client, site_tree, product):
    """They ask Wagtail for the Site (links to pages, structured data): once per host, as the pages do."""
    batch = Batch.objects.create(product=product, quantity=Decimal("5"), unit="kg", status=Batch.Status.AVAILABLE)
    for url in (f"/trace/{batch.display_code}/", "/search/?q=大米"):
        site_queries(client, url)
        assert site_queries(client, url)[::2] == (200, 0), url


def test_a_host_no_site_answers_is_looked_up_again_and_found_once_a_site_exists(client, site_tree):
    """ "No site" is never stored: a Site created where no version moves (here: no commit) still counts at once."""
    Site.objects.update(is_default_site=False)
    assert site_queries(client, "/", HTTP_HOST="nowhere.example")[::2] == (404, 1)
    assert site_queries(client, "/", HTTP_HOST="nowhere.example")[::2] == (404, 1)
    Site.objects.create(hostname="nowhere.example", port=80, root_page=site_tree.home, site_name="新站")
    assert site_queries(client, "/", HTTP_HOST="nowhere.example")[0] == 200


def stored_fragments(name):
    """Keys of stored fragments called `name` (the tests' cache is the local-memory one)."""
    return [key for key in cache._cache if f"{FRAGMENT_KEY_PREFIX}:{name}:" in key]


def test_pages_not_found_store_no_fragments(client, brand):
    """A mistyped URL renders the site's header afresh: crawlers cannot fill the cache with 404s."""
    assert client.get("/no-such-page/").status_code == 404
    assert stored_fragments("header") == []
    render(client, brand.url)
    assert len(stored_fragments("header")) == 1


def test_robots_txt_looks_up_no_site(client, site_tree):
    """Only the views that ask for it read the cached Site: robots.txt (like /healthz) answers without the database."""
    assert site_queries(client, "/robots.txt")[::2] == (200, 0)
