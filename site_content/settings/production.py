"""Production: everything comes from the environment, and a missing secret stops the start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def require_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in require_env("ALLOWED_HOSTS").split(",") if h.strip()]
require_env("DATABASE_URL")  # base.py parses it; refuse to fall back to SQLite in production
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@farmcast.example")

# Videos and captions go through Wagtail's document view (collection privacy, serve hooks), which
# home.media.ByteRangeMiddleware teaches byte ranges: phones seek in a replay with them. With object
# storage, set "redirect": the store answers ranges itself.
WAGTAILDOCS_SERVE_METHOD = os.environ.get("WAGTAILDOCS_SERVE_METHOD", "serve_view")

# Media storage: a mounted volume by default (MEDIA_ROOT); object storage can replace it here.
# The cache holds the page cache, its tags' versions and the fragments: with several web nodes they
# must share it (REDIS_URL, Django's own Redis backend), or a publish through one node would leave
# the others serving what they had cached. One node alone may keep a file cache (CACHE_DIR).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", "/tmp/farmcast-cache"),  # noqa: S108
            # The page cache keeps one entry per page, language and query string, plus its tags' versions;
            # Django's default of 300 entries would evict them faster than they help.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }

# Anonymous visitors get cached pages unless PAGE_CACHE_ENABLED=false (the benchmark's first pass).
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "true").lower() != "false"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(15 * 60)))

# Behind a proxy every visitor shares its address: name the header the proxy sets with the client's
# (e.g. HTTP_X_REAL_IP) so login throttling, feedback and subscription limits count per visitor.
# FEEDBACK_CLIENT_IP_HEADER is its name before login throttling used it too, still read.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER") or os.environ.get("FEEDBACK_CLIENT_IP_HEADER") or None
# How many proxies add to that header (a CDN in front of nginx: 2). `check --deploy` warns about a risky setup.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
