"""Editors manage batches, events and certificates as snippets; seal and label sheet views."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    data = _unchanged_batch_form(admin_client, sealed_batch)
    data["events-0-DELETE"] = "1"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    # Refused for that reason, not for another error in the re-sent form.
    assert "不能删除" in str(response.context["form"].non_field_errors())
    assert sealed_batch.events.count() == 3


def _unchanged_batch_form(admin_client, batch):
    """The batch edit form's data as the admin would send it back with nothing changed."""
    page = admin_client.get(reverse("wagtailsnippets_brands_batch:edit", args=[batch.pk]))
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
                data[f"events-{i}-{name}"] = (
                    value.isoformat() if hasattr(value, "isoformat") else getattr(value, "pk", value)
                )
        data[f"events-{i}-id"] = child.instance.pk
        data[f"events-{i}-ORDER"] = i
    return data


def test_unsealed_events_put_a_seal_button_in_the_batch_header(admin_client, batch, timeline):
    """A batch with events waiting for a seal says how many in a header button leading to the seal step."""
    with translation.override(settings.LANGUAGE_CODE):
        label = ngettext("Seal %(n)d pending event", "Seal %(n)d pending events", 3) % {"n": 3}
    body = admin_client.get(reverse("wagtailsnippets_brands_batch:edit", args=[batch.pk])).content.decode()
    assert label in body
    assert body.count(reverse("provenance_batch_seal", args=[batch.pk])) >= 2  # the header button and the menu


def test_a_sealed_batch_has_no_seal_button_in_its_header(admin_client, sealed_batch):
    """Nothing waits for a seal, so the header does not ask for one."""
    with translation.override(settings.LANGUAGE_CODE):
        label = ngettext("Seal %(n)d pending event", "Seal %(n)d pending events", 0) % {"n": 0}
    body = admin_client.get(reverse("wagtailsnippets_brands_batch:edit", args=[sealed_batch.pk])).content.decode()
    assert label not in body


def test_saving_a_batch_with_unsealed_events_says_they_are_not_public_and_offers_the_seal(
    admin_client, batch, timeline
):
    """After saving, a warning says the events are not public until sealed, with a button to the seal step;
    nothing is sealed by saving."""
    url = reverse("wagtailsnippets_brands_batch:edit", args=[batch.pk])
    response = admin_client.post(url, _unchanged_batch_form(admin_client, batch), follow=True)
    assert response.status_code == 200
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings, [str(m) for m in response.context["messages"]]
    assert batch.display_code in str(warnings[0])
    assert reverse("provenance_batch_seal", args=[batch.pk]) in response.content.decode()
    assert batch.events.filter(seal="").count() == 3


def test_the_batch_listing_counts_events_waiting_for_a_seal(admin_client, batch, timeline):
    """The batches list has a column of events waiting for a seal, counted in the listing's own query."""
    response = admin_client.get(reverse("wagtailsnippets_brands_batch:list"))
    with translation.override(settings.LANGUAGE_CODE):
        heading = str(_("Events waiting for a seal"))
    assert heading in response.content.decode()
    assert [b.pending_seal for b in response.context["object_list"]] == [3]
