"""The page cache switched on (test settings leave it off) on an empty cache, and helpers to read it."""

import re

import pytest

from home.cache import HEADER


@pytest.fixture(autouse=True)
def page_cache_on(page_cache_on):
    """Every test here runs with the page cache on (tests/conftest.py)."""
    return page_cache_on


@pytest.fixture
def purges(commits):
    """Run what happens on commit (the purges), as it would in production after the editor's transaction."""
    return commits


def cache_state(response):
    return response.get(HEADER)


def get(client, url, **extra):
    """GET `url`, returning (cache state, decoded body)."""
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return cache_state(response), response.content.decode()


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def csrf_tokens(body):
    return CSRF_INPUT.findall(body)


def without_csrf_tokens(body):
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', body)
