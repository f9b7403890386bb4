"""Who is asking, and how often: the client's address and a fixed-window counter, for every rate limit.

Feedback, policy subscriptions, admin login and page-password throttling (django-axes) all count per
client address, so they all read it here. Behind reverse proxies every visitor arrives from the nearest
proxy's address: set CLIENT_IP_HEADER to the header they add to ("HTTP_X_FORWARDED_FOR", or
"HTTP_X_REAL_IP" set by the one proxy) and TRUSTED_PROXY_COUNT to how many of them there are. Each
proxy appends the address it was reached from, so the client is the Nth hop from the right; anything
to the left of it came from the client and may be forged. `check --deploy` warns about a setup where
the address can be forged or is everybody's (site_content/checks.py).
"""

from django.conf import settings
from django.core.cache import cache


def trusted_proxy_count():
    """How many proxies in front of the site add to CLIENT_IP_HEADER (one by default when it is set)."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", None)
    if count is None:
        return 1 if getattr(settings, "CLIENT_IP_HEADER", None) else 0
    return int(count)


def client_ip(request):
    """The right-most address in CLIENT_IP_HEADER that no trusted proxy added; the socket's without one."""
    header = getattr(settings, "CLIENT_IP_HEADER", None)
    proxies = trusted_proxy_count()
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()] if header else []
    if proxies >= 1 and len(hops) >= proxies:
        return hops[-proxies]
    # No header, or fewer hops than proxies (the request did not come through them all): the socket's
    # address at least cannot be forged.
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
