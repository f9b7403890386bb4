"""tests.database.refresh_planner_statistics: the planner learns the rows of a fixture's open transaction."""

import pytest
from django.contrib.auth.models import User
from django.db import connection

from tests.database import refresh_planner_statistics
from tests.prerequisites import missing


def planned_rows(queryset):
    """The planner's estimate of the rows a query returns (EXPLAIN's "rows=")."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = cursor.fetchone()[0]
    return int(plan.split("rows=")[1].split()[0])


@pytest.mark.django_db
def test_the_planner_counts_the_rows_written_in_the_open_transaction():
    """After a bulk load in a test's transaction, a filter on the loaded rows is estimated from what ANALYZE
    saw in that transaction, not from the table as autovacuum last saw it (empty, after a flush): plans
    made for empty tables are what made the yardstick's fallback searches take 240 s in a full run."""
    if connection.vendor != "postgresql":
        missing("planner statistics are PostgreSQL's (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE auth_user")  # what autovacuum saw after a flush: no users
    User.objects.bulk_create(User(username=f"bulk-{n}", last_name="Bulk") for n in range(2000))
    loaded = User.objects.filter(last_name="Bulk")
    assert planned_rows(loaded) < 100  # still planned as if the table had been empty
    refresh_planner_statistics()
    assert planned_rows(loaded) > 1500
