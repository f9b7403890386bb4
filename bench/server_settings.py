"""The bench's gunicorn runs production settings, with one change: static files are collected into
the bench's own folder (BENCH_STATIC_ROOT), so a bench never rewrites the clone's staticfiles/ while
a developer's server or a test run reads it. Everything else comes from the environment, as deployed."""

import os

from site_content.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
