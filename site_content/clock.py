"""The request's clock and the cache headers that follow it.

Pages whose content changes with time (a broadcast going live, a policy taking effect) read the time
once per request, so the page, its cards, its cached fragments and its headers agree, and say in
their headers when they go stale (consumerfinance.gov's EventPage does the same with `_cached_now`).
"""

import math

from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_response_headers

# Longest a response may be cached when no state change comes sooner: an editor's correction
# (a new live-room link, a fixed title) should reach readers within minutes.
MAX_CACHE_SECONDS = 600


def request_now(request):
    """One clock reading per request, so the page, its cards and its headers agree on the state."""
    now = getattr(request, "_broadcast_now", None)
    if now is None:
        now = timezone.now()
        request._broadcast_now = now
    return now


def cache_until(response, request, change_at, now):
    """Cache `response` until `change_at` (the next start or end), at most MAX_CACHE_SECONDS."""
    if response.status_code != 200 or "private" in response.get("Cache-Control", ""):
        return response
    seconds = MAX_CACHE_SECONDS
    if change_at is not None:
        seconds = max(0, min(seconds, math.floor((change_at - now).total_seconds())))
    # Sets both max-age and Expires (from the same clock the tests move).
    patch_response_headers(response, cache_timeout=seconds)
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        # Editors see the userbar: never let a shared cache keep their copy.
        patch_cache_control(response, private=True)
    return response


def clock(seconds):
    """7265 -> "2:01:05": a video length or a moment in it, as readers recognise it in any language."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
