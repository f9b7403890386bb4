"""Illustrations drawn with Pillow, so the demo needs no downloads and no CJK fonts.

Each picture is a small landscape in a product's palette: a soft sky gradient, a sun, layered
hills and a motif (paddy fields, fruit, tea terraces, a lake...). Drawing happens at twice the
output size and halved with a box filter, which anti-aliases the shapes.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from . import pictures
from .data import MOTIFS, PALETTES

SCALE = 2


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _vertical_gradient(size, top, bottom):
    """One column of colours stretched sideways: exact, and far cheaper than resampling a big image."""
    width, height = size
    top, bottom = _rgb(top), _rgb(bottom)
    column = Image.new("RGB", (1, height))
    column.putdata([_mix(top, bottom, y / max(height - 1, 1)) for y in range(height)])
    return column.resize(size, Image.Resampling.NEAREST)


def _ridge(width, base_y, amplitude, rng, steps=48):
    """A hill line: the sum of two sine waves with random phases."""
    phase1, phase2 = rng.uniform(0, math.tau), rng.uniform(0, math.tau)
    freq1, freq2 = rng.uniform(1.0, 2.0), rng.uniform(2.5, 4.5)
    points = []
    for i in range(steps + 1):
        x = width * i / steps
        t = i / steps * math.tau
        y = base_y - amplitude * (0.65 * math.sin(freq1 * t + phase1) + 0.35 * math.sin(freq2 * t + phase2))
        points.append((x, y))
    return points


def _hills(draw, size, colours, rng, top=0.45, bottom=0.8):
    width, height = size
    n = len(colours)
    for i, colour in enumerate(colours):
        base = height * (top + (bottom - top) * i / max(n - 1, 1))
        ridge = _ridge(width, base, height * 0.05, rng)
        draw.polygon([*ridge, (width, height), (0, height)], fill=_rgb(colour))


def _sun(image, size, colour, rng):
    """A sun with a soft halo, blurred on a small crop so it stays cheap at full size."""
    width, height = size
    # Low enough to survive a wide banner crop, which keeps the middle of the picture.
    cx, cy, r = width * rng.uniform(0.62, 0.85), height * rng.uniform(0.27, 0.34), height * 0.07
    box = round(r * 5)
    small, sr = box // 8, r / 8  # blur a small halo and scale it up: a soft glow has no detail to lose
    halo = Image.new("L", (small, small), 0)
    ImageDraw.Draw(halo).ellipse(
        (small / 2 - sr * 1.9, small / 2 - sr * 1.9, small / 2 + sr * 1.9, small / 2 + sr * 1.9), fill=90
    )
    halo = halo.filter(ImageFilter.GaussianBlur(sr * 0.5)).resize((box, box), Image.Resampling.BILINEAR)
    origin = (round(cx - box / 2), round(cy - box / 2))
    image.paste(Image.new("RGB", (box, box), (255, 255, 255)), origin, halo)
    ImageDraw.Draw(image).ellipse((cx - r, cy - r, cx + r, cy + r), fill=_rgb(colour))


def _leaf(draw, cx, cy, length, angle, colour):
    """A leaf as a pointed lens: two arcs approximated by a polygon."""
    points = []
    for i in range(21):
        t = i / 20
        points.append((t, 0.32 * math.sin(math.pi * t)))
    points += [(t, -w) for t, w in reversed(points)]
    cos, sin = math.cos(angle), math.sin(angle)
    draw.polygon(
        [(cx + length * (x * cos - y * sin), cy + length * (x * sin + y * cos)) for x, y in points], fill=colour
    )


def _rows_of(crop):
    """Rows of a crop (fruit trees, goji shrubs) running towards the horizon, bigger as they come near."""

    def draw_rows(draw, size, palette, rng):
        width, height = size
        horizon = height * 0.6
        draw.rectangle((0, horizon, width, height), fill=_rgb(palette[2][1]))
        produce = pictures.Produce(crop, _rgb(palette[3]), crop=crop)
        vanish = width * rng.uniform(0.35, 0.65)
        for j in range(1, 13):  # far to near, so the near rows overlap the far ones
            t = (j / 12) ** 1.7
            y = horizon + (height - horizon) * t
            draw.line((0, y, width, y), fill=_rgb(palette[2][2]), width=max(1, round(height * 0.004 * t)))
            for row in range(-9, 10):
                x = vanish + row * width * 0.24 * t + rng.uniform(-0.02, 0.02) * width * t
                pictures.plant(draw, crop, x, y, height * 0.09 * t + 3, rng, 1.0, produce)

    return draw_rows


def _fields(draw, size, palette, rng):
    """Paddy rows converging on a vanishing point, in alternating golds and greens."""
    width, height = size
    horizon, vanish_x = height * 0.55, width * rng.uniform(0.4, 0.6)
    colours = [_rgb(c) for c in palette[2]]
    rows = rng.choice((10, 12, 14, 16))
    for i in range(rows):
        x0, x1 = width * (i - 2) / (rows - 4), width * (i - 1) / (rows - 4)
        draw.polygon(
            [(vanish_x, horizon), (x0 * 1.8 - width * 0.4, height), (x1 * 1.8 - width * 0.4, height)],
            fill=colours[i % len(colours)],
        )
    for j in range(1, 6):
        y = horizon + (height - horizon) * (j / 6) ** 1.6
        draw.line((0, y, width, y), fill=_mix(colours[-1], (255, 255, 255), 0.3), width=max(2, round(j * 1.5)))


def _terraces(draw, size, palette, rng):
    width, height = size
    colours = palette[2]
    bands = 9
    for i in range(bands):
        base = height * (0.38 + 0.62 * i / bands)
        ridge = _ridge(width, base, height * 0.035, rng, steps=60)
        draw.polygon([*ridge, (width, height), (0, height)], fill=_rgb(colours[i % len(colours)]))
        # A row of tea bushes along each terrace edge.
        bush = _mix(_rgb(colours[i % len(colours)]), (0, 0, 0), 0.18)
        for x, y in ridge[::3]:
            r = height * 0.012 * (1 + i * 0.15)
            draw.ellipse((x - r, y - r * 0.6, x + r, y + r * 0.6), fill=bush)


def _pasture(draw, size, palette, rng):
    width, height = size
    wool = _rgb(palette[4])
    face = (70, 60, 55)
    for _ in range(rng.randint(5, 8)):
        cx, cy = width * rng.uniform(0.08, 0.92), height * rng.uniform(0.7, 0.9)
        r = height * 0.03
        for dx, dy in ((-1.2, 0), (0, -0.5), (1.2, 0), (-0.6, 0.4), (0.6, 0.4)):
            draw.ellipse((cx + dx * r - r, cy + dy * r - r, cx + dx * r + r, cy + dy * r + r), fill=wool)
        draw.ellipse((cx + 2.1 * r - r * 0.6, cy - r * 0.9, cx + 2.1 * r + r * 0.6, cy + r * 0.3), fill=face)


def _lake(draw, size, palette, rng):
    width, height = size
    water = [_rgb(c) for c in palette[2]]
    top = height * 0.55
    draw.rectangle((0, top, width, height), fill=water[0])
    for i in range(12):
        y = top + (height - top) * (i + 0.5) / 12
        points = [(x, y + height * 0.006 * math.sin(x / width * 18 + i)) for x in range(0, width + 20, 20)]
        draw.line(points, fill=water[1 + i % (len(water) - 1)], width=max(2, round(height * 0.004)))
    reed = _rgb(palette[4])
    for _ in range(26):
        x = rng.choice([rng.uniform(0, width * 0.2), rng.uniform(width * 0.8, width)])
        h = height * rng.uniform(0.15, 0.3)
        draw.line((x, height, x + rng.uniform(-20, 20), height - h), fill=reed, width=round(height * 0.006))
        draw.ellipse((x - 6, height - h - 30, x + 10, height - h + 10), fill=_mix(reed, (0, 0, 0), 0.25))
    # The crab farm's enclosures: rows of bamboo stakes with nets between them, and a boat checking them.
    stake = (150, 126, 80)
    for k in range(3):
        y0 = height * (0.6 + k * 0.09)
        xs = [width * (0.05 + i * 0.09) for i in range(11)]
        draw.line([(x, y0) for x in xs], fill=(70, 80, 70), width=max(2, round(height * 0.003)))
        for x in xs:
            draw.line((x, y0 - height * 0.05, x, y0 + height * 0.02), fill=stake, width=max(2, round(height * 0.005)))
    bx, by = width * rng.uniform(0.35, 0.6), height * 0.86
    draw.polygon(
        [
            (bx - width * 0.09, by),
            (bx + width * 0.09, by),
            (bx + width * 0.06, by + height * 0.04),
            (bx - width * 0.06, by + height * 0.04),
        ],
        fill=(120, 80, 50),
    )
    draw.line(
        (bx - width * 0.02, by, bx + width * 0.03, by - height * 0.1),
        fill=(90, 70, 50),
        width=max(2, round(height * 0.004)),
    )


def _river(draw, size, palette, rng):
    width, height = size
    _hills(draw, size, palette[2][:2], rng, top=0.42, bottom=0.55)
    river = _rgb(palette[4])
    points = [(x, height * 0.66 + height * 0.03 * math.sin(x / width * 5)) for x in range(0, width + 40, 40)]
    draw.polygon([*points, (width, height * 0.8), (0, height * 0.8)], fill=river)
    draw.rectangle((0, height * 0.8, width, height), fill=_rgb(palette[2][2]))
    veg = _rgb(palette[3])
    for _ in range(6):
        cx, cy, r = width * rng.uniform(0.08, 0.92), height * rng.uniform(0.86, 0.93), height * 0.07
        for dx in (-0.6, 0, 0.6):
            draw.ellipse((cx + dx * r - r * 0.7, cy - r * 0.7, cx + dx * r + r * 0.7, cy + r * 0.7), fill=veg)
        _leaf(draw, cx, cy - r * 0.5, r * 1.6, -math.pi / 2 - 0.4, _mix(veg, (0, 0, 0), 0.25))


DRAWERS = {
    "fields": _fields,
    "fruit": _rows_of("orchard"),
    "terraces": _terraces,
    "berries": _rows_of("shrubs"),
    "pasture": _pasture,
    "lake": _lake,
    "river": _river,
}


def landscape(palette_name, seed, size=(1200, 800), play_button=False):
    """A JPEG of a landscape in the palette, varied by `seed` (same seed, same picture)."""
    palette = PALETTES[palette_name]
    motif = MOTIFS[palette_name]
    rng = random.Random(seed)  # noqa: S311 - picks shapes, not secrets; a fixed seed redraws the same picture
    big = (size[0] * SCALE, size[1] * SCALE)
    # Vary the light per picture, so a brand's products do not look like copies of one another.
    sky_top = "#{:02X}{:02X}{:02X}".format(*_mix(_rgb(palette[0]), _rgb(palette[3]), rng.uniform(0, 0.22)))
    image = _vertical_gradient(big, sky_top, palette[1])
    sun = {"fields": palette[3], "pasture": palette[3], "terraces": "#F4C95D"}.get(motif, "#FFF6D8")
    _sun(image, big, sun, rng)
    draw = ImageDraw.Draw(image)
    if motif not in ("terraces", "river"):
        _hills(draw, big, palette[2], rng, top=0.5, bottom=0.68)
    DRAWERS[motif](draw, big, palette, rng)
    if rng.random() < 0.5:
        image = ImageOps.mirror(image)
    if play_button:
        _play_button(image, big)
    return _jpeg(image.reduce(SCALE))


def _play_button(image, size):
    width, height = size
    shade = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shade)
    cx, cy, r = width / 2, height / 2, height * 0.11
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(20, 20, 20, 120))
    draw.polygon([(cx - r * 0.35, cy - r * 0.5), (cx - r * 0.35, cy + r * 0.5), (cx + r * 0.55, cy)], fill="white")
    image.paste(shade, (0, 0), shade)


def _jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()
