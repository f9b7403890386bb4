"""Product still lifes, packaging shots, brand marks and evidence photos, drawn with Pillow at load time.

Flat illustrations rather than photographs, but each one shows what it is: rice grains spilling from
a sack, navel oranges in a wooden crate, a Pu'er cake in its printed paper, a hairy crab on a bamboo
steamer. Evidence photos look like the stage they document (a field, a lab bench, a packing table, a
cold-chain truck). Everything is drawn at twice its size and halved, which smooths every edge.
Package labels are printed in Chinese when the machine has a CJK font (Debian's fonts-noto-cjk), in
Latin letters otherwise, so the demo needs nothing downloaded either way.
"""

import functools
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SCALE = 2
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
WHITE, BLACK = (255, 255, 255), (0, 0, 0)


def rgb(value):
    if isinstance(value, tuple):
        return value
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(rgb(a), rgb(b), strict=True))


def dark(colour, t=0.2):
    return mix(colour, BLACK, t)


def light(colour, t=0.3):
    return mix(colour, WHITE, t)


def jitter(colour, rng, amount=0.12):
    t = rng.uniform(-amount, amount)
    return dark(colour, t) if t > 0 else light(colour, -t)


def circle(cx, cy, r):
    return (cx - r, cy - r, cx + r, cy + r)


def lens(cx, cy, length, width, angle, steps=10):
    """A grain, leaf or berry outline: a pointed (width < 0.5) or rounded lens along `angle`."""
    half = [(t, width * math.sin(math.pi * t)) for t in (i / steps for i in range(steps + 1))]
    points = half + [(t, -w) for t, w in reversed(half)]
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + length * ((x - 0.5) * cos - y * sin), cy + length * ((x - 0.5) * sin + y * cos)) for x, y in points]


def oval(cx, cy, length, width, angle, steps=12):
    """A rotated ellipse: a rice grain or a goji berry (rounded ends, unlike a leaf)."""
    cos, sin = math.cos(angle), math.sin(angle)
    points = []
    for i in range(steps):
        t = i * math.tau / steps
        x, y = length / 2 * math.cos(t), width / 2 * math.sin(t)
        points.append((cx + x * cos - y * sin, cy + x * sin + y * cos))
    return points


def gradient(size, top, bottom):
    width, height = size
    top, bottom = rgb(top), rgb(bottom)
    column = Image.new("RGB", (1, height))
    column.putdata([mix(top, bottom, y / max(height - 1, 1)) for y in range(height)])
    return column.resize(size, Image.Resampling.NEAREST)


def soft_shadow(image, box, opacity=90, blur=0.18):
    """A blurred dark ellipse under an object, made small and scaled up: a soft shadow has no detail."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    pad = max(w, h) * 0.3
    full = (round(w + 2 * pad), round(h + 2 * pad))
    small = (max(8, full[0] // 8), max(8, full[1] // 8))
    mask = Image.new("L", small, 0)
    sx, sy = small[0] / full[0], small[1] / full[1]
    ImageDraw.Draw(mask).ellipse((pad * sx, pad * sy, (pad + w) * sx, (pad + h) * sy), fill=opacity)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1, min(small) * blur))).resize(full, Image.Resampling.BILINEAR)
    image.paste(Image.new("RGB", full, (40, 30, 20)), (round(x0 - pad), round(y0 - pad)), mask)


@functools.cache
def cjk_font_path():
    return next((path for path in CJK_FONTS if Path(path).exists()), None)


@functools.cache
def font(size, cjk=False):
    path = cjk_font_path() if cjk else None
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def text(draw, xy, chinese, latin, size, fill, anchor="mm", max_width=None):
    """Chinese when a CJK font is installed, else the Latin wording; shrunk to fit `max_width`."""
    words = chinese if cjk_font_path() and chinese else latin
    cjk = words is chinese
    size = round(size)
    while max_width and size > 8 and draw.textlength(words, font=font(size, cjk)) > max_width:
        size = round(size * 0.9)
    draw.text(xy, words, font=font(size, cjk), fill=fill, anchor=anchor)


def jpeg(image, quality=82):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


# --- Produce ------------------------------------------------------------------------------------------


def draw_orange(d, cx, cy, r, rng, colour=(240, 138, 30)):
    d.ellipse(circle(cx, cy, r), fill=dark(colour, 0.22))
    d.ellipse(circle(cx - r * 0.07, cy - r * 0.07, r * 0.92), fill=colour)
    pores = light(colour, 0.18)
    for _ in range(int(r / 4)):
        a, dist = rng.uniform(0, math.tau), r * 0.8 * math.sqrt(rng.random())
        d.ellipse(circle(cx + dist * math.cos(a), cy + dist * math.sin(a), r * 0.025), fill=pores)
    d.ellipse((cx - r * 0.55, cy - r * 0.6, cx - r * 0.1, cy - r * 0.3), fill=light(colour, 0.45))
    # The navel: a small puckered dimple, which is what tells a navel orange from a round one.
    d.ellipse(circle(cx + r * 0.18, cy + r * 0.28, r * 0.1), fill=dark(colour, 0.3))
    d.ellipse(circle(cx + r * 0.18, cy + r * 0.28, r * 0.05), fill=dark(colour, 0.45))


def orange_half(d, cx, cy, r, rng, colour=(240, 138, 30)):
    d.ellipse(circle(cx, cy, r), fill=dark(colour, 0.1))
    d.ellipse(circle(cx, cy, r * 0.88), fill=(255, 236, 200))
    flesh = (250, 168, 60)
    for k in range(10):
        a0, a1 = k * math.tau / 10 + 0.06, (k + 1) * math.tau / 10 - 0.06
        points = [(cx, cy)] + [
            (cx + r * 0.8 * math.cos(a0 + (a1 - a0) * i / 6), cy + r * 0.8 * math.sin(a0 + (a1 - a0) * i / 6))
            for i in range(7)
        ]
        d.polygon(points, fill=jitter(flesh, rng, 0.06))
    d.ellipse(circle(cx, cy, r * 0.1), fill=(255, 236, 200))


def _polar(cx, cy, radius_at, steps=48):
    return [
        (cx + radius_at(t) * math.sin(t), cy - radius_at(t) * math.cos(t))
        for t in (i * math.tau / steps for i in range(steps))
    ]


def _apple_radius(r):
    def radius(t):
        top = 0.2 * math.exp(-((((t + math.pi) % math.tau - math.pi) / 0.38) ** 2))
        bottom = 0.07 * math.exp(-(((t - math.pi) / 0.4) ** 2))
        return r * (1.0 + 0.06 * math.cos(2 * t) - top - bottom)

    return radius


def draw_apple(d, cx, cy, r, rng, colour=(196, 32, 38), stripes=None, leaf=True):
    radius = _apple_radius(r)
    d.polygon(_polar(cx, cy, radius), fill=dark(colour, 0.25))
    d.polygon(_polar(cx - r * 0.06, cy - r * 0.05, lambda t: radius(t) * 0.93), fill=colour)
    if stripes:
        for k in range(9):
            x = cx + (k - 4) * r * 0.2
            bend = (k - 4) * r * 0.06
            d.line([(x, cy - r * 0.6), (x + bend, cy), (x, cy + r * 0.7)], fill=stripes, width=max(2, round(r * 0.06)))
    d.ellipse((cx - r * 0.55, cy - r * 0.45, cx - r * 0.2, cy - r * 0.1), fill=light(colour, 0.4))
    top = cy - r * 0.78
    d.line([(cx, top + r * 0.1), (cx + r * 0.06, top - r * 0.28)], fill=(92, 60, 30), width=max(3, round(r * 0.07)))
    if leaf:
        d.polygon(lens(cx + r * 0.3, top - r * 0.2, r * 0.55, 0.28, -0.5), fill=(76, 140, 52))


def draw_pear(d, cx, cy, r, rng, colour=(214, 206, 96)):
    top_r = r * 0.58
    for offset, fill in ((0, dark(colour, 0.2)), (-r * 0.06, colour)):
        d.ellipse(circle(cx + offset, cy + offset, r * (0.93 if offset else 1)), fill=fill)
        d.ellipse(circle(cx + offset, cy - r * 0.85 + offset, top_r * (0.93 if offset else 1)), fill=fill)
        d.polygon(
            [
                (cx - top_r + offset * 0.5, cy - r * 0.85),
                (cx + top_r + offset * 0.5, cy - r * 0.85),
                (cx + r * 0.93 + offset, cy),
                (cx - r * 0.93 + offset, cy),
            ],
            fill=fill,
        )
    d.ellipse((cx + r * 0.1, cy - r * 0.3, cx + r * 0.75, cy + r * 0.5), fill=mix(colour, (226, 120, 80), 0.35))
    for _ in range(int(r / 5)):
        a, dist = rng.uniform(0, math.tau), r * 0.85 * math.sqrt(rng.random())
        d.ellipse(circle(cx + dist * math.cos(a), cy + dist * math.sin(a), r * 0.02), fill=dark(colour, 0.35))
    d.ellipse((cx - r * 0.5, cy - r * 0.4, cx - r * 0.2, cy + r * 0.1), fill=light(colour, 0.4))
    top = cy - r * 0.85 - top_r
    d.line([(cx, top + r * 0.1), (cx - r * 0.08, top - r * 0.3)], fill=(92, 60, 30), width=max(3, round(r * 0.06)))


def draw_grain(d, cx, cy, size, rng, colour=(246, 242, 228), germ=None):
    angle = rng.uniform(0, math.pi)
    d.polygon(oval(cx, cy, size * 0.8, size * 0.36, angle, steps=10), fill=jitter(colour, rng, 0.06))
    if germ:
        gx, gy = cx + size * 0.38 * math.cos(angle), cy + size * 0.38 * math.sin(angle)
        d.ellipse(circle(gx, gy, size * 0.09), fill=germ)


def draw_berry(d, cx, cy, size, rng, colour=(200, 22, 40)):
    angle = rng.uniform(0, math.pi)
    d.polygon(oval(cx, cy, size * 0.9, size * 0.45, angle), fill=jitter(colour, rng, 0.15))
    d.line(
        [(cx - size * 0.12 * math.cos(angle), cy - size * 0.12 * math.sin(angle)), (cx, cy)],
        fill=light(colour, 0.5),
        width=max(1, round(size * 0.08)),
    )


def draw_round_berry(d, cx, cy, size, rng, colour=(60, 30, 70)):
    r = size * 0.3
    d.ellipse(circle(cx, cy, r), fill=jitter(colour, rng, 0.15))
    d.ellipse(circle(cx - r * 0.3, cy - r * 0.3, r * 0.25), fill=light(colour, 0.4))


def draw_flat_leaf(d, cx, cy, size, rng, colour=(122, 160, 72)):
    """Longjing: flat, sword-shaped, pale jade."""
    angle = rng.uniform(0, math.pi)
    d.polygon(lens(cx, cy, size * 1.2, 0.13, angle, steps=8), fill=jitter(colour, rng, 0.1))


def draw_needle(d, cx, cy, size, rng, colour=(58, 92, 52)):
    """Maojian and black tea: thin twisted strands."""
    angle = rng.uniform(0, math.pi)
    dx, dy = math.cos(angle) * size * 0.6, math.sin(angle) * size * 0.6
    bend = rng.uniform(-0.25, 0.25) * size
    d.line(
        [(cx - dx, cy - dy), (cx + bend * 0.3, cy - bend * 0.3), (cx + dx, cy + dy)],
        fill=jitter(colour, rng, 0.12),
        width=max(2, round(size * 0.12)),
    )
    d.ellipse(circle(cx + dx, cy + dy, size * 0.06), fill=light(colour, 0.45))


def draw_tea_ball(d, cx, cy, size, rng, colour=(64, 104, 54)):
    """Tieguanyin: tightly rolled, glossy balls."""
    r = size * 0.32
    points = [
        (cx + r * rng.uniform(0.8, 1.1) * math.cos(a), cy + r * rng.uniform(0.8, 1.1) * math.sin(a))
        for a in (i * math.tau / 9 for i in range(9))
    ]
    d.polygon(points, fill=jitter(colour, rng, 0.12))
    d.ellipse(circle(cx - r * 0.3, cy - r * 0.3, r * 0.22), fill=light(colour, 0.35))


def draw_chip(d, cx, cy, size, rng, colour=(246, 222, 160)):
    r = size * 0.5
    squash = rng.uniform(0.55, 0.95)
    d.ellipse((cx - r, cy - r * squash, cx + r, cy + r * squash), fill=(196, 60, 50))
    d.ellipse(
        (cx - r * 0.9, cy - r * squash * 0.9, cx + r * 0.9, cy + r * squash * 0.9), fill=jitter(colour, rng, 0.08)
    )
    for k in range(5):
        a = k * math.tau / 5
        d.line(
            [(cx, cy), (cx + r * 0.3 * math.cos(a), cy + r * 0.3 * squash * math.sin(a))],
            fill=dark(colour, 0.3),
            width=max(1, round(r * 0.06)),
        )


def draw_shred(d, cx, cy, size, rng, colour=(190, 200, 110)):
    angle = rng.uniform(0, math.pi)
    dx, dy = math.cos(angle) * size * 0.6, math.sin(angle) * size * 0.6
    fill = (200, 60, 40) if rng.random() < 0.2 else jitter(colour, rng, 0.1)  # chilli oil on some
    d.line([(cx - dx, cy - dy), (cx + dx, cy + dy)], fill=fill, width=max(2, round(size * 0.16)))


def draw_chunk(d, cx, cy, size, rng, colour=(180, 160, 90)):
    r = size * 0.45
    points = [
        (cx + r * rng.uniform(0.6, 1.1) * math.cos(a), cy + r * rng.uniform(0.6, 1.1) * math.sin(a))
        for a in (i * math.tau / 7 for i in range(7))
    ]
    d.polygon(points, fill=jitter(colour, rng, 0.12))


def draw_mustard_stem(d, cx, cy, r, rng, colour=(150, 196, 96)):
    """青菜头: a pale green, knobby swollen stem with leaf stubs."""
    knobs = [(math.tau * k / 6 + rng.uniform(-0.2, 0.2), rng.uniform(0.35, 0.5)) for k in range(6)]
    for a, size in knobs:
        d.ellipse(circle(cx + r * 0.62 * math.cos(a), cy + r * 0.55 * math.sin(a), r * size), fill=dark(colour, 0.15))
    d.ellipse((cx - r * 0.85, cy - r * 0.75, cx + r * 0.85, cy + r * 0.75), fill=colour)
    for a, size in knobs:
        d.ellipse(circle(cx + r * 0.58 * math.cos(a), cy + r * 0.5 * math.sin(a), r * size * 0.8), fill=colour)
    d.ellipse((cx - r * 0.45, cy - r * 0.5, cx - r * 0.05, cy - r * 0.2), fill=light(colour, 0.35))
    for a in (-0.5, 0.1, 0.6):
        d.polygon(lens(cx + r * 0.2 * a, cy - r * 0.95, r * 0.9, 0.22, -math.pi / 2 + a), fill=(70, 130, 60))


def draw_crab(d, cx, cy, r, rng, colour=(96, 100, 72), tied=False):
    """A hairy crab from above: a wide shell, four legs a side, two furry claws."""
    leg = dark(colour, 0.1)
    width = max(3, round(r * 0.11))
    for side in (-1, 1):
        for k in range(4):
            base = (cx + side * r * 0.75, cy - r * 0.1 + k * r * 0.22)
            knee = (base[0] + side * r * 0.55, base[1] - r * 0.35 + k * r * 0.22)
            tip = (knee[0] + side * r * 0.35, knee[1] + r * 0.45)
            d.line([base, knee, tip], fill=leg, width=width, joint="curve")
        # The claws reach forward and fold inward, their hairy "mittens" dark at the base.
        arm = (cx + side * r * 0.55, cy - r * 0.45)
        elbow = (cx + side * r * 1.0, cy - r * 0.8)
        d.line([arm, elbow], fill=leg, width=round(width * 1.5))
        d.ellipse(circle(elbow[0], elbow[1], r * 0.17), fill=(64, 54, 40))
        d.polygon(
            oval(elbow[0] - side * r * 0.22, elbow[1] - r * 0.36, r * 0.62, r * 0.3, side * -2.2),
            fill=dark(colour, 0.05),
        )
        d.polygon(
            lens(elbow[0] - side * r * 0.5, elbow[1] - r * 0.6, r * 0.36, 0.2, side * -2.6), fill=dark(colour, 0.15)
        )
    shell = [
        (cx + r * 0.95 * math.cos(a), cy + r * 0.7 * math.sin(a) * (1.1 if math.sin(a) > 0 else 0.95))
        for a in (i * math.tau / 40 for i in range(40))
    ]
    d.polygon(shell, fill=colour)
    d.ellipse((cx - r * 0.55, cy - r * 0.5, cx + r * 0.1, cy - r * 0.1), fill=light(colour, 0.18))
    for side in (-1, 1):
        d.line(
            [(cx + side * r * 0.2, cy - r * 0.1), (cx + side * r * 0.55, cy + r * 0.3)],
            fill=dark(colour, 0.2),
            width=width // 2,
        )
    if tied:
        straw = (196, 170, 100)
        d.line([(cx - r * 1.05, cy - r * 0.2), (cx + r * 1.05, cy + r * 0.1)], fill=straw, width=width)
        d.line([(cx - r * 0.9, cy + r * 0.35), (cx + r * 0.9, cy - r * 0.45)], fill=straw, width=width)


def draw_rib_rack(d, cx, cy, r, rng):
    """A French-trimmed rack of lamb: a band of meat under a fat cap, bones standing clean."""
    bone = (238, 228, 204)
    for k in range(6):
        x = cx - r * 0.95 + k * r * 0.38
        d.line([(x, cy - r * 0.2), (x + r * 0.28, cy - r * 1.0)], fill=dark(bone, 0.15), width=round(r * 0.14))
        d.line([(x - r * 0.02, cy - r * 0.2), (x + r * 0.26, cy - r * 0.98)], fill=bone, width=round(r * 0.1))
    d.rounded_rectangle((cx - r * 1.2, cy - r * 0.3, cx + r * 1.2, cy + r * 0.5), radius=r * 0.3, fill=(246, 232, 214))
    d.rounded_rectangle(
        (cx - r * 1.15, cy - r * 0.12, cx + r * 1.15, cy + r * 0.48), radius=r * 0.25, fill=(178, 52, 58)
    )
    for _ in range(14):
        x, y = cx + rng.uniform(-1.0, 1.0) * r, cy + rng.uniform(0.0, 0.4) * r
        d.line([(x, y), (x + r * 0.12, y + r * 0.03)], fill=(236, 190, 186), width=max(2, round(r * 0.025)))
    d.rounded_rectangle(
        (cx - r * 1.15, cy - r * 0.3, cx + r * 1.15, cy - r * 0.12), radius=r * 0.1, fill=(250, 240, 226)
    )


def draw_leg(d, cx, cy, r, rng):
    d.ellipse((cx - r * 1.1, cy - r * 0.75, cx + r * 0.5, cy + r * 0.75), fill=(246, 230, 212))
    d.ellipse((cx - r * 1.0, cy - r * 0.62, cx + r * 0.4, cy + r * 0.68), fill=(186, 62, 66))
    d.polygon(
        [
            (cx + r * 0.1, cy - r * 0.45),
            (cx + r * 1.1, cy - r * 0.12),
            (cx + r * 1.1, cy + r * 0.12),
            (cx + r * 0.1, cy + r * 0.5),
        ],
        fill=(186, 62, 66),
    )
    for _ in range(10):
        x, y = cx + rng.uniform(-0.9, 0.5) * r, cy + rng.uniform(-0.5, 0.5) * r
        d.ellipse(circle(x, y, r * rng.uniform(0.04, 0.1)), fill=(244, 220, 210))
    d.line([(cx + r * 1.0, cy), (cx + r * 1.5, cy)], fill=(238, 228, 204), width=round(r * 0.2))
    d.ellipse(circle(cx + r * 1.55, cy, r * 0.17), fill=(238, 228, 204))


def draw_meat_roll(d, cx, cy, r, rng):
    for k in range(5, 0, -1):
        d.ellipse(
            (cx - r * k / 5, cy - r * 0.6 * k / 5, cx + r * k / 5, cy + r * 0.6 * k / 5),
            fill=(196, 70, 76) if k % 2 else (248, 230, 226),
        )


def draw_tuo(d, cx, cy, r, rng, colour=(96, 62, 40)):
    """A small tuocha: a domed nest of pressed leaf."""
    d.pieslice((cx - r, cy - r * 0.9, cx + r, cy + r * 0.9), 180, 360, fill=colour)
    d.ellipse((cx - r, cy - r * 0.25, cx + r, cy + r * 0.25), fill=dark(colour, 0.25))
    for _ in range(8):
        x, y = cx + rng.uniform(-0.7, 0.7) * r, cy - rng.uniform(0.1, 0.7) * r
        d.line([(x, y), (x + r * 0.2, y + r * 0.05)], fill=light(colour, 0.25), width=max(1, round(r * 0.06)))


@dataclass(frozen=True)
class Produce:
    """How to draw one kind of produce: big items (`item`, radius-sized) or many small ones (`piece`)."""

    name: str
    colour: tuple
    item: object = None  # draw(d, cx, cy, r, rng) for a fruit-sized thing
    piece: object = None  # draw(d, cx, cy, size, rng, colour) for a grain-sized thing
    crop: str = "field"  # how its field looks on evidence photos
    latin: str = ""


def _item(fn, **kwargs):
    return lambda d, cx, cy, r, rng: fn(d, cx, cy, r, rng, **kwargs)


PRODUCE = {
    "rice": Produce("rice", (246, 242, 228), piece=draw_grain, crop="paddy", latin="RICE"),
    "germ-rice": Produce(
        "germ-rice",
        (240, 232, 206),
        piece=lambda d, cx, cy, s, rng, c: draw_grain(d, cx, cy, s, rng, c, germ=(222, 180, 80)),
        crop="paddy",
        latin="GERM RICE",
    ),
    "orange": Produce("orange", (240, 138, 30), item=draw_orange, crop="orchard", latin="NAVEL ORANGE"),
    "apple": Produce("apple", (196, 32, 38), item=draw_apple, crop="orchard", latin="APPLE"),
    "gala": Produce(
        "gala",
        (232, 170, 70),
        item=_item(draw_apple, colour=(236, 176, 72), stripes=(200, 50, 44)),
        crop="orchard",
        latin="GALA",
    ),
    "pear": Produce("pear", (214, 206, 96), item=draw_pear, crop="orchard", latin="FRAGRANT PEAR"),
    "goji": Produce("goji", (200, 22, 40), piece=draw_berry, crop="shrubs", latin="GOJI"),
    "black-goji": Produce("black-goji", (58, 28, 66), piece=draw_round_berry, crop="shrubs", latin="BLACK GOJI"),
    "goji-puree": Produce("goji-puree", (226, 90, 40), piece=draw_berry, crop="shrubs", latin="GOJI PUREE"),
    "lamb": Produce("lamb", (186, 62, 66), item=draw_rib_rack, crop="pasture", latin="TAN LAMB"),
    "lamb-leg": Produce("lamb-leg", (186, 62, 66), item=draw_leg, crop="pasture", latin="LAMB LEG"),
    "lamb-roll": Produce("lamb-roll", (196, 70, 76), item=draw_meat_roll, crop="pasture", latin="LAMB ROLLS"),
    "longjing": Produce("longjing", (132, 168, 78), piece=draw_flat_leaf, crop="tea", latin="LONGJING"),
    "maojian": Produce("maojian", (62, 100, 56), piece=draw_needle, crop="tea", latin="MAOJIAN"),
    "black-tea": Produce("black-tea", (60, 36, 26), piece=draw_needle, crop="tea", latin="BLACK TEA"),
    "oolong": Produce("oolong", (70, 112, 58), piece=draw_tea_ball, crop="tea", latin="TIEGUANYIN"),
    "oolong-roast": Produce("oolong-roast", (88, 76, 40), piece=draw_tea_ball, crop="tea", latin="TIEGUANYIN"),
    "puer": Produce("puer", (88, 96, 52), piece=draw_flat_leaf, crop="tea", latin="PU'ER"),
    "puer-ripe": Produce("puer-ripe", (92, 58, 36), piece=draw_flat_leaf, crop="tea", latin="PU'ER"),
    "tuo": Produce("tuo", (96, 62, 40), item=draw_tuo, crop="tea", latin="TUOCHA"),
    "crab": Produce("crab", (98, 102, 70), item=_item(draw_crab, tied=True), crop="pond", latin="HAIRY CRAB"),
    "crab-cooked": Produce(
        "crab-cooked", (222, 96, 48), item=_item(draw_crab, colour=(222, 96, 48)), crop="pond", latin="HAIRY CRAB"
    ),
    "apple-chips": Produce("apple-chips", (246, 222, 160), piece=draw_chip, crop="orchard", latin="APPLE CHIPS"),
    "zhacai": Produce("zhacai", (190, 200, 110), piece=draw_shred, crop="vegetable", latin="ZHACAI"),
    "zhacai-chunk": Produce("zhacai-chunk", (184, 164, 92), piece=draw_chunk, crop="vegetable", latin="ZHACAI"),
    "mustard": Produce("mustard", (150, 196, 96), item=draw_mustard_stem, crop="vegetable", latin="MUSTARD STEM"),
}


# --- Settings: a wall, a table and the light --------------------------------------------------------

SURFACES = {
    "oak": ((206, 160, 110), "planks"),
    "walnut": ((120, 82, 56), "planks"),
    "linen": ((226, 216, 196), "weave"),
    "slate": ((74, 80, 84), "plain"),
    "bamboo": ((214, 186, 120), "slats"),
    "marble": ((236, 234, 228), "veins"),
}


def backdrop(size, wall, surface, rng):
    """A wall and a table top seen from a little above; returns the image and the table's back edge."""
    width, height = size
    colour, texture = SURFACES[surface]
    horizon = round(height * rng.uniform(0.42, 0.5))
    image = gradient(size, light(wall, 0.25), dark(wall, 0.06))
    table = gradient((width, height - horizon), light(colour, 0.1), dark(colour, 0.14))
    image.paste(table, (0, horizon))
    draw = ImageDraw.Draw(image)
    line = dark(colour, 0.12)
    if texture == "planks":
        y, gap = horizon, height * 0.06
        while y < height:
            y += gap
            gap *= 1.25  # nearer planks look wider
            draw.line((0, y, width, y), fill=dark(colour, 0.2), width=max(2, round(height * 0.003)))
        for _ in range(40):
            x, y = rng.uniform(0, width), rng.uniform(horizon, height)
            draw.arc((x, y, x + width * rng.uniform(0.08, 0.2), y + height * 0.02), 180, 360, fill=line, width=2)
    elif texture == "weave":
        for y in range(horizon, height, max(4, height // 120)):
            draw.line((0, y, width, y), fill=light(colour, 0.12), width=1)
    elif texture == "slats":
        for x in range(0, width, max(8, width // 28)):
            draw.line((x, horizon, x + (x - width / 2) * 0.3, height), fill=dark(colour, 0.15), width=3)
    elif texture == "veins":
        for _ in range(6):
            x = rng.uniform(0, width)
            points = [
                (x + rng.uniform(-1, 1) * width * 0.05 * i, horizon + (height - horizon) * i / 5) for i in range(6)
            ]
            draw.line(points, fill=dark(colour, 0.08), width=3)
    draw.line((0, horizon, width, horizon), fill=light(colour, 0.3), width=max(2, round(height * 0.004)))
    return image, horizon


def heap(d, produce, cx, cy, w, h, rng, count=None, size=None):
    """A mound of small pieces (grains, berries, leaves), densest at the bottom-centre."""
    size = size or w * 0.07
    count = count or int(3.2 * w * h / (size * size))
    for _ in range(count):
        u = rng.random()
        x = cx + (rng.random() - 0.5) * w * (1 - 0.6 * u)
        y = cy + h * 0.5 - u * h + rng.uniform(-0.08, 0.08) * h
        if produce.piece:
            produce.piece(d, x, y, size, rng, produce.colour)
        else:
            produce.item(d, x, y, size * 0.5, rng)


def pile(d, produce, cx, cy, w, rows, r, rng):
    """Fruit-sized items in rows, back to front, each row a little lower and narrower."""
    for row in range(rows):
        n = max(1, int(w / (2 * r)) - row)
        y = cy + row * r * 0.9
        for k in range(n):
            x = cx - (n - 1) * r + k * 2 * r + rng.uniform(-0.12, 0.12) * r
            produce.item(d, x, y + rng.uniform(-0.08, 0.08) * r, r * rng.uniform(0.92, 1.05), rng)


# --- Packaging ---------------------------------------------------------------------------------------


@dataclass
class Pack:
    """What a package says and how it looks: the product's words, the brand's mark and colours."""

    chinese: str
    latin: str
    weight: str
    colour: tuple
    accent: tuple
    mark: object  # draw(d, cx, cy, r) the brand's mark


def label(d, box, pack, rng, dark_text=False):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle(box, radius=min(w, h) * 0.08, fill=pack.accent)
    inner = (x0 + w * 0.04, y0 + h * 0.06, x1 - w * 0.04, y1 - h * 0.06)
    d.rounded_rectangle(inner, radius=min(w, h) * 0.06, outline=light(pack.accent, 0.5), width=max(2, round(h * 0.015)))
    r = min(w * 0.18, h * 0.22)
    pack.mark(d, x0 + w / 2, y0 + h * 0.3, r)
    ink = (40, 36, 30) if dark_text else WHITE
    text(d, (x0 + w / 2, y0 + h * 0.64), pack.chinese, pack.latin, h * 0.16, ink, max_width=w * 0.86)
    text(d, (x0 + w / 2, y0 + h * 0.84), "", pack.weight, h * 0.1, ink, max_width=w * 0.8)


def sack(image, d, box, pack, rng):
    """A woven rice sack, its neck tied, the label on its front."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    soft_shadow(image, (x0 - w * 0.05, y1 - h * 0.06, x1 + w * 0.1, y1 + h * 0.06))
    body = []
    for i in range(21):
        t = i / 20
        bulge = math.sin(math.pi * t) * w * 0.06
        body.append((x0 - bulge + w * 0.04, y0 + h * 0.18 + t * h * 0.82))
    right = [(x1 - (x - x0), y) for x, y in reversed(body)]
    d.polygon([(x0 + w * 0.14, y0 + h * 0.16), *body, *right, (x1 - w * 0.14, y0 + h * 0.16)], fill=pack.colour)
    for y in range(round(y0 + h * 0.2), round(y1), max(4, round(h / 70))):
        d.line((x0 + w * 0.06, y, x1 - w * 0.06, y), fill=dark(pack.colour, 0.06), width=1)
    neck = (x0 + w * 0.3, y0 + h * 0.05, x1 - w * 0.3, y0 + h * 0.2)
    d.polygon(
        [(neck[0], neck[3]), (neck[0] + w * 0.05, neck[1]), (neck[2] - w * 0.05, neck[1]), (neck[2], neck[3])],
        fill=dark(pack.colour, 0.08),
    )
    for k in range(7):  # the gathered frill above the tie
        x = x0 + w * 0.32 + k * w * 0.06
        d.polygon([(x, y0 + h * 0.06), (x + w * 0.03, y0), (x + w * 0.06, y0 + h * 0.06)], fill=dark(pack.colour, 0.04))
    d.rounded_rectangle((x0 + w * 0.28, y0 + h * 0.13, x1 - w * 0.28, y0 + h * 0.18), radius=h * 0.02, fill=pack.accent)
    label(d, (x0 + w * 0.14, y0 + h * 0.36, x1 - w * 0.14, y0 + h * 0.86), pack, rng)
    d.line(
        (x0 + w * 0.1, y0 + h * 0.3, x0 + w * 0.08, y1 - h * 0.1),
        fill=light(pack.colour, 0.35),
        width=max(3, round(w * 0.015)),
    )


def carton(image, d, box, pack, rng, open_with=None):
    """A corrugated box in three-quarter view; open, it shows what it holds."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    depth = w * 0.22
    kraft = (196, 150, 100)
    soft_shadow(image, (x0, y1 - h * 0.08, x1 + depth, y1 + h * 0.08))
    top = [(x0, y0 + depth * 0.5), (x0 + depth, y0), (x1 + depth * 0.2, y0), (x1 - w * 0.0, y0 + depth * 0.5)]
    side = [(x1, y0 + depth * 0.5), (x1 + depth * 0.2, y0), (x1 + depth * 0.2, y1 - depth * 0.5), (x1, y1)]
    if open_with is None:
        d.polygon(top, fill=light(kraft, 0.12))
        d.polygon(
            [
                (x0 + w * 0.45, y0 + depth * 0.5),
                (x0 + w * 0.45 + depth, y0),
                (x0 + w * 0.58 + depth, y0),
                (x0 + w * 0.58, y0 + depth * 0.5),
            ],
            fill=pack.accent,
        )
    else:
        d.polygon(top, fill=dark(kraft, 0.35))
        open_with(x0 + w * 0.55, y0 + depth * 0.25, w * 0.95, depth)
        for flap in (
            (x0, y0 + depth * 0.5, x0 - w * 0.12, y0 - depth * 0.3),
            (x1, y0 + depth * 0.5, x1 + w * 0.1, y0 - depth * 0.6),
        ):
            fx, fy, tx, ty = flap
            d.polygon(
                [(fx, fy), (tx, ty), (tx + (x1 - x0) * 0.02, ty - depth * 0.1), (fx + (tx - fx) * 0.1, fy)],
                fill=light(kraft, 0.05),
            )
    d.polygon(side, fill=dark(kraft, 0.18))
    d.rectangle((x0, y0 + depth * 0.5, x1, y1), fill=kraft)
    for k in range(1, 4):
        d.line(
            (x0, y0 + depth * 0.5 + k * h * 0.02, x1, y0 + depth * 0.5 + k * h * 0.02), fill=light(kraft, 0.06), width=1
        )
    label(d, (x0 + w * 0.12, y0 + depth * 0.5 + h * 0.12, x1 - w * 0.12, y1 - h * 0.1), pack, rng)


def crate(image, d, box, pack, produce, rng):
    """A wooden fruit crate, heaped: back slats, the fruit, then the front slats over its lower half."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    wood = (196, 150, 96)
    soft_shadow(image, (x0 - w * 0.03, y1 - h * 0.08, x1 + w * 0.03, y1 + h * 0.1))
    d.rectangle((x0 + w * 0.03, y0 + h * 0.12, x1 - w * 0.03, y0 + h * 0.45), fill=dark(wood, 0.35))
    r = w / 9
    pile(d, produce, (x0 + x1) / 2, y0 + h * 0.2, w * 0.95, 3, r, rng)
    for k in range(3):
        top = y0 + h * (0.42 + k * 0.2)
        d.rectangle((x0, top, x1, top + h * 0.16), fill=jitter(wood, rng, 0.06))
        for _ in range(6):
            gx = rng.uniform(x0, x1 - w * 0.2)
            d.line((gx, top + h * 0.05, gx + w * 0.2, top + h * 0.06), fill=dark(wood, 0.12), width=2)
    for x in (x0, x1 - w * 0.06):
        d.rectangle((x, y0 + h * 0.36, x + w * 0.06, y1), fill=dark(wood, 0.12))
    brand = (x0 + w * 0.3, y0 + h * 0.63, x1 - w * 0.3, y0 + h * 0.77)
    d.rounded_rectangle(brand, radius=h * 0.02, fill=pack.accent)
    text(
        d,
        ((brand[0] + brand[2]) / 2, (brand[1] + brand[3]) / 2),
        pack.chinese,
        pack.latin,
        h * 0.065,
        WHITE,
        max_width=w * 0.36,
    )


def gift_box(image, d, box, pack, produce, rng, columns=4, rows=3):
    """An open gift box seen from above, one item in each cell, the lid standing behind it."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    soft_shadow(image, (x0, y0 + h * 0.2, x1, y1 + h * 0.06))
    d.rounded_rectangle((x0 + w * 0.08, y0 - h * 0.42, x1 - w * 0.08, y0 + h * 0.1), radius=w * 0.02, fill=pack.colour)
    label(d, (x0 + w * 0.3, y0 - h * 0.36, x1 - w * 0.3, y0 + h * 0.04), pack, rng)
    d.rectangle((x0 + w * 0.06, y0 - h * 0.42, x0 + w * 0.12, y0 + h * 0.1), fill=pack.accent)
    d.rounded_rectangle((x0, y0, x1, y1), radius=w * 0.02, fill=dark(pack.colour, 0.15))
    inner = (x0 + w * 0.03, y0 + h * 0.04, x1 - w * 0.03, y1 - h * 0.04)
    d.rectangle(inner, fill=(250, 246, 238))
    cw, ch = (inner[2] - inner[0]) / columns, (inner[3] - inner[1]) / rows
    for j in range(rows):
        for i in range(columns):
            cx, cy = inner[0] + cw * (i + 0.5), inner[1] + ch * (j + 0.5)
            d.rectangle(
                (inner[0] + cw * i, inner[1] + ch * j, inner[0] + cw * (i + 1), inner[1] + ch * (j + 1)),
                outline=(226, 214, 196),
                width=3,
            )
            if produce.item:
                produce.item(d, cx, cy + ch * 0.05, min(cw, ch) * 0.4, rng)
            else:
                # Cans of rice seen from above: a lid in the brand's colour with its mark.
                r = min(cw, ch) * 0.4
                d.ellipse(circle(cx + r * 0.06, cy + r * 0.08, r), fill=(200, 196, 186))
                d.ellipse(circle(cx, cy, r), fill=pack.accent)
                d.ellipse(circle(cx, cy, r * 0.86), outline=light(pack.accent, 0.4), width=max(2, round(r * 0.05)))
                pack.mark(d, cx, cy, r * 0.5)


def jar(image, d, box, pack, produce, rng):
    """A glass jar full of small things, lid on, label round its middle."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    soft_shadow(image, (x0, y1 - h * 0.06, x1 + w * 0.1, y1 + h * 0.06))
    d.rounded_rectangle((x0, y0 + h * 0.1, x1, y1), radius=w * 0.12, fill=light(produce.colour, 0.55))
    heap(d, produce, (x0 + x1) / 2, y0 + h * 0.56, w * 0.98, h * 0.82, rng, size=w * 0.09)
    d.rounded_rectangle((x0 + w * 0.08, y0, x1 - w * 0.08, y0 + h * 0.12), radius=w * 0.04, fill=pack.accent)
    for k in range(5):
        d.line(
            (x0 + w * 0.1, y0 + h * 0.02 * (k + 1), x1 - w * 0.1, y0 + h * 0.02 * (k + 1)),
            fill=dark(pack.accent, 0.15),
            width=2,
        )
    label(d, (x0 + w * 0.04, y0 + h * 0.42, x1 - w * 0.04, y0 + h * 0.8), pack, rng)
    glare = light(produce.colour, 0.75)
    d.line((x0 + w * 0.1, y0 + h * 0.18, x0 + w * 0.1, y0 + h * 0.38), fill=glare, width=max(3, round(w * 0.04)))
    d.line((x0 + w * 0.1, y0 + h * 0.84, x0 + w * 0.1, y1 - h * 0.05), fill=glare, width=max(3, round(w * 0.04)))


def tin(image, d, box, pack, rng):
    """A tea caddy: a cylinder with a rim, a printed band and the light down one side."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    e = w * 0.18
    soft_shadow(image, (x0, y1 - e, x1 + w * 0.1, y1 + e * 0.6))
    d.rectangle((x0, y0 + e / 2, x1, y1 - e / 2), fill=pack.colour)
    d.ellipse((x0, y1 - e, x1, y1), fill=pack.colour)
    d.rectangle((x0, y0 + e / 2, x1, y0 + h * 0.2), fill=dark(pack.accent, 0.1))
    d.ellipse((x0, y0, x1, y0 + e), fill=light(pack.accent, 0.15))
    d.ellipse((x0 + w * 0.06, y0 + e * 0.15, x1 - w * 0.06, y0 + e * 0.85), fill=pack.accent)
    label(d, (x0 + w * 0.1, y0 + h * 0.3, x1 - w * 0.1, y0 + h * 0.82), pack, rng)
    d.rectangle((x0 + w * 0.08, y0 + e, x0 + w * 0.13, y1 - e), fill=light(pack.colour, 0.3))
    d.rectangle((x1 - w * 0.1, y0 + e, x1 - w * 0.05, y1 - e), fill=dark(pack.colour, 0.2))


def pouch(image, d, box, pack, produce, rng):
    """A stand-up pouch with a zip, a window onto what is inside and the label above it."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    soft_shadow(image, (x0, y1 - h * 0.05, x1 + w * 0.1, y1 + h * 0.05))
    outline = [
        (x0 + w * 0.02, y0),
        (x1 - w * 0.02, y0),
        (x1, y1 - h * 0.08),
        (x1 - w * 0.1, y1),
        (x0 + w * 0.1, y1),
        (x0, y1 - h * 0.08),
    ]
    d.polygon(outline, fill=pack.colour)
    d.line(
        (x0 + w * 0.04, y0 + h * 0.07, x1 - w * 0.04, y0 + h * 0.07),
        fill=dark(pack.colour, 0.2),
        width=max(2, round(h * 0.008)),
    )
    d.polygon(
        [(x1 - w * 0.02, y0 + h * 0.1), (x1 - w * 0.08, y0 + h * 0.12), (x1 - w * 0.01, y0 + h * 0.14)],
        fill=dark(pack.colour, 0.3),
    )
    label(d, (x0 + w * 0.1, y0 + h * 0.14, x1 - w * 0.1, y0 + h * 0.55), pack, rng)
    window = (x0 + w * 0.2, y0 + h * 0.6, x1 - w * 0.2, y1 - h * 0.1)
    d.rounded_rectangle(window, radius=w * 0.06, fill=light(produce.colour, 0.5))
    if produce.piece:
        heap(
            d,
            produce,
            (window[0] + window[2]) / 2,
            (window[1] + window[3]) / 2,
            (window[2] - window[0]) * 0.9,
            (window[3] - window[1]) * 0.85,
            rng,
            size=w * 0.08,
        )
    d.line(
        (x0 + w * 0.08, y0 + h * 0.12, x0 + w * 0.06, y1 - h * 0.12),
        fill=light(pack.colour, 0.3),
        width=max(3, round(w * 0.02)),
    )


def sachets(image, d, box, pack, produce, rng, n=5):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    sw = w / (n * 0.75 + 0.25)
    for k in range(n):
        sx = x0 + k * sw * 0.75
        sy = y0 + (k % 2) * h * 0.06
        soft_shadow(image, (sx, sy + h * 0.85, sx + sw, sy + h))
        d.rounded_rectangle(
            (sx, sy, sx + sw, sy + h * 0.9), radius=sw * 0.06, fill=pack.colour if k % 2 else light(pack.colour, 0.12)
        )
        for t in range(0, round(sw), max(4, round(sw / 14))):  # crimped seal along the top
            d.line((sx + t, sy, sx + t, sy + h * 0.05), fill=dark(pack.colour, 0.2), width=2)
        d.ellipse(circle(sx + sw / 2, sy + h * 0.35, sw * 0.28), fill=pack.accent)
        pack.mark(d, sx + sw / 2, sy + h * 0.35, sw * 0.22)
        text(d, (sx + sw / 2, sy + h * 0.7), pack.chinese, pack.latin, h * 0.08, WHITE, max_width=sw * 0.85)


def urn(image, d, box, pack, rng):
    """A glazed pickling crock (老坛) with its water-sealed lid and a red paper diamond."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    glaze = (110, 66, 40)
    soft_shadow(image, (x0, y1 - h * 0.08, x1 + w * 0.1, y1 + h * 0.06))
    d.ellipse((x0, y0 + h * 0.2, x1, y1), fill=glaze)
    d.rectangle((x0 + w * 0.2, y1 - h * 0.1, x1 - w * 0.2, y1), fill=dark(glaze, 0.2))
    d.rectangle((x0 + w * 0.28, y0 + h * 0.08, x1 - w * 0.28, y0 + h * 0.3), fill=dark(glaze, 0.1))
    d.ellipse((x0 + w * 0.16, y0 + h * 0.1, x1 - w * 0.16, y0 + h * 0.24), fill=dark(glaze, 0.25))
    d.pieslice((x0 + w * 0.26, y0 - h * 0.04, x1 - w * 0.26, y0 + h * 0.2), 180, 360, fill=light(glaze, 0.1))
    d.ellipse((x0 + w * 0.2, y0 + h * 0.3, x0 + w * 0.4, y0 + h * 0.7), fill=light(glaze, 0.25))
    cx, cy, r = (x0 + x1) / 2, y0 + h * 0.58, w * 0.22
    d.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=(200, 40, 36))
    text(d, (cx, cy), "榨", "ZC", r * 0.9, (250, 220, 120))


def tea_cake(image, d, cx, cy, r, pack, produce, rng, wrapped=True):
    """A pressed Pu'er cake: in its printed cotton paper, or bare with its pressed leaves showing."""
    soft_shadow(image, (cx - r * 1.05, cy - r * 0.2, cx + r * 1.1, cy + r * 0.62))
    squash = 0.55
    d.ellipse(
        (cx - r, cy - r * squash + r * 0.12, cx + r, cy + r * squash + r * 0.12),
        fill=dark(pack.colour if wrapped else produce.colour, 0.25),
    )
    face = (cx - r, cy - r * squash, cx + r, cy + r * squash)
    if wrapped:
        paper = (244, 238, 222)
        d.ellipse(face, fill=paper)
        for k in range(18):  # the paper's folds, gathered at the centre
            a = k * math.tau / 18
            d.line(
                (cx, cy, cx + r * 0.95 * math.cos(a), cy + r * squash * 0.95 * math.sin(a)),
                fill=dark(paper, 0.07),
                width=3,
            )
        d.ellipse(
            (cx - r * 0.55, cy - r * squash * 0.55, cx + r * 0.55, cy + r * squash * 0.55),
            outline=(196, 40, 40),
            width=max(3, round(r * 0.03)),
        )
        pack.mark(d, cx, cy - r * squash * 0.15, r * 0.22)
        text(d, (cx, cy + r * squash * 0.32), pack.chinese, pack.latin, r * 0.11, (176, 30, 30), max_width=r * 0.9)
    else:
        d.ellipse(face, fill=produce.colour)
        for _ in range(int(r * 1.4)):
            a, dist = rng.uniform(0, math.tau), r * 0.95 * math.sqrt(rng.random())
            produce.piece(d, cx + dist * math.cos(a), cy + dist * squash * math.sin(a), r * 0.12, rng, produce.colour)
        d.ellipse(
            (cx - r * 0.1, cy - r * squash * 0.1, cx + r * 0.1, cy + r * squash * 0.1), fill=dark(produce.colour, 0.35)
        )


def voucher(image, d, box, pack, rng):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    soft_shadow(image, (x0, y1 - h * 0.1, x1, y1 + h * 0.1))
    d.rounded_rectangle(box, radius=h * 0.08, fill=pack.colour)
    d.rounded_rectangle(
        (x0 + w * 0.03, y0 + h * 0.06, x1 - w * 0.03, y1 - h * 0.06),
        radius=h * 0.06,
        outline=(226, 190, 100),
        width=max(3, round(h * 0.02)),
    )
    pack.mark(d, x0 + w * 0.2, y0 + h * 0.5, h * 0.25)
    text(
        d,
        (x0 + w * 0.62, y0 + h * 0.32),
        "大闸蟹提货券",
        "HAIRY CRAB VOUCHER",
        h * 0.13,
        (250, 226, 150),
        max_width=w * 0.6,
    )
    text(d, (x0 + w * 0.62, y0 + h * 0.55), pack.chinese, pack.latin, h * 0.09, WHITE, max_width=w * 0.6)
    serial = f"No. {rng.randint(100000, 999999)}"
    text(d, (x0 + w * 0.62, y0 + h * 0.76), "", serial, h * 0.08, (250, 226, 150), max_width=w * 0.5)


# --- Props --------------------------------------------------------------------------------------------


def bowl(image, d, cx, cy, r, colour, produce=None, rng=None, size=None):
    soft_shadow(image, (cx - r, cy + r * 0.3, cx + r * 1.05, cy + r * 0.8))
    d.pieslice((cx - r, cy - r * 0.9, cx + r, cy + r * 0.9), 0, 180, fill=colour)
    d.ellipse((cx - r, cy - r * 0.3, cx + r, cy + r * 0.3), fill=dark(colour, 0.15))
    if produce is not None:
        heap(d, produce, cx, cy - r * 0.05, r * 1.7, r * 0.45, rng, size=size or r * 0.16)
    d.arc((cx - r, cy - r * 0.3, cx + r, cy + r * 0.3), 0, 180, fill=light(colour, 0.3), width=max(2, round(r * 0.03)))
    d.arc(
        (cx - r * 0.7, cy + r * 0.1, cx + r * 0.2, cy + r * 0.8),
        120,
        170,
        fill=light(colour, 0.5),
        width=max(2, round(r * 0.05)),
    )


def glass(image, d, cx, cy, r, liquid, floating=None, rng=None):
    """A glass of tea or juice: a tapered cup, the liquid, a few leaves in it."""
    soft_shadow(image, (cx - r * 0.9, cy + r * 1.1, cx + r, cy + r * 1.4))
    top, bottom = cy - r * 1.1, cy + r * 1.25
    d.polygon(
        [(cx - r * 0.7, top), (cx + r * 0.7, top), (cx + r * 0.56, bottom), (cx - r * 0.56, bottom)],
        fill=(232, 238, 236),
    )
    surface = top + r * 0.35
    d.polygon(
        [
            (cx - r * 0.66, surface),
            (cx + r * 0.66, surface),
            (cx + r * 0.56, bottom - r * 0.05),
            (cx - r * 0.56, bottom - r * 0.05),
        ],
        fill=liquid,
    )
    d.ellipse((cx - r * 0.66, surface - r * 0.08, cx + r * 0.66, surface + r * 0.08), fill=light(liquid, 0.2))
    if floating is not None:
        for _ in range(9):
            floating.piece(
                d,
                cx + rng.uniform(-0.45, 0.45) * r,
                rng.uniform(surface + r * 0.1, bottom - r * 0.2),
                r * 0.22,
                rng,
                floating.colour,
            )
    d.line(
        (cx - r * 0.5, top + r * 0.2, cx - r * 0.42, bottom - r * 0.2),
        fill=(250, 252, 252),
        width=max(3, round(r * 0.06)),
    )


def sprig(d, x, y, length, angle, colour=(74, 128, 60), leaves=6, rng=None):
    end = (x + length * math.cos(angle), y + length * math.sin(angle))
    d.line((x, y, *end), fill=dark(colour, 0.2), width=max(2, round(length * 0.025)))
    for k in range(1, leaves + 1):
        t = k / (leaves + 1)
        px, py = x + (end[0] - x) * t, y + (end[1] - y) * t
        for side in (-1, 1):
            a = angle + side * 0.7
            d.polygon(
                lens(px + math.cos(a) * length * 0.08, py + math.sin(a) * length * 0.08, length * 0.2, 0.25, a),
                fill=colour,
            )


def board(image, d, box):
    x0, y0, x1, y1 = box
    wood = (190, 140, 90)
    soft_shadow(image, (x0, y1 - (y1 - y0) * 0.15, x1, y1 + (y1 - y0) * 0.12))
    d.rounded_rectangle(box, radius=(y1 - y0) * 0.18, fill=wood)
    d.rounded_rectangle((x0, y0, x1, y0 + (y1 - y0) * 0.85), radius=(y1 - y0) * 0.18, fill=light(wood, 0.12))
    d.ellipse(circle(x1 - (x1 - x0) * 0.06, (y0 + y1) / 2 - (y1 - y0) * 0.05, (y1 - y0) * 0.06), fill=dark(wood, 0.3))


def steamer(image, d, cx, cy, r):
    bamboo = (214, 182, 116)
    soft_shadow(image, (cx - r, cy + r * 0.2, cx + r * 1.05, cy + r * 0.75))
    d.ellipse((cx - r, cy - r * 0.55 + r * 0.15, cx + r, cy + r * 0.55 + r * 0.15), fill=dark(bamboo, 0.2))
    d.ellipse((cx - r, cy - r * 0.55, cx + r, cy + r * 0.55), fill=bamboo)
    d.ellipse((cx - r * 0.9, cy - r * 0.48, cx + r * 0.9, cy + r * 0.48), fill=light(bamboo, 0.15))
    for k in range(-8, 9):
        x = cx + k * r * 0.1
        half = r * 0.48 * math.sqrt(max(0, 1 - (k / 9) ** 2))
        d.line((x, cy - half, x, cy + half), fill=dark(bamboo, 0.08), width=2)


def hotpot(image, d, cx, cy, r):
    soft_shadow(image, (cx - r, cy + r * 0.2, cx + r * 1.05, cy + r * 0.7))
    d.ellipse((cx - r, cy - r * 0.5 + r * 0.25, cx + r, cy + r * 0.5 + r * 0.25), fill=(160, 110, 60))
    d.rectangle((cx - r, cy, cx + r, cy + r * 0.25), fill=(160, 110, 60))
    d.ellipse((cx - r, cy - r * 0.5, cx + r, cy + r * 0.5), fill=(196, 140, 80))
    d.ellipse((cx - r * 0.9, cy - r * 0.44, cx + r * 0.9, cy + r * 0.44), fill=(236, 226, 200))
    d.pieslice((cx - r * 0.9, cy - r * 0.44, cx + r * 0.9, cy + r * 0.44), 270, 450, fill=(200, 60, 40))
    d.line((cx, cy - r * 0.44, cx, cy + r * 0.44), fill=(196, 140, 80), width=max(3, round(r * 0.05)))


# --- Brand marks ---------------------------------------------------------------------------------------


def _icon_rice(d, cx, cy, r, ink, accent):
    stem = [(cx - r * 0.1, cy + r * 0.75), (cx, cy), (cx + r * 0.25, cy - r * 0.7)]
    d.line(stem, fill=ink, width=max(2, round(r * 0.07)), joint="curve")
    for k in range(6):
        t = k / 6
        x, y = cx - r * 0.02 + t * r * 0.27, cy - r * 0.05 - t * r * 0.62
        for side in (-1, 1):
            d.polygon(lens(x + side * r * 0.14, y + r * 0.03, r * 0.28, 0.3, -math.pi / 2 + side * 0.55), fill=accent)
    d.polygon(lens(cx - r * 0.3, cy + r * 0.3, r * 0.7, 0.16, -2.2), fill=ink)


def _icon_orange(d, cx, cy, r, ink, accent):
    d.ellipse(circle(cx, cy + r * 0.12, r * 0.6), fill=accent)
    d.ellipse(circle(cx - r * 0.2, cy - r * 0.08, r * 0.14), fill=light(accent, 0.45))
    d.polygon(lens(cx + r * 0.25, cy - r * 0.55, r * 0.6, 0.28, -0.6), fill=ink)


def _icon_goji(d, cx, cy, r, ink, accent):
    d.line(
        [(cx - r * 0.6, cy - r * 0.5), (cx, cy - r * 0.3), (cx + r * 0.6, cy - r * 0.55)],
        fill=ink,
        width=max(2, round(r * 0.06)),
        joint="curve",
    )
    for x, y in ((-0.35, 0.15), (0.05, 0.3), (0.42, 0.1)):
        d.line([(cx + x * r, cy - r * 0.35), (cx + x * r, cy + (y - 0.2) * r)], fill=ink, width=max(2, round(r * 0.04)))
        d.polygon(lens(cx + x * r, cy + y * r, r * 0.45, 0.32, math.pi / 2), fill=accent)
    d.polygon(lens(cx - r * 0.3, cy - r * 0.62, r * 0.45, 0.25, -0.3), fill=ink)


def _icon_sheep(d, cx, cy, r, ink, accent):
    for a in range(8):
        ang = a * math.tau / 8
        d.ellipse(circle(cx + r * 0.42 * math.cos(ang), cy + r * 0.32 * math.sin(ang), r * 0.26), fill=accent)
    d.ellipse(circle(cx, cy, r * 0.4), fill=accent)
    d.ellipse((cx - r * 0.2, cy - r * 0.25, cx + r * 0.2, cy + r * 0.3), fill=ink)
    for side in (-1, 1):
        d.polygon(lens(cx + side * r * 0.32, cy - r * 0.12, r * 0.3, 0.3, side * 0.4), fill=ink)
    d.ellipse(circle(cx - r * 0.08, cy - r * 0.05, r * 0.035), fill=accent)
    d.ellipse(circle(cx + r * 0.08, cy - r * 0.05, r * 0.035), fill=accent)


def _apple_shape(d, cx, cy, r, ink, accent):
    radius = _apple_radius(r)
    d.polygon(_polar(cx, cy, radius), fill=accent)
    d.line([(cx, cy - r * 0.75), (cx + r * 0.08, cy - r * 1.05)], fill=ink, width=max(2, round(r * 0.1)))
    d.polygon(lens(cx + r * 0.38, cy - r * 0.95, r * 0.6, 0.28, -0.45), fill=ink)


def _icon_apple_hills(d, cx, cy, r, ink, accent):
    d.pieslice((cx - r * 0.95, cy + r * 0.2, cx + r * 0.2, cy + r * 1.3), 180, 360, fill=ink)
    d.pieslice((cx - r * 0.2, cy + r * 0.3, cx + r * 0.95, cy + r * 1.2), 180, 360, fill=dark(ink, 0.2))
    _apple_shape(d, cx, cy - r * 0.05, r * 0.48, ink, accent)


def _icon_apple_sun(d, cx, cy, r, ink, accent):
    for k in range(12):
        a = k * math.tau / 12
        d.line(
            (
                cx + r * 0.55 * math.cos(a),
                cy + r * 0.55 * math.sin(a),
                cx + r * 0.8 * math.cos(a),
                cy + r * 0.8 * math.sin(a),
            ),
            fill=ink,
            width=max(2, round(r * 0.06)),
        )
    _apple_shape(d, cx, cy + r * 0.05, r * 0.45, ink, accent)


def _icon_tea_bud(d, cx, cy, r, ink, accent):
    d.line([(cx, cy + r * 0.8), (cx, cy - r * 0.2)], fill=ink, width=max(2, round(r * 0.07)))
    d.polygon(lens(cx, cy - r * 0.45, r * 0.6, 0.2, -math.pi / 2), fill=accent)
    for side in (-1, 1):
        d.polygon(
            lens(cx + side * r * 0.35, cy + r * 0.05, r * 0.75, 0.28, -math.pi / 2 + side * 1.0),
            fill=accent if side < 0 else ink,
        )


def _icon_crab(d, cx, cy, r, ink, accent):
    draw_crab(d, cx, cy + r * 0.1, r * 0.5, random.Random(0), colour=accent)  # noqa: S311 - a fixed drawing


def _icon_cake(d, cx, cy, r, ink, accent):
    d.ellipse(circle(cx, cy, r * 0.7), fill=accent)
    d.ellipse(circle(cx, cy, r * 0.55), outline=ink, width=max(2, round(r * 0.05)))
    d.polygon(lens(cx, cy, r * 0.7, 0.3, -0.8), fill=ink)
    d.line((cx - r * 0.22, cy + r * 0.22, cx + r * 0.22, cy - r * 0.22), fill=accent, width=max(2, round(r * 0.04)))


def _icon_cloud_leaf(d, cx, cy, r, ink, accent):
    for x, y, s in ((-0.4, 0.35, 0.28), (-0.1, 0.25, 0.36), (0.3, 0.32, 0.3)):
        d.ellipse(circle(cx + x * r, cy + y * r, s * r), fill=accent)
    d.rectangle((cx - r * 0.68, cy + r * 0.35, cx + r * 0.6, cy + r * 0.62), fill=accent)
    d.polygon(lens(cx + r * 0.05, cy - r * 0.3, r * 0.95, 0.3, -0.7), fill=ink)
    d.line((cx - r * 0.3, cy + r * 0.05, cx + r * 0.4, cy - r * 0.65), fill=accent, width=max(2, round(r * 0.04)))


def _icon_pear(d, cx, cy, r, ink, accent):
    draw_pear(d, cx, cy + r * 0.25, r * 0.42, random.Random(1), colour=accent)  # noqa: S311 - a fixed drawing
    d.polygon(lens(cx + r * 0.28, cy - r * 0.62, r * 0.5, 0.28, -0.5), fill=ink)


def _icon_mustard(d, cx, cy, r, ink, accent):
    draw_mustard_stem(d, cx, cy + r * 0.15, r * 0.5, random.Random(2), colour=accent)  # noqa: S311 - a fixed drawing


def _icon_needles(d, cx, cy, r, ink, accent):
    for k, a in enumerate((-0.35, 0.0, 0.35)):
        d.polygon(
            lens(cx + a * r * 0.6, cy - r * 0.2, r * 0.95, 0.1, -math.pi / 2 + a),
            fill=accent if k != 1 else light(accent, 0.3),
        )
    for k in range(2):
        y = cy + r * (0.42 + k * 0.2)
        d.line(
            [(cx - r * 0.6 + i * r * 0.2, y + (r * 0.06 if i % 2 else -r * 0.06)) for i in range(7)],
            fill=ink,
            width=max(2, round(r * 0.06)),
            joint="curve",
        )


def _badge(d, cx, cy, r, shape, fill):
    if shape == "circle":
        d.ellipse(circle(cx, cy, r), fill=fill)
    elif shape == "seal":
        d.rounded_rectangle(circle(cx, cy, r * 0.9), radius=r * 0.3, fill=fill)
    elif shape == "hexagon":
        d.polygon(
            [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in (k * math.tau / 6 for k in range(6))], fill=fill
        )
    elif shape == "shield":
        d.polygon(
            [
                (cx - r * 0.85, cy - r * 0.85),
                (cx + r * 0.85, cy - r * 0.85),
                (cx + r * 0.85, cy + r * 0.1),
                (cx, cy + r),
                (cx - r * 0.85, cy + r * 0.1),
            ],
            fill=fill,
        )
    elif shape == "leaf":
        d.polygon(lens(cx, cy, r * 2.1, 0.42, -math.pi / 4, steps=20), fill=fill)
    else:  # octagon
        d.polygon(
            [
                (cx + r * math.cos(a + math.pi / 8), cy + r * math.sin(a + math.pi / 8))
                for a in (k * math.tau / 8 for k in range(8))
            ],
            fill=fill,
        )


ICONS = {
    "rice": _icon_rice,
    "orange": _icon_orange,
    "goji": _icon_goji,
    "sheep": _icon_sheep,
    "apple-hills": _icon_apple_hills,
    "apple-sun": _icon_apple_sun,
    "tea-bud": _icon_tea_bud,
    "crab": _icon_crab,
    "cake": _icon_cake,
    "cloud-leaf": _icon_cloud_leaf,
    "pear": _icon_pear,
    "mustard": _icon_mustard,
    "needles": _icon_needles,
}

# brand slug: (icon, badge shape, badge colour, icon ink, icon accent, Chinese short name)
MARKS = {
    "wuchang-daoyuan": ("rice", "circle", "#1F5C33", "#F6E7B8", "#F2C14E", "稻源"),
    "xunwu-chengxiang": ("orange", "seal", "#FFF3E0", "#2F6B2A", "#F08A1E", "橙乡"),
    "zhongning-hongguo": ("goji", "hexagon", "#7A1020", "#F3D9A4", "#F04A3A", "红果"),
    "yanchi-tanyang": ("sheep", "shield", "#2B4C6F", "#2B2420", "#F7F2E8", "滩羊"),
    "qixia-shanqiu": ("apple-hills", "circle", "#F4EBD0", "#3F7D2C", "#C62828", "山丘"),
    "luochuan-yuanshang": ("apple-sun", "octagon", "#8C2A1C", "#F2C14E", "#F6D27A", "塬上"),
    "meijiawu-chayuan": ("tea-bud", "leaf", "#2E6B30", "#DCEFC8", "#9CCC65", "梅家坞"),
    "yangchenghu-yujia": ("crab", "circle", "#1E4E79", "#F6E7B8", "#E0683A", "渔家"),
    "puer-chashan": ("cake", "seal", "#5A3A22", "#F4E4C8", "#C9A36B", "茶山"),
    "anxi-yunling": ("cloud-leaf", "hexagon", "#226B54", "#1C4A3A", "#E6F4EE", "云岭"),
    "kongquehe-xiangli": ("pear", "circle", "#FFF8DC", "#4E7A33", "#D8CF5A", "香梨"),
    "fuling-qingcaitou": ("mustard", "shield", "#3D6B35", "#E8F2D8", "#B8DA8A", "青菜头"),
    "shihegang-maojian": ("needles", "octagon", "#14452F", "#A7D3E8", "#CFE9B0", "毛尖"),
}
DEFAULT_MARK = ("tea-bud", "circle", "#1F5C33", "#F6E7B8", "#9CCC65", "")


def brand_mark(brand_slug):
    """The brand's mark as draw(d, cx, cy, r): a badge with its own emblem, never its initials."""
    icon, shape, badge, ink, accent, _name = MARKS.get(brand_slug, DEFAULT_MARK)

    def draw(d, cx, cy, r):
        _badge(d, cx, cy, r, shape, rgb(badge))
        ICONS[icon](d, cx, cy, r * 0.78, rgb(ink), rgb(accent))

    return draw


def logo(brand_slug, latin_name="", size=480):
    """The brand's logo: its mark on a light tile, with a thin keyline, as a square JPEG."""
    icon, shape, badge, ink, accent, chinese = MARKS.get(brand_slug, DEFAULT_MARK)
    big = size * SCALE
    image = Image.new("RGB", (big, big), (255, 253, 248))
    d = ImageDraw.Draw(image)
    # A pale badge takes its emblem's colour for the keyline and the name, so both stay legible.
    colour = rgb(badge) if sum(rgb(badge)) < 540 else rgb(ink)
    d.ellipse(circle(big / 2, big / 2, big * 0.47), outline=light(colour, 0.55), width=round(big * 0.012))
    if colour != rgb(badge):
        d.ellipse(circle(big / 2, big * 0.44, big * 0.31), fill=colour)
    brand_mark(brand_slug)(d, big / 2, big * 0.44, big * 0.3)
    text(d, (big / 2, big * 0.83), chinese, latin_name.upper(), big * 0.09, dark(colour, 0.1), max_width=big * 0.6)
    return jpeg(image.reduce(SCALE), quality=88)


# --- Products -----------------------------------------------------------------------------------------

# product slug: (scene, produce, Chinese label, package colour, surface, wall)
PRODUCTS = {
    "daohuaxiang-5kg": ("sack", "rice", "五常大米 稻花香", "#E9DCC0", "oak", "#F3E7CF"),
    "daohuaxiang-10kg": ("carton", "rice", "稻花香 家庭装", "#1F5C33", "linen", "#E8EFE4"),
    "organic-rice-gift": ("gift", "rice", "有机稻花香", "#7A1F1F", "walnut", "#F4EBDD"),
    "germ-rice": ("pouch", "germ-rice", "五常胚芽米", "#F0E2B6", "marble", "#E9EEF0"),
    "navel-orange-5kg": ("crate", "orange", "赣南脐橙", "#2F6B2A", "oak", "#FFF1DC"),
    "navel-orange-10kg": ("carton_open", "orange", "脐橙 家庭装", "#2F6B2A", "linen", "#F6E9D6"),
    "navel-orange-gift": ("gift", "orange", "脐橙礼盒", "#B5471B", "walnut", "#FBEFE2"),
    "goji-first-flush": ("jar", "goji", "头茬枸杞", "#7A1020", "linen", "#F6E6DD"),
    "black-goji": ("jar", "black-goji", "宁夏黑枸杞", "#3B1E44", "slate", "#E9E1EC"),
    "goji-juice": ("sachets", "goji-puree", "枸杞原浆", "#B32B22", "marble", "#F7E8DF"),
    "lamb-ribs": ("board", "lamb", "滩羊法式羊排", "#2B4C6F", "slate", "#E4E9EF"),
    "lamb-leg": ("board", "lamb-leg", "滩羊后腿", "#2B4C6F", "walnut", "#EDE6DA"),
    "lamb-hotpot": ("hotpot", "lamb-roll", "滩羊肉卷", "#2B4C6F", "marble", "#F1E4DA"),
    "red-fuji-5kg": ("crate", "apple", "烟台红富士", "#B3261E", "oak", "#F7E9E4"),
    "red-fuji-gift": ("gift", "apple", "烟台苹果礼盒", "#8E1B1B", "linen", "#F6EEE6"),
    "apple-chips": ("pouch", "apple-chips", "冻干苹果脆", "#E6B94A", "marble", "#FBF1DE"),
    "luochuan-fuji": ("carton_open", "apple", "洛川红富士", "#8C2A1C", "oak", "#F3E6D8"),
    "luochuan-gala": ("crate", "gala", "洛川嘎啦", "#8C2A1C", "linen", "#F9EEDB"),
    "organic-apple": ("gift_small", "apple", "洛川有机苹果", "#3F6E2A", "walnut", "#EEF2E4"),
    "mingqian-longjing": ("tin", "longjing", "明前西湖龙井", "#2E6B30", "bamboo", "#EEF5E8"),
    "yuqian-longjing": ("tin", "longjing", "雨前西湖龙井", "#6B8E23", "linen", "#F1F4E6"),
    "longjing-gift": ("tins", "longjing", "西湖龙井礼盒", "#8A1C1C", "walnut", "#F2EADF"),
    "puer-raw-cake": ("cake", "puer", "普洱生茶", "#8A1C1C", "bamboo", "#F2E9DA"),
    "puer-ripe-cake": ("cake_bare", "puer-ripe", "普洱熟茶", "#5A3A22", "walnut", "#EFE3D3"),
    "puer-mini-tuo": ("tuo", "tuo", "普洱小沱茶", "#5A3A22", "linen", "#F3EBDD"),
    "tieguanyin-qing": ("tin", "oolong", "铁观音 清香型", "#226B54", "marble", "#E6F2EE"),
    "tieguanyin-nong": ("tin", "oolong-roast", "铁观音 浓香型", "#7A4E2D", "walnut", "#F0E6D8"),
    "tieguanyin-autumn": ("pouch", "oolong", "秋茶口粮装", "#4E8A6E", "bamboo", "#EAF3EE"),
    "crab-male": ("steamer", "crab", "阳澄湖大闸蟹 公蟹", "#1E4E79", "slate", "#E2ECF4"),
    "crab-female": ("steamer", "crab-cooked", "阳澄湖大闸蟹 母蟹", "#1E4E79", "bamboo", "#F3EADF"),
    "crab-voucher": ("voucher", "crab", "公母各4只", "#1E4E79", "walnut", "#E9EEF4"),
    "korla-pear-5kg": ("carton_open", "pear", "库尔勒香梨", "#4E7A33", "linen", "#F7F6E2"),
    "korla-pear-gift": ("gift", "pear", "香梨礼盒 20枚", "#B8860B", "walnut", "#F6F1DC"),
    "korla-pear-10kg": ("crate", "pear", "香梨 家庭装", "#4E7A33", "oak", "#F1F3DE"),
    "zhacai-shreds": ("sachets", "zhacai", "涪陵榨菜丝", "#3D6B35", "marble", "#EEF3E6"),
    "zhacai-jar": ("urn", "zhacai-chunk", "老坛榨菜", "#3D6B35", "oak", "#F1E9DC"),
    "fresh-mustard-stem": ("crate", "mustard", "新鲜青菜头", "#3D6B35", "linen", "#EDF2E2"),
    "maojian-mingqian": ("tin", "maojian", "信阳毛尖 明前", "#14452F", "bamboo", "#E8F1EA"),
    "maojian-daily": ("pouch", "maojian", "毛尖口粮茶", "#2F6B4F", "linen", "#EDF3EE"),
    "xinyang-hongcha": ("tin", "black-tea", "信阳红", "#7A1F1F", "walnut", "#F3E6DE"),
}
DEFAULT_PRODUCT = ("pouch", "rice", "", "#1F5C33", "linen", "#F1EEE6")
DRINKS = {
    "longjing": (196, 204, 120),
    "maojian": (200, 206, 128),
    "black-tea": (170, 60, 30),
    "puer-ripe": (110, 40, 20),
}
DRINKS.update({"oolong": (214, 200, 110), "oolong-roast": (196, 140, 50), "black-goji": (92, 70, 150)})
DRINKS.update({"goji-puree": (228, 96, 44)})


def product_spec(slug):
    return PRODUCTS.get(slug, DEFAULT_PRODUCT)


def make_pack(product_slug, brand_slug, latin_title, weight):
    _scene, _produce, chinese, colour, _surface, _wall = product_spec(product_slug)
    _icon, _shape, badge, ink, _accent, _name = MARKS.get(brand_slug, DEFAULT_MARK)
    colour = rgb(colour)
    # The label wears the brand's colour: its badge's, or its emblem's when the badge is pale.
    accent = rgb(badge) if sum(rgb(badge)) < 540 else rgb(ink)
    if sum(abs(a - b) for a, b in zip(accent, colour, strict=True)) < 120:
        accent = dark(colour, 0.45)
    return Pack(chinese or latin_title, latin_title.upper(), weight, colour, accent, brand_mark(brand_slug))


def _loose(image, d, produce, x, y, w, rng, W):
    """What lies in front of the package: a heap of small things, or a few fruit."""
    if produce.piece:
        heap(d, produce, x, y, w, w * 0.4, rng, size=W * 0.03)
    elif produce.item:
        r = W * 0.06
        for k in range(2):
            cx = x - w * 0.25 + k * w * 0.5
            soft_shadow(image, (cx - r, y + r * 0.5, cx + r * 1.2, y + r * 1.2))
            produce.item(d, cx, y, r, rng)


def still_life(product_slug, brand_slug, latin_title, weight, seed, size=(1200, 900)):
    """The product's main picture: what it is and how it is packed, on a table."""
    scene, produce_name, _cn, _colour, surface, wall = product_spec(product_slug)
    produce = PRODUCE[produce_name]
    pack = make_pack(product_slug, brand_slug, latin_title, weight)
    rng = random.Random(f"still-{product_slug}-{seed}")  # noqa: S311 - picks shapes, not secrets
    W, H = size[0] * SCALE, size[1] * SCALE
    image, horizon = backdrop((W, H), rgb(wall), surface, rng)
    d = ImageDraw.Draw(image)
    drink = DRINKS.get(produce_name)
    if scene == "sack":
        bowl(image, d, W * 0.78, H * 0.56, W * 0.13, (250, 250, 246), produce, rng, size=W * 0.022)
        sack(image, d, (W * 0.12, H * 0.1, W * 0.55, H * 0.9), pack, rng)
        _loose(image, d, produce, W * 0.74, H * 0.84, W * 0.34, rng, W)
    elif scene == "carton":
        carton(image, d, (W * 0.08, H * 0.2, W * 0.5, H * 0.88), pack, rng)
        bowl(image, d, W * 0.76, H * 0.7, W * 0.17, (250, 250, 246), produce, rng, size=W * 0.022)
    elif scene == "carton_open":

        def fill(cx, cy, w, depth):
            pile(d, produce, cx, cy, w, 2, W * 0.055, rng)

        carton(image, d, (W * 0.1, H * 0.35, W * 0.62, H * 0.92), pack, rng, open_with=fill)
        _loose(image, d, produce, W * 0.82, H * 0.84, W * 0.24, rng, W)
    elif scene == "crate":
        crate(image, d, (W * 0.12, H * 0.28, W * 0.7, H * 0.92), pack, produce, rng)
        if produce_name == "orange":
            orange_half(d, W * 0.84, H * 0.84, W * 0.07, rng)
        else:
            _loose(image, d, produce, W * 0.84, H * 0.82, W * 0.2, rng, W)
    elif scene in ("gift", "gift_small"):
        columns, rows = (3, 3) if scene == "gift_small" else (4, 3)
        if produce_name == "pear":
            columns, rows = 5, 4
        elif produce.item is None:
            columns, rows = 3, 2  # six cans
        gift_box(image, d, (W * 0.14, H * 0.45, W * 0.86, H * 0.93), pack, produce, rng, columns, rows)
    elif scene == "jar":
        if drink:
            glass(image, d, W * 0.78, H * 0.5, W * 0.09, drink)
        jar(image, d, (W * 0.2, H * 0.16, W * 0.5, H * 0.86), pack, produce, rng)
        _loose(image, d, produce, W * 0.7, H * 0.84, W * 0.3, rng, W)
    elif scene in ("tin", "tins"):
        if drink:
            glass(image, d, W * 0.8, H * 0.48, W * 0.085, drink, produce, rng)
        if scene == "tins":
            tin(image, d, (W * 0.1, H * 0.22, W * 0.34, H * 0.82), pack, rng)
        tin(image, d, (W * 0.3 if scene == "tins" else W * 0.2, H * 0.18, W * 0.56, H * 0.86), pack, rng)
        _loose(image, d, produce, W * 0.74, H * 0.84, W * 0.3, rng, W)
    elif scene == "pouch":
        pouch(image, d, (W * 0.16, H * 0.12, W * 0.52, H * 0.88), pack, produce, rng)
        _loose(image, d, produce, W * 0.74, H * 0.8, W * 0.34, rng, W)
    elif scene == "sachets":
        sachets(image, d, (W * 0.06, H * 0.2, W * 0.6, H * 0.75), pack, produce, rng)
        if drink:
            glass(image, d, W * 0.8, H * 0.6, W * 0.1, drink)
        else:
            bowl(image, d, W * 0.78, H * 0.78, W * 0.16, (250, 250, 246), produce, rng, size=W * 0.04)
    elif scene == "board":
        board(image, d, (W * 0.1, H * 0.5, W * 0.88, H * 0.9))
        produce.item(d, W * 0.45, H * 0.68, W * 0.17, rng)
        sprig(d, W * 0.62, H * 0.82, W * 0.22, -0.3, rng=rng)
        sprig(d, W * 0.66, H * 0.86, W * 0.18, -0.1, rng=rng)
    elif scene == "hotpot":
        hotpot(image, d, W * 0.72, H * 0.56, W * 0.2)
        d.ellipse((W * 0.08, H * 0.62, W * 0.56, H * 0.95), fill=(250, 250, 246))
        d.ellipse((W * 0.1, H * 0.64, W * 0.54, H * 0.93), fill=(240, 240, 234))
        for k in range(7):
            draw_meat_roll(d, W * (0.16 + (k % 4) * 0.1), H * (0.72 + (k // 4) * 0.1), W * 0.055, rng)
    elif scene == "steamer":
        steamer(image, d, W * 0.5, H * 0.7, W * 0.4)
        produce.item(d, W * 0.38, H * 0.66, W * 0.12, rng)
        produce.item(d, W * 0.62, H * 0.74, W * 0.12, rng)
        label_box = (W * 0.72, H * 0.08, W * 0.95, H * 0.4)
        label(d, label_box, pack, rng)
    elif scene == "voucher":
        produce.item(d, W * 0.72, H * 0.5, W * 0.13, rng)
        voucher(image, d, (W * 0.08, H * 0.52, W * 0.7, H * 0.92), pack, rng)
    elif scene in ("cake", "cake_bare"):
        if drink:
            glass(image, d, W * 0.82, H * 0.46, W * 0.08, drink)
        tea_cake(image, d, W * 0.42, H * 0.66, W * 0.3, pack, produce, rng, wrapped=scene == "cake")
        _loose(image, d, PRODUCE["puer"], W * 0.82, H * 0.86, W * 0.22, rng, W)
    elif scene == "tuo":
        pouch(image, d, (W * 0.1, H * 0.14, W * 0.44, H * 0.86), pack, PRODUCE["puer-ripe"], rng)
        for k in range(5):
            draw_tuo(d, W * (0.58 + (k % 3) * 0.12), H * (0.66 + (k // 3) * 0.16), W * 0.07, rng)
    elif scene == "urn":
        urn(image, d, (W * 0.12, H * 0.12, W * 0.52, H * 0.88), pack, rng)
        bowl(image, d, W * 0.76, H * 0.74, W * 0.16, (250, 250, 246), produce, rng, size=W * 0.04)
    if rng.random() < 0.5 and scene not in ("board", "hotpot"):
        sprig(d, W * 0.02, H * 0.97, W * 0.16, -0.7, rng=rng)
    return jpeg(image.reduce(SCALE))


def packaging(product_slug, brand_slug, latin_title, weight, seed, size=(1200, 900)):
    """A second picture of the package alone, closer: what a buyer will find on the doorstep."""
    scene, produce_name, _cn, _colour, _surface, _wall = product_spec(product_slug)
    produce = PRODUCE[produce_name]
    pack = make_pack(product_slug, brand_slug, latin_title, weight)
    rng = random.Random(f"pack-{product_slug}-{seed}")  # noqa: S311 - picks shapes, not secrets
    W, H = size[0] * SCALE, size[1] * SCALE
    surface = {"oak": "marble", "marble": "oak", "linen": "walnut", "walnut": "linen"}.get(_surface, "marble")
    image, _horizon = backdrop((W, H), light(pack.colour, 0.8), surface, rng)
    d = ImageDraw.Draw(image)
    if scene == "sack":
        sack(image, d, (W * 0.28, H * 0.06, W * 0.72, H * 0.94), pack, rng)
    elif scene in ("pouch", "tuo"):
        inside = PRODUCE["puer-ripe"] if scene == "tuo" else produce
        pouch(image, d, (W * 0.3, H * 0.06, W * 0.7, H * 0.94), pack, inside, rng)
    elif scene == "jar":
        jar(image, d, (W * 0.33, H * 0.08, W * 0.67, H * 0.92), pack, produce, rng)
    elif scene in ("tin", "tins"):
        tin(image, d, (W * 0.22, H * 0.12, W * 0.48, H * 0.9), pack, rng)
        tin(image, d, (W * 0.52, H * 0.12, W * 0.78, H * 0.9), pack, rng)
    elif scene == "sachets":
        sachets(image, d, (W * 0.1, H * 0.12, W * 0.9, H * 0.88), pack, produce, rng, n=6)
    elif scene in ("cake", "cake_bare"):
        for k in range(3):
            tea_cake(image, d, W * 0.5, H * (0.78 - k * 0.13), W * 0.32, pack, produce, rng, wrapped=True)
    elif scene == "urn":
        urn(image, d, (W * 0.3, H * 0.1, W * 0.7, H * 0.9), pack, rng)
    elif scene == "voucher":
        voucher(image, d, (W * 0.12, H * 0.25, W * 0.88, H * 0.8), pack, rng)
    else:
        # Fruit, meat and crab travel in a printed carton.
        carton(image, d, (W * 0.22, H * 0.2, W * 0.72, H * 0.9), pack, rng)
    return jpeg(image.reduce(SCALE))


# --- Evidence photos ----------------------------------------------------------------------------------


def _sky(size, rng, horizon):
    W, H = size
    image = gradient(size, (146, 190, 226), (226, 238, 244))
    d = ImageDraw.Draw(image)
    for _ in range(3):  # a few flat clouds
        x, y, s = rng.uniform(0, W), rng.uniform(0.05, 0.3) * horizon, W * rng.uniform(0.04, 0.07)
        for k in range(4):
            d.ellipse(circle(x + k * s * 0.8, y + (k % 2) * s * 0.2, s * (0.7 + 0.3 * (k % 2))), fill=(246, 248, 250))
    for k, colour in enumerate(((150, 176, 150), (120, 156, 118))):
        ridge = [
            (W * i / 24, horizon - H * (0.08 - k * 0.03) * (0.6 + 0.4 * math.sin(i * 0.7 + rng.uniform(0, 3))))
            for i in range(25)
        ]
        d.polygon([*ridge, (W, horizon), (0, horizon)], fill=colour)
    return image


def plant(d, crop, x, y, s, rng, grown, produce):
    """One plant of the crop at scale `s` (pixels), `grown` from 0 (just planted) to 1 (ripe)."""
    green = (70, 140, 60) if grown < 0.9 or crop != "paddy" else (214, 178, 70)
    if crop in ("paddy", "vegetable"):
        blades = 3 + int(grown * 5)
        for k in range(blades):
            a = -math.pi / 2 + (k - blades / 2) * 0.18
            h = s * (0.4 + grown * 0.9)
            if crop == "vegetable":
                d.polygon(
                    lens(x + math.cos(a) * h * 0.4, y + math.sin(a) * h * 0.4, h * 0.8, 0.3, a),
                    fill=jitter((96, 160, 80), rng, 0.1),
                )
            else:
                d.line(
                    (x, y, x + math.cos(a) * h, y + math.sin(a) * h),
                    fill=jitter(green, rng, 0.08),
                    width=max(1, round(s * 0.06)),
                )
    elif crop == "orchard":
        trunk = s * (0.5 + grown)
        d.line((x, y, x, y - trunk), fill=(110, 80, 50), width=max(2, round(s * 0.12)))
        if grown < 0.3:
            d.line((x + s * 0.1, y, x + s * 0.1, y - trunk * 1.2), fill=(190, 170, 130), width=max(1, round(s * 0.05)))
        canopy = s * (0.3 + grown * 0.7)
        for dx, dy in ((-0.5, 0), (0.5, 0), (0, -0.45), (0, 0.1)):
            d.ellipse(
                circle(x + dx * canopy, y - trunk - canopy * 0.3 + dy * canopy, canopy * 0.7),
                fill=jitter((72, 132, 58), rng, 0.06),
            )
        if grown > 0.5:
            for _ in range(int(6 * grown)):
                fx, fy = x + rng.uniform(-1, 1) * canopy, y - trunk - canopy * 0.3 + rng.uniform(-0.6, 0.5) * canopy
                d.ellipse(circle(fx, fy, canopy * 0.14), fill=produce.colour)
    elif crop in ("tea", "shrubs"):
        w = s * (0.6 + grown * 0.7)
        d.pieslice((x - w, y - w * 0.8, x + w, y + w * 0.8), 180, 360, fill=jitter((58, 120, 62), rng, 0.06))
        if crop == "tea" and grown > 0.4:
            for _ in range(6):
                d.ellipse(
                    circle(x + rng.uniform(-0.8, 0.8) * w, y - rng.uniform(0.1, 0.7) * w, s * 0.06),
                    fill=(160, 206, 100),
                )
        if crop == "shrubs" and grown > 0.5:
            for _ in range(10):
                d.ellipse(
                    circle(x + rng.uniform(-0.8, 0.8) * w, y - rng.uniform(0.05, 0.7) * w, s * 0.05),
                    fill=produce.colour,
                )
    elif crop == "pasture":
        d.line((x, y, x + s * 0.1, y - s * 0.3), fill=(96, 150, 70), width=max(1, round(s * 0.05)))
        if rng.random() < 0.15:
            _sheep(d, x, y - s * 0.2, s * 0.9, rng)


def _sheep(d, x, y, s, rng):
    wool = (246, 242, 232)
    for k in range(5):
        d.ellipse(circle(x - s * 0.4 + k * s * 0.2, y - s * 0.2 + (k % 2) * s * 0.08, s * 0.26), fill=wool)
    d.line((x - s * 0.3, y, x - s * 0.3, y + s * 0.3), fill=(60, 50, 44), width=max(1, round(s * 0.07)))
    d.line((x + s * 0.25, y, x + s * 0.25, y + s * 0.3), fill=(60, 50, 44), width=max(1, round(s * 0.07)))
    d.ellipse((x + s * 0.35, y - s * 0.38, x + s * 0.65, y - s * 0.12), fill=(50, 42, 38))


def _field(size, produce, grown, rng):
    """A field in perspective: rows of the crop running to the horizon, bigger as they come near."""
    W, H = size
    horizon = H * rng.uniform(0.36, 0.44)
    image = _sky(size, rng, horizon)
    d = ImageDraw.Draw(image)
    crop = produce.crop
    ground = {"paddy": (120, 150, 150), "pond": (90, 130, 150), "pasture": (150, 182, 96)}.get(crop, (140, 110, 76))
    if crop == "paddy" and grown > 0.9:
        ground = (190, 160, 80)
    d.rectangle((0, horizon, W, H), fill=ground)
    if crop == "pond":
        for i in range(30):
            y = horizon + (H - horizon) * (i / 30) ** 1.3
            d.line((0, y, W, y), fill=light(ground, 0.15), width=max(1, round(H * 0.002 * (1 + i / 10))))
        for k in range(7):  # bamboo stakes holding the enclosure nets
            x = W * (0.1 + k * 0.14)
            d.line((x, horizon + H * 0.05, x, H * 0.8), fill=(170, 150, 96), width=max(2, round(W * 0.006)))
        d.line((W * 0.1, H * 0.55, W * 0.94, H * 0.55), fill=(60, 70, 60), width=2)
        for _ in range(8):
            cx = W * rng.uniform(0.05, 0.95)
            d.polygon(
                lens(cx, H * rng.uniform(0.75, 0.95), W * 0.08, 0.25, -math.pi / 2 + rng.uniform(-0.3, 0.3)),
                fill=(80, 140, 70),
            )
        return image
    vanish = W * rng.uniform(0.35, 0.65)
    rows = 9
    for row in range(-rows, rows + 1):
        bottom_x = vanish + row * W * 0.16
        for j in range(1, 14):
            t = (j / 14) ** 1.8
            x = vanish + (bottom_x - vanish) * t
            y = horizon + (H - horizon) * t
            if crop not in ("pasture",):
                d.line(
                    (
                        vanish + (bottom_x - vanish) * ((j - 1) / 14) ** 1.8,
                        horizon + (H - horizon) * ((j - 1) / 14) ** 1.8,
                        x,
                        y,
                    ),
                    fill=dark(ground, 0.08),
                    width=1,
                )
            plant(d, crop, x, y, H * 0.09 * t + 2, rng, grown, produce)
    return image


def _room(size, wall, floor):
    W, H = size
    image = gradient(size, light(wall, 0.2), wall)
    d = ImageDraw.Draw(image)
    d.rectangle((0, H * 0.72, W, H), fill=floor)
    for x in range(0, W, max(20, W // 10)):  # tiles
        d.line((x, 0, x, H * 0.72), fill=dark(wall, 0.04), width=1)
    for y in range(0, round(H * 0.72), max(20, H // 8)):
        d.line((0, y, W, y), fill=dark(wall, 0.04), width=1)
    return image


def _lab(size, produce, rng):
    W, H = size
    image = _room(size, (226, 236, 240), (190, 196, 200))
    d = ImageDraw.Draw(image)
    d.rectangle((0, H * 0.58, W, H * 0.66), fill=(244, 246, 248))  # the bench
    d.rectangle((0, H * 0.66, W, H * 0.74), fill=(160, 170, 180))
    # An analyser with its display.
    d.rounded_rectangle((W * 0.05, H * 0.22, W * 0.35, H * 0.58), radius=W * 0.01, fill=(236, 238, 240))
    d.rectangle((W * 0.09, H * 0.27, W * 0.31, H * 0.4), fill=(30, 60, 70))
    text(d, (W * 0.2, H * 0.335), "", "0.00 mg/kg", H * 0.045, (120, 240, 160))
    for k in range(4):
        d.ellipse(circle(W * (0.1 + k * 0.055), H * 0.48, W * 0.014), fill=(90, 140, 200) if k else (80, 180, 100))
    # A rack of sample tubes.
    d.rectangle((W * 0.42, H * 0.48, W * 0.7, H * 0.58), fill=(210, 216, 220))
    for k in range(6):
        x = W * (0.445 + k * 0.043)
        liquid = jitter((170, 200, 120) if k % 2 else (230, 200, 120), rng, 0.1)
        d.rounded_rectangle(
            (x, H * 0.28, x + W * 0.025, H * 0.55),
            radius=W * 0.012,
            fill=(240, 244, 246),
            outline=(170, 180, 190),
            width=2,
        )
        d.rounded_rectangle((x + 2, H * 0.4, x + W * 0.025 - 2, H * 0.55 - 2), radius=W * 0.01, fill=liquid)
    # The sample itself, in a labelled bag on a tray.
    d.rounded_rectangle(
        (W * 0.74, H * 0.4, W * 0.95, H * 0.6), radius=W * 0.01, fill=(250, 250, 250), outline=(200, 200, 200), width=2
    )
    if produce.item:
        produce.item(d, W * 0.845, H * 0.5, H * 0.06, rng)
    else:
        heap(d, produce, W * 0.845, H * 0.52, W * 0.16, H * 0.1, rng, size=W * 0.018)
    d.rectangle((W * 0.76, H * 0.42, W * 0.84, H * 0.45), fill=(250, 220, 80))
    # A clipboard with the result sheet.
    d.polygon(
        [(W * 0.36, H * 0.86), (W * 0.6, H * 0.84), (W * 0.62, H * 0.98), (W * 0.36, H * 1.0)], fill=(250, 250, 246)
    )
    for k in range(4):
        d.line((W * 0.39, H * (0.875 + k * 0.028), W * 0.57, H * (0.865 + k * 0.028)), fill=(150, 150, 160), width=2)
    d.line(
        (W * 0.55, H * 0.95, W * 0.565, H * 0.965, W * 0.59, H * 0.925),
        fill=(40, 150, 70),
        width=max(2, round(W * 0.005)),
    )
    return image


def _crates_of(image, d, produce, W, H, rng, colours=((40, 110, 190), (220, 120, 40), (50, 150, 90))):
    for k, colour in enumerate(colours):
        x0, y0 = W * (0.06 + k * 0.31), H * (0.62 + (k % 2) * 0.06)
        w, h = W * 0.28, H * 0.26
        soft_shadow(image, (x0, y0 + h * 0.8, x0 + w, y0 + h * 1.1))
        if produce.item:
            pile(d, produce, x0 + w / 2, y0 + h * 0.05, w * 0.9, 2, w / 8, rng)
        else:
            heap(d, produce, x0 + w / 2, y0 + h * 0.02, w * 0.9, h * 0.3, rng, size=W * 0.016)
        d.rectangle((x0, y0 + h * 0.15, x0 + w, y0 + h), fill=colour)
        for j in range(3):
            for i in range(6):
                d.rectangle(
                    (
                        x0 + w * (0.06 + i * 0.155),
                        y0 + h * (0.3 + j * 0.22),
                        x0 + w * (0.14 + i * 0.155),
                        y0 + h * (0.42 + j * 0.22),
                    ),
                    fill=dark(colour, 0.3),
                )


def _harvest(size, produce, rng):
    W, H = size
    if produce.crop == "pasture":
        image = _field(size, produce, 1.0, rng)
        d = ImageDraw.Draw(image)
        for k in range(12):  # a fenced pen of sheep ready to leave, ear-tagged
            d.line((W * k / 11, H * 0.6, W * k / 11, H * 0.8), fill=(150, 110, 70), width=max(2, round(W * 0.008)))
        d.line((0, H * 0.64, W, H * 0.64), fill=(150, 110, 70), width=max(2, round(W * 0.006)))
        d.line((0, H * 0.74, W, H * 0.74), fill=(150, 110, 70), width=max(2, round(W * 0.006)))
        for k in range(5):
            _sheep(d, W * (0.12 + k * 0.18), H * (0.86 + (k % 2) * 0.05), W * 0.12, rng)
        return image
    image = _field(size, produce, 1.0, rng)
    d = ImageDraw.Draw(image)
    if produce.name.startswith("crab"):
        crab_produce = PRODUCE["crab"]
        d.ellipse((W * 0.2, H * 0.68, W * 0.8, H * 0.98), fill=(60, 70, 60))
        d.ellipse((W * 0.22, H * 0.7, W * 0.78, H * 0.94), fill=(150, 130, 80))
        for k in range(5):
            crab_produce.item(d, W * (0.3 + k * 0.1), H * (0.8 + (k % 2) * 0.05), W * 0.05, rng)
        return image
    _crates_of(image, d, produce, W, H, rng)
    return image


def _processing(size, produce, rng):
    W, H = size
    image = _room(size, (220, 226, 228), (150, 156, 160))
    d = ImageDraw.Draw(image)
    if produce.crop == "tea":
        # Hand-firing in a wok: the leaves in it, the wok on its brick stove.
        d.rectangle((W * 0.15, H * 0.55, W * 0.85, H * 0.95), fill=(170, 90, 70))
        for y in range(round(H * 0.6), round(H * 0.95), max(8, H // 20)):
            d.line((W * 0.15, y, W * 0.85, y), fill=(140, 70, 55), width=2)
        d.ellipse((W * 0.2, H * 0.42, W * 0.8, H * 0.68), fill=(60, 60, 64))
        d.ellipse((W * 0.24, H * 0.45, W * 0.76, H * 0.64), fill=(96, 96, 100))
        heap(d, produce, W * 0.5, H * 0.56, W * 0.4, H * 0.1, rng, size=W * 0.025)
        return image
    d.rectangle((W * 0.6, H * 0.18, W * 0.95, H * 0.7), fill=(196, 204, 210))  # the machine
    d.rectangle((W * 0.66, H * 0.24, W * 0.78, H * 0.34), fill=(40, 60, 70))
    d.ellipse(circle(W * 0.86, H * 0.29, W * 0.02), fill=(200, 60, 50))
    d.ellipse(circle(W * 0.86, H * 0.38, W * 0.02), fill=(60, 170, 90))
    # The belt, coming out of the machine towards us.
    d.polygon(
        [(W * 0.62, H * 0.5), (W * 0.7, H * 0.5), (W * 0.5, H * 0.98), (W * 0.0, H * 0.98), (W * 0.0, H * 0.86)],
        fill=(70, 74, 80),
    )
    d.polygon(
        [(W * 0.63, H * 0.49), (W * 0.69, H * 0.49), (W * 0.46, H * 0.9), (W * 0.02, H * 0.9), (W * 0.02, H * 0.84)],
        fill=(110, 116, 122),
    )
    for k in range(8):
        t = (k + 0.5) / 8
        x = W * (0.66 - t * 0.45)
        y = H * (0.5 + t * 0.38)
        if produce.item:
            produce.item(d, x, y, H * (0.02 + t * 0.04), rng)
        else:
            heap(d, produce, x, y, W * (0.03 + t * 0.08), H * 0.03, rng, size=W * (0.006 + t * 0.012))
    return image


def _packing(size, produce, pack, rng):
    W, H = size
    image = _room(size, (232, 228, 220), (170, 160, 150))
    d = ImageDraw.Draw(image)
    for k in range(3):  # stacked cartons behind, each with its label
        for j in range(2 - k % 2):
            x0, y0 = W * (0.04 + k * 0.16), H * (0.32 + j * 0.2)
            d.rectangle((x0, y0, x0 + W * 0.15, y0 + H * 0.19), fill=(196, 150, 100), outline=(160, 120, 80), width=2)
            d.rectangle((x0 + W * 0.04, y0 + H * 0.05, x0 + W * 0.11, y0 + H * 0.13), fill=pack.accent)
    d.rectangle((W * 0.45, H * 0.6, W, H * 0.68), fill=(226, 210, 180))  # the table
    d.rectangle((W * 0.45, H * 0.68, W, H * 0.74), fill=(180, 160, 130))
    carton(
        image,
        d,
        (W * 0.55, H * 0.36, W * 0.8, H * 0.64),
        pack,
        rng,
        open_with=lambda cx, cy, w, depth: _fill_box(d, produce, cx, cy, w, rng, W),
    )
    d.ellipse(circle(W * 0.9, H * 0.57, W * 0.04), fill=(200, 180, 120))  # a tape roll
    d.ellipse(circle(W * 0.9, H * 0.57, W * 0.02), fill=(232, 228, 220))
    return image


def _fill_box(d, produce, cx, cy, w, rng, W):
    if produce.item:
        pile(d, produce, cx, cy, w, 1, W * 0.03, rng)
    else:
        heap(d, produce, cx, cy, w, W * 0.03, rng, size=W * 0.015)


def _shipping(size, produce, pack, rng):
    W, H = size
    horizon = H * 0.45
    image = _sky(size, rng, horizon)
    d = ImageDraw.Draw(image)
    d.rectangle((0, horizon, W, H), fill=(150, 170, 120))
    d.polygon([(W * 0.45, horizon), (W * 0.55, horizon), (W * 1.1, H), (-W * 0.1, H)], fill=(90, 92, 96))
    for k in range(6):
        t0, t1 = (k / 6) ** 1.6, ((k + 0.4) / 6) ** 1.6
        d.polygon(
            [
                (W * 0.5 - t0 * W * 0.01, horizon + t0 * (H - horizon)),
                (W * 0.5 + t0 * W * 0.01, horizon + t0 * (H - horizon)),
                (W * 0.5 + t1 * W * 0.012, horizon + t1 * (H - horizon)),
                (W * 0.5 - t1 * W * 0.012, horizon + t1 * (H - horizon)),
            ],
            fill=(240, 240, 230),
        )
    # A refrigerated box truck in the loading bay: white box, the brand's band, a snowflake.
    x0, y0 = W * 0.22, H * 0.34
    soft_shadow(image, (x0, H * 0.84, x0 + W * 0.62, H * 0.92))
    d.rectangle((x0, y0, x0 + W * 0.44, H * 0.8), fill=(246, 248, 250), outline=(200, 206, 210), width=3)
    d.rectangle((x0, H * 0.62, x0 + W * 0.44, H * 0.68), fill=pack.accent)
    pack.mark(d, x0 + W * 0.1, H * 0.48, H * 0.08)
    text(d, (x0 + W * 0.28, H * 0.48), "冷链直达", "COLD CHAIN", H * 0.05, (40, 90, 150))
    cx, cy, r = x0 + W * 0.38, H * 0.4, H * 0.04
    for k in range(3):
        a = k * math.pi / 3
        d.line(
            (cx - r * math.cos(a), cy - r * math.sin(a), cx + r * math.cos(a), cy + r * math.sin(a)),
            fill=(60, 140, 210),
            width=max(2, round(r * 0.15)),
        )
    d.polygon(
        [
            (x0 + W * 0.44, H * 0.5),
            (x0 + W * 0.56, H * 0.5),
            (x0 + W * 0.62, H * 0.62),
            (x0 + W * 0.62, H * 0.8),
            (x0 + W * 0.44, H * 0.8),
        ],
        fill=(40, 110, 180),
    )
    d.polygon(
        [(x0 + W * 0.46, H * 0.53), (x0 + W * 0.55, H * 0.53), (x0 + W * 0.59, H * 0.61), (x0 + W * 0.46, H * 0.61)],
        fill=(190, 220, 240),
    )
    for x in (x0 + W * 0.08, x0 + W * 0.32, x0 + W * 0.54):
        d.ellipse(circle(x, H * 0.81, H * 0.06), fill=(40, 40, 44))
        d.ellipse(circle(x, H * 0.81, H * 0.025), fill=(170, 170, 176))
    return image


def evidence(product_slug, brand_slug, latin_title, weight, stage, seed, size=(640, 480)):
    """A photo for one provenance stage of the product: its field, the lab, the packing table, the truck."""
    _scene, produce_name, *_rest = product_spec(product_slug)
    produce = PRODUCE[produce_name]
    if produce.item is None and produce.piece is None:
        produce = PRODUCE["rice"]
    rng = random.Random(f"evidence-{product_slug}-{stage}-{seed}")  # noqa: S311 - picks shapes, not secrets
    big = (size[0] * SCALE, size[1] * SCALE)
    pack = make_pack(product_slug, brand_slug, latin_title, weight)
    if stage == "planting":
        image = _field(big, produce, 0.15, rng)
    elif stage == "growing":
        image = _field(big, produce, 0.6, rng)
    elif stage == "inspection":
        image = _lab(big, produce, rng)
    elif stage == "harvest":
        image = _harvest(big, produce, rng)
    elif stage == "processing":
        image = _processing(big, produce, rng)
    elif stage == "packing":
        image = _packing(big, produce, pack, rng)
    else:
        image = _shipping(big, produce, pack, rng)
    return image.reduce(SCALE)


SCENE_WORDS = {
    "sack": "米袋和散落的米粒",
    "carton": "印着品牌标志的纸箱",
    "carton_open": "打开的纸箱",
    "crate": "装满的木箱",
    "gift": "礼盒",
    "gift_small": "礼盒",
    "jar": "玻璃罐",
    "tin": "茶叶罐和冲泡好的一杯茶",
    "tins": "两只茶叶罐",
    "pouch": "自立袋",
    "sachets": "一排小袋包装",
    "board": "木砧板",
    "hotpot": "火锅和一盘肉卷",
    "steamer": "竹蒸笼",
    "voucher": "提货券",
    "cake": "包着棉纸的茶饼",
    "cake_bare": "拆开的茶饼",
    "tuo": "小沱茶和包装袋",
    "urn": "老坛",
}
PRODUCE_WORDS = {
    "rice": "大米",
    "germ-rice": "胚芽米",
    "orange": "脐橙",
    "apple": "苹果",
    "gala": "嘎啦苹果",
    "pear": "香梨",
    "goji": "枸杞",
    "black-goji": "黑枸杞",
    "goji-puree": "枸杞原浆",
    "lamb": "羊排",
    "lamb-leg": "羊后腿",
    "lamb-roll": "羊肉卷",
    "longjing": "龙井茶叶",
    "maojian": "毛尖茶叶",
    "black-tea": "红茶",
    "oolong": "铁观音",
    "oolong-roast": "铁观音",
    "puer": "普洱生茶",
    "puer-ripe": "普洱熟茶",
    "tuo": "沱茶",
    "crab": "大闸蟹",
    "crab-cooked": "蒸好的大闸蟹",
    "apple-chips": "苹果脆片",
    "zhacai": "榨菜丝",
    "zhacai-chunk": "榨菜",
    "mustard": "青菜头",
}


def describe(product_slug):
    """What the still life shows, for its alt text: "大米，米袋和散落的米粒"."""
    scene, produce, *_rest = product_spec(product_slug)
    return f"{PRODUCE_WORDS.get(produce, '')}，{SCENE_WORDS.get(scene, '')}"
