"""In a real browser, a chapter link seeks the replay video without reloading, and a shared link starts at its moment."""

import pytest

from stories.models import BroadcastChapter
from tests import factories

from .conftest import GOOD_VTT, make_document, webm_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def replay():
    video = make_document("replay.webm", webm_bytes(seconds=12), title="回放视频")
    broadcast = factories.make_broadcast(title="五常大米煮饭课", slug="rice-cooking", duration_seconds=12)
    broadcast.replay_video = video
    broadcast.chapters = [
        BroadcastChapter(start_seconds=0, title="开场"),
        BroadcastChapter(start_seconds=4, title="淘米"),
        BroadcastChapter(start_seconds=8, title="煮饭"),
    ]
    broadcast.caption_tracks.create(language="zh-Hans", file=make_document("zh.vtt", GOOD_VTT))
    broadcast.save_revision().publish()
    return broadcast


def current_time(tab):
    return tab.evaluate("document.getElementById('replay-video').currentTime")


def test_chapter_click_seeks_without_reloading(live_server, page, replay):
    """Clicking a chapter moves the video to its start; the page is the same document, the address names the moment."""
    page.goto(live_server.url + replay.url)
    page.wait_for_function("document.getElementById('replay-video').readyState >= 1")
    page.evaluate("window.sameDocument = true")
    page.click("a.chapter-link[data-seek='8']")
    page.wait_for_function("Math.abs(document.getElementById('replay-video').currentTime - 8) < 0.5")
    assert page.evaluate("window.sameDocument") is True
    assert page.url.endswith("?t=8#t=8")
    assert page.get_attribute("a.chapter-link[data-seek='8']", "aria-current") == "time"


def test_shared_link_starts_at_its_moment(live_server, page, replay):
    """Opening a shared ?t=4#t=4 link starts the video at 0:04."""
    page.goto(f"{live_server.url}{replay.url}?t=4#t=4")
    page.wait_for_function("document.getElementById('replay-video').readyState >= 1")
    page.wait_for_function("Math.abs(document.getElementById('replay-video').currentTime - 4) < 0.5")
    assert abs(current_time(page) - 4) < 0.5


def test_transcript_line_seeks_too(live_server, page, replay):
    """A transcript line's timestamp is a seek link like a chapter's."""
    page.goto(live_server.url + replay.url)
    page.wait_for_function("document.getElementById('replay-video').readyState >= 1")
    page.click("#t-5 a")
    page.wait_for_function("Math.abs(document.getElementById('replay-video').currentTime - 5) < 0.5")


def test_upcoming_page_shows_the_readers_time_and_a_countdown(live_server, page):
    """The script adds the start in the reader's time zone and a countdown under the Beijing time."""
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=2, hours=3)
    upcoming = factories.make_broadcast(
        slug="soon", scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=2)
    )
    page.context.clear_cookies()
    page.goto(live_server.url + upcoming.url)
    page.wait_for_selector("[data-local-time]:not([hidden])")
    assert page.inner_text("[data-countdown-text]").strip()
