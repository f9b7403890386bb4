"""Caption files and transcripts: WebVTT parsed with webvtt-py, or pasted "12:34 text" lines."""

import re
from dataclasses import dataclass

import webvtt
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from webvtt.errors import MalformedFileError

# Editors paste transcripts copied from a platform's export: "12:34 text", "1:02:03 text", "[12:34] text".
_TIMED_LINE = re.compile(r"^\[?(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\]?\s+(.+)$")
# Voice spans (<v Host>), class spans and timestamps inside a cue are markup, not words to show.
_CUE_TAG = re.compile(r"</?[^>]+>")
MAX_CAPTION_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Cue:
    start: int
    end: int | None
    text: str


def parse_vtt(text):
    """The cues of a WebVTT file; ValidationError with a message an editor can act on if it is not one."""
    text = text.lstrip("\ufeff")
    if not text.startswith("WEBVTT"):
        raise ValidationError(_("This is not a WebVTT file: the first line must be “WEBVTT”."), code="not_vtt")
    try:
        captions = webvtt.from_string(text)
    except MalformedFileError as error:
        raise ValidationError(
            _("This WebVTT file cannot be read: %(error)s."), code="malformed_vtt", params={"error": error}
        ) from error
    cues = []
    for caption in captions:
        words = _CUE_TAG.sub("", caption.text).replace("\n", " ").strip()
        if words:
            cues.append(Cue(caption.start_in_seconds, caption.end_in_seconds, words))
    if not cues:
        raise ValidationError(
            _("This WebVTT file has no captions with valid times (00:00:01.000 --> 00:00:04.000)."), code="empty_vtt"
        )
    return cues


def parse_pasted_transcript(text):
    """WebVTT, or one "m:ss text" line per remark; a remark without a time is refused with its line number."""
    text = text.strip()
    if not text:
        return []
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        return parse_vtt(text)
    cues = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _TIMED_LINE.match(line)
        if match is None:
            raise ValidationError(
                _("Line %(number)s has no time: start each line with one, like “12:34 text”."),
                code="untimed_line",
                params={"number": number},
            )
        hours, minutes, seconds, words = match.groups()
        cues.append(Cue(int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds), None, words.strip()))
    return sorted(cues, key=lambda cue: cue.start)


def read_document_text(document):
    """The text of an uploaded caption file, or ValidationError if it is too big or not UTF-8."""
    if document.file.size > MAX_CAPTION_BYTES:
        raise ValidationError(_("Caption files can be at most 2 MB."), code="too_big")
    with document.open_file() as handle:
        raw = handle.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(_("WebVTT files must be saved as UTF-8 text."), code="not_utf8") from error


def document_cues(document):
    """Parsed cues of a caption document, cached by its content hash so pages do not re-read the file."""
    key = f"broadcast-vtt:{document.pk}:{document.file_hash or document.file.name}"
    cues = cache.get(key)
    if cues is None:
        cues = parse_vtt(read_document_text(document))
        cache.set(key, cues, 24 * 3600)
    return cues
