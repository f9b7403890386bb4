"""Local development: `make run`. Never used in production."""

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
