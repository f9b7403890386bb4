"""What an engine's failure means, decided once (search/engines/__init__.py) and the same on every engine."""

import pytest
from django.core.management import CommandError, call_command

from search import engine
from search.engines import causes_of, classify

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

CLOSED_PORT = "http://127.0.0.1:9"  # discard: nothing listens there


def test_the_configured_engine_answers(search_engine):
    """The server behind SEARCH_ENGINE_URL is the engine SEARCH_ENGINE names (no pass tests the wrong one)."""
    name, version = engine.server_identity()
    assert name == engine.engine_name()
    assert version


def test_a_malformed_query_is_a_request_error_not_an_outage(search_engine):
    """The engine's 400 for a query it cannot parse leaves as EngineRequestError with its status."""
    with pytest.raises(engine.EngineRequestError) as caught:
        search_engine.search(index=engine.alias_name(), body={"query": {"no_such_query": {}}})
    assert caught.value.status == 400
    assert not isinstance(caught.value, engine.EngineUnavailable)


def test_a_closed_port_is_an_outage(settings, search_engine):
    """No answer at all (connection refused) leaves as EngineUnavailable, with no status."""
    settings.SEARCH_ENGINE_URL = CLOSED_PORT
    with pytest.raises(engine.EngineUnavailable) as caught:
        engine.get_client().search(index=engine.alias_name(), body={"query": {"match_all": {}}})
    assert caught.value.status is None


def test_a_missing_index_is_an_outage_until_a_rebuild(search_engine):
    """Searching an index nobody built leaves as IndexMissing, an outage for readers."""
    with pytest.raises(engine.IndexMissing) as caught:
        search_engine.search(index=f"{engine.alias_name()}-never-built", body={"query": {"match_all": {}}})
    assert caught.value.status == 404


@pytest.mark.parametrize(
    ("status", "error_type", "expected"),
    [
        (None, None, engine.EngineUnavailable),
        (429, "es_rejected_execution_exception", engine.EngineUnavailable),
        (503, "search_phase_execution_exception", engine.EngineUnavailable),
        (404, "index_not_found_exception", engine.IndexMissing),
        (400, "parsing_exception", engine.EngineRequestError),
        (409, "version_conflict_engine_exception", engine.EngineRequestError),
        (500, "exception", engine.EngineServerError),
    ],
)
def test_statuses_the_engine_cannot_be_made_to_send_are_classified_too(status, error_type, expected):
    """Busy and shard-less answers are outages, other 4xx are our bugs, 500 is the engine's failure."""
    error = classify("message", status, error_type)
    assert type(error) is expected
    assert (error.status, error.error_type) == (status, error_type)


# What OpenSearch answers for a search while the nodes holding its shards are being killed (all shards
# failed; the status is taken from the shards' causes), and for a search whose script failed on every shard.
NODE_LOST_BODY = {
    "error": {
        "type": "search_phase_execution_exception",
        "root_cause": [{"type": "node_disconnected_exception", "reason": "[node-2] disconnected"}],
        "failed_shards": [{"shard": 0, "reason": {"type": "node_disconnected_exception"}}],
    },
    "status": 500,
}
SCRIPT_FAILED_BODY = {
    "error": {
        "type": "search_phase_execution_exception",
        "root_cause": [{"type": "null_pointer_exception"}],
        "failed_shards": [{"shard": 0, "reason": {"type": "script_exception"}}],
    },
    "status": 500,
}


@pytest.mark.parametrize(
    ("body", "expected"),
    [(NODE_LOST_BODY, engine.EngineUnavailable), (SCRIPT_FAILED_BODY, engine.EngineServerError)],
    ids=["a-node-went-away", "the-engine-failed"],
)
def test_a_500_from_a_lost_node_is_an_outage_and_any_other_500_is_not(body, expected):
    """A 500 whose causes say a node went away falls back like any outage; a 500 for any other cause stays an error."""
    error = classify("message", 500, body["error"]["type"], causes_of(body))
    assert type(error) is expected


@pytest.mark.parametrize("command", ["search_check", "search_rebuild"])
def test_commands_refuse_a_server_that_is_not_the_configured_engine(settings, search_engine, command):
    """search_check and search_rebuild name the mismatch when SEARCH_ENGINE names the other engine."""
    other = next(name for name in engine.ENGINES if name != engine.engine_name())
    settings.SEARCH_ENGINE = other
    with pytest.raises(CommandError, match=f"SEARCH_ENGINE is {other} but the server"):
        call_command(command, "--no-progress" if command == "search_rebuild" else "--repair")
