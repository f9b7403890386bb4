"""A broadcast is upcoming, live, then a replay as the clock passes its start and end, everywhere it shows."""

import datetime

import pytest

from stories.models import BroadcastReplayPage

from .conftest import NOW, make_timed_broadcast

pytestmark = pytest.mark.django_db

MIN = datetime.timedelta(minutes=1)
START = NOW + datetime.timedelta(hours=1)
END = START + datetime.timedelta(hours=2)


@pytest.fixture
def broadcast(clock, site_tree):
    return make_timed_broadcast(START, hours=2, title="五常新米开仓直播", slug="new-rice")


@pytest.mark.parametrize(
    ("moment", "state", "shown"),
    [
        (START - MIN, "upcoming", "data-countdown="),
        (START, "live", "button-live"),
        (END - MIN, "live", "button-live"),
        (END, "replay", 'class="player"'),
    ],
    ids=["before-start", "at-start", "just-before-end", "at-end"],
)
def test_page_state_follows_the_clock(client, clock, broadcast, moment, state, shown):
    """The page shows the state the clock says, flipping exactly at the start and at the end."""
    clock.move_to(moment, tick=False)
    response = client.get(broadcast.url)
    assert response.status_code == 200
    assert response.context["state"] == state
    assert shown in response.content.decode()


def test_upcoming_page_offers_live_room_calendar_and_beijing_time(client, clock, broadcast):
    """Upcoming: the start in Beijing time, the live-room link, and "add to calendar" pointing at the page's .ics."""
    html = client.get(broadcast.url).content.decode()
    assert 'datetime="2025-06-01T21:00+0800"' in html  # 13:00 UTC is 21:00 in Beijing
    assert 'href="https://live.example.com/room/wuchang"' in html
    assert f'href="{broadcast.url}calendar.ics"' in html
    assert "data-countdown=" in html


def test_live_page_leads_with_the_live_room(client, clock, broadcast):
    """Live: a prominent "watch live" button to the platform's room."""
    clock.move_to(START + MIN, tick=False)
    html = client.get(broadcast.url).content.decode()
    assert 'class="button button-live" href="https://live.example.com/room/wuchang"' in html


def test_ending_early_makes_it_a_replay_at_once(client, clock, broadcast):
    """An editor's actual end before the scheduled one turns the page into a replay from then on."""
    clock.move_to(START + datetime.timedelta(minutes=40), tick=False)
    broadcast.actual_end = START + datetime.timedelta(minutes=30)
    broadcast.save_revision().publish()
    assert client.get(broadcast.url).context["state"] == "replay"


def test_running_over_keeps_it_live(client, clock, broadcast):
    """An actual end after the scheduled one keeps the page live until then."""
    broadcast.actual_end = END + datetime.timedelta(minutes=30)
    broadcast.save_revision().publish()
    clock.move_to(END + datetime.timedelta(minutes=10), tick=False)
    assert client.get(broadcast.url).context["state"] == "live"
    clock.move_to(END + datetime.timedelta(minutes=30), tick=False)
    assert client.get(broadcast.url).context["state"] == "replay"


def test_querysets_agree_with_the_page(clock, broadcast):
    """upcoming / live_at / replays (used by the home page) put the broadcast where its page says."""
    broadcast.actual_end = END + datetime.timedelta(minutes=30)
    broadcast.save_revision().publish()
    objects = BroadcastReplayPage.objects
    for moment in (START - MIN, START, END, END + datetime.timedelta(minutes=30)):
        state = BroadcastReplayPage.objects.get(pk=broadcast.pk).state(moment)
        found = {
            "upcoming": objects.upcoming(moment).filter(pk=broadcast.pk).exists(),
            "live": objects.live_at(moment).filter(pk=broadcast.pk).exists(),
            "replay": objects.replays(moment).filter(pk=broadcast.pk).exists(),
        }
        assert found == {s: s == state for s in found}, (moment, state)


def test_index_and_home_move_the_broadcast_between_sections(client, clock, site_tree, broadcast):
    """The replay index and the home page list the broadcast as upcoming, then live, then as a replay."""
    index_url = site_tree.replays.url
    response = client.get(index_url)
    assert [b.pk for b in response.context["live_and_upcoming"]] == [broadcast.pk]
    assert list(response.context["replays"]) == []
    home = client.get("/")
    assert [b.pk for b in home.context["upcoming_broadcasts"]] == [broadcast.pk]

    clock.move_to(START + MIN, tick=False)
    home = client.get("/")
    assert [b.pk for b in home.context["live_broadcasts"]] == [broadcast.pk]
    assert list(home.context["upcoming_broadcasts"]) == []

    clock.move_to(END, tick=False)
    response = client.get(index_url)
    assert list(response.context["live_and_upcoming"]) == []
    assert [b.pk for b in response.context["replays"]] == [broadcast.pk]
    assert [b.pk for b in client.get("/").context["latest_replays"]] == [broadcast.pk]
