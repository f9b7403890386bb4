"""On PostgreSQL a query a connection runs again is prepared, so the server stops planning it (settings/base.py)."""

import pytest
from django.db import connection
from wagtail.models import Page

from tests.prerequisites import missing


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_query_run_twice_on_a_connection_is_prepared():
    if connection.vendor != "postgresql":
        missing("prepared statements are PostgreSQL's (set DATABASE_URL)")

    # An ordering no other code asks for: the connection outlives a test, and a query another test already ran
    # twice would be prepared before this test starts.
    def lookup(depth):
        return list(Page.objects.filter(depth=depth).order_by("-numchild", "-draft_title"))

    def prepared_lookups():
        return [sql for sql in prepared_statements() if '"depth" = $1' in sql and '"draft_title" DESC' in sql]

    lookup(1)
    assert prepared_lookups() == []
    lookup(2)
    statements = prepared_lookups()
    assert len(statements) == 1  # the parameters travel apart from the SQL, so one statement serves any value
