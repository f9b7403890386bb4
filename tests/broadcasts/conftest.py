"""Broadcast builders: a broadcast at a fixed time, caption documents, a real playable video (PyAV, no system ffmpeg)."""

import array
import datetime
import io
import math
from fractions import Fraction

import av
import pytest
from django.core.files.base import ContentFile
from PIL import Image
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


def webm_bytes(seconds=12, size=(160, 90), fps=10, codec="libvpx-vp9", container="webm", audio=True):
    """A small playable video made with PyAV (FFmpeg inside its wheel): a colour per second, and a tone."""
    output = io.BytesIO()
    with av.open(output, "w", format=container) as out:
        video = out.add_stream(codec, rate=fps, options={"deadline": "realtime", "cpu-used": "8", "g": str(fps)})
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        sound = None
        if audio:
            sound = out.add_stream("libopus" if container == "webm" else "aac", rate=48000, layout="mono")
        for index in range(seconds * fps):
            second = index // fps
            picture = Image.new("RGB", size, ((second * 40) % 256, (second * 90) % 256, 160))
            frame = av.VideoFrame.from_image(picture)
            frame.pts, frame.time_base = index, Fraction(1, fps)
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        if sound is not None:
            tone = array.array("f", (0.2 * math.sin(2 * math.pi * 440 * i / 48000) for i in range(48000)))
            for second in range(seconds):
                frame = av.AudioFrame(format="flt", layout="mono", samples=48000)
                frame.sample_rate = 48000
                frame.planes[0].update(tone.tobytes())
                frame.pts, frame.time_base = second * 48000, Fraction(1, 48000)
                for packet in sound.encode(frame):
                    out.mux(packet)
            for packet in sound.encode(None):
                out.mux(packet)
    return output.getvalue()


@pytest.fixture
def clock(time_machine):
    """The clock, stopped at NOW; `clock.move_to(...)` moves it."""
    time_machine.move_to(NOW, tick=False)
    return time_machine
