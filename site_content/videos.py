"""Uploaded videos are checked by reading them, with the library that makes the demo clips (PyAV).

A replay video must play in every reader's browser: WebM with VP8, VP9 or AV1 (and Opus or Vorbis
sound), or MP4 with H.264 or AV1 (and AAC, MP3 or Opus sound). The admin refuses anything else, a
file that is not what its name says, one without a duration (browsers cannot seek in it) and one
that stops before the length it declares (an upload or export cut short), each with its reason.
The size limit is Wagtail's own, WAGTAILDOCS_MAX_UPLOAD_SIZE, checked before this.
"""

import math

import av
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

PLAYABLE = {
    "webm": {"containers": {"matroska", "webm"}, "video": {"vp8", "vp9", "av1"}, "audio": {"opus", "vorbis"}},
    "mp4": {"containers": {"mov", "mp4"}, "video": {"h264", "av1"}, "audio": {"aac", "mp3", "opus"}},
}
VIDEO_EXTENSIONS = tuple(PLAYABLE)
SUGGESTION = _("Export it as WebM (VP9 video, Opus sound) or MP4 (H.264 video, AAC sound).")


def clock(seconds):
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def refuse(message, code, **params):
    return ValidationError(f"{message} {SUGGESTION}", code=code, params=params)


def check_playable(file, name):
    """Raise a ValidationError saying why `file` (named `name`) would not play in a browser; else its duration."""
    extension = name.rsplit(".", 1)[-1].lower()
    rules = PLAYABLE[extension]
    source = file.temporary_file_path() if hasattr(file, "temporary_file_path") else file
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        with av.open(source, "r") as container:
            return _check(container, rules, extension)
    except av.FFmpegError as error:
        raise refuse(
            _("This file could not be read as a video: it is damaged, incomplete or not a video at all."), "unreadable"
        ) from error
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def _check(container, rules, extension):
    family = set(container.format.name.split(","))
    if not family & rules["containers"]:
        raise refuse(
            _("This file is named .%(extension)s but holds a %(format)s file."),
            "wrong_container",
            extension=extension,
            format=container.format.long_name or container.format.name,
        )
    if not container.streams.video:
        raise refuse(_("This file has no picture: it is sound only."), "no_video")
    stream = container.streams.video[0]
    codecs = [("video", stream.codec_context.name)]
    codecs += [("audio", s.codec_context.name) for s in container.streams.audio]
    for kind, codec in codecs:
        if codec not in rules[kind]:
            raise refuse(
                _("Its %(kind)s is %(codec)s, which browsers cannot play in a .%(extension)s file."),
                "codec",
                kind=_("picture") if kind == "video" else _("sound"),
                codec=codec.upper(),
                extension=extension,
            )
    if not container.duration:
        raise refuse(
            _("This video does not say how long it is, so browsers cannot seek in it (chapter links would fail)."),
            "no_duration",
        )
    declared = container.duration / av.time_base
    reached = _end_of_pictures(container, stream)
    if reached < declared - max(1.0, declared * 0.02):
        raise refuse(
            _("The picture stops at %(reached)s but the file says it lasts %(declared)s: it was cut short."),
            "truncated",
            reached=clock(reached),
            declared=clock(declared),
        )
    return math.ceil(declared)


def _end_of_pictures(container, stream):
    """Where the last picture ends, reading every packet (no decoding past the first frame: it is quick)."""
    end = 0.0
    decoded = False
    for packet in container.demux(stream):
        if packet.pts is None or packet.size == 0:
            continue
        if not decoded:
            packet.decode()  # raises if the first picture cannot be decoded at all
            decoded = True
        end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing videos a browser could not play (the base of site_content.files.DocumentForm)."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        name = getattr(file, "name", "") or ""
        if (
            file
            and name.lower().endswith(tuple(f".{e}" for e in VIDEO_EXTENSIONS))
            and file != self.initial.get("file")
        ):
            try:
                check_playable(file, name)
            except ValidationError as error:
                raise forms.ValidationError(error.messages, code=error.code) from error
        return file
