"""The connection to the discovery engine, and its state as /healthz reports it.

Everything that talks to OpenSearch gets its client here, so the timeouts and the list of errors
that mean "the engine is down" are decided once.
"""

import logging
import time
from functools import lru_cache

from django.conf import settings
from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

logger = logging.getLogger("farmcast.search")

# Errors after which the site falls back to the database and the outbox retries later. A missing
# index (never built, or deleted by hand) counts: the site must keep working until a rebuild.
ENGINE_DOWN_ERRORS = (EngineConnectionError, NotFoundError)
# Any other error the engine answers with (a 5xx, a rejected request): logged, never a 500 page.
ENGINE_ERRORS = (TransportError,)


def engine_url():
    return getattr(settings, "OPENSEARCH_URL", "") or ""


def engine_urls():
    """Every node OPENSEARCH_URL names: a cluster's nodes are listed comma-separated."""
    return tuple(url.strip() for url in engine_url().split(",") if url.strip())


def is_configured():
    return bool(engine_url())


def index_prefix():
    return getattr(settings, "SEARCH_INDEX_PREFIX", "farmcast")


def alias_name():
    """The name every read and write uses; it points at exactly one timestamped index."""
    return f"{index_prefix()}-discovery"


def new_index_name():
    return f"{alias_name()}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"


@lru_cache(maxsize=4)
def _client(urls, timeout):
    # No retries on a timeout: the outbox retries with backoff, and a page view must not wait for
    # several attempts against an engine that is down. A refused connection costs milliseconds,
    # so it is tried once on each other node: a stopped node of a cluster is not an outage.
    return OpenSearch(
        hosts=list(urls), timeout=timeout, max_retries=len(urls) - 1, retry_on_timeout=False, http_compress=False
    )


def get_client(timeout=None):
    """A client for the configured engine, or None when no engine is configured."""
    urls = engine_urls()
    if not urls:
        return None
    return _client(urls, timeout or getattr(settings, "SEARCH_ENGINE_TIMEOUT", 5))


def engine_status():
    """'ok', 'down' or 'not configured', as /healthz reports under "search"."""
    client = get_client(timeout=2)
    if client is None:
        return "not configured"
    try:
        health = client.cluster.health()
    except ENGINE_ERRORS:
        logger.warning("search engine health check failed", exc_info=True)
        return "down"
    return "ok" if health.get("status") in ("green", "yellow") else "down"
