"""The admin refuses chapters out of order, duplicated or past the video's end, and caption files that are not WebVTT."""

import pytest
from django.urls import reverse

from stories.models import BroadcastReplayPage
from tests.admin_forms import edit_form_data

from .conftest import GOOD_VTT, make_document

pytestmark = pytest.mark.django_db


def with_inline(data, prefix, rows):
    """Replace inline panel `prefix`'s rows in the admin form data with `rows` (dicts of field values)."""
    for key in [k for k in data if k.startswith(f"{prefix}-")]:
        del data[key]
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for i, row in enumerate(rows):
        data[f"{prefix}-{i}-id"] = ""
        data[f"{prefix}-{i}-ORDER"] = str(i + 1)
        data[f"{prefix}-{i}-DELETE"] = ""
        for field, value in row.items():
            data[f"{prefix}-{i}-{field}"] = str(value)
    return data


def post_chapters(client, broadcast, starts, duration=""):
    data = edit_form_data(client, broadcast, duration_seconds=str(duration))
    with_inline(data, "chapters", [{"start_seconds": s, "title": f"第{i + 1}段"} for i, s in enumerate(starts)])
    with_inline(data, "caption_tracks", [])
    return client.post(reverse("wagtailadmin_pages:edit", args=(broadcast.pk,)), data)


def chapter_errors(response):
    """{chapter position: its start_seconds errors} from a re-rendered edit form."""
    assert response.status_code == 200, response
    formset = response.context["form"].formsets["chapters"]
    return {
        i: [e.code for e in f.errors.as_data()["start_seconds"]]
        for i, f in enumerate(formset.forms)
        if "start_seconds" in f.errors
    }


def test_chapters_in_order_are_saved(admin_client, broadcast):
    """Chapters in order, inside the video, are published in that order."""
    response = post_chapters(admin_client, broadcast, [0, 95, 754], duration=1800)
    assert response.status_code == 302
    saved = BroadcastReplayPage.objects.get(pk=broadcast.pk)
    assert [c.start_seconds for c in saved.chapters.all()] == [0, 95, 754]


@pytest.mark.parametrize(
    ("starts", "duration", "wrong", "code"),
    [
        ([0, 754, 95], 1800, 2, "out_of_order"),
        ([0, 95, 95], 1800, 2, "duplicate"),
        ([0, 95, 1800], 1800, 2, "after_end"),
    ],
    ids=["out-of-order", "duplicate", "past-the-end"],
)
def test_bad_chapter_is_refused_on_its_own_start_time(admin_client, broadcast, starts, duration, wrong, code):
    """The error sits on the chapter that is wrong, says why, and nothing is saved."""
    response = post_chapters(admin_client, broadcast, starts, duration=duration)
    errors = chapter_errors(response)
    assert errors == {wrong: [code]}
    assert not BroadcastReplayPage.objects.get(pk=broadcast.pk).chapters.exists()


def test_chapters_may_run_past_an_unknown_duration(admin_client, broadcast):
    """Without a known duration only the order is checked."""
    assert post_chapters(admin_client, broadcast, [0, 36000]).status_code == 302


def post_captions(client, broadcast, document):
    data = edit_form_data(client, broadcast)
    with_inline(data, "chapters", [])
    with_inline(data, "caption_tracks", [{"language": "zh-Hans", "file": document.pk}])
    return client.post(reverse("wagtailadmin_pages:edit", args=(broadcast.pk,)), data)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nSRT, not WebVTT\n", "not_vtt"),
        ("WEBVTT\n\nthis is not a cue\n", "empty_vtt"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xd6\xd0\xce\xc4\n", "not_utf8"),
    ],
    ids=["srt", "no-cues", "gbk-encoded"],
)
def test_caption_file_that_is_not_webvtt_is_refused(admin_client, broadcast, content, code):
    """A caption file webvtt-py cannot read is refused on the track's file field, with the reason."""
    response = post_captions(admin_client, broadcast, make_document("captions.vtt", content))
    assert response.status_code == 200
    formset = response.context["form"].formsets["caption_tracks"]
    errors = formset.forms[0].errors.as_data()
    assert [e.code for e in errors.get("file", [])] == [code], errors
    assert str(errors["file"][0].messages[0])  # a sentence the editor reads, in their language
    assert not BroadcastReplayPage.objects.get(pk=broadcast.pk).caption_tracks.exists()


def test_valid_captions_are_saved_and_become_the_transcript(admin_client, client, broadcast):
    """A good WebVTT file is kept, offered as a <track>, and its cues become the timed transcript."""
    broadcast.replay_video = make_document("replay.webm", b"\x1aE\xdf\xa3 not decoded by this test")
    broadcast.save_revision().publish()
    document = make_document("captions.vtt", GOOD_VTT)
    assert post_captions(admin_client, broadcast, document).status_code == 302
    html = client.get(broadcast.url).content.decode()
    assert f'<track kind="captions" src="{document.url}" srclang="zh-Hans" label="中文" default>' in html
    assert 'href="?t=5#t=5"' in html and "今天教大家用五常大米煮饭。" in html
    assert "&lt;v" not in html  # the voice tag is markup, not words


def test_pasted_transcript_without_times_is_refused(admin_client, broadcast):
    """A pasted transcript line without a time is refused on the transcript field, naming the line."""
    data = edit_form_data(admin_client, broadcast, transcript="0:05 大家好\n今天卖大米")
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(broadcast.pk,)), data)
    (error,) = response.context["form"].errors.as_data()["transcript"]
    assert error.code == "untimed_line" and error.params == {"number": 2}
