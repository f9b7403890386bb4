"""/replays/ filters by brand and category (bad values: empty, with a message), and each state has its schema.org type."""

import datetime
import json
import re

import pytest

from stories.models import BroadcastChapter
from tests import factories

from .conftest import NOW, make_timed_broadcast

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(clock, site_tree, brand, product, category):
    """Two brands' broadcasts: rice (with a rice chapter) and tea, one upcoming, replays of both."""
    tea_brand = factories.make_brand(site_tree.brands, title="安溪云岭", slug="anxi-yunling")
    tea = factories.make_category(name="茶叶", name_en="Tea", slug="tea")
    factories.make_product(tea_brand, title="铁观音", slug="tieguanyin", category=tea)
    rice_replay = make_timed_broadcast(NOW - datetime.timedelta(days=2), brand=brand, slug="rice-replay")
    rice_replay.chapters = [BroadcastChapter(start_seconds=0, title="煮饭", product=product)]
    rice_replay.save_revision().publish()
    tea_replay = make_timed_broadcast(NOW - datetime.timedelta(days=3), brand=tea_brand, slug="tea-replay")
    upcoming = make_timed_broadcast(NOW + datetime.timedelta(days=1), brand=brand, slug="rice-upcoming")
    return {"rice": rice_replay, "tea": tea_replay, "upcoming": upcoming}


def listed(response):
    assert response.status_code == 200
    return (
        [b.slug for b in response.context["live_and_upcoming"]],
        [b.slug for b in response.context["replays"]],
    )


def test_index_lists_upcoming_first_then_replays_newest_first(client, catalogue, site_tree):
    """Live and upcoming come first, then replays, newest first."""
    assert listed(client.get(site_tree.replays.url)) == (["rice-upcoming"], ["rice-replay", "tea-replay"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brand=wuchang-daoxiang", (["rice-upcoming"], ["rice-replay"])),
        ("brand=anxi-yunling", ([], ["tea-replay"])),
        ("category=rice", (["rice-upcoming"], ["rice-replay"])),
        ("category=tea", ([], ["tea-replay"])),
        ("brand=anxi-yunling&category=rice", ([], [])),
    ],
)
def test_index_filters_by_brand_and_category(client, catalogue, site_tree, query, expected):
    """?brand= and ?category= narrow both sections; a category matches chapter products and the brand's products."""
    assert listed(client.get(f"{site_tree.replays.url}?{query}")) == expected


@pytest.mark.parametrize(
    "query", ["brand=nobody", "category=%E2%80%AE<script>", "brand=&category=zzz", "page=x&brand=?"]
)
def test_unknown_filter_values_give_an_empty_list_and_a_message(client, catalogue, site_tree, query):
    """A value that names nothing empties the list and says so, never a 500."""
    response = client.get(f"{site_tree.replays.url}?{query}")
    assert listed(response) == ([], [])
    assert response.context["filter_problems"]
    assert "<script>" not in response.content.decode()


def test_index_query_count_does_not_grow_with_broadcasts(client, catalogue, site_tree, django_assert_max_num_queries):
    """No N+1: twenty more replays cost no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(site_tree.replays.url)
    for n in range(20):
        make_timed_broadcast(NOW - datetime.timedelta(days=10 + n), slug=f"more-{n}", poster_image=None)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(site_tree.replays.url)


def json_ld(response):
    html = response.content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    graph = data.get("@graph", [data])
    return {item["@type"]: item for item in graph}


def test_replay_has_video_object_with_clips(client, catalogue):
    """A replay is a VideoObject whose chapters are Clips with offsets and ?t= links."""
    replay = catalogue["rice"]
    replay.duration_seconds = 1800
    replay.chapters = [
        BroadcastChapter(start_seconds=0, title="开场"),
        BroadcastChapter(start_seconds=754, title="煮饭"),
    ]
    replay.save_revision().publish()
    video = json_ld(client.get(replay.url))["VideoObject"]
    assert video["duration"] == "PT1800S"
    url = replay.get_full_url()
    assert video["hasPart"] == [
        {"@type": "Clip", "name": "开场", "startOffset": 0, "endOffset": 754, "url": f"{url}?t=0"},
        {"@type": "Clip", "name": "煮饭", "startOffset": 754, "endOffset": 1800, "url": f"{url}?t=754"},
    ]


def test_live_broadcast_is_a_video_with_a_live_broadcast_event(client, clock, catalogue):
    """While live, a VideoObject whose publication is a BroadcastEvent with isLiveBroadcast."""
    clock.move_to(catalogue["upcoming"].scheduled_start + datetime.timedelta(minutes=1), tick=False)
    video = json_ld(client.get(catalogue["upcoming"].url))["VideoObject"]
    assert video["publication"]["@type"] == "BroadcastEvent"
    assert video["publication"]["isLiveBroadcast"] is True


def test_upcoming_broadcast_is_an_event(client, catalogue):
    """Before it starts, an Event held online at the live room."""
    event = json_ld(client.get(catalogue["upcoming"].url))["Event"]
    assert event["startDate"] == catalogue["upcoming"].scheduled_start.isoformat()
    assert event["location"]["url"] == "https://live.example.com/room/wuchang"
