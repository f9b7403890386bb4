"""The editors' translation of sealed words: added after sealing without touching the seal, shown outside it."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from brands.models.provenance import Certificate, EvidenceFile, ProvenanceEvent, SealedEventError
from brands.seal import seal_batch, verify_chain
from brands.transparency import sign_checkpoint
from tests import factories
from tests.admin_forms import form_errors

from .conftest import add_photo, make_batch, make_event

pytestmark = pytest.mark.django_db

NOTE_EN = "Harvested on a sunny day."


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("translator", "translator@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def harvest(sealed_batch):
    """The sealed harvest event: its time has seconds, which the admin's date widget does not show."""
    event = sealed_batch.events.get(stage="harvest")
    assert event.is_sealed and event.occurred_at.second + event.occurred_at.microsecond > 0
    return event


def event_form(client, event):
    url = reverse("wagtailsnippets_brands_provenanceevent:edit", args=[event.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, querydict_from_html(response.content.decode(), form_id="w-editor-form")


def trace_soup(client, batch, prefix=""):
    response = client.get(f"{prefix}/trace/{batch.display_code}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_a_sealed_event_takes_a_translation_in_its_admin_form_and_stays_verified(editor, sealed_batch, harvest):
    """Posting the sealed event's form back with only a translation added saves it; the seal and chain are untouched."""
    sealed = ProvenanceEvent.objects.values("seal", "canonical", "occurred_at", "note").get(pk=harvest.pk)
    url, data = event_form(editor, harvest)
    data["note_translation"] = NOTE_EN
    response = editor.post(url, data)
    assert response.status_code == 302, form_errors(response)
    harvest.refresh_from_db()
    assert harvest.note_translation == NOTE_EN
    assert ProvenanceEvent.objects.values("seal", "canonical", "occurred_at", "note").get(pk=harvest.pk) == sealed
    assert verify_chain(sealed_batch).ok


def test_changing_a_sealed_field_beside_the_translation_is_refused_on_that_field(editor, sealed_batch, harvest):
    """A new note (or time) sent with a translation: errors on those fields, nothing saved, the chain intact."""
    url, data = event_form(editor, harvest)
    data["note_translation"] = NOTE_EN
    data["note"] = "暴雨后收获"
    data["occurred_at"] = timezone.localtime(harvest.occurred_at - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    errors = form_errors(editor.post(url, data))
    assert {"note", "occurred_at"} <= set(errors), errors
    harvest.refresh_from_db()
    assert (harvest.note, harvest.note_translation) == ("晴天收获", "")
    assert verify_chain(sealed_batch).ok


def test_the_model_saves_a_translation_of_a_sealed_note_and_refuses_a_new_note(sealed_batch, harvest):
    """The translation is outside the seal for clean() and save() as well; the note itself still cannot change."""
    seal = harvest.seal
    harvest.note_translation = NOTE_EN
    harvest.full_clean()
    harvest.save()
    assert ProvenanceEvent.objects.get(pk=harvest.pk).seal == seal
    assert verify_chain(sealed_batch).ok
    harvest.note = "暴雨后收获"
    with pytest.raises(ValidationError, match="sealed"):
        harvest.full_clean()
    with pytest.raises(SealedEventError):
        harvest.save()


def test_the_english_trace_page_shows_the_translation_outside_the_verified_box_marked_not_sealed(
    client, sealed_batch, harvest
):
    """Under /en/ the sealed note stays Chinese; the English follows it in the timeline, labelled as unsealed."""
    ProvenanceEvent.objects.filter(pk=harvest.pk).update(note_translation=NOTE_EN)
    soup = trace_soup(client, sealed_batch, "/en")
    translation = soup.select_one(f"#event-{harvest.sequence} .translation")
    assert translation["lang"] == "en" and NOTE_EN in translation.get_text()
    assert "translation--unsealed" in translation["class"]
    assert translation.select_one(".lang-label").get_text() == "Translated by the editors, not sealed"
    assert translation.find_previous_sibling(class_="timeline__note").select_one('[lang="zh-Hans"]').get_text() == (
        "晴天收获"
    )
    assert NOTE_EN not in soup.select_one("section.seal").get_text(), "nothing unsealed inside the verified box"
    assert '<strong class="seal__badge">Verified</strong>' in str(soup)
    assert NOTE_EN not in str(trace_soup(client, sealed_batch)), "Chinese readers read the sealed note itself"


def test_a_sealed_photo_caption_shows_its_translation_under_it_and_the_batch_stays_verified(client, product):
    """A caption is sealed; its translation, added later, sits in the figure's caption, labelled not sealed."""
    batch = make_batch(product)
    add_photo(make_event(batch, "harvest"), caption="收获现场")
    seal_batch(batch)
    sign_checkpoint()
    EvidenceFile.objects.filter(event__batch=batch).update(caption_translation="The harvest in the field")
    assert verify_chain(batch).ok
    figcaption = trace_soup(client, batch, "/en").select_one("figcaption")
    assert figcaption.select_one('[lang="zh-Hans"]').get_text() == "收获现场"
    translation = figcaption.select_one(".translation--unsealed")
    assert translation["lang"] == "en" and translation.get_text().endswith("The harvest in the field")


def test_the_sealed_json_carries_no_translation(client, sealed_batch, harvest):
    """The record a third party re-hashes is the sealed one: the translation is not in it."""
    ProvenanceEvent.objects.filter(pk=harvest.pk).update(note_translation=NOTE_EN)
    record = json.dumps(client.get(f"/trace/{sealed_batch.display_code}/?format=json").json(), ensure_ascii=False)
    assert "晴天收获" in record and NOTE_EN not in record


@pytest.fixture
def certificate(product):
    today = timezone.localdate()
    return Certificate.objects.create(
        product=product,
        certification_type=factories.make_certification(name="绿色食品", slug="green-food"),
        number="LB-18-0001",
        issuer="中国绿色食品发展中心",
        issuer_translation="China Green Food Development Center",
        valid_from=today - timedelta(days=30),
        valid_to=today + timedelta(days=300),
    )


def test_a_certificate_issuer_shows_its_translation_to_english_readers(client, sealed_batch, certificate):
    """The issuer as written, marked Chinese, then the editors' English; the Chinese page shows only the issuer."""
    issuer = trace_soup(client, sealed_batch, "/en").select_one(".certificate__facts div:nth-of-type(2) dd")
    assert issuer.select_one('[lang="zh-Hans"]').get_text() == "中国绿色食品发展中心"
    assert issuer.select_one('.translation[lang="en"]').get_text().endswith("China Green Food Development Center")
    assert "China Green Food" not in str(trace_soup(client, sealed_batch))


def test_an_over_long_issuer_translation_is_a_field_error(editor, certificate):
    """The certificate form refuses a translation longer than an issuer may be, on its field."""
    url = reverse("wagtailsnippets_brands_certificate:edit", args=[certificate.pk])
    data = querydict_from_html(editor.get(url).content.decode(), form_id="w-editor-form")
    data["issuer_translation"] = "x" * 201
    assert "issuer_translation" in form_errors(editor.post(url, data))


def test_a_batch_with_sealed_events_saves_when_its_form_comes_back_untouched(editor, sealed_batch):
    """The batch form re-posts its sealed events as the widgets showed them (times to the minute): they pass as stored."""
    url = reverse("wagtailsnippets_brands_batch:edit", args=[sealed_batch.pk])
    data = querydict_from_html(editor.get(url).content.decode(), form_id="w-editor-form")
    data["status"] = "sold_out"
    response = editor.post(url, data)
    assert response.status_code == 302, form_errors(response)
    sealed_batch.refresh_from_db()
    assert sealed_batch.status == "sold_out"
    assert verify_chain(sealed_batch).ok
