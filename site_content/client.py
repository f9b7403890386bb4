"""Who is asking, and how often: the client's address and a fixed-window counter, for every rate limit.

Feedback, policy subscriptions and admin login throttling (django-axes) all count per client address,
so they all read it here. Behind a reverse proxy every visitor arrives from the proxy's address: set
CLIENT_IP_HEADER to the header the proxy *sets* (e.g. "HTTP_X_REAL_IP", overwritten on every request),
never to one a client can send through unchanged.
"""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address: the trusted proxy header when one is configured and present, else the socket's."""
    header = getattr(settings, "CLIENT_IP_HEADER", None)
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def count_hit(key, limit, window_seconds):
    """Count one attempt under `key`; True when that goes over `limit` within the window."""
    # add() only sets the key when missing, so the window starts at the first attempt and incr()
    # never races a read-modify-write.
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit
