"""Recalling a batch (issue 15 item 9): an admin action that seals the recall into the chain and the log,
and a red banner on the batch's trace page and its product page."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from brands import transparency
from brands.models.provenance import Batch, ProvenanceEvent, SealedEventError
from brands.recall import AlreadyRecalled, recall_batch
from feedback.models import Status
from feedback.recalls import notify_reviewers_of_recall
from stories.follows.notifications import notify_followers_of_recall
from tests import factories
from tests.feedback.conftest import review_on
from tests.stories.test_follows import followed, news

from .conftest import make_event
from .surfaces import all_surfaces

pytestmark = pytest.mark.django_db

REASON = "检出镉超标，请勿食用；凭批次号到购买处退款。"


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("recaller", "recaller@example.com", "pw", first_name="王质检")
    UserProfile.objects.create(user=user, preferred_language="en")
    client.force_login(user)
    return client


def recall_url(batch):
    return reverse("provenance_batch_recall", args=[batch.pk])


def test_the_admin_recall_seals_the_reason_into_the_chain_and_the_log(editor, client, sealed_batch, tmp_path):
    """POSTing the recall form marks the batch recalled and seals a recall event into its chain and the log."""
    leaves_before = transparency.log_size()
    edit_page = editor.get(reverse("wagtailsnippets_brands_batch:edit", args=[sealed_batch.pk])).content.decode()
    assert recall_url(sealed_batch) in edit_page
    assert editor.get(recall_url(sealed_batch)).status_code == 200
    response = editor.post(recall_url(sealed_batch), {"reason": REASON, "actor": "五常稻香质检部"})
    assert response.status_code == 302
    sealed_batch.refresh_from_db()
    assert sealed_batch.status == Batch.Status.RECALLED
    recall = sealed_batch.events.recalls().get()
    assert (recall.sequence, recall.note, recall.actor) == (4, REASON, "五常稻香质检部")
    assert transparency.log_size() == leaves_before + 1  # the recall event's leaf
    transparency.sign_checkpoint()  # what the recall's on-commit hook does; test transactions never commit
    seen = all_surfaces(client, sealed_batch, tmp_path)
    assert seen.data["verified"] is True and seen.verify_exit == 0 and seen.offline_exit == 0, seen
    assert seen.data["status"] == "recalled"
    assert seen.data["recall"]["reason"] == REASON and seen.data["recall"]["sequence"] == 4
    assert "This batch has been recalled" in seen.page and REASON in seen.page
    assert "Verified" in seen.page  # a recall is news in the record, not a break of it


def test_the_trace_and_product_pages_show_the_recall_in_red_in_both_languages(client, sealed_batch, product):
    """The banner (role=alert) leads the trace page and sits on the product page, in Chinese and in English."""
    recall_batch(sealed_batch, REASON, "质检部")
    chinese = client.get(f"/trace/{sealed_batch.display_code}/").content.decode()
    assert 'class="recall-banner" role="alert"' in chinese and "该批次已召回" in chinese and REASON in chinese
    english = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    assert "This batch has been recalled" in english
    product_page = client.get(product.url).content.decode()
    assert 'class="recall-banner" role="alert"' in product_page and sealed_batch.display_code in product_page
    assert "已召回" in product_page


def test_a_recall_without_a_reason_is_refused_on_the_field(editor, sealed_batch):
    """An empty or blank reason: a 400 with the error on the reason field, and nothing recorded."""
    response = editor.post(recall_url(sealed_batch), {"reason": "   ", "actor": "质检部"})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    sealed_batch.refresh_from_db()
    assert sealed_batch.status != Batch.Status.RECALLED and not sealed_batch.events.recalls().exists()


def test_a_recall_cannot_be_taken_back(editor, sealed_batch):
    """The status stays recalled (a field error in the admin), the recall event is not deleted, no second recall."""
    recall = recall_batch(sealed_batch, REASON, "质检部")
    url = reverse("wagtailsnippets_brands_batch:edit", args=[sealed_batch.pk])
    data = querydict_from_html(editor.get(url).content.decode(), form_id="w-editor-form")
    data["status"] = Batch.Status.AVAILABLE
    response = editor.post(url, data)
    assert response.status_code == 200 and "status" in response.context["form"].errors
    sealed_batch.refresh_from_db()
    assert sealed_batch.status == Batch.Status.RECALLED
    with pytest.raises(SealedEventError), transaction.atomic():  # the refusal rolls the delete's transaction back
        ProvenanceEvent.objects.filter(pk=recall.pk).delete()
    with pytest.raises(AlreadyRecalled):
        recall_batch(sealed_batch, "再次召回", "质检部")
    assert editor.post(recall_url(sealed_batch), {"reason": "x", "actor": "y"}).status_code == 302
    assert sealed_batch.events.recalls().count() == 1


def test_a_draft_event_does_not_hold_a_recall_back(sealed_batch):
    """Only the recall is sealed: an unfinished (invalid) draft event of the batch stays a draft."""
    draft = make_event(sealed_batch, "shipping", days_ago=400)  # before the harvest: not valid yet
    recall = recall_batch(sealed_batch, REASON, "质检部")
    assert recall.is_sealed
    draft.refresh_from_db()
    assert not draft.is_sealed


def test_the_recall_feeds_list_public_recalls_only(client, sealed_batch, product, brand):
    """RSS and Atom carry each sealed recall (reason, trace page); a recall of a restricted product stays private."""
    recall_batch(sealed_batch, REASON, "质检部")
    trace_url = f"http://testserver/trace/{sealed_batch.display_code}/"
    rss = client.get("/trace/recalls/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert REASON in body and trace_url in body and sealed_batch.display_code in body
    atom = client.get("/trace/recalls/atom/").content.decode()
    assert REASON in atom and "<feed" in atom
    PageViewRestriction.objects.create(page=brand, restriction_type=PageViewRestriction.LOGIN)
    assert REASON not in client.get("/trace/recalls/rss/").content.decode()


def test_followers_of_the_brand_get_one_email_about_the_recall(
    client, sealed_batch, brand, mailoutbox, django_capture_on_commit_callbacks
):
    """Each confirmed follower of the brand gets one email (reason, trace page, unsubscribe); a retry sends none."""
    cache.clear()  # the follow form is rate limited per client
    followed(client, brand, mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        recall_batch(sealed_batch, REASON, "质检部")
    [mail] = news(mailoutbox)
    assert sealed_batch.display_code in mail.subject and "已召回" in mail.subject
    assert REASON in mail.body and f"/trace/{sealed_batch.display_code}/" in mail.body
    assert mail.extra_headers.get("List-Unsubscribe")
    assert notify_followers_of_recall.call(sealed_batch.pk) == 0  # once, ever
    assert len(news(mailoutbox)) == 1


def test_reviewers_who_verified_the_lot_get_one_email_each_in_their_language(
    sealed_batch, product, mailoutbox, django_capture_on_commit_callbacks
):
    """Confirmed writers of reviews naming the lot (either language) get one email; others and retries get none."""
    english = factories.make_english_translation(product, title="Wuchang rice")
    verified = {"lot_code": sealed_batch.lot_code, "batch_verified": True}
    review_on(product, email="zh@example.com", **verified)
    review_on(product, email="zh@example.com", title="第二次买", **verified)  # the same buyer twice: one email
    review_on(english, email="en@example.com", display_name="Ann", **verified)
    review_on(product, email="unconfirmed@example.com", confirmed_at=None, status=Status.UNCONFIRMED, **verified)
    review_on(product, email="no-lot@example.com")
    review_on(product, email="other-lot@example.com", lot_code="WC7K3MXP", batch_verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        recall_batch(sealed_batch, REASON, "质检部")

    mailed = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(mailed) == ["en@example.com", "zh@example.com"]
    chinese, english_mail = mailed["zh@example.com"], mailed["en@example.com"]
    assert "已召回" in chinese.subject and "五常大米" in chinese.subject and REASON in chinese.body
    assert f"/trace/{sealed_batch.display_code}/" in chinese.body
    assert (
        english_mail.subject.startswith("Recalled: Wuchang rice") and "Your review of Wuchang rice" in english_mail.body
    )
    assert notify_reviewers_of_recall.call(sealed_batch.pk) == 0  # once, ever
    assert len(mailoutbox) == 2


def test_the_review_form_says_a_named_lot_may_bring_a_recall_email(client, product):
    """The reason an address may get a recall email is written beside the address field, in both languages."""
    # The help text itself: "召回"/"recalled" alone also appear in the follow form's promise on the page.
    assert "若您填写的批次被召回，会通知您一次" in client.get(product.url).content.decode()
    factories.make_english_translation(product)
    assert (
        "if the batch you name is ever recalled, to tell you once" in client.get(f"/en{product.url}").content.decode()
    )
