"""Tests: fast hashing, in-memory cache and mail, tasks run at once unless a test wants the queue."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "farmcast-tests-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
SEARCH_INDEX_PREFIX = "farmcast-test"
# The provenance log's test-only signing key (a real one comes from TLOG_SIGNING_KEY_FILE).
TLOG_SIGNING_KEY = "PRIVATE+KEY+farmcast.test/provenance+e529de2f+Adzp8XyIUflPqwEoDjM5h1Yg6BAXUgWS0Zpg6arnM2pC"  # noqa: S105
TLOG_SIGNING_KEY_FILE = TLOG_VERIFIER_KEY = ""
WAGTAILADMIN_BASE_URL = "http://testserver"

# Wagtail's own index (admin search, choosers) stays in the database during tests even when the
# engine runs, so page fixtures do not write to the engine behind the discovery tests' backs.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

# Off, so other tests see every request rendered; tests/page_cache turns it on.
PAGE_CACHE_ENABLED = False
# Off too: tests roll their transactions back, so the after-commit version bumps never run;
# tests/site_content/test_fragment_caches.py turns it on with committed data.
FRAGMENT_CACHE_ENABLED = False
