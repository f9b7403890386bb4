"""Demo replay media made on this machine: short WebM clips from Debian's ffmpeg, and WebVTT captions.

Nothing is downloaded. A clip is a test pattern with a tone and, when ffmpeg's drawtext filter has
a font to draw with, each chapter's title burned in (Latin letters, so no CJK font is needed).
Without ffmpeg the demo keeps its posters, chapters and transcripts and says that the videos are missing.
"""

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

WIDTH, HEIGHT, FPS = 320, 180, 10


def ffmpeg_path():
    return shutil.which("ffmpeg")


def _drawtext(chapters, seconds):
    filters = []
    for i, (start, _title, latin, _product) in enumerate(chapters):
        end = chapters[i + 1][0] if i + 1 < len(chapters) else seconds
        text = "".join(c for c in latin if c.isalnum() or c == " ")  # nothing drawtext would parse as syntax
        filters.append(
            f"drawtext=text='{i + 1}  {text}':enable='between(t,{start},{end})':fontcolor=white:fontsize=20"
            ":box=1:boxcolor=black@0.6:boxborderw=6:x=(w-text_w)/2:y=h-44"
        )
    return ",".join(filters)


def make_clip(chapters, seconds, tone_hz=440):
    """WebM bytes of a `seconds`-long clip, or None when ffmpeg is missing or fails."""
    ffmpeg = ffmpeg_path()
    if ffmpeg is None:
        return None
    base = [
        ffmpeg,
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        f"smptebars=size={WIDTH}x{HEIGHT}:rate={FPS}:duration={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={tone_hz}:sample_rate=48000:duration={seconds}",
    ]
    encode = [
        "-c:v",
        "libvpx",
        "-b:v",
        "100k",
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
        "-g",
        str(FPS),  # a keyframe every second, so chapter seeks land quickly
        "-c:a",
        "libopus",
        "-b:a",
        "24k",
        "-shortest",
    ]
    attempts = [["-vf", _drawtext(chapters, seconds)], []] if chapters else [[]]
    with tempfile.TemporaryDirectory() as folder:
        # A file, not a pipe: only a seekable output gets the duration and the cue index players seek with.
        output = Path(folder) / "clip.webm"
        for video_filter in attempts:
            try:
                subprocess.run(  # noqa: S603 - fixed arguments, no shell
                    [*base, *video_filter, *encode, "-y", str(output)], capture_output=True, check=True, timeout=120
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
                stderr = getattr(error, "stderr", b"") or b""
                logger.warning("ffmpeg failed (%s): %s", "with titles" if video_filter else "plain", stderr[-300:])
                continue
            return output.read_bytes()
    return None


def _timestamp(seconds):
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.000"


def vtt(cues, seconds):
    """A WebVTT file from (start, words) pairs; each cue lasts until the next one (at most 5 s)."""
    lines = ["WEBVTT", ""]
    for i, (start, words) in enumerate(cues):
        end = min(cues[i + 1][0] if i + 1 < len(cues) else seconds, start + 5)
        lines += [f"{_timestamp(start)} --> {_timestamp(end)}", words, ""]
    return "\n".join(lines)


def chinese_vtt(script, seconds):
    return vtt(script["transcript"], seconds)


def english_vtt(script, seconds):
    """English captions name each chapter: enough to follow the demo without reading Chinese."""
    return vtt(
        [(start, f"Chapter {i + 1}: {latin}") for i, (start, _t, latin, _p) in enumerate(script["chapters"])], seconds
    )
