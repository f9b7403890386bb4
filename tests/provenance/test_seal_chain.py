"""The seal chain: sealing, verification, tamper detection behind the ORM, corrections."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command, execute_from_command_line
from django.db import connection

from brands.models.provenance import ProvenanceEvent, SealedEventError
from brands.seal import GENESIS, seal_batch, verify_chain
from brands.transparency import sign_checkpoint
from tests.factories import make_region

from .conftest import make_event

pytestmark = pytest.mark.django_db


def raw_update(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_sealing_links_each_event_to_the_previous_seal(batch, timeline):
    """Events are sealed in time order, numbered 1..n, each pointing at the seal before it."""
    assert seal_batch(batch) == 3
    events = list(batch.events.order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].previous_seal == GENESIS
    assert events[1].previous_seal == events[0].seal
    assert events[2].previous_seal == events[1].seal
    assert all(len(e.seal) == 64 for e in events)
    assert verify_chain(batch).ok


def test_sealing_again_only_extends_the_chain(sealed_batch):
    """A second seal leaves sealed events alone and appends new ones."""
    before = dict(sealed_batch.events.values_list("pk", "seal"))
    assert seal_batch(sealed_batch) == 0
    make_event(sealed_batch, "shipping", days_ago=10)
    assert seal_batch(sealed_batch) == 1
    after = dict(sealed_batch.events.values_list("pk", "seal"))
    assert {pk: after[pk] for pk in before} == before
    assert verify_chain(sealed_batch).ok


def test_raw_sql_edit_of_a_note_is_caught_at_that_event(sealed_batch):
    """Changing a sealed row behind the application's back breaks the chain exactly there."""
    second = sealed_batch.events.get(sequence=2)
    raw_update(f"UPDATE {ProvenanceEvent._meta.db_table} SET note = %s WHERE id = %s", ["暴雨后收获", second.pk])
    result = verify_chain(sealed_batch)
    assert not result.ok
    assert result.failed_sequence == 2
    assert "changed" in str(result.reason)


def test_rewriting_a_seal_to_match_is_caught_by_the_next_link(sealed_batch):
    """Someone who edits an event, its sealed text and its seal consistently still breaks the link to the next event."""
    from brands.seal import canonical_bytes, canonical_payload, seal_of

    second = sealed_batch.events.get(sequence=2)
    second.actor = "别人"
    canonical = canonical_bytes(canonical_payload(second))
    raw_update(
        f"UPDATE {ProvenanceEvent._meta.db_table} SET actor = %s, canonical = %s, seal = %s WHERE id = %s",
        ["别人", canonical.decode(), seal_of(second.previous_seal, canonical), second.pk],
    )
    result = verify_chain(sealed_batch)
    assert result.failed_sequence == 3
    assert "link" in str(result.reason)


def test_deleting_an_event_behind_the_orm_is_caught(sealed_batch):
    """A missing event in the middle shows as a gap in the chain."""
    second = sealed_batch.events.get(sequence=2)
    raw_update("DELETE FROM brands_evidencefile WHERE event_id = %s", [second.pk])
    raw_update(f"DELETE FROM {ProvenanceEvent._meta.db_table} WHERE id = %s", [second.pk])
    result = verify_chain(sealed_batch)
    assert not result.ok
    assert result.failed_sequence == 3


def test_changing_an_evidence_hash_is_caught(sealed_batch):
    """Evidence hashes are part of the seal: swapping a file's recorded hash breaks it."""
    second = sealed_batch.events.get(sequence=2)
    raw_update("UPDATE brands_evidencefile SET sha256 = %s WHERE event_id = %s", ["0" * 64, second.pk])
    assert verify_chain(sealed_batch).failed_sequence == 2


def test_replacing_an_evidence_file_is_caught_when_files_are_checked(sealed_batch):
    """With check_files, the file's bytes are hashed again and compared with the sealed hash."""
    evidence = sealed_batch.events.get(sequence=2).evidence.get()
    with evidence.image.file.open("wb") as handle:
        handle.write(b"edited photo")
    assert verify_chain(sealed_batch).ok
    result = verify_chain(sealed_batch, check_files=True)
    assert result.failed_sequence == 2
    assert "evidence file" in str(result.reason)


def test_a_sealed_event_refuses_edits_through_clean_and_save(sealed_batch):
    """clean() explains the refusal to editors; save() refuses code that skips clean()."""
    event = sealed_batch.events.get(sequence=1)
    event.note = "改过的说明"
    with pytest.raises(ValidationError, match="sealed"):
        event.full_clean()
    with pytest.raises(SealedEventError):
        event.save()
    with pytest.raises(SealedEventError):
        sealed_batch.events.get(sequence=1).delete()


def test_an_unchanged_sealed_event_can_be_saved(sealed_batch):
    """Saving the batch re-saves its events: unchanged sealed ones must pass."""
    event = sealed_batch.events.get(sequence=1)
    event.full_clean()
    event.save()
    assert verify_chain(sealed_batch).ok


def test_a_correction_is_a_new_event_and_history_stays_intact(sealed_batch):
    """A correction refers to the corrected event's seal; the corrected event is untouched."""
    harvest = sealed_batch.events.get(sequence=2)
    correction = make_event(
        sealed_batch, "harvest", days_ago=19, corrects=harvest, note="更正：收获日期晚一天", actor="编辑"
    )
    correction.full_clean()
    assert seal_batch(sealed_batch) == 1
    correction.refresh_from_db()
    assert correction.sequence == 4
    from brands.seal import canonical_payload

    assert canonical_payload(correction)["corrects"] == harvest.seal
    harvest.refresh_from_db()
    assert harvest.note == "晴天收获"
    assert verify_chain(sealed_batch).ok


def test_correcting_an_unsealed_event_is_refused(batch, timeline):
    """Unsealed events are edited directly; only sealed ones get corrections."""
    correction = make_event(batch, "harvest", days_ago=19, corrects=timeline[1])
    with pytest.raises(ValidationError) as error:
        correction.full_clean()
    assert "corrects" in error.value.message_dict


def test_publishing_the_product_seals_its_batches(batch, timeline, product):
    """Publishing the product page is the moment provenance becomes public and sealed."""
    product.save_revision().publish()
    assert not batch.events.filter(seal="").exists()
    assert verify_chain(batch).ok


def test_trace_verify_exits_zero_when_intact_and_one_on_a_break(sealed_batch, capsys):
    """The command checks every batch and fails loudly on a broken chain."""
    call_command("trace_verify")
    assert "1 batches verified" in capsys.readouterr().out
    second = sealed_batch.events.get(sequence=2)
    raw_update(f"UPDATE {ProvenanceEvent._meta.db_table} SET note = %s WHERE id = %s", ["x", second.pk])
    # Through the command line, as cron or CI runs it, so the process exit status is what is checked.
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "trace_verify", "--no-color"])
    assert exit_info.value.code == 1
    assert "event 2" in capsys.readouterr().err


def test_a_region_renamed_after_sealing_still_verifies_and_the_page_shows_its_new_name(client, batch):
    """Region names may change after sealing (a rename, not a forgery); the check reads only the codes, and the
    timeline and the JSON's `today` show today's names beside the sealed ones."""
    province = make_region(name="测试省")
    city = make_region(parent=province, name="测试市")
    make_event(batch, "harvest", days_ago=5, region=city)
    seal_batch(batch)
    sign_checkpoint()
    province.name = "改名省"
    province.save()
    assert verify_chain(batch).ok
    html = client.get(f"/trace/{batch.display_code}/").content.decode()
    assert "改名省 · 测试市" in html
    assert 'class="seal seal--ok"' in html
    data = client.get(f"/trace/{batch.display_code}/", {"format": "json"}).json()
    assert data["verified"] is True
    assert [r["name"] for r in data["events"][0]["today"]["region"]["names"]] == ["改名省", "测试市"]
    assert [r["name"] for r in data["events"][0]["payload"]["region"]["names"]] == ["测试省", "测试市"]


def test_an_event_moved_to_another_region_behind_the_orm_is_caught(sealed_batch):
    second = sealed_batch.events.get(sequence=2)
    raw_update(
        f"UPDATE {ProvenanceEvent._meta.db_table} SET region_id = %s WHERE id = %s", [make_region().pk, second.pk]
    )
    result = verify_chain(sealed_batch)
    assert not result.ok
    assert result.failed_sequence == 2
    assert "region.code" in str(result.reason)
