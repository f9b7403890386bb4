"""Browser tests: the shared `browser` and `page` fixtures live in tests/conftest.py."""

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS"]
