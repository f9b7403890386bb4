"""iCalendar (RFC 5545) files for broadcasts: one event per broadcast, times in UTC."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Farmcast 农播//Broadcast schedule//ZH"


def broadcast_event(broadcast, request, now):
    """One VEVENT; the UID stays the same across edits so calendars update the event, not duplicate it."""
    event = Event()
    event.add("uid", f"broadcast-{broadcast.translation_key}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", broadcast.scheduled_start.astimezone(datetime.UTC))
    event.add("dtend", broadcast.ends_at.astimezone(datetime.UTC))
    event.add("summary", broadcast.title)
    page_url = broadcast.get_full_url(request)
    event.add("url", page_url)
    # The times above are UTC for the calendar app; the description says them in the reader's language.
    start = date_format(timezone.localtime(broadcast.scheduled_start), "DATETIME_FORMAT")
    lines = [broadcast.summary, _("Starts %(start)s (Beijing time)") % {"start": start}]
    if broadcast.live_room_url:
        lines.append(_("Live room: %(url)s") % {"url": broadcast.live_room_url})
    lines.append(page_url)
    event.add("description", "\n".join(line for line in lines if line))
    event.add("location", broadcast.live_room_url or page_url)
    if broadcast.last_published_at:
        event.add("last-modified", broadcast.last_published_at.astimezone(datetime.UTC))
    return event


def calendar_response(broadcasts, request, name, filename):
    """A text/calendar download of `broadcasts` (already in the order they should appear)."""
    now = timezone.now().replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for broadcast in broadcasts:
        calendar.add_component(broadcast_event(broadcast, request, now))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
