"""Calendar files of broadcast pages: /replays/calendar.ics and /replays/<slug>/calendar.ics.

Wagtail's page URL pattern allows no dot in a path segment, so these cannot be page routes; this
view finds the page the way Wagtail's own serve view does (same site, language) and serves it through
the same hooks: `before_serve_page`, then the `on_serve_page` chain, where Wagtail checks the page's
view restrictions, inherited ones included. A private replay's calendar is as private as its page.
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
        result = hook(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    serve = _serve_calendar
    for wrap in reversed(hooks.get_hooks("on_serve_page")):
        serve = wrap(serve)
    return serve(page, request, args, kwargs)


def _serve_calendar(page, request, args, kwargs):
    now = request_now(request)
    return cache_until(page.calendar(request), request, page.next_change(now), now)
