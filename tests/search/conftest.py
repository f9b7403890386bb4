"""The real engine for search tests (engine_url, in tests/conftest.py: skip on a laptop without it, fail under CI=true)."""

import os

import pytest
from django.core.management import call_command

from search import engine, labels, synonyms, views
from search.documents import create_index


@pytest.fixture
def search_engine(engine_url, settings, db):
    """A fresh, empty discovery index behind the alias, for this test only."""
    settings.SEARCH_ENGINE_URL = engine_url
    # The pid keeps two test runs on one engine (a developer's and make test) out of each other's way.
    settings.SEARCH_INDEX_PREFIX = f"farmcast-test-{os.getpid()}"
    client = engine.get_client()
    alias = engine.alias_name()
    client.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
    index = create_index(client)
    client.indices.put_alias(index=index, name=alias)
    yield client
    client.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)


@pytest.fixture
def index_now(search_engine):
    """Apply the outbox as the worker would, then refresh so the changes are searchable (no sleeping)."""

    def apply():
        call_command("search_worker", "--drain", stdout=open(os.devnull, "w"))  # noqa: SIM115
        search_engine.indices.refresh(index=engine.alias_name())

    return apply


@pytest.fixture(autouse=True)
def _fresh_snippet_cache():
    """Each test's regions, categories and synonyms, not a rolled-back test's, label facets and expand queries."""
    labels.forget()
    synonyms.forget()
    yield
    labels.forget()
    synonyms.forget()


@pytest.fixture(autouse=True)
def _engine_tests_are_answered_by_the_engine(request, monkeypatch):
    """In a test with the engine, the database fallback answering /search/ or /search/suggest/ fails it.

    Otherwise a test of the engine passes just as well when every request quietly fell back (47 of
    60 did, issue 16). Tests of the fallback while the engine is down say so with @pytest.mark.fallback.
    """
    if "search_engine" not in request.fixturenames or request.node.get_closest_marker("fallback"):
        return

    def refuse(*args, **kwargs):
        raise AssertionError("the database fallback answered a test of the engine")

    monkeypatch.setattr(views, "database_search", refuse)
    monkeypatch.setattr(views, "database_suggestions", refuse)
