"""Issue 15's attacks, made as an insider would (through the admin, or with database access): each is
refused, or shown as broken on the page, in the JSON, by trace_verify and by the offline script."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import querydict_from_html

from brands.forms import SEALED_FILE_MESSAGE
from brands.models.provenance import Batch, EvidenceFile, ProvenanceEvent, SealedEventError
from tests import factories

from .conftest import jpeg_bytes
from .surfaces import all_surfaces, bundle_of, offline, trace_verify

pytestmark = pytest.mark.django_db


def raw_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def insider(client):
    """A superuser: the strongest admin account there is."""
    from wagtail.users.models import UserProfile

    user = get_user_model().objects.create_superuser("insider", "insider@example.com", "pw")
    UserProfile.objects.create(user=user, preferred_language="en")  # the admin's messages in English
    client.force_login(user)
    return client


def error_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def edit_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


def test_an_intact_batch_is_verified_on_every_surface(client, sealed_batch, tmp_path):
    """The baseline: page, JSON, trace_verify and the offline script all say verified."""
    seen = all_surfaces(client, sealed_batch, tmp_path)
    assert "Verified" in seen.page and "Not verified" not in seen.page
    assert seen.data["verified"] is True
    assert seen.verify_exit == 0, seen.verify_output
    assert seen.offline_exit == 0, seen.offline_output


def test_replacing_a_sealed_photo_in_the_image_editor_is_refused(insider, sealed_batch):
    """Wagtail's image edit keeps the id; for sealed evidence a new file is refused with a reason, in form and model."""
    evidence = EvidenceFile.objects.get(event__batch=sealed_batch)
    image = evidence.image
    url = reverse("wagtailimages:edit", args=[image.pk])
    data = edit_form(insider, url)
    data["file"] = SimpleUploadedFile("swapped.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = insider.post(url, data)
    assert response.status_code == 200
    with translation.override("en"):  # the reason, not just any refusal
        refusals = [str(error.message) for error in response.context["form"].errors.as_data()["file"]]
        assert refusals == [str(SEALED_FILE_MESSAGE)]
    image.refresh_from_db()
    assert image.file.name == evidence.image.file.name
    image.file = SimpleUploadedFile("swapped.jpg", jpeg_bytes())
    with pytest.raises(SealedEventError):
        image.save()


def test_a_file_changed_on_disk_is_found_by_the_file_check_and_then_shown_broken(client, sealed_batch, tmp_path):
    """The page never hashes files; the scheduled --files run does, and the page then shows the break."""
    evidence = EvidenceFile.objects.get(event__batch=sealed_batch)
    swapped = jpeg_bytes("2019:01:01 08:00:00")  # another photo, same file name
    with evidence.image.file.open("wb") as handle:
        handle.write(swapped)
    assert (
        "Evidence files have not been re-hashed yet"
        in client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    )
    exit_code, output = trace_verify("--files")
    assert exit_code == 1 and "evidence file changed" in output
    seen = all_surfaces(client, sealed_batch, tmp_path)
    assert "Not verified" in seen.page and "Evidence files were last re-hashed" in seen.page
    assert seen.data["verified"] is False
    local = tmp_path / "downloaded.jpg"
    local.write_bytes(swapped)
    exit_code, output = offline(tmp_path, bundle_of(client, sealed_batch), "--file", str(local))
    assert exit_code == 1 and "not one the chain sealed" in output


def test_bulk_deleting_sealed_events_is_refused_with_a_message(insider, sealed_batch):
    """/admin/bulk/brands/provenanceevent/delete/?id=…: a message and a redirect, never a 500, nothing deleted."""
    ids = list(sealed_batch.events.values_list("pk", flat=True))
    url = reverse("wagtail_bulk_action", args=["brands", "provenanceevent", "delete"])
    query = "&".join(f"id={pk}" for pk in ids[-2:])
    response = insider.post(f"{url}?{query}", {})
    assert response.status_code == 302
    assert any("never deleted" in m for m in error_messages(response))
    assert sealed_batch.events.count() == 3
    with pytest.raises(SealedEventError):
        ProvenanceEvent.objects.filter(pk__in=ids).delete()


def test_deleting_one_sealed_event_is_refused_with_a_message(insider, sealed_batch):
    """The single delete view answers with a message, not a 500."""
    event = sealed_batch.events.get(sequence=3)
    response = insider.post(reverse("wagtailsnippets_brands_provenanceevent:delete", args=[event.pk]))
    assert response.status_code == 302
    assert any("never deleted" in m for m in error_messages(response))
    assert ProvenanceEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_batch_or_its_product_is_refused_with_a_message(insider, sealed_batch, product):
    """Batch delete and the product page's delete (a cascade) are both refused; a queryset delete raises."""
    response = insider.post(reverse("wagtailsnippets_brands_batch:delete", args=[sealed_batch.pk]))
    assert response.status_code == 302
    assert any("never deleted" in m for m in error_messages(response))
    response = insider.post(reverse("wagtailadmin_pages:delete", args=[product.pk]))
    assert response.status_code == 302
    assert any("never deleted" in m for m in error_messages(response))
    assert Batch.objects.filter(pk=sealed_batch.pk).exists()
    with pytest.raises(SealedEventError):
        Batch.objects.filter(pk=sealed_batch.pk).delete()


def test_a_truncated_chain_shows_as_broken_everywhere(client, sealed_batch, tmp_path):
    """Deleting the last event behind the application's back: the log still holds it, so every surface says broken."""
    last = sealed_batch.events.get(sequence=3)
    raw_sql("DELETE FROM brands_evidencefile WHERE event_id = %s", [last.pk])
    raw_sql("DELETE FROM brands_provenanceevent WHERE id = %s", [last.pk])
    seen = all_surfaces(client, sealed_batch, tmp_path)
    assert seen.broken_everywhere, seen
    assert "only 2 are here" in seen.page
    assert seen.data["failure"]["sequence"] == 3
    assert "the log holds 3 sealed events" in seen.offline_output


def test_moving_a_sealed_batch_to_another_product_is_refused_and_shown_broken(
    insider, sealed_batch, brand, category, tmp_path
):
    """In the admin: a field error. With database access: every surface shows the batch is not what was sealed."""
    other_brand = factories.make_brand(brand.get_parent(), title="赣南脐橙", slug="gannan", region=brand.region)
    orange = factories.make_product(other_brand, title="脐橙", slug="orange", category=category)
    url = reverse("wagtailsnippets_brands_batch:edit", args=[sealed_batch.pk])
    data = edit_form(insider, url)
    data["product"] = orange.pk
    data["harvest_date"] = "2020-01-01"
    response = insider.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "product" in errors and "harvest_date" in errors
    raw_sql("UPDATE brands_batch SET product_id = %s, quantity = %s WHERE id = %s", [orange.pk, 9999, sealed_batch.pk])
    sealed_batch.refresh_from_db()
    seen = all_surfaces(insider, sealed_batch, tmp_path)
    assert seen.broken_everywhere, seen
    assert "product.id" in seen.page and "batch.quantity" in seen.page
    assert "batch.quantity, brand.id, product.id" in seen.offline_output


def test_changing_an_evidence_caption_and_kind_is_refused_and_shown_broken(insider, sealed_batch, tmp_path):
    """The evidence inline refuses the change; done in SQL it breaks the seal on every surface."""
    event = sealed_batch.events.get(sequence=2)
    url = reverse("wagtailsnippets_brands_provenanceevent:edit", args=[event.pk])
    data = edit_form(insider, url)
    data["evidence-0-caption"] = "SGS 实验室检测报告：全部合格"
    data["evidence-0-kind"] = "lab_test"
    response = insider.post(url, data)
    assert response.status_code == 200
    assert EvidenceFile.objects.get(event=event).caption != "SGS 实验室检测报告：全部合格"
    raw_sql(
        "UPDATE brands_evidencefile SET caption = %s, kind = %s WHERE event_id = %s",
        ["SGS 实验室检测报告：全部合格", "lab_test", event.pk],
    )
    seen = all_surfaces(insider, sealed_batch, tmp_path)
    assert seen.broken_everywhere, seen
    assert seen.data["failure"]["sequence"] == 2
    assert "event 2: what the site shows changed after it was sealed (evidence)" in seen.offline_output


def test_a_raw_sql_edit_of_a_note_is_shown_broken_everywhere(client, sealed_batch, tmp_path):
    """Editing a sealed row in the database: the page, JSON, trace_verify and the offline script name event 2."""
    event = sealed_batch.events.get(sequence=2)
    raw_sql("UPDATE brands_provenanceevent SET note = %s WHERE id = %s", ["暴雨后收获", event.pk])
    seen = all_surfaces(client, sealed_batch, tmp_path)
    assert seen.broken_everywhere, seen
    assert seen.data["failure"]["sequence"] == 2
    assert "event 2" in seen.verify_output
    assert "event 2: what the site shows changed after it was sealed (note)" in seen.offline_output


def test_a_rewritten_sealed_text_is_not_in_the_signed_log(client, sealed_batch, tmp_path):
    """Rewriting the sealed text and every seal after it keeps the chain consistent, but the log does not hold it."""
    from brands.seal import canonical_bytes, seal_of

    previous = ""
    for event in sealed_batch.events.order_by("sequence"):
        payload = event.sealed_payload
        payload["actor"] = "别人"
        canonical = canonical_bytes(payload)
        seal = seal_of(previous, canonical)
        raw_sql(
            "UPDATE brands_provenanceevent SET actor = %s, canonical = %s, previous_seal = %s, seal = %s WHERE id = %s",
            ["别人", canonical.decode(), previous, seal, event.pk],
        )
        previous = seal
    seen = all_surfaces(client, sealed_batch, tmp_path)
    assert seen.broken_everywhere, seen
    assert "not the event the log holds" in seen.page
    assert "it is not in the signed log" in seen.offline_output
