"""Rate limits on submissions: per client address and per email address, counted in the cache."""

from site_content.client import client_ip, count_hit

from .models import keyed_hash

__all__ = ["client_ip", "over_limit"]

WINDOW_SECONDS = 60 * 60
PER_IP = 5
PER_EMAIL = 3


def over_limit(ip_hash, email):
    """Record a submission from this client and address; say which limit it breaks, if any."""
    if count_hit(f"feedback:ip:{ip_hash}", PER_IP, WINDOW_SECONDS):
        return "ip"
    if count_hit(f"feedback:email:{keyed_hash('email', email)}", PER_EMAIL, WINDOW_SECONDS):
        return "email"
    return None
