"""The configured discovery engine: which one, its client, its DSL, and its state as /healthz reports it.

settings.SEARCH_ENGINE names the engine ("opensearch" or "elasticsearch", one module each under
search/engines/) and SEARCH_ENGINE_URL where it answers. Everything in search/ that talks to the
engine goes through here, so the timeouts and what an error means are decided once, and no other
module imports an engine's library.
"""

import importlib
import logging
import time
from functools import cache, lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .engines import EngineError, EngineRequestError, EngineServerError, EngineUnavailable, IndexMissing

__all__ = [
    "EngineError",
    "EngineRequestError",
    "EngineServerError",
    "EngineUnavailable",
    "IndexMissing",
]

logger = logging.getLogger("farmcast.search")

ENGINES = {"opensearch": "search.engines.opensearch", "elasticsearch": "search.engines.elasticsearch"}


def engine_name():
    return getattr(settings, "SEARCH_ENGINE", "") or "opensearch"


@cache
def _adapter(name):
    if name not in ENGINES:
        raise ImproperlyConfigured(f"SEARCH_ENGINE must be one of {', '.join(ENGINES)}, not {name!r}")
    return importlib.import_module(ENGINES[name])


def adapter():
    """The configured engine's module (search/engines/<name>.py)."""
    return _adapter(engine_name())


def dsl():
    """The configured engine's DSL module (the elasticsearch-dsl API: Q, Search, Document...)."""
    return adapter().dsl


def bulk(client, actions, **options):
    return adapter().bulk(client, actions, **options)


def scan(client, **options):
    return adapter().scan(client, **options)


def dumps(value):
    return adapter().dumps(value)


def engine_url():
    return getattr(settings, "SEARCH_ENGINE_URL", "") or ""


def engine_urls():
    """Every node SEARCH_ENGINE_URL names: a cluster's nodes are listed comma-separated."""
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


@lru_cache(maxsize=8)
def _client(name, urls, timeout):
    return _adapter(name).client(urls, timeout)


def get_client(timeout=None):
    """A client for the configured engine, or None when no engine is configured.

    Its calls raise only EngineError and its subclasses (search/engines/__init__.py).
    """
    urls = engine_urls()
    if not urls:
        return None
    return _client(engine_name(), urls, timeout or getattr(settings, "SEARCH_ENGINE_TIMEOUT", 5))


def server_identity(client=None):
    """(engine, version) as the server describes itself, e.g. ("opensearch", "2.19.1")."""
    client = client or get_client(timeout=2)
    return adapter().identify(client.info())


def identity_problem(client):
    """None when the server is the configured engine, else a sentence saying what it is instead.

    Either client talks to either server well enough to ask, so a cluster named in SEARCH_ENGINE_URL
    but not in SEARCH_ENGINE would otherwise be found out only by a query one engine cannot take.
    """
    name, version = server_identity(client)
    if name == engine_name():
        return None
    return f"SEARCH_ENGINE is {engine_name()} but the server at {', '.join(engine_urls())} is {name} {version}"


def engine_status():
    """'ok', 'down' or 'not configured', as /healthz reports under "search"."""
    client = get_client(timeout=2)
    if client is None:
        return "not configured"
    try:
        health = client.cluster.health()
    except EngineError:
        logger.warning("search engine health check failed", exc_info=True)
        return "down"
    return "ok" if health.get("status") in ("green", "yellow") else "down"
