"""Sixty seconds of 64 connections on pages, search and suggest: every answer arrives, none is an error."""

import pytest

from .helpers import FIGURES, bad_statuses, hold_latency_ceiling, start_wrk, wrk_paths, wrk_result

pytestmark = pytest.mark.load

SECONDS = 60
CONNECTIONS = 64


def test_sixty_seconds_at_64_connections_answer_every_request_without_errors(load_site):
    """Pages, search and suggest under wrk: no socket errors, only 2xx/3xx, search from the engine, p99 under its ceiling."""
    paths = wrk_paths(load_site, "pages", "search", "suggest")
    result = wrk_result(start_wrk(load_site, paths, SECONDS, CONNECTIONS, "mixed"))
    FIGURES.append(
        f"mixed load: {result['requests']} requests in {result['seconds']} s at {CONNECTIONS} connections "
        f"({result['requests'] / result['seconds']:.0f}/s), p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"max {result['max_ms']} ms; statuses {result['statuses']}; {result['kinds']}"
    )
    assert result["requests"] > 0, result["report"]
    assert not any(result["socket_errors"].values()), result["report"]
    assert not bad_statuses(result), load_site.server_log()
    hold_latency_ceiling(result, "mixed")
    # With a healthy engine the fallback must not be what answered.
    assert result["kinds"].get("search_engine", 0) > 0
    assert result["kinds"].get("suggest_engine", 0) > 0
    assert not result["kinds"].get("search_database") and not result["kinds"].get("suggest_database"), result["kinds"]
