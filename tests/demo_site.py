"""The base class of TestCase classes that read the session's shared demo (the demo_site fixture in tests/conftest.py)."""

import pytest
from django.test import TestCase


@pytest.mark.usefixtures("demo_site")
class DemoSiteTestCase(TestCase):
    """A TestCase over demo_site's content: each class and each test in a savepoint of demo_site's transaction.

    Django's TestCase closes every database connection after a class, which would end demo_site's open
    transaction (and lose the demo) for the classes after it; this one only rolls its own savepoint back.
    """

    @classmethod
    def tearDownClass(cls):
        if cls._databases_support_transactions() and cls._databases_support_savepoints():
            cls._rollback_atomics(cls.cls_atomics)
        super(TestCase, cls).tearDownClass()
