"""Dates, times, numbers and money follow the reader's language; JSON-LD and machine formats stay ISO."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from stories.broadcasts.ics import broadcast_event
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 7)


@pytest.mark.parametrize(
    ("language", "fmt", "expected"),
    [
        ("en", "DATE_FORMAT", "7 Nov 2026"),
        ("en", "SHORT_DATE_FORMAT", "7 Nov 2026"),
        ("zh-hans", "DATE_FORMAT", "2026年11月7日"),
        ("zh-hans", "SHORT_DATE_FORMAT", "2026年11月7日"),
    ],
)
def test_dates_read_as_the_language_writes_them(language, fmt, expected):
    """English dates are "7 Nov 2026", never 11/07/2026; Chinese ones 2026年11月7日."""
    with translation.override(language):
        assert date_format(DAY, fmt) == expected


def test_english_times_use_the_24_hour_clock():
    """Broadcast times are Beijing time on a 24-hour clock in both languages, not "7:30 p.m."."""
    moment = timezone.make_aware(datetime.datetime(2026, 11, 7, 19, 30))
    with translation.override("en"):
        assert date_format(timezone.localtime(moment), "DATETIME_FORMAT") == "7 Nov 2026, 19:30"
    with translation.override("zh-hans"):
        assert date_format(timezone.localtime(moment), "DATETIME_FORMAT") == "2026年11月7日 19:30"


@pytest.fixture
def priced_product(product):
    product.price = Decimal("1280.00")
    product.unit = "5 kg 袋"
    product.sales_volume = 12345
    product.save_revision().publish()
    english = factories.make_english_translation(product, title="Wuchang rice", unit="5 kg bag")
    return product, english


def price_text(html):
    return re.search(r'class="price-amount">([^<]+)<', html).group(1)


def test_price_and_sales_follow_the_language(client, priced_product):
    """¥1280.00 and 12345 on the Chinese page (Chinese writes no thousands separator), CN¥1,280.00 and 12,345 in English."""
    chinese, english = priced_product
    zh = client.get(chinese.url).content.decode()
    en = client.get(english.url).content.decode()
    assert price_text(zh) == "¥1280.00"
    assert price_text(en) == "CN¥1,280.00"
    assert "12,345" in en and "12345" in zh


def test_json_ld_stays_iso_in_english(client, priced_product):
    """Structured data is for machines: the English page's offer price is "1280.00" and its currency CNY."""
    _chinese, english = priced_product
    html = client.get(english.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    offer = next(item["offers"] for item in data["@graph"] if item["@type"] == "Product")
    assert offer["price"] == "1280.00" and offer["priceCurrency"] == "CNY"


def test_story_date_on_english_and_chinese_pages(client, story):
    """A story's date reads in each page's language, with the ISO date in its <time> element."""
    story.date = DAY
    story.save_revision().publish()
    english = factories.make_english_translation(story, title="The people who keep the black soil")
    assert '<time datetime="2026-11-07">2026年11月7日</time>' in client.get(story.url).content.decode()
    assert '<time datetime="2026-11-07">7 Nov 2026</time>' in client.get(english.url).content.decode()


@pytest.mark.parametrize(
    ("language", "line"),
    [("en", "Starts 7 Nov 2026, 19:30 (Beijing time)"), ("zh-hans", "2026年11月7日 19:30 开始（北京时间）")],
)
def test_calendar_description_says_the_start_in_the_readers_language(rf, broadcast, language, line):
    """Calendar apps get UTC times; the event's description says the start as the reader's language writes it."""
    broadcast.scheduled_start = timezone.make_aware(datetime.datetime(2026, 11, 7, 19, 30))
    broadcast.scheduled_end = broadcast.scheduled_start + datetime.timedelta(hours=2)
    with translation.override(language):
        event = broadcast_event(broadcast, rf.get("/replays/calendar.ics"), timezone.now())
    assert line in str(event["description"])
    assert event.decoded("dtstart") == broadcast.scheduled_start


def test_policy_email_dates_follow_the_subscribers_language(policy_news):
    """The news email gives the effective date as the subscriber's language writes it."""
    from django.template.loader import render_to_string

    context = {"page": policy_news, "page_url": "https://example.com/", "unsubscribe_url": "u", "site_name": "Farmcast"}
    with translation.override("en"):
        english = render_to_string("stories/policy/email_news.txt", context)
    with translation.override("zh-hans"):
        chinese = render_to_string("stories/policy/email_news.txt", context)
    assert "Takes effect: 1 Mar 2025" in english
    assert "2025年3月1日" in chinese
