"""What a photo's own bytes say about when and where it was taken, and whether that fits its event.

Only the file's EXIF data counts: never its name, title or caption, which anyone can type.
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import ExifTags, Image, UnidentifiedImageError

# EXIF capture times carry no zone unless the camera wrote OffsetTimeOriginal; farms here are in China.
CAMERA_DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")
# How far a photo may be from its event and still count as "consistent".
EXIF_MAX_HOURS = 48
EXIF_MAX_KM = 25

logger = logging.getLogger("farmcast.provenance")

TAG_DATETIME = 0x0132
TAG_DATETIME_ORIGINAL = 0x9003
TAG_OFFSET_TIME_ORIGINAL = 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4


@dataclass
class ExifFacts:
    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _parse_time(raw, offset=None):
    if not raw:
        return None
    text = str(raw).strip().rstrip("\x00")
    try:
        naive = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if offset:
        try:
            return datetime.strptime(f"{text[:19]} {str(offset).strip()}", "%Y:%m:%d %H:%M:%S %z")
        except ValueError:
            pass
    return naive.replace(tzinfo=CAMERA_DEFAULT_ZONE)


def _degrees(dms, ref):
    degrees, minutes, seconds = (Decimal(str(float(part))) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).strip().upper() in {"S", "W"} else value


def read_exif(fileobj):
    """Capture time and GPS position from the image's EXIF; missing or unreadable data gives None."""
    facts = ExifFacts()
    try:
        with Image.open(fileobj) as image:
            exif = image.getexif()
            sub = exif.get_ifd(ExifTags.IFD.Exif)
            facts.taken_at = _parse_time(
                sub.get(TAG_DATETIME_ORIGINAL) or exif.get(TAG_DATETIME), sub.get(TAG_OFFSET_TIME_ORIGINAL)
            )
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            if gps.get(GPS_LAT) and gps.get(GPS_LON):
                lat = _degrees(gps[GPS_LAT], gps.get(GPS_LAT_REF, "N"))
                lon = _degrees(gps[GPS_LON], gps.get(GPS_LON_REF, "E"))
                if -90 <= lat <= 90 and -180 <= lon <= 180:
                    facts.latitude, facts.longitude = lat, lon
    except (UnidentifiedImageError, OSError, ValueError, TypeError, ZeroDivisionError, ArithmeticError):
        # A broken EXIF block is the same, for a buyer, as none: the page says "no capture data".
        logger.info("unreadable EXIF data", exc_info=True)
    return facts


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine), good to a few metres at these scales."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (lat1, lon1, lat2, lon2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@dataclass
class ExifCheck:
    """What the page says about one photo. `status` is consistent, inconsistent, partial or none."""

    status: str
    taken_at: datetime | None = None
    distance_km: float | None = None
    hours_apart: float | None = None
    messages: tuple = ()

    @property
    def consistent(self):
        return self.status == "consistent"

    @property
    def time_apart(self):
        """The gap between the photo and its event, in the unit a reader expects: "40 minutes", "3 days"."""
        if self.hours_apart is None:
            return ""
        minutes = round(self.hours_apart * 60)
        if minutes < 90:
            return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        if self.hours_apart < 48:
            hours = round(self.hours_apart)
            return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
        days = round(self.hours_apart / 24)
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def check_against_event(evidence, event):
    if not evidence.image_id:
        return None
    taken_at, lat, lon = evidence.exif_taken_at, evidence.exif_lat, evidence.exif_lon
    if taken_at is None and lat is None:
        return ExifCheck("none", messages=(_("No capture data in this file."),))
    messages, verdicts, km, hours = [], [], None, None
    if taken_at is not None:
        hours = abs((taken_at - event.occurred_at).total_seconds()) / 3600
        ok = hours <= EXIF_MAX_HOURS
        verdicts.append(ok)
        local = timezone.localtime(taken_at).strftime("%Y-%m-%d %H:%M")
        messages.append(
            _("Photo taken %(when)s, within %(h)d hours of the event.") % {"when": local, "h": EXIF_MAX_HOURS}
            if ok
            else _("Photo taken %(when)s, %(days).0f days from the event.") % {"when": local, "days": hours / 24}
        )
    else:
        messages.append(_("No capture time in this file."))
    if lat is not None:
        if event.has_coordinates:
            km = distance_km(lat, lon, event.latitude, event.longitude)
            ok = km <= EXIF_MAX_KM
            verdicts.append(ok)
            messages.append(_("%(km).1f km from the event's place.") % {"km": km})
        else:
            messages.append(_("Photo has a GPS position; the event has no coordinates to compare."))
    else:
        messages.append(_("No GPS position in this file."))
    if verdicts and not all(verdicts):
        status = "inconsistent"
    elif len(verdicts) == 2:
        status = "consistent"
    else:
        status = "partial"
    return ExifCheck(status, taken_at=taken_at, distance_km=km, hours_apart=hours, messages=tuple(messages))
