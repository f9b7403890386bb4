"""Cached copies of broadcast pages expire when the state changes, so a cache never shows a stale state."""

import datetime
from email.utils import parsedate_to_datetime

import pytest

from site_content.clock import MAX_CACHE_SECONDS

from .conftest import NOW, make_timed_broadcast

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.broadcasts.urls")]

START = NOW + datetime.timedelta(hours=1)
END = START + datetime.timedelta(hours=2)


def cache_lifetime(response):
    """(max-age in seconds, Expires as a datetime) of a response."""
    directives = dict(part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",") if part.strip())
    return int(directives["max-age"]), parsedate_to_datetime(response["Expires"])


@pytest.fixture
def broadcast(clock, site_tree):
    return make_timed_broadcast(START, hours=2, slug="new-rice")


@pytest.mark.parametrize(
    ("moment", "expires"),
    [
        (START - datetime.timedelta(minutes=5), START),
        (END - datetime.timedelta(seconds=90), END),
    ],
    ids=["upcoming-expires-at-start", "live-expires-at-end"],
)
def test_page_expires_at_the_next_state_change(client, clock, broadcast, moment, expires):
    """Shortly before the start (or end) the page may be cached only until that moment."""
    clock.move_to(moment, tick=False)
    max_age, expires_at = cache_lifetime(client.get(broadcast.url))
    assert expires_at == expires
    assert max_age == (expires - moment).total_seconds()


@pytest.mark.parametrize(
    "moment", [NOW, START + datetime.timedelta(minutes=5), END], ids=["upcoming-far", "live-long", "replay"]
)
def test_page_cache_is_capped_when_no_change_is_near(client, clock, broadcast, moment):
    """Far from a change (or after the last one) the page is cached for the cap, so edits still show soon."""
    clock.move_to(moment, tick=False)
    max_age, expires_at = cache_lifetime(client.get(broadcast.url))
    assert max_age == MAX_CACHE_SECONDS
    assert expires_at == moment + datetime.timedelta(seconds=MAX_CACHE_SECONDS)


def test_ending_early_moves_the_expiry(client, clock, broadcast):
    """A broadcast that will end early expires its cached page at the new end."""
    early = START + datetime.timedelta(minutes=30)
    broadcast.actual_end = early
    broadcast.save_revision().publish()
    clock.move_to(early - datetime.timedelta(seconds=45), tick=False)
    assert cache_lifetime(client.get(broadcast.url)) == (45, early)


def test_index_and_calendar_expire_at_the_first_change_among_broadcasts(client, clock, site_tree, broadcast):
    """The index and its calendar expire when any listed broadcast starts or ends."""
    soon = NOW + datetime.timedelta(minutes=3)
    make_timed_broadcast(soon, hours=1, slug="soon")
    for url in (site_tree.replays.url, f"{site_tree.replays.url}calendar.ics"):
        assert cache_lifetime(client.get(url)) == (180, soon), url


def test_logged_in_editors_get_private_copies(admin_client, clock, broadcast):
    """A page an editor sees (with the userbar) is never stored by a shared cache."""
    response = admin_client.get(broadcast.url)
    assert "private" in response["Cache-Control"]
