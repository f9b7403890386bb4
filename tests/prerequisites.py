"""What a test does when a part it needs (a service, a tool, the whole of a module) is not there."""

import os

import pytest


def missing(reason):
    """Fail under CI=true, where `make test` must have installed and started every part; skip elsewhere.

    A laptop without PostgreSQL, an engine or Chromium still runs the rest of the suite, and the skip says
    what to install; a CI run can never pass by leaving a part out.
    """
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)
