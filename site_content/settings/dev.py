"""Local development: `make run`. Never used in production."""

import os

from .base import *  # noqa: F403

DEBUG = True
# A development-only key: production refuses to start without its own (see production.py).
SECRET_KEY = "django-insecure-farmcast-development-only"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# `make run` is one process with no worker: run background tasks (Wagtail's own search-index
# updates among them) at once, so an edit in the admin is searchable without `db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A development-only provenance log key, like SECRET_KEY above: production reads its own from
# TLOG_SIGNING_KEY_FILE (made with `manage.py tlog_keygen`), never from the repository.
TLOG_SIGNING_KEY = (
    os.environ.get("TLOG_SIGNING_KEY")
    or "PRIVATE+KEY+farmcast.localhost/provenance+a8d4036f+Aa5QF0QD3Tn/5ritV+t0Tsy/fm5pVpxPOCuigp8Bm36X"
)  # noqa: S105
