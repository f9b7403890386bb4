"""Settings for `make bench`: a throwaway SQLite database under var/bench/ and the farmcast-bench index prefix.

Close to production where it matters for timing (DEBUG off, so no query log grows in memory);
Wagtail's own index stays in the database because it is the fallback being measured.
"""

import os
import warnings

import dj_database_url

from site_content.settings.base import *  # noqa: F403
from site_content.settings.base import BASE_DIR

DEBUG = False
SECRET_KEY = "farmcast-bench-only"  # noqa: S105 — a throwaway database on 127.0.0.1
ALLOWED_HOSTS = ["*"]
BENCH_DB = BASE_DIR / "var" / "bench" / "search.sqlite3"
DATABASES = {"default": dj_database_url.parse(f"sqlite:///{BENCH_DB}")}
SEARCH_ENGINE_URL = os.environ.get("SEARCH_ENGINE_URL") or os.environ.get("OPENSEARCH_URL") or "http://127.0.0.1:9200"
SEARCH_INDEX_PREFIX = "farmcast-bench"
SEARCH_ENGINE_TIMEOUT = 30
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Static files are served from the finders here; whitenoise's note about a missing STATIC_ROOT is noise.
warnings.filterwarnings("ignore", message="No directory at")
