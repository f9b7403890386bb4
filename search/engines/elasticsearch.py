"""Elasticsearch, through the `elasticsearch` client and `elasticsearch-dsl`.

What the other engine's module offers too, under the same names (see search/engines/__init__.py).

Tested: Elasticsearch 7.10.2 with client 7.13 and elasticsearch-dsl 7.4 (requirements.txt). The client
stays below 7.14 there: from 7.14 on it refuses any server that is not Elastic's own default
distribution, which 7.10.2 run from Maven Central (the last Apache-2.0 release) is not.

An 8.x or 9.x cluster needs the client (and DSL) of its own major; everything that differs between
the client majors is in this module, in the branches on CLIENT_MAJOR below:
  - errors: 7.x raises everything from the transport (TransportError with status_code, its
    ConnectionError subclass for no answer); from 8.x the client raises ApiError (status_code,
    error) itself and only no-answer errors come from the transport, so the classifying moves from
    a Transport subclass to a client subclass;
  - the client's timeout is `timeout` in 7.x and `request_timeout` from 8.x;
  - the serializer is JSONSerializer (text) in 7.x, JsonSerializer (bytes) from 8.x;
  - the DSL is the elasticsearch-dsl package up to 8.x, `elasticsearch.dsl` inside the 9.x client.
The 8.x branches cannot run here (no 8.x server can be had on this project's machines).
"""

import elasticsearch
from elasticsearch import Elasticsearch, helpers

try:  # the client's own DSL: the 9.x client took elasticsearch-dsl in
    from elasticsearch import dsl
except ImportError:  # 7.x: the separate elasticsearch-dsl package
    import elasticsearch_dsl as dsl

from . import classifying

NAME = "elasticsearch"
LABEL = "Elasticsearch"
CLIENT_MAJOR = elasticsearch.VERSION[0]

__all__ = ["LABEL", "NAME", "bulk", "client", "dsl", "dumps", "identify", "scan"]

if CLIENT_MAJOR >= 8:
    from elasticsearch import ApiError as Answered
    from elasticsearch.exceptions import TransportError as NoAnswer  # elastic_transport's: refused, timed out
    from elasticsearch.serializer import JsonSerializer

    _dumps = JsonSerializer().dumps

    def dumps(value):
        return _dumps(value).decode()

else:
    from elasticsearch.exceptions import ConnectionError as NoAnswer  # refused, reset, timed out
    from elasticsearch.exceptions import TransportError as Answered
    from elasticsearch.serializer import JSONSerializer

    dumps = JSONSerializer().dumps


if CLIENT_MAJOR >= 8:

    class ClassifyingElasticsearch(Elasticsearch):
        perform_request = classifying(Elasticsearch.perform_request, NoAnswer, Answered)

    def client(urls, timeout):
        return ClassifyingElasticsearch(
            hosts=list(urls),
            request_timeout=timeout,
            max_retries=len(urls) - 1,
            retry_on_timeout=False,
            http_compress=False,
        )

else:

    class ClassifyingTransport(elasticsearch.Transport):
        perform_request = classifying(elasticsearch.Transport.perform_request, NoAnswer, Answered)

    def client(urls, timeout):
        # As for OpenSearch: no retry on a timeout, a refused connection tried once on each other node.
        return Elasticsearch(
            hosts=list(urls),
            timeout=timeout,
            max_retries=len(urls) - 1,
            retry_on_timeout=False,
            http_compress=False,
            transport_class=ClassifyingTransport,
        )


bulk = helpers.bulk
scan = helpers.scan


def identify(info):
    """(engine, version) from GET /: OpenSearch names its distribution, Elasticsearch does not."""
    version = info.get("version", {})
    return version.get("distribution", "elasticsearch"), version.get("number", "")
