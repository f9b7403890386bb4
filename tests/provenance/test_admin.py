"""Editors manage batches, events and certificates as snippets; seal and label sheet views."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from brands.seal import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["batch", "provenanceevent", "certificate"])
def test_snippet_listings_and_add_forms_render(admin_client, sealed_batch, model):
    """Each provenance snippet has a listing and an add form."""
    assert admin_client.get(reverse(f"wagtailsnippets_brands_{model}:list")).status_code == 200
    assert admin_client.get(reverse(f"wagtailsnippets_brands_{model}:add")).status_code == 200


def test_batch_edit_page_links_to_seal_and_labels(admin_client, sealed_batch):
    """The batch's edit page offers sealing, the label sheet and the public page."""
    body = admin_client.get(reverse("wagtailsnippets_brands_batch:edit", args=[sealed_batch.pk])).content.decode()
    assert reverse("provenance_batch_seal", args=[sealed_batch.pk]) in body
    assert reverse("provenance_batch_labels", args=[sealed_batch.pk]) in body


def test_event_edit_page_has_the_evidence_inline(admin_client, sealed_batch):
    """Evidence files are added on the event's own edit page."""
    event = sealed_batch.events.get(sequence=2)
    body = admin_client.get(reverse("wagtailsnippets_brands_provenanceevent:edit", args=[event.pk])).content.decode()
    assert "evidence-FORMS" in body or "id_evidence-TOTAL_FORMS" in body


def test_the_seal_view_confirms_then_seals(admin_client, batch, timeline):
    """GET lists the pending events; POST seals them and the chain verifies."""
    url = reverse("provenance_batch_seal", args=[batch.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not batch.events.filter(seal="").exists()
    assert verify_chain(batch).ok


def test_the_label_sheet_holds_the_requested_number_of_codes(admin_client, sealed_batch):
    """A print-ready page with one inline SVG QR code per label; a bad count falls back, never a 500."""
    url = reverse("provenance_batch_labels", args=[sealed_batch.pk])
    body = admin_client.get(url, {"count": 6}).content.decode()
    assert body.count("<svg") == 6
    assert f"/trace/{sealed_batch.display_code}/" in body
    assert admin_client.get(url, {"count": "lots"}).status_code == 200


def test_anonymous_and_non_editors_cannot_seal_or_print(client, batch, timeline):
    """Anonymous users go to the login page; admin users without batch permissions are turned away."""
    from django.contrib.auth.models import Permission

    url = reverse("provenance_batch_seal", args=[batch.pk])
    assert "/admin/login/" in client.post(url)["Location"]
    user = get_user_model().objects.create_user("viewer", "v@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    # Wagtail turns PermissionDenied in admin views into a redirect to the dashboard with a message.
    assert client.post(url)["Location"] == "/admin/"
    assert client.get(reverse("provenance_batch_labels", args=[batch.pk]))["Location"] == "/admin/"
    assert batch.events.filter(seal="").count() == 3


def test_deleting_a_sealed_event_in_the_batch_form_is_refused(admin_client, sealed_batch):
    """The batch form refuses to drop a sealed event: corrections are the way."""
    url = reverse("wagtailsnippets_brands_batch:edit", args=[sealed_batch.pk])
    page = admin_client.get(url)
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value.pk if hasattr(value, "pk") else value
    events = form.formsets["events"]
    data.update({f"events-{k}": v for k, v in events.management_form.initial.items()})
    for i, child in enumerate(events.forms):
        for name in child.fields:
            value = child.initial.get(name)
            if value is not None:
                data[f"events-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
        data[f"events-{i}-id"] = child.instance.pk
        data[f"events-{i}-ORDER"] = i
    data["events-0-DELETE"] = "1"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert sealed_batch.events.count() == 3
