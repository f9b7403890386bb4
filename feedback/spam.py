"""Rate limits on submissions: per client address and per email address, counted in the cache."""

from django.conf import settings
from django.core.cache import cache

from .models import keyed_hash

WINDOW_SECONDS = 60 * 60
PER_IP = 5
PER_EMAIL = 3


def client_ip(request):
    """The client's address. Behind a proxy set FEEDBACK_CLIENT_IP_HEADER (e.g. "HTTP_X_REAL_IP") to the
    header the proxy sets, or every visitor shares the proxy's address and one counter."""
    header = getattr(settings, "FEEDBACK_CLIENT_IP_HEADER", None)
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _hit(key, limit):
    """Count one submission under `key`; True when that goes over `limit` within the window."""
    # add() only sets the key when missing, so the window starts at the first submission and
    # incr() never races a read-modify-write.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def over_limit(ip_hash, email):
    """Record a submission from this client and address; say which limit it breaks, if any."""
    if _hit(f"feedback:ip:{ip_hash}", PER_IP):
        return "ip"
    if _hit(f"feedback:email:{keyed_hash('email', email)}", PER_EMAIL):
        return "email"
    return None
