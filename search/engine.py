"""The connection to the discovery engine, and its state as /healthz reports it."""

from django.conf import settings


def engine_status():
    if not settings.OPENSEARCH_URL:
        return "not configured"
    return "unknown"
