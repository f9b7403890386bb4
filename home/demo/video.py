"""Demo replay media made on this machine: WebM clips (VP9 + Opus) and WebVTT captions.

The clips are encoded with PyAV, whose wheel carries FFmpeg's libraries (libvpx, libopus): no system
package and no download. Each clip shows its broadcast: the brand's and the products' pictures with a
moving camera (pans and zooms), a title card at each chapter's second (in Chinese, drawn with the
subset of Noto Sans SC in fonts/), and a tone bed with a chime at every chapter, so a reader can hear
that the sound works. The poster is a frame of the clip, drawn at twice the size.

Text stays out of the bottom fifth of the picture: that is where the browser draws the captions.
"""

import array
import concurrent.futures
import dataclasses
import functools
import hashlib
import io
import logging
import math
import multiprocessing
import os
import random
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

logger = logging.getLogger(__name__)

WIDTH, HEIGHT, FPS = 640, 360, 20
CARD_SECONDS = 3  # a chapter's title card, from the chapter's own second
SHOT_SECONDS = 3.5  # one picture's camera move
FADE_SECONDS = 0.5
AUDIO_RATE = 48000
# Quality, not a bitrate: still cards cost almost nothing, moving pictures get what they need.
VIDEO_OPTIONS = {
    "deadline": "realtime",
    "cpu-used": "8",
    "row-mt": "1",
    "crf": "38",
    "b": "0",
    "g": str(2 * FPS),  # a keyframe every 2 s keeps seeking quick
    "lag-in-frames": "0",
}
AUDIO_BITRATE = 32000

FONT_DIR = Path(__file__).with_name("fonts")
FONT_FILE = FONT_DIR / "NotoSansSC-Bold-demo.otf"
FONT_CHARACTERS = FONT_DIR / "characters.txt"
WHITE = (255, 255, 255)
ACCENT = (255, 196, 61)


@dataclasses.dataclass
class Moment:
    """A chapter as the clip shows it."""

    start: int
    title: str
    latin: str
    picture: Image.Image | None = None
    caption: str = ""  # the product and its price


@dataclasses.dataclass
class Broadcast:
    title: str
    brand: str
    host: str
    moments: list
    seconds: int
    pictures: list = dataclasses.field(default_factory=list)  # the brand's, shown between product shots
    tone_hz: int = 330


@dataclasses.dataclass
class Clip:
    webm: bytes
    poster: bytes  # JPEG, 1280x720: a frame of the clip
    poster_second: float


# --- Text -------------------------------------------------------------------------------------


@functools.cache
def _font_characters():
    return set(FONT_CHARACTERS.read_text(encoding="utf-8"))


def drawable(text):
    """Whether the bundled font has every character of `text` (it holds only what the demo draws)."""
    return set(text) <= _font_characters()


@functools.cache
def _font(size):
    return ImageFont.truetype(str(FONT_FILE), size)


def _text_font(text, size):
    """The bundled font, or Pillow's own (Latin only) for text it cannot draw."""
    return _font(size) if drawable(text) else ImageFont.load_default(size=size)


def _fit(draw, text, size, width):
    """The largest font up to `size` that fits `text` in `width` pixels."""
    while size > 10:
        font = _text_font(text, size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 2
    return _text_font(text, size)


def _pill(image, xy, text, size, fill=(0, 0, 0, 150), colour=WHITE):
    """Text on a rounded dark label, so it reads on any picture."""
    draw = ImageDraw.Draw(image)
    font = _text_font(text, size)
    left, top, right, bottom = draw.textbbox(xy, text, font=font)
    pad = size * 0.45
    draw.rounded_rectangle((left - pad, top - pad * 0.8, right + pad, bottom + pad * 0.8), radius=size * 0.6, fill=fill)
    draw.text(xy, text, font=font, fill=colour)
    return right + pad


# --- Pictures ---------------------------------------------------------------------------------


def _cover(picture, size):
    return ImageOps.fit(picture.convert("RGB"), size, Image.Resampling.LANCZOS)


class _Shot:
    """One picture under a moving camera: a zoom in or out and a pan, from `start` for `length` seconds."""

    ZOOM = 1.3

    def __init__(self, picture, start, length, rng, size):
        width, height = size
        # Pre-scaled so the tightest crop is about one source pixel per output pixel: cheap and sharp.
        self.source = _cover(picture, (round(width * self.ZOOM), round(height * self.ZOOM)))
        self.start, self.length, self.size = start, length, size
        zooms = (1.0, rng.uniform(1.15, self.ZOOM))
        self.zoom = zooms if rng.random() < 0.5 else zooms[::-1]
        self.centre = [(rng.uniform(0.35, 0.65), rng.uniform(0.4, 0.6)) for _ in range(2)]

    def frame(self, t):
        k = min(max((t - self.start) / self.length, 0.0), 1.0)
        k = k * k * (3 - 2 * k)  # ease in and out: the camera starts and stops gently
        zoom = self.zoom[0] + (self.zoom[1] - self.zoom[0]) * k
        sw, sh = self.source.size
        cw, ch = sw / zoom, sh / zoom
        cx = self.centre[0][0] + (self.centre[1][0] - self.centre[0][0]) * k
        cy = self.centre[0][1] + (self.centre[1][1] - self.centre[0][1]) * k
        left = min(max(cx * sw - cw / 2, 0), sw - cw)
        top = min(max(cy * sh - ch / 2, 0), sh - ch)
        return self.source.resize(self.size, Image.Resampling.BILINEAR, box=(left, top, left + cw, top + ch))


def clock(seconds):
    return f"{seconds // 60}:{seconds % 60:02d}"


def _card(broadcast, index, size):
    """A chapter's title card: its number and second, its title, the product and its price, the picture."""
    moment = broadcast.moments[index]
    width, height = size
    unit = height / 360
    background = moment.picture or (broadcast.pictures[0] if broadcast.pictures else None)
    if background is not None:
        card = _cover(background, size).filter(ImageFilter.GaussianBlur(12 * unit))
        card = Image.blend(card, Image.new("RGB", size, (12, 18, 14)), 0.62)
    else:
        card = Image.new("RGB", size, (24, 48, 36))
    card = card.convert("RGBA")
    draw = ImageDraw.Draw(card)
    margin = round(32 * unit)
    text_width = width - 2 * margin
    if moment.picture is not None:
        side = round(150 * unit)
        framed = ImageOps.expand(_cover(moment.picture, (side, side)), border=round(5 * unit), fill=WHITE)
        card.paste(framed, (width - margin - framed.width, round(80 * unit)))
        text_width -= framed.width + margin
    top_line = f"{broadcast.title} · {broadcast.host}"
    draw.text(
        (margin, round(26 * unit)),
        top_line,
        font=_fit(draw, top_line, round(17 * unit), width - 2 * margin),
        fill=WHITE,
    )
    label = f"第 {index + 1} 章 · {clock(moment.start)}" if drawable("第章") else f"{index + 1} · {clock(moment.start)}"
    draw.text((margin, round(92 * unit)), label, font=_text_font(label, round(18 * unit)), fill=ACCENT)
    title = moment.title if drawable(moment.title) else moment.latin
    draw.text((margin, round(120 * unit)), title, font=_fit(draw, title, round(40 * unit), text_width), fill=WHITE)
    if title != moment.latin:
        draw.text(
            (margin, round(176 * unit)),
            moment.latin,
            font=_fit(draw, moment.latin, round(17 * unit), text_width),
            fill=(225, 230, 225),
        )
    if moment.caption:
        _pill(
            card,
            (margin + round(8 * unit), round(214 * unit)),
            moment.caption,
            round(17 * unit),
            fill=(*ACCENT, 235),
            colour=(30, 30, 20),
        )
    draw.rectangle((margin, round(72 * unit), margin + round(48 * unit), round(76 * unit)), fill=ACCENT)
    return card.convert("RGB")


def _overlay(broadcast, index, size):
    """What stays on screen over the pictures: the chapter, top left; the brand, top right."""
    moment = broadcast.moments[index]
    unit = size[1] / 360
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    title = moment.title if drawable(moment.title) else moment.latin
    _pill(layer, (round(20 * unit), round(16 * unit)), f"{index + 1} · {title}", round(15 * unit))
    draw = ImageDraw.Draw(layer)
    brand = broadcast.brand if drawable(broadcast.brand) else ""
    if brand:
        font = _text_font(brand, round(13 * unit))
        right = size[0] - round(20 * unit) - draw.textlength(brand, font=font)
        _pill(layer, (right, round(18 * unit)), brand, round(13 * unit), fill=(0, 0, 0, 110))
    return layer


class _Timeline:
    """Every frame of the clip as a function of time, at one size."""

    def __init__(self, broadcast, size):
        self.size = size
        seed = int(hashlib.sha256(broadcast.title.encode()).hexdigest()[:8], 16)
        rng = random.Random(seed)  # noqa: S311 - camera moves, not secrets
        self.chapters = []
        moments = broadcast.moments
        for i, moment in enumerate(moments):
            end = moments[i + 1].start if i + 1 < len(moments) else broadcast.seconds
            pictures = [p for p in [moment.picture, *broadcast.pictures] if p is not None]
            if i % 2 and len(pictures) > 1:
                pictures = [pictures[0], *pictures[:0:-1]]
            shots = []
            start = moment.start + min(CARD_SECONDS, end - moment.start)
            k = 0
            while pictures and start < end:
                length = min(SHOT_SECONDS, end - start)
                shots.append(_Shot(pictures[k % len(pictures)], start, length + FADE_SECONDS, rng, size))
                start += length
                k += 1
            self.chapters.append((moment.start, end, _card(broadcast, i, size), shots, _overlay(broadcast, i, size)))

    def chapter_at(self, t):
        return next(c for c in reversed(self.chapters) if c[0] <= t or c is self.chapters[0])

    def frame(self, t):
        start, _end, card, shots, overlay = self.chapter_at(t)
        current = [s for s in shots if s.start <= t]
        if not current:
            return card
        shot = current[-1]
        picture = shot.frame(t)
        into = t - shot.start
        if into < FADE_SECONDS:
            previous = current[-2].frame(t) if len(current) > 1 else card
            picture = Image.blend(previous, picture, into / FADE_SECONDS)
        picture.paste(overlay, (0, 0), overlay)
        return picture

    def is_still(self, t):
        """Whether the frame at `t` is the unchanged title card (encoded once, reused)."""
        start, _end, _card, shots, _overlay = self.chapter_at(t)
        return not any(s.start <= t for s in shots)


# --- Sound ------------------------------------------------------------------------------------

LOOP_SECONDS = 5
PENTATONIC = (0, 4, 7, 9, 2, 7, 4, 0, 9, 7)  # semitones above the tone: one note every half second


def _loop(tone_hz):
    """Five seconds that repeat seamlessly: a soft chord that breathes, and a pentatonic pluck twice a second.

    The chord's frequencies are whole hertz and its swell takes exactly five seconds, so the loop has no seam.
    Built from one second of chord and one half-second per note: a few hundred thousand sines in all.
    """
    f, tau, rate = tone_hz, 2 * math.pi, AUDIO_RATE
    second = [
        0.10 * math.sin(tau * (f // 2) * t) + 0.06 * math.sin(tau * (3 * f // 4) * t) + 0.04 * math.sin(tau * f * t)
        for t in (i / rate for i in range(rate))
    ]
    half = rate // 2
    notes = {
        step: [
            0.09 * math.sin(tau * f * 2 ** (step / 12) * t) * math.exp(-5 * t) for t in (i / rate for i in range(half))
        ]
        for step in set(PENTATONIC)
    }
    pluck = [value for step in PENTATONIC for value in notes[step]]
    swell = [0.8 + 0.2 * math.sin(tau * (i // 480) * 480 / rate / LOOP_SECONDS) for i in range(LOOP_SECONDS * rate)]
    return array.array("f", [c * s + p for c, s, p in zip(second * LOOP_SECONDS, swell, pluck, strict=True)])


def _chime(tone_hz, seconds=2.0):
    f, tau = tone_hz, 2 * math.pi
    return [
        0.16 * (math.sin(tau * 2 * f * t) + 0.5 * math.sin(tau * 3 * f * t)) * math.exp(-2.5 * t)
        for t in (i / AUDIO_RATE for i in range(int(seconds * AUDIO_RATE)))
    ]


def sound(broadcast):
    """The clip's sound as 32-bit float mono samples: the loop throughout, a chime at each chapter, gentle ends."""
    total = broadcast.seconds * AUDIO_RATE
    loop = _loop(broadcast.tone_hz)
    samples = (loop * (total // len(loop) + 1))[:total]
    chime = _chime(broadcast.tone_hz)
    for moment in broadcast.moments:
        at = moment.start * AUDIO_RATE
        for k, value in enumerate(chime[: total - at]):
            samples[at + k] += value
    fade_in, fade_out = AUDIO_RATE // 2, AUDIO_RATE
    for k in range(fade_in):
        samples[k] *= k / fade_in
    for k in range(fade_out):
        samples[total - 1 - k] *= k / fade_out
    return samples


def _audio_packets(stream, broadcast):
    samples = sound(broadcast)
    packets = []
    step = AUDIO_RATE // 10
    for offset in range(0, len(samples), step):
        chunk = samples[offset : offset + step]
        frame = av.AudioFrame(format="flt", layout="mono", samples=len(chunk))
        frame.sample_rate = AUDIO_RATE
        frame.planes[0].update(chunk.tobytes())
        frame.pts, frame.time_base = offset, Fraction(1, AUDIO_RATE)
        packets += stream.encode(frame)
    packets += stream.encode(None)
    return packets


# --- The clip ---------------------------------------------------------------------------------


def make_clip(broadcast):
    """The clip of `broadcast` as WebM bytes, with a poster frame from it."""
    timeline = _Timeline(broadcast, (WIDTH, HEIGHT))
    output = io.BytesIO()  # seekable, so the muxer writes the duration and the cue index players seek with
    with av.open(output, "w", format="webm") as container:
        video = container.add_stream("libvpx-vp9", rate=FPS, options=VIDEO_OPTIONS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        audio = container.add_stream("libopus", rate=AUDIO_RATE, layout="mono")
        audio.bit_rate = AUDIO_BITRATE
        sound = _audio_packets(audio, broadcast)
        still = None
        for index in range(broadcast.seconds * FPS):
            t = index / FPS
            if timeline.is_still(t):
                if still is None or still[0] is not timeline.chapter_at(t):
                    still = (timeline.chapter_at(t), av.VideoFrame.from_image(timeline.frame(t)))
                frame = still[1]
            else:
                still = None
                frame = av.VideoFrame.from_image(timeline.frame(t))
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            for packet in video.encode(frame):
                container.mux(packet)
            # Sound in step with the pictures, so the file interleaves them as players expect.
            while sound and sound[0].pts is not None and sound[0].pts * sound[0].time_base <= t:
                container.mux(sound.pop(0))
        for packet in video.encode(None):
            container.mux(packet)
        for packet in sound:
            container.mux(packet)
    poster_second = _poster_second(broadcast)
    poster = _Timeline(broadcast, (WIDTH * 2, HEIGHT * 2)).frame(poster_second)
    buffer = io.BytesIO()
    poster.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return Clip(webm=output.getvalue(), poster=buffer.getvalue(), poster_second=poster_second)


def _poster_second(broadcast):
    """Mid-way through the first product shot: a picture of what the broadcast sells, under its chapter."""
    moment = next((m for m in broadcast.moments if m.picture is not None), broadcast.moments[0])
    return min(moment.start + CARD_SECONDS + SHOT_SECONDS / 2, broadcast.seconds - 1)


# --- Captions ---------------------------------------------------------------------------------


def _timestamp(seconds):
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.000"


def vtt(cues, seconds):
    """A WebVTT file from (start, words) pairs; each cue ends a second before the next one, at most 5 s on.

    The gap matters: a cue that ends on the second the next begins shows both for a moment in some players.
    """
    lines = ["WEBVTT", ""]
    for i, (start, words) in enumerate(cues):
        following = cues[i + 1][0] - 1 if i + 1 < len(cues) else seconds
        end = max(min(following, start + 5), start + 1)
        lines += [f"{_timestamp(start)} --> {_timestamp(end)}", words, ""]
    return "\n".join(lines)


def chinese_vtt(script, seconds):
    return vtt(script["transcript"], seconds)


def english_vtt(script, seconds):
    """English captions name each chapter: enough to follow the demo without reading Chinese."""
    return vtt(
        [(start, f"Chapter {i + 1}: {latin}") for i, (start, _t, latin, _p) in enumerate(script["chapters"])], seconds
    )


# --- Many clips -------------------------------------------------------------------------------


def _key(broadcast):
    """A digest of everything a clip is made from: this code, the font, the words, the times and the pictures."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(FONT_FILE.read_bytes())
    pictures = [m.picture for m in broadcast.moments] + list(broadcast.pictures)
    for picture in pictures:
        digest.update(b"-" if picture is None else picture.tobytes())
    scalars = [(m.start, m.title, m.latin, m.caption) for m in broadcast.moments]
    digest.update(
        repr((broadcast.title, broadcast.brand, broadcast.host, broadcast.seconds, broadcast.tone_hz, scalars)).encode()
    )
    return digest.hexdigest()[:32]


def make_clips(broadcasts, cache_dir=None, workers=None):
    """The clips of `broadcasts`, in order: made on every core at once, and kept in `cache_dir` when given.

    The cache is keyed on everything a clip is made from, so a kept clip is the one this code would make;
    it spares a rebuilt demo (and the test suite, which loads it twice) a minute of encoding.
    """
    clips = [None] * len(broadcasts)
    keys = [_key(b) for b in broadcasts]
    folder = Path(cache_dir) if cache_dir else None
    if folder is not None:
        for i, key in enumerate(keys):
            webm, poster = folder / f"{key}.webm", folder / f"{key}.jpg"
            if webm.exists() and poster.exists():
                clips[i] = Clip(
                    webm=webm.read_bytes(), poster=poster.read_bytes(), poster_second=_poster_second(broadcasts[i])
                )
    missing = [i for i, clip in enumerate(clips) if clip is None]
    workers = min(workers or os.cpu_count() or 1, len(missing))
    if workers > 1:
        # Processes, not threads: drawing the frames is Python. Spawned, so no database handle is inherited.
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            made = list(pool.map(make_clip, [broadcasts[i] for i in missing]))
    else:
        made = [make_clip(broadcasts[i]) for i in missing]
    for i, clip in zip(missing, made, strict=True):
        clips[i] = clip
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{keys[i]}.webm").write_bytes(clip.webm)
            (folder / f"{keys[i]}.jpg").write_bytes(clip.poster)
    return clips
