"""An engine error is not an outage: only no answer falls back; a refused request is a server error."""

import logging

import pytest
from django.urls import reverse

from search import engine
from tests.search.helpers import engine_answered

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

CLOSED_PORT = "http://127.0.0.1:9"  # discard: nothing listens there


@pytest.fixture
def refusing_engine(search_engine):
    """The real engine answering 4xx to every search: the discovery index is closed."""
    search_engine.indices.close(index=engine.alias_name())
    yield search_engine
    search_engine.indices.open(index=engine.alias_name())


def test_a_refused_search_is_a_server_error_and_logged(client, product, refusing_engine, caplog):
    """The engine's 400 (a closed index) is a 500 with an ERROR log line, not database results."""
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="farmcast.search"):
        response = client.get(reverse("search:search"), {"q": "五常大米"})
    assert response.status_code == 500
    assert any(r.levelno == logging.ERROR and r.name == "farmcast.search" for r in caplog.records)


def test_a_refused_suggestion_is_a_server_error(client, product, refusing_engine):
    """Suggestions follow the same policy."""
    client.raise_request_exception = False
    assert client.get(reverse("search:suggest"), {"q": "五常"}).status_code == 500


@pytest.mark.fallback
def test_no_answer_falls_back_with_the_notice(client, settings, product, search_engine):
    """A closed port (no answer at all) is an outage: database results, the notice, Server-Timing says so."""
    settings.SEARCH_ENGINE_URL = CLOSED_PORT
    response = client.get(reverse("search:search"), {"q": "五常大米"})
    assert response.status_code == 200
    assert response.context["notice"] == "down"
    assert 'desc="database"' in response["Server-Timing"]


def test_an_answering_engine_says_so(client, product, index_now):
    """With the engine up, Server-Timing names it, for search and suggest alike."""
    index_now()
    engine_answered(client.get(reverse("search:search"), {"q": "五常大米"}))
    engine_answered(client.get(reverse("search:suggest"), {"q": "五常"}))


def test_the_guard_catches_a_fallback_in_an_engine_test(client, product, search_engine, settings):
    """tests/search/conftest.py: in an engine test, an outage that would fall back fails loudly instead."""
    settings.SEARCH_ENGINE_URL = CLOSED_PORT
    with pytest.raises(AssertionError, match="fallback answered"):
        client.get(reverse("search:search"), {"q": "五常大米"})
