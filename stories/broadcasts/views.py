"""Calendar files of broadcast pages: /replays/calendar.ics and /replays/<slug>/calendar.ics.

Wagtail's page URL pattern allows no dot in a path segment, so these cannot be page routes; this
view finds the page the way Wagtail's own serve view does (same site, language, privacy hooks).
"""

from django.http import Http404, HttpResponse
from wagtail import hooks
from wagtail.models import Site

from site_content.clock import cache_until, request_now

from .models import BroadcastReplayPage, ReplayIndexPage


def page_calendar(request, page_path):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    components = [component for component in page_path.split("/") if component]
    page, args, kwargs = site.root_page.localized.specific.route(request, components)
    if not isinstance(page, ReplayIndexPage | BroadcastReplayPage):
        raise Http404
    for hook in hooks.get_hooks("before_serve_page"):
        # Password or login restrictions answer here exactly as they do for the page itself.
        result = hook(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    now = request_now(request)
    return cache_until(page.calendar(request), request, page.next_change(now), now)
