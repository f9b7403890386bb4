"""manage.py trace_witness against a real server: it accepts a growing log and catches a forked one."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from brands import transparency
from brands.seal import seal_batch

from .conftest import make_batch, make_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def witness(live_server, tmp_path):
    def run():
        call_command("trace_witness", live_server.url, state=str(tmp_path))

    return run


@pytest.fixture
def logged(product):
    batch = make_batch(product)
    make_event(batch, "planting", days_ago=150)
    make_event(batch, "harvest", days_ago=20)
    seal_batch(batch)
    transparency.sign_checkpoint()
    return batch


def test_the_witness_follows_a_growing_log(witness, logged, capsys):
    """First run pins the key; after more sealing, the new checkpoint is proven to extend the old one."""
    witness()
    assert "pinned the site's key" in capsys.readouterr().out
    make_event(logged, "packing", days_ago=10)
    seal_batch(logged)
    transparency.sign_checkpoint()
    witness()
    assert "consistent" in capsys.readouterr().out


def test_the_witness_exits_non_zero_on_a_fork(witness, logged):
    """Someone with the database and the key rewrites history and re-signs: same size, or grown, the witness says fork."""
    witness()
    with connection.cursor() as cursor:  # the root subtree of the 2-leaf log, rewritten
        cursor.execute("UPDATE brands_lognode SET hash = %s WHERE level = 1 AND position = 0", ["ab" * 32])
    transparency.sign_checkpoint(force=True)
    with pytest.raises(CommandError, match="FORK"):
        witness()
    make_event(logged, "packing", days_ago=10)
    seal_batch(logged)
    transparency.sign_checkpoint()
    with pytest.raises(CommandError, match="FORK"):
        witness()
