"""OpenSearch 2.x, through opensearch-py and its DSL (a fork of elasticsearch-dsl, same API).

What the other engine's module offers too, under the same names (see search/engines/__init__.py).
"""

import opensearchpy as dsl
from opensearchpy import OpenSearch, Transport, helpers
from opensearchpy.exceptions import ConnectionError as ClientConnectionError
from opensearchpy.exceptions import TransportError
from opensearchpy.serializer import JSONSerializer

from . import classifying

NAME = "opensearch"
LABEL = "OpenSearch"

__all__ = ["LABEL", "NAME", "bulk", "client", "dsl", "dumps", "identify", "scan"]


class ClassifyingTransport(Transport):
    # ConnectionError (refused, reset, timed out) is a TransportError too: it is caught first.
    perform_request = classifying(Transport.perform_request, ClientConnectionError, TransportError)


def client(urls, timeout):
    # No retries on a timeout: the outbox retries with backoff, and a page view must not wait for
    # several attempts against an engine that is down. A refused connection costs milliseconds,
    # so it is tried once on each other node: a stopped node of a cluster is not an outage.
    return OpenSearch(
        hosts=list(urls),
        timeout=timeout,
        max_retries=len(urls) - 1,
        retry_on_timeout=False,
        http_compress=False,
        transport_class=ClassifyingTransport,
    )


bulk = helpers.bulk
scan = helpers.scan
dumps = JSONSerializer().dumps


def identify(info):
    """(engine, version) from GET /: OpenSearch says so in version.distribution."""
    version = info.get("version", {})
    return version.get("distribution", "elasticsearch"), version.get("number", "")
