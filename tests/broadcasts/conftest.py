"""Broadcast builders: a broadcast at a fixed time, caption documents, a real playable video."""

import datetime
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests import factories

# A fixed "now" so every state and header is exact; tests move the clock from here with time-machine.
NOW = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)

GOOD_VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
大家好，欢迎来到五常大米的直播间。

00:00:05.000 --> 00:00:09.000
<v 主播>今天教大家用五常大米煮饭。

00:00:12.000 --> 00:00:15.000
米和水的比例是一比一点二。
"""


def make_document(name, content, title=None):
    """A Wagtail document holding `content` (str or bytes)."""
    data = content.encode() if isinstance(content, str) else content
    factories.make_site_tree()  # documents need the root collection
    return get_document_model().objects.create(title=title or name, file=ContentFile(data, name=name))


def make_timed_broadcast(start, hours=2, **kw):
    """A broadcast starting at `start` and scheduled for `hours`."""
    kw.setdefault("live_room_url", "https://live.example.com/room/wuchang")
    return factories.make_broadcast(scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=hours), **kw)


def webm_bytes(seconds=12):
    """A small playable WebM made by ffmpeg; skips on a laptop without it, fails in CI."""
    import os

    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        if os.environ.get("CI") == "true":
            pytest.fail("ffmpeg is missing: scripts/system-deps.sh should install it")
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [
            ffmpeg,
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=160x90:rate=10:duration={seconds}",
            "-c:v",
            "libvpx",
            "-b:v",
            "100k",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-g",
            "10",
            "-an",
            "-f",
            "webm",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout


@pytest.fixture
def clock(time_machine):
    """The clock, stopped at NOW; `clock.move_to(...)` moves it."""
    time_machine.move_to(NOW, tick=False)
    return time_machine
