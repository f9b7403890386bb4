"""Replay moments on product and trace pages: each chapter that presents a product links to its second in the replay."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brands.models import Batch
from stories.models import BroadcastChapter
from tests import factories

pytestmark = pytest.mark.django_db


def replay_showing(product, days_ago, title, start=10, batch=None, **kw):
    """A replay that ended `days_ago` days ago with one chapter at `start` presenting `product`."""
    kw.setdefault("scheduled_start", timezone.now() - datetime.timedelta(days=days_ago, hours=2))
    kw.setdefault("scheduled_end", kw["scheduled_start"] + datetime.timedelta(hours=1))
    broadcast = factories.make_broadcast(title=title, poster_image=factories.make_image(size=(320, 180)), **kw)
    broadcast.chapters = [BroadcastChapter(start_seconds=start, title=f"{title}的讲解", product=product, batch=batch)]
    broadcast.save_revision().publish()
    return broadcast


def moments_html(client, url):
    html = client.get(url).content.decode()
    return html[html.index('class="section moments"') :] if 'class="section moments"' in html else ""


def test_a_product_page_links_to_the_moment_it_was_presented(client, product):
    """The product's page shows the replay, the chapter, its time and a link that starts the video there."""
    replay = replay_showing(product, 2, "五常大米煮饭课", start=754)
    section = moments_html(client, product.url)
    assert "五常大米煮饭课" in section and "五常大米煮饭课的讲解" in section
    assert "12:34" in section
    assert f'href="{replay.url}?t=754#t=754"' in section


def test_newest_first_three_at_most_with_a_link_to_all(client, product):
    """Five replays present the product: the three newest show, newest first, and a link leads to all five."""
    for days in (9, 2, 5, 1, 7):
        replay_showing(product, days, f"直播{days}天前")
    section = moments_html(client, product.url)
    shown = [title for title in ("直播1天前", "直播2天前", "直播5天前", "直播7天前", "直播9天前") if title in section]
    assert shown == ["直播1天前", "直播2天前", "直播5天前"]
    assert section.index("直播1天前") < section.index("直播2天前") < section.index("直播5天前")
    assert f"/replays/?product={product.slug}" in section


def test_the_all_moments_link_lists_every_replay_that_presents_it(client, product):
    """/replays/?product=<slug> lists the replays with a chapter presenting the product, and only those."""
    replay_showing(product, 2, "讲解五常大米")
    factories.make_broadcast(title="别的直播")
    html = client.get(f"/replays/?product={product.slug}").content.decode()
    assert "讲解五常大米" in html and "别的直播" not in html
    assert client.get("/replays/?product=no-such-thing").status_code == 200


def test_a_broadcast_that_has_not_ended_shows_no_moment(client, product):
    """Chapters of an upcoming or live broadcast are not moments yet: there is nothing to watch."""
    start = timezone.now() + datetime.timedelta(days=1)
    replay_showing(product, -1, "明天的直播", scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=2))
    assert moments_html(client, product.url) == ""


def test_the_product_page_query_count_does_not_grow_with_its_moments(client, product):
    """The moments cost the same queries for four replays as for nine (no N+1)."""
    for days in range(1, 5):  # more than the three shown, so the count and the link to all are there already
        replay_showing(product, days, f"第{days}场")
    client.get(product.url)  # renditions made once, as on a warm site

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(product.url).status_code == 200
        return len(captured)

    before = queries()
    for days in range(5, 10):
        replay_showing(product, days, f"第{days}场")
    client.get(product.url)
    # no N+1: five more moments (three shown, all counted) add no query
    assert queries() == before


def test_a_batch_trace_page_shows_the_moment_its_harvest_was_shown(client, product):
    """A chapter that names a batch puts "watch this harvest" on that batch's trace page."""
    batch = Batch.objects.create(
        product=product,
        quantity=Decimal("500"),
        unit="kg",
        harvest_date=(timezone.now() - datetime.timedelta(days=20)).date(),
        status=Batch.Status.AVAILABLE,
    )
    replay = replay_showing(product, 3, "开镰收割", start=95, batch=batch)
    html = client.get(f"/trace/{batch.display_code}/").content.decode()
    assert 'class="section moments"' in html
    assert f'href="{replay.url}?t=95#t=95"' in html


def test_a_chapter_cannot_name_a_batch_of_another_product(product, brand):
    """The batch a chapter shows must be of the product it presents: the error is on the batch field."""
    from django.core.exceptions import ValidationError

    other = factories.make_product(brand, title="稻花香", slug="daohuaxiang")
    batch = Batch.objects.create(product=other, quantity=Decimal("1"), unit="kg", status=Batch.Status.AVAILABLE)
    chapter = BroadcastChapter(
        page=factories.make_broadcast(), start_seconds=5, title="收割", product=product, batch=batch
    )
    with pytest.raises(ValidationError) as error:
        chapter.clean()
    assert "batch" in error.value.message_dict


def test_a_translated_replay_shows_its_moment_once_in_each_language(client, product):
    """A replay with an English translation: one moment on each product page, each in the page's language."""
    replay = replay_showing(product, 2, "五常大米煮饭课", start=754)
    english_product = factories.make_english_translation(product, title="Wuchang rice")
    english = factories.make_english_translation(replay, title="Cooking Wuchang rice")
    chinese_section = moments_html(client, product.url)
    assert chinese_section.count("?t=754#t=754") == 1
    assert f'href="{replay.url}?t=754#t=754"' in chinese_section
    english_section = moments_html(client, english_product.url)
    assert english_section.count("?t=754#t=754") == 1
    assert f'href="{english.url}?t=754#t=754"' in english_section and "Cooking Wuchang rice" in english_section
