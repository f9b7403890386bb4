"""Finding policy: filters on /policy/ and sections (regions with sub-regions, topics, status, dates), feeds, bad input."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(site_tree):
    """Provincial (in force), county (pending) and another province's (expired) items, with two topics."""
    today = timezone.localdate()
    hlj = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    harbin = factories.make_region(name="哈尔滨市", code="230100", slug="harbin", parent=hlj)
    wuchang = factories.make_region(name="五常市", code="230184", slug="wuchang", parent=harbin)
    jiangxi = factories.make_region(name="江西省", name_en="Jiangxi", code="360000", slug="jiangxi")
    subsidies = factories.make_policy_topic(name="补贴", name_en="Subsidies", slug="subsidies")
    training = factories.make_policy_topic(name="电商直播培训", name_en="Training", slug="ecommerce-training")
    hlj_section = factories.make_policy_section(hlj, site_tree.policy)
    jx_section = factories.make_policy_section(jiangxi, site_tree.policy)
    items = {
        "provincial": factories.make_policy_news(
            hlj_section,
            title="黑龙江省稻米补贴",
            regions=[hlj],
            topics=[subsidies],
            effective_date=today - datetime.timedelta(days=100),
            expiry_date=None,
        ),
        "county": factories.make_policy_news(
            hlj_section,
            title="五常市直播培训",
            regions=[wuchang],
            topics=[training],
            effective_date=today + datetime.timedelta(days=30),
            expiry_date=None,
        ),
        "other": factories.make_policy_news(
            jx_section,
            title="江西省脐橙补贴",
            authority="江西省农业农村厅",
            regions=[jiangxi],
            topics=[subsidies],
            effective_date=datetime.date(2020, 1, 1),
            expiry_date=datetime.date(2021, 1, 1),
        ),
    }
    return {"items": items, "hlj_section": hlj_section, "today": today}


def titles(response):
    assert response.status_code == 200
    return {item.title for item in response.context["news"]}


ALL = {"黑龙江省稻米补贴", "五常市直播培训", "江西省脐橙补贴"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ALL),
        ("?region=wuchang", {"黑龙江省稻米补贴", "五常市直播培训"}),  # a county reader sees provincial items too
        ("?region=heilongjiang", {"黑龙江省稻米补贴", "五常市直播培训"}),  # and a province its counties'
        ("?region=jiangxi", {"江西省脐橙补贴"}),
        ("?topic=subsidies", {"黑龙江省稻米补贴", "江西省脐橙补贴"}),
        ("?status=in_force", {"黑龙江省稻米补贴"}),
        ("?status=pending", {"五常市直播培训"}),
        ("?status=expired", {"江西省脐橙补贴"}),
        ("?region=heilongjiang&topic=subsidies", {"黑龙江省稻米补贴"}),
        ("?from=2019-06-01&to=2021-06-01", {"江西省脐橙补贴"}),
    ],
)
def test_filters_narrow_the_list(client, news, query, expected):
    """Each filter in the URL narrows /policy/ to what it should, sub-regions and ancestors included."""
    assert titles(client.get(f"/policy/{query}")) == expected


def test_newest_first_and_counts(client, news):
    """Newest effective date first, and every topic and status option shows its count."""
    response = client.get("/policy/?region=heilongjiang")
    assert [item.title for item in response.context["news"]] == ["五常市直播培训", "黑龙江省稻米补贴"]
    body = response.content.decode()
    counts = {topic.slug: topic.n for topic in response.context["topic_counts"]}
    assert counts == {"subsidies": 1, "ecommerce-training": 1}
    assert {key: n for key, _label, n in response.context["status_counts"]} == {
        "in_force": 1,
        "pending": 1,
        "expired": 0,
    }
    assert 'value="heilongjiang" selected' in body


def test_section_lists_only_its_own_items(client, news):
    """A region's section lists the items filed under it, and filters within them."""
    assert titles(client.get("/policy/heilongjiang/")) == {"黑龙江省稻米补贴", "五常市直播培训"}
    assert titles(client.get("/policy/heilongjiang/?status=pending")) == {"五常市直播培训"}


@pytest.mark.parametrize(
    "query",
    ["?region=atlantis", "?topic=no-such-topic", "?status=sometimes", "?region=%00%FF", "?region=" + "x" * 500],
)
def test_unknown_filter_values_give_an_empty_list_and_a_message(client, news, query):
    """Unknown regions, topics or statuses answer 200 with nothing listed and a message saying why."""
    response = client.get(f"/policy/{query}")
    assert titles(response) == set()
    assert response.context["filter_messages"]
    assert "notice" in response.content.decode()


def test_dates_the_wrong_way_round_are_swapped(client, news):
    """from > to is read as to..from, with a message."""
    response = client.get("/policy/?from=2021-06-01&to=2019-06-01")
    assert titles(response) == {"江西省脐橙补贴"}
    assert len(response.context["filter_messages"]) == 1
    assert response.context["filter_values"]["from"] == "2019-06-01"


@pytest.mark.parametrize("query", ["?from=2025-13-45", "?to=yesterday", "?from=%E4%BB%8A%E5%A4%A9"])
def test_malformed_dates_are_ignored_with_a_message(client, news, query):
    """A date that is not a date is ignored (everything listed) and the page says so."""
    response = client.get(f"/policy/{query}")
    assert titles(response) == ALL
    assert response.context["filter_messages"]


def test_pagination_keeps_the_filters(client, news):
    """Page links keep ?region= so a shared page 2 is still the filtered list."""
    for _ in range(21):
        factories.make_policy_news(news["hlj_section"], regions=[news["items"]["provincial"].regions.first()])
    response = client.get("/policy/?region=heilongjiang")
    assert response.context["news"].paginator.num_pages == 2
    assert "region=heilongjiang&amp;page=2" in response.content.decode()
    assert len(titles(client.get("/policy/?region=heilongjiang&page=2"))) == 3


def test_listing_queries_do_not_grow_with_items(client, news):
    """No N+1: the filtered list costs the same queries with 3 items as with 18."""
    client.get("/policy/")  # warm caches (site root, locales)
    with CaptureQueriesContext(connection) as few:
        client.get("/policy/?topic=subsidies")
    section = news["hlj_section"]
    topic = news["items"]["provincial"].topics.first()
    for _ in range(15):
        factories.make_policy_news(section, topics=[topic])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/policy/?topic=subsidies")
    assert len(response.context["news"]) == 17
    assert len(many) == len(few)


def test_item_page_shows_its_status(client, news):
    """Each item says clearly whether it is in force, not yet in force or expired."""
    for key, css in (("provincial", "badge-in-force"), ("county", "badge-pending"), ("other", "badge-expired")):
        body = client.get(news["items"][key].url).content.decode()
        assert css in body, key


# --- Feeds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_parse_with_absolute_links_dates_and_summaries(client, news, kind):
    """RSS and Atom parse cleanly and carry absolute links, dates and the summary of each item."""
    response = client.get(f"/policy/feed/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml" if kind == "rss" else "application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert {entry.title for entry in feed.entries} == ALL
    for entry in feed.entries:
        assert entry.link.startswith("http://testserver/policy/")
        assert entry.published_parsed is not None
        if kind == "atom":  # RSS 2.0 has no "updated" element
            assert "updated_parsed" in entry
        assert entry.summary == "对春耕物资储备和农机检修作出安排。"


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize(
    "query, expected",
    [
        ("?region=wuchang", {"黑龙江省稻米补贴", "五常市直播培训"}),
        ("?topic=subsidies", {"黑龙江省稻米补贴", "江西省脐橙补贴"}),
        ("?region=jiangxi&topic=subsidies", {"江西省脐橙补贴"}),
        ("?region=atlantis", set()),
    ],
)
def test_feeds_filter_by_region_and_topic(client, news, kind, query, expected):
    """?region= and ?topic= narrow the feeds like the page; an unknown value gives a valid empty feed."""
    response = client.get(f"/policy/feed/{kind}/{query}")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert {entry.title for entry in feed.entries} == expected


def test_english_feed_under_en(client, news, site_tree):
    """/en/policy/feed/rss/ is the English tree's feed."""
    factories.make_english_translation(site_tree.policy, title="Policy news")
    response = client.get("/en/policy/feed/atom/")
    assert response.status_code == 200
    assert feedparser.parse(response.content).feed.title == "Policy news"
