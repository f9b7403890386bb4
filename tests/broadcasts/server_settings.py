"""Production settings for the gunicorn the browser tests start, with one change: static files come from
the apps' folders (WhiteNoise's finders) instead of a collectstatic run. Media is served as deployed."""

from site_content.settings.production import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
