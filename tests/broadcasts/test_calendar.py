"""Calendars parse back with icalendar and carry what RFC 5545 needs: UID, DTSTAMP, UTC times, the live room."""

import datetime

import pytest
from icalendar import Calendar

from .conftest import NOW, make_timed_broadcast

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.broadcasts.urls")]


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return calendar.walk("VEVENT")


def test_index_calendar_lists_upcoming_and_live_broadcasts_only(client, clock, site_tree):
    """/replays/calendar.ics has the live and upcoming broadcasts, soonest first, and no replays."""
    later = make_timed_broadcast(NOW + datetime.timedelta(days=3), title="阳澄湖捕蟹夜", slug="crab")
    sooner = make_timed_broadcast(NOW + datetime.timedelta(days=1), title="五常新米开仓直播", slug="rice")
    live = make_timed_broadcast(NOW - datetime.timedelta(minutes=30), title="寻乌脐橙采摘直播", slug="orange")
    make_timed_broadcast(NOW - datetime.timedelta(days=7), title="中宁枸杞采摘季", slug="goji")

    found = events(client.get("/replays/calendar.ics"))
    assert [str(e["SUMMARY"]) for e in found] == [live.title, sooner.title, later.title]
    first = found[1]
    assert first.decoded("DTSTART") == sooner.scheduled_start
    assert first.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert first["DTSTART"].to_ical().endswith(b"Z")  # written in UTC, as RFC 5545 form 2
    assert first.decoded("DTEND") == sooner.scheduled_end
    assert first["DTSTAMP"].to_ical().endswith(b"Z")
    assert str(first["URL"]) == sooner.get_full_url()
    assert "https://live.example.com/room/wuchang" in str(first["DESCRIPTION"])
    assert len({str(e["UID"]) for e in found}) == 3


def test_broadcast_calendar_is_its_own_event(client, clock, site_tree):
    """/replays/<slug>/calendar.ics holds that one broadcast, with the same UID as in the index calendar."""
    broadcast = make_timed_broadcast(NOW + datetime.timedelta(days=1), slug="rice")
    (event,) = events(client.get(f"{broadcast.url}calendar.ics"))
    (listed,) = events(client.get("/replays/calendar.ics"))
    assert str(event["UID"]) == str(listed["UID"])
    assert event.decoded("DTSTART") == broadcast.scheduled_start


def test_upcoming_page_links_to_its_calendar(client, clock, site_tree):
    """The "add to calendar" link on an upcoming page answers with that page's .ics."""
    broadcast = make_timed_broadcast(NOW + datetime.timedelta(days=1), slug="rice")
    html = client.get(broadcast.url).content.decode()
    link = f"{broadcast.url}calendar.ics"
    assert f'href="{link}"' in html
    assert len(events(client.get(link))) == 1
