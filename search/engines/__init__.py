"""The engines the discovery index can run on, one small module each, and the errors they all raise.

Each module wraps one engine's own client and DSL and offers the same names, which search.engine
picks by settings.SEARCH_ENGINE; nothing else in search/ imports an engine's library:

    NAME              the SEARCH_ENGINE value that selects it
    LABEL             the engine's name for people ("OpenSearch")
    dsl               its DSL module: Q, Search, Document, InnerDoc and the field classes. Both engines'
                      DSLs speak the elasticsearch-dsl API, so the mapping and the query are written
                      once against it (search.documents.declare_document, search.query).
    client(urls, timeout)
                      a client for those nodes whose every call raises only the errors below
    bulk(client, actions, **options), scan(client, **options)
                      its helpers (bulk writes, scrolling reads)
    dumps(value)      JSON as its client would send it (search_rebuild writes bulk bodies itself)
    identify(info)    (engine name, version) from the server's answer to GET /, to tell a server
                      that is not the configured engine

The errors are classified here, once, from what the engine answered (see classify()): the views,
the outbox and the commands decide what to do with each class, never with an engine's exception.
"""


class EngineError(Exception):
    """Anything that went wrong talking to the discovery engine.

    `status` is the HTTP status the engine answered with (None when it did not answer) and
    `error_type` the engine's own name for the error ("index_not_found_exception"), when it said.
    """

    def __init__(self, message, status=None, error_type=None):
        super().__init__(message)
        self.status = status
        self.error_type = error_type


class EngineUnavailable(EngineError):
    """An outage: no answer (refused, reset, timed out), or the engine says it cannot serve now.

    Readers fall back to the database, the outbox retries later. A 429 (queue full, circuit
    breaker) and a 502/503/504 (no shard copy ready, a proxy without a node) count: they pass
    with time or a node's return, and nothing in the request was wrong.
    """


class IndexMissing(EngineUnavailable):
    """The engine answers but the discovery index is not there (never built, or deleted by hand).

    An outage for readers until `search_rebuild` runs, not a bug in the request.
    """


class EngineRequestError(EngineError):
    """The engine answered 4xx to a request it could not accept: a bug on our side (a malformed
    query, a mapping conflict, a refused document), to be logged as an error and not hidden."""


class EngineServerError(EngineError):
    """The engine answered 500 or another unexpected status: it failed while handling a request."""


# The engine is busy or has no shard copy to serve from; retrying later works.
_TRANSIENT_STATUSES = {429, 502, 503, 504}

# A node of the cluster went away while serving the request. The engine answers 500 for these (a search
# whose shards all failed takes its status from the shards' causes), yet they pass when the node returns
# or its shards move: an outage, as a load test that kills the cluster under search traffic saw.
_NODE_LOST = {
    "node_disconnected_exception",
    "node_closed_exception",
    "node_not_connected_exception",
    "connect_transport_exception",
    "send_request_transport_exception",
    "no_shard_available_action_exception",
}


def classify(message, status=None, error_type=None, causes=()):
    """The EngineError for one failure: `status` None means the engine never answered.

    `causes` are the error types the engine named beneath its own (root causes, failed shards' reasons).
    """
    if status is None:
        return EngineUnavailable(message)
    if status == 404 and error_type == "index_not_found_exception":
        return IndexMissing(message, status, error_type)
    if status in _TRANSIENT_STATUSES or (status >= 500 and _NODE_LOST & {error_type, *causes}):
        return EngineUnavailable(message, status, error_type)
    if 400 <= status < 500:
        return EngineRequestError(message, status, error_type)
    return EngineServerError(message, status, error_type)


def classifying(perform_request, no_answer, answered):
    """`perform_request` (a client's or its transport's) raising only the errors above.

    Every API call, helper and DSL request passes through perform_request, so this is the one place
    an engine's exception becomes ours. `no_answer` are the client's exceptions for a node that did
    not answer (raised after every node was tried), `answered` those carrying the engine's HTTP
    status (`status_code`) and error type (`error`).
    """

    def perform_classified(self, *args, **kwargs):
        try:
            return perform_request(self, *args, **kwargs)
        except no_answer as error:
            raise classify(str(error)) from error
        except answered as error:
            status = error.status_code if isinstance(error.status_code, int) else None
            error_type = error.error if isinstance(error.error, str) else None
            raise classify(str(error), status, error_type, causes_of(error.info)) from error

    return perform_classified


def causes_of(info):
    """The error types under an engine's error body: its root causes and its failed shards' reasons."""
    error = info.get("error") if isinstance(info, dict) else None
    if not isinstance(error, dict):
        return ()
    beneath = [*error.get("root_cause", ()), *(shard.get("reason", {}) for shard in error.get("failed_shards", ()))]
    return tuple(cause.get("type") for cause in beneath if isinstance(cause, dict))
