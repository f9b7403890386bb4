"""Assertions the search tests share."""


def engine_answered(response):
    """The response came from the engine, as its Server-Timing header says."""
    assert response.status_code == 200, response.status_code
    assert 'desc="engine"' in response["Server-Timing"], response["Server-Timing"]
    return response
