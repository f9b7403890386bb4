"""Which Wagtail Site answers a request, looked up once per host and content version, not once per request.

Wagtail finds the Site for every request it routes with one query (`get_site_for_hostname`: a CASE
over hostname, port and the default flag, joined to the root page). Profiled on the demo, building and
running it was a quarter of a story page's uncached render (its content comes from cached fragments).
The answer depends only on the Site rows and the root pages, and every change to them moves the
content version the fragments key on (home/cache.py: a saved or deleted Site or page, a move), so the
answer is stored under that version: the request after a change looks it up afresh, on every node
sharing the cache. With fragments off (the tests, unless they turn them on) Wagtail looks it up as ever.
"""

from django.http.request import split_domain_port
from wagtail.models import Site

from . import cache

# The views that ask Wagtail for the request's Site: its page view, and the trace and search pages (links to
# pages, structured data).
SITE_VIEWS = {"wagtail_serve", "trace:batch", "search:search"}


class SiteLookupMiddleware:
    """Hand Wagtail the request's Site from the cache: `Site.find_for_request` reads `request._wagtail_site`.

    Only for the views that ask (SITE_VIEWS), once the URL has resolved: /robots.txt and /healthz touch no Site
    and must answer while the database is away (/healthz then says 503 itself).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if cache.fragments_enabled() and match is not None and match.view_name in SITE_VIEWS:
            request._wagtail_site = cached_site(request)
        return None


def cached_site(request):
    """The Site Wagtail would find for `request`, from the cache when this host was looked up since the last change."""
    # As Wagtail does: the raw host, not get_host(), whose ALLOWED_HOSTS check belongs to Django's own time.
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"{cache.KEY_PREFIX}:site:{cache.content_version()}:{cache._digest(hostname, request.get_port())}"
    site = cache.cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        # Stored as found, before routing reads its root page, so the copy holds nothing a request computed.
        # "No site" is not stored: a site created by a process that moves no version (a test's own, whose
        # cache is not the server's) must count at once, and a host no Site answers is rare (ALLOWED_HOSTS).
        if site is not None:
            # Its root page as its own type: Wagtail routes from `root_page.localized.specific`, which is one
            # more query per request while the root page is a plain Page (the home page changes the version).
            site.root_page = site.root_page.specific
            cache.cache.set(key, site, cache.MAX_CACHE_SECONDS)
    return site
