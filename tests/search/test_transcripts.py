"""Replays found by what was said in them or by a chapter's title, linking to that second of the video."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model

from search import engine
from search.indexing import build_documents, load_pages
from stories.models import BroadcastCaptionTrack, BroadcastChapter, BroadcastReplayPage
from tests import factories
from tests.search.helpers import engine_answered

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

CAPTIONS = """WEBVTT

00:00:01.000 --> 00:00:04.000
大家好，欢迎来到直播间。

00:00:12.000 --> 00:00:15.000
<v 主播>米和水的比例是一比一点二。
"""


def caption_document(n=0):
    factories.make_site_tree()  # documents need the root collection
    return get_document_model().objects.create(
        title=f"captions-{n}.vtt", file=ContentFile(CAPTIONS.encode(), name=f"captions-{n}.vtt")
    )


def make_replay(brand, **kw):
    """A replay with a chapter at 12:34 and, unless told otherwise, one caption track."""
    captions = kw.pop("captions", True)
    kw.setdefault("chapters", [BroadcastChapter(start_seconds=754, title="稻花香开箱试吃")])
    if captions:
        kw["caption_tracks"] = [BroadcastCaptionTrack(language="zh-Hans", file=caption_document())]
    return factories.make_broadcast(brand=brand, **kw)


def search(client, query):
    response = engine_answered(client.get(reverse("search:search"), {"q": query}))
    return response, {hit["page_id"]: hit for hit in response.context["results"].hits}


def test_transcript_line_links_to_the_second_it_was_said(client, brand, index_now):
    """A phrase from the transcript finds the replay, links to ?t=125#t=125 and shows the line at 2:05."""
    replay = make_replay(
        brand, title="黑土地直播", transcript="0:05 大家好\n2:05 今天教大家用五常大米煮饭\n3:00 谢谢大家"
    )
    index_now()

    response, hits = search(client, "五常大米 煮饭")

    hit = hits[replay.pk]
    assert hit["url"].endswith("?t=125#t=125")
    assert hit["url"] == replay.moment_url(125)
    assert hit["moment"]["kind"] == "transcript"
    assert hit["moment"]["clock"] == "2:05"
    html = response.content.decode()
    assert f'href="{replay.url}?t=125#t=125"' in html
    assert "今天教大家用<mark>五常大米</mark><mark>煮饭</mark>" in html


def test_chapter_title_links_to_the_chapter_start(client, brand, index_now):
    """A chapter title match links to the chapter's start and says it is a chapter."""
    replay = make_replay(brand, title="黑土地直播")
    index_now()

    response, hits = search(client, "开箱试吃")

    hit = hits[replay.pk]
    assert hit["url"] == f"{replay.url}?t=754#t=754"
    assert hit["moment"]["kind"] == "chapter"
    assert hit["moment"]["clock"] == "12:34"
    assert "章节" in response.content.decode()


def test_caption_file_lines_are_moments_when_nothing_was_pasted(client, brand, index_now):
    """Without a pasted transcript, the caption track's lines are searched, voice tags stripped."""
    replay = make_replay(brand, title="黑土地直播")
    index_now()

    _, hits = search(client, "米和水的比例")

    assert hits[replay.pk]["url"].endswith("?t=12#t=12")
    assert "主播" not in hits[replay.pk]["moment"]["text_html"]


def test_matched_line_is_escaped(client, brand, index_now):
    """Markup someone typed into a transcript line is shown as text; only the engine's <mark> is HTML."""
    replay = make_replay(brand, captions=False, chapters=[], transcript='1:00 谢谢<script>alert("x")</script>五常农户')
    index_now()

    response, hits = search(client, "谢谢 五常农户")

    assert hits[replay.pk]["url"].endswith("?t=60#t=60")
    html = response.content.decode()
    assert "&lt;script&gt;" in html
    assert '<script>alert("x")' not in html


def test_replay_without_transcript_or_chapters_still_indexes(client, brand, index_now, search_engine):
    """A replay with nothing to play from is indexed without moments and links to the page itself."""
    replay = make_replay(brand, title="寒地黑土直播间", captions=False, chapters=[])
    index_now()

    source = search_engine.get(index=engine.alias_name(), id=replay.pk)["_source"]
    assert "moments" not in source
    _, hits = search(client, "寒地黑土直播间")
    assert hits[replay.pk]["url"] == replay.url
    assert "moment" not in hits[replay.pk]


def test_title_match_without_a_moment_links_to_the_page(client, brand, index_now):
    """A replay found by its title alone keeps its plain link."""
    replay = make_replay(brand, title="寒地黑土直播间", transcript="0:10 大家好")
    index_now()

    _, hits = search(client, "寒地黑土直播间")

    assert hits[replay.pk]["url"] == replay.url


def bulk_preparation_queries(brand, count):
    for n in range(count):
        # No pasted transcript, so each replay's caption file (and its document row) is read.
        make_replay(brand, title=f"产地直播{n}")
    ids = list(BroadcastReplayPage.objects.values_list("pk", flat=True))
    build_documents(load_pages(ids, models=[BroadcastReplayPage]))  # warms the site root paths and caption cache
    with CaptureQueriesContext(connection) as captured:
        docs = build_documents(load_pages(ids, models=[BroadcastReplayPage]))
    assert len(docs) == len(ids)
    assert all(len(doc["moments"]) == 3 for doc in docs.values())  # the chapter and two caption lines
    return len(captured)


def test_bulk_preparation_queries_do_not_grow_with_replays(brand):
    """Preparing 10 replays' moments costs as many queries as preparing 3 (no N+1)."""
    few = bulk_preparation_queries(brand, 3)
    many = bulk_preparation_queries(brand, 7)  # 10 replays in all
    # no N+1: chapters, caption tracks with their documents, and locales come in bulk.
    assert many == few
