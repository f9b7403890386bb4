"""The test database after a fixture's bulk load."""

from django.db import connection


def refresh_planner_statistics():
    """Run ANALYZE on PostgreSQL, so the query planner knows the rows a fixture just wrote.

    A run empties the tables again and again (flushes, rolled-back tests), and autovacuum's last ANALYZE
    of a table may have seen it empty; a fixture that then loads a few hundred pages in an open
    transaction (autovacuum never sees uncommitted rows) gets plans made for empty tables. Measured in a
    full run on 2026-12-01: the yardstick's 202 fallback searches took 240 s before ANALYZE and 14 s
    after it (15 s when tests/search runs alone). ANALYZE counts the rows of the transaction it runs in;
    SQLite plans without such statistics.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
