"""A broadcast's state follows the clock: a cached copy flips at the start and the end with no publish."""

import datetime

import pytest

from tests import factories

from .conftest import get

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)
START = NOW + datetime.timedelta(hours=1)
END = START + datetime.timedelta(hours=2)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def broadcast(clock, site_tree):
    return factories.make_broadcast(site_tree.replays, scheduled_start=START, scheduled_end=END, slug="new-rice")


def state_of(body):
    for state in ("live", "upcoming", "replay"):
        if f"badge-{state}" in body:
            return state
    return None


@pytest.mark.parametrize("which", ["broadcast", "replays", "home"])
def test_cached_page_flips_at_the_start_and_the_end(client, clock, broadcast, site_tree, which):
    """The broadcast page, /replays/ and home show "live" from the start and "replay" from the end."""
    url = {"broadcast": broadcast.url, "replays": site_tree.replays.url, "home": site_tree.home.url}[which]
    clock.move_to(START - datetime.timedelta(minutes=5), tick=False)
    get(client, url)
    state, body = get(client, url)
    assert state == "hit" and state_of(body) == "upcoming"

    clock.move_to(START + datetime.timedelta(seconds=1), tick=False)
    state, body = get(client, url)
    assert state == "miss" and state_of(body) == "live"
    assert get(client, url)[0] == "hit"

    clock.move_to(END + datetime.timedelta(seconds=1), tick=False)
    state, body = get(client, url)
    assert state == "miss" and state_of(body) in ("replay", None)  # home lists replays without a badge
    if which == "broadcast":
        assert state_of(body) == "replay"


def test_hit_tells_browsers_only_the_time_left(client, clock, broadcast):
    """A hit's max-age and Expires count down to the start, not restart from the fill."""
    clock.move_to(START - datetime.timedelta(minutes=5), tick=False)
    get(client, broadcast.url)
    clock.move_to(START - datetime.timedelta(minutes=2), tick=False)
    response = client.get(broadcast.url)
    assert response["X-Farmcast-Cache"] == "hit"
    assert "max-age=120" in response["Cache-Control"]
