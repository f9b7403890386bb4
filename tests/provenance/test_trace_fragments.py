"""The trace page's cached fragments: what a view still checks, and what makes it draw the timeline again.

The timeline, the verified box, the page's head, its structured data and its certificates come from cached
fragments (the box keyed on what the check read: the chain's last seal, the signed checkpoint, the file check);
the chain, its evidence hashes and its leaves in the log are read and checked on every view (brands/views.py),
against the latest signed checkpoint (cached until a new one is stored: test_trace_log_state.py).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brands import transparency
from brands.seal import seal_batch
from tests.provenance.conftest import make_batch, make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragment_cache")]

CHECKED_EVERY_VIEW = ("brands_provenanceevent", "brands_evidencefile", "brands_logleaf")
FROM_THE_FRAGMENTS = ("wagtailimages_rendition", "wagtailimages_image", "brands_certificate", "brands_farmbrandpage")


def view(client, batch):
    """(HTML, the SQL of its queries) of one anonymous view of the batch's English trace page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/trace/{batch.display_code}/")
    assert response.status_code == 200
    return response.content.decode(), " ".join(q["sql"] for q in queries.captured_queries)


def test_a_cached_view_checks_the_chain_and_the_log_but_draws_the_rest_from_fragments(client, sealed_batch):
    first, _ = view(client, sealed_batch)
    second, sql = view(client, sealed_batch)
    assert second == first
    assert 'class="seal seal--ok"' in second
    for table in CHECKED_EVERY_VIEW:
        assert f'"{table}"' in sql, table
    for table in FROM_THE_FRAGMENTS:
        assert f'"{table}"' not in sql, table


def test_a_row_changed_behind_the_applications_back_shows_broken_on_the_next_view(client, sealed_batch):
    """A raw UPDATE sends no signal, so no cache version moves: the check on the view still finds it."""
    view(client, sealed_batch)
    event = sealed_batch.events.get(sequence=2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE brands_provenanceevent SET note = %s WHERE id = %s", ["暴雨后收获", event.pk])
    html, _ = view(client, sealed_batch)
    assert 'class="seal seal--broken"' in html
    assert "This event fails the tamper check" in html
    assert "暴雨后收获" in html  # the timeline was drawn again, from today's rows


def test_a_newly_sealed_event_shows_though_no_cache_version_moved(client, sealed_batch):
    """The timeline's key holds the chain's last seal: a new event shows even before any on-commit purge runs."""
    view(client, sealed_batch)
    make_event(sealed_batch, "shipping", days_ago=1, note="冷链发往上海")
    seal_batch(sealed_batch)  # inside the test's transaction: its on-commit version bumps never run
    html, _ = view(client, sealed_batch)
    assert "冷链发往上海" in html


def test_a_cached_view_makes_four_queries(client, sealed_batch):
    """The batch (with the brand its seals cover), its events, their evidence rows, its leaves in the log."""
    view(client, sealed_batch)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/en/trace/{sealed_batch.display_code}/")
    tables = [q["sql"].split()[1].split(".")[0] for q in queries.captured_queries]  # SELECT "table"."id", …
    assert tables == ['"brands_batch"', '"brands_provenanceevent"', '"brands_evidencefile"', '"brands_logleaf"']


def box(html):
    """The verified box of a trace page's HTML."""
    return html[html.index('<section class="seal') : html.index("</section>", html.index('<section class="seal'))]


def test_the_verified_box_shows_a_checkpoint_signed_after_a_cached_view(client, sealed_batch, product):
    """Another batch's event grows the log: this chain's last seal is the same, the signed checkpoint is not.
    Inside the test's transaction no on-commit version bump runs: the box's own key must tell them apart."""
    before = box(view(client, sealed_batch)[0])
    other = make_batch(product)
    make_event(other, "harvest", days_ago=3)
    seal_batch(other)
    transparency.sign_checkpoint()
    after = box(view(client, sealed_batch)[0])
    size = transparency.LogCheckpoint.objects.latest_signed().size
    assert f"checkpoint of {size} entries" in after
    assert f"checkpoint of {size} entries" not in before


def test_the_verified_box_shows_a_file_check_run_after_a_cached_view(client, sealed_batch):
    assert "have not been re-hashed yet" in box(view(client, sealed_batch)[0])
    transparency.TraceCheck.objects.create(files=True, batches=1, broken=[])  # no on-commit bump: the key tells
    after = box(view(client, sealed_batch)[0])
    assert "Evidence files were last re-hashed" in after
    assert "have not been re-hashed yet" not in after


def test_a_labels_log_state_draws_the_verified_box_afresh(client, sealed_batch):
    """The box then answers the link's value, which anyone can type: it is never taken from the cache."""
    plain = box(view(client, sealed_batch)[0])
    response = client.get(f"/en/trace/{sealed_batch.display_code}/", {"log": "1." + "A" * 43})
    labelled = box(response.content.decode())
    assert "Does not match this link" in labelled
    assert "Does not match this link" not in plain
