"""The load tests' gunicorn runs production settings, with one change: static files are collected
into the tests' own folder, so a test run never rewrites the clone's staticfiles/ while a benchmark
or a developer's server reads it. Everything else comes from the environment, as deployed."""

import os

from site_content.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["LOAD_STATIC_ROOT"]
