"""Each editor in their own room: every role × every object type × every path to it, and what each gets.

Roles: a superuser; Heilongjiang's government editor and reviewer (`policy_region_setup`); Jiangxi's
editor; each brand's own editor (`brand_setup`); the site-wide feedback moderator; an anonymous visitor.
Paths: the admin's single views (edit, delete, unpublish, move, a new slug), its bulk actions, page,
snippet, document and image choosers (lists and chosen-by-id), file replacement, the read API, and the
public views that serve part of a page (calendar, trace and its JSON, feeds, sitemap).

A cell that changes something (a POST) runs in a savepoint rolled back afterwards, so every cell sees the
same world; it reports OK when the change happened. The holes of issue 17 have their own tests in
tests/security/test_rooms.py.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from brands.models import Batch, Certificate, ProvenanceEvent
from feedback.models import Question, Review
from stories.models import PolicyNewsPage
from tests import factories
from tests.admin_forms import add_form_data, edit_form_data
from tests.feedback.conftest import question_on as make_question_on
from tests.feedback.conftest import review_on as make_review
from tests.rooms import (
    PDF,
    add_brand_rooms,
    build_rooms,
    make_batch,
    make_certificate,
    make_document,
    post_replacement,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "superuser",
    "editor",
    "reviewer",
    "other_editor",
    "brand_editor",
    "other_brand_editor",
    "moderator",
    "anonymous",
)
OK, NO, LOGIN = "ok", "no", "login"


class _RolledBack(Exception):
    pass


def rolled_back(action):
    """Run `action()` (a POST and a look at what it changed) in a savepoint that is then undone."""
    try:
        with transaction.atomic():
            outcome = action()
            raise _RolledBack(outcome)
    except _RolledBack as done:
        return done.args[0]


def opened(response):
    """OK for the view itself, LOGIN for the login page, NO for a refusal (403, 404, a redirect away)."""
    if response.status_code == 200:
        return OK
    if response.status_code == 302 and "login" in response["Location"]:
        return LOGIN
    assert response.status_code in (302, 403, 404, 405), response.status_code
    return NO


def served(response):
    """OK when a file came back (Wagtail sends people without access to the login page, logged in or not)."""
    return OK if response.status_code == 200 else NO


def listed(response, text):
    """OK when a chooser's or listing's answer shows `text`."""
    if response.status_code != 200:
        return opened(response)
    body = response.json()["html"] if response["Content-Type"].startswith("application/json") else response.content
    if isinstance(body, bytes):
        body = body.decode()
    return OK if text in body else NO


def page_state(pk):
    page = Page.objects.filter(pk=pk).first()
    return None if page is None else (page.live, page.slug, page.get_parent().pk)


def post_changes(client, url, data, pk):
    """OK when POSTing `data` to `url` deleted, unpublished, moved or renamed page `pk`."""

    def action():
        before = page_state(pk)
        client.post(url, data)
        return OK if page_state(pk) != before else NO

    return rolled_back(action)


def bulk(client, action, pk, **data):
    return post_changes(client, f"/admin/bulk/wagtailcore/page/{action}/?id={pk}", data, pk)


def snippet_url(model, view, *args):
    return reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{view}", args=args)


def chooser_url(model, view="choose", *args):
    return reverse(f"wagtailsnippetchoosers_{model._meta.app_label}_{model._meta.model_name}:{view}", args=args)


def snippet_deleted(client, model, obj, bulk_action=False):
    def action():
        if bulk_action:
            client.post(f"/admin/bulk/{model._meta.app_label}/{model._meta.model_name}/delete/?id={obj.pk}", {})
        else:
            client.post(snippet_url(model, "delete", obj.pk), {})
        return NO if model.objects.filter(pk=obj.pk).exists() else OK

    return rolled_back(action)


def file_replaced(client, file, name, content):
    """OK when POSTing the file's edit form with new bytes replaced them.

    Wagtail deletes the old file from storage when it saves a replacement, and the savepoint only
    undoes the database row: the old bytes are put back, so later cells still download them.
    """
    storage, old_name = file.file.storage, type(file).objects.get(pk=file.pk).file.name
    with storage.open(old_name, "rb") as handle:
        old_bytes = handle.read()

    def action():
        post_replacement(client, file, name, content)
        return OK if type(file).objects.get(pk=file.pk).file.name != old_name else NO

    try:
        return rolled_back(action)
    finally:
        if not storage.exists(old_name):
            storage.save(old_name, ContentFile(old_bytes))


def news_created(client, w, section_region, authority, **extra):
    """OK when a notice posted into Heilongjiang's section with these regions and authority was created."""

    def action():
        response = client.get(reverse("wagtailadmin_pages:add", args=("stories", "policynewspage", w.home.section.pk)))
        if response.status_code != 200:
            return NO
        url, data = add_form_data(
            client,
            PolicyNewsPage,
            w.home.section,
            title="矩阵通知",
            slug="matrix-notice",
            authority=authority,
            regions=[str(section_region.pk)],
            effective_date="2025-03-01",
            summary="矩阵。",
            body='{"blocks":[{"key":"a","type":"unstyled","text":"正文","depth":0,"inlineStyleRanges":[],'
            '"entityRanges":[]}],"entityMap":{}}',
            **extra,
        )
        client.post(url, data)
        news = PolicyNewsPage.objects.filter(slug="matrix-notice").first()
        if news is None:
            return NO
        attached = {a.document_id for a in news.get_latest_revision_as_object().attachments.all()}
        wanted = extra.get("attachments-0-document")
        return OK if wanted is None or int(wanted) in attached else NO

    return rolled_back(action)


def slug_renamed(client, page, slug):
    def action():
        response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        if response.status_code != 200:
            return NO
        client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), edit_form_data(client, page, slug=slug))
        return OK if Page.objects.get(pk=page.pk).slug == slug else NO

    return rolled_back(action)


def attachment_data(document):
    return {
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-document": str(document.pk),
        "attachments-0-title": "",
        "attachments-0-ORDER": "1",
        "attachments-0-id": "",
        "attachments-0-DELETE": "",
    }


# --- The world -------------------------------------------------------------------------------------


@pytest.fixture
def w(db):
    rooms = add_brand_rooms(build_rooms())
    t = rooms.things
    brand_room, other_room = t["brand_editor_room"], t["other_brand_editor_room"]
    t["review"] = make_review(rooms.product, title="own-brand-review")
    t["other_review"] = make_review(rooms.other_product, title="other-brand-review")
    t["question"] = make_question_on(rooms.brand, body="own-brand-question")
    t["batch"] = make_batch(rooms.product, rooms.brand.region)
    t["other_batch"] = make_batch(rooms.other_product, rooms.other_brand.region)
    t["event"] = t["batch"].events.get()
    t["certificate"] = make_certificate(rooms.product, number="OWN-CERT")
    t["other_certificate"] = make_certificate(rooms.other_product, number="OTHER-CERT")
    t["other_story"] = factories.make_story(rooms.tree.stories, brand=rooms.other_brand, slug="other-story")
    t["draft_document"] = make_document("黑龙江草稿附件", rooms.home.drafts, name="draft.pdf")
    t["brand_image"] = factories.make_image(title="稻香标志", collection=brand_room.collection)
    t["other_brand_image"] = factories.make_image(title="果园标志", collection=other_room.collection)
    rooms.brand.logo = t["brand_image"]
    rooms.brand.save_revision().publish()
    # A broadcast and a policy section behind a login; a brand behind one, with a batch to trace.
    start = timezone.now() + datetime.timedelta(days=3)
    t["private_broadcast"] = factories.make_broadcast(
        rooms.tree.replays,
        brand=rooms.brand,
        slug="members-live",
        scheduled_start=start,
        scheduled_end=start + datetime.timedelta(hours=1),
    )
    PageViewRestriction.objects.create(page=t["private_broadcast"], restriction_type=PageViewRestriction.LOGIN)
    harbin = factories.make_region(name="哈尔滨市", name_en="Harbin", parent=rooms.home.section.region, slug="harbin")
    t["private_section"] = factories.make_policy_section(harbin, rooms.home.section)
    t["private_news"] = factories.make_policy_news(t["private_section"], title="哈尔滨内部通知")
    PageViewRestriction.objects.create(page=t["private_section"], restriction_type=PageViewRestriction.LOGIN)
    t["private_brand"] = factories.make_brand(rooms.tree.brands, title="内部品牌", slug="members-brand")
    t["private_batch"] = make_batch(factories.make_product(t["private_brand"]), rooms.brand.region)
    PageViewRestriction.objects.create(page=t["private_brand"], restriction_type=PageViewRestriction.LOGIN)
    return rooms


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


# --- The matrix ------------------------------------------------------------------------------------
# name: (how to try it, expected outcome per role in ROLES' order)
# Columns: superuser, editor, reviewer, other_editor, brand_editor, other_brand_editor, moderator, anonymous.

L = LOGIN
CELLS = {
    # Policy news and sections: a government's own room.
    "edit own region's news": (lambda w, c: opened(c.get(edit_url(w.home_news))), (OK, OK, OK, NO, NO, NO, NO, L)),
    "edit other region's news": (lambda w, c: opened(c.get(edit_url(w.other_news))), (OK, NO, NO, OK, NO, NO, NO, L)),
    "add news in own section": (
        lambda w, c: news_created(c, w, w.home.section.region, "黑龙江省农业农村厅"),
        (OK, OK, OK, NO, NO, NO, NO, NO),
    ),
    "news tagged and signed for another region": (
        lambda w, c: news_created(c, w, w.other.section.region, "江西省农业农村厅"),
        (NO, NO, NO, NO, NO, NO, NO, NO),
    ),
    "attach another region's document": (
        lambda w, c: news_created(
            c, w, w.home.section.region, "黑龙江省农业农村厅", **attachment_data(w.things["other_document"])
        ),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "delete own news": (
        lambda w, c: post_changes(c, reverse("wagtailadmin_pages:delete", args=(w.home_news.pk,)), {}, w.home_news.pk),
        (OK, NO, OK, NO, NO, NO, NO, NO),
    ),
    "bulk delete own news": (lambda w, c: bulk(c, "delete", w.home_news.pk), (OK, NO, OK, NO, NO, NO, NO, NO)),
    "unpublish own news": (
        lambda w, c: post_changes(
            c, reverse("wagtailadmin_pages:unpublish", args=(w.home_news.pk,)), {}, w.home_news.pk
        ),
        (OK, NO, OK, NO, NO, NO, NO, NO),
    ),
    "bulk unpublish other region's news": (
        lambda w, c: bulk(c, "unpublish", w.other_news.pk),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "open move of own news": (
        lambda w, c: opened(c.get(reverse("wagtailadmin_pages:move", args=(w.home_news.pk,)))),
        (OK, NO, OK, NO, NO, NO, NO, L),
    ),
    "delete own section": (
        lambda w, c: post_changes(
            c, reverse("wagtailadmin_pages:delete", args=(w.home.section.pk,)), {}, w.home.section.pk
        ),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "bulk delete own section": (lambda w, c: bulk(c, "delete", w.home.section.pk), (OK, NO, NO, NO, NO, NO, NO, NO)),
    "unpublish own section": (
        lambda w, c: post_changes(
            c,
            reverse("wagtailadmin_pages:unpublish", args=(w.home.section.pk,)),
            {"include_descendants": "on"},
            w.home.section.pk,
        ),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "bulk unpublish own section": (
        lambda w, c: bulk(c, "unpublish", w.home.section.pk, include_descendants="on"),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "move own section": (
        lambda w, c: post_changes(
            c,
            reverse("wagtailadmin_pages:move_confirm", args=(w.home.section.pk, w.tree.home.pk)),
            {},
            w.home.section.pk,
        ),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "bulk move own section": (
        lambda w, c: bulk(c, "move", w.home.section.pk, chooser=w.tree.home.pk),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "rename own section's slug": (
        lambda w, c: slug_renamed(c, w.home.section, "renamed"),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "edit /policy/": (lambda w, c: opened(c.get(edit_url(w.tree.policy))), (OK, NO, NO, NO, NO, NO, NO, L)),
    # Wagtail opens the explorer at any page under a user's explorable root (for a brand's editors, the home
    # page, above their brand, /stories/ and /replays/), but lists only pages they may explore.
    "explorer lists own section's news": (
        lambda w, c: listed(c.get(reverse("wagtailadmin_explore", args=(w.home.section.pk,))), "黑龙江春耕通知"),
        (OK, OK, OK, NO, NO, NO, NO, L),
    ),
    # Brands, products, stories, replays: a brand's own room.
    "edit own brand": (lambda w, c: opened(c.get(edit_url(w.brand))), (OK, NO, NO, NO, OK, NO, NO, L)),
    "edit other brand": (lambda w, c: opened(c.get(edit_url(w.other_brand))), (OK, NO, NO, NO, NO, OK, NO, L)),
    "rename own brand's slug": (lambda w, c: slug_renamed(c, w.brand, "renamed"), (OK, NO, NO, NO, NO, NO, NO, NO)),
    "unpublish own brand": (
        lambda w, c: post_changes(c, reverse("wagtailadmin_pages:unpublish", args=(w.brand.pk,)), {}, w.brand.pk),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "edit /brands/": (lambda w, c: opened(c.get(edit_url(w.tree.brands))), (OK, NO, NO, NO, NO, NO, NO, L)),
    "unpublish /stories/": (
        lambda w, c: post_changes(
            c, reverse("wagtailadmin_pages:unpublish", args=(w.tree.stories.pk,)), {}, w.tree.stories.pk
        ),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    "edit own product": (lambda w, c: opened(c.get(edit_url(w.product))), (OK, NO, NO, NO, OK, NO, NO, L)),
    "bulk delete own product": (lambda w, c: bulk(c, "delete", w.product.pk), (OK, NO, NO, NO, OK, NO, NO, NO)),
    "bulk delete other brand's product": (
        lambda w, c: bulk(c, "delete", w.other_product.pk),
        (OK, NO, NO, NO, NO, OK, NO, NO),
    ),
    "edit own brand's story": (lambda w, c: opened(c.get(edit_url(w.story))), (OK, NO, NO, NO, OK, NO, NO, L)),
    "edit other brand's story": (
        lambda w, c: opened(c.get(edit_url(w.things["other_story"]))),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "unpublish other brand's story": (
        lambda w, c: post_changes(
            c,
            reverse("wagtailadmin_pages:unpublish", args=(w.things["other_story"].pk,)),
            {},
            w.things["other_story"].pk,
        ),
        (OK, NO, NO, NO, NO, OK, NO, NO),
    ),
    "add a story": (
        lambda w, c: opened(
            c.get(reverse("wagtailadmin_pages:add", args=("stories", "brandstorypage", w.tree.stories.pk)))
        ),
        (OK, NO, NO, NO, OK, OK, NO, L),
    ),
    "edit own brand's broadcast": (
        lambda w, c: opened(c.get(edit_url(w.broadcast))),
        (OK, NO, NO, NO, OK, NO, NO, L),
    ),
    # Page chooser: live public pages, and one's own.
    "page chooser shows other region's draft": (
        lambda w, c: listed(
            c.get(reverse("wagtailadmin_choose_page_child", args=(w.other.section.pk,))), "江西草稿通知"
        ),
        (OK, NO, NO, OK, NO, NO, NO, L),
    ),
    "page chooser shows other region's live news": (
        lambda w, c: listed(
            c.get(reverse("wagtailadmin_choose_page_child", args=(w.other.section.pk,))), "江西春耕通知"
        ),
        (OK, OK, OK, OK, OK, OK, OK, L),
    ),
    "page chooser search finds a private section's news": (
        lambda w, c: listed(c.get(reverse("wagtailadmin_choose_page_search"), {"q": "哈尔滨"}), "哈尔滨内部通知"),
        (OK, OK, OK, NO, NO, NO, NO, L),
    ),
    # Feedback: a brand's editors and the site-wide moderators.
    "edit own brand's review": (
        lambda w, c: opened(c.get(snippet_url(Review, "edit", w.things["review"].pk))),
        (OK, NO, NO, NO, OK, NO, OK, L),
    ),
    "edit other brand's review": (
        lambda w, c: opened(c.get(snippet_url(Review, "edit", w.things["other_review"].pk))),
        (OK, NO, NO, NO, NO, OK, OK, L),
    ),
    "review chooser lists own brand's": (
        lambda w, c: listed(c.get(chooser_url(Review)), "own-brand-review"),
        (OK, NO, NO, NO, OK, NO, OK, L),
    ),
    "review chooser lists other brand's": (
        lambda w, c: listed(c.get(chooser_url(Review)), "other-brand-review"),
        (OK, NO, NO, NO, NO, OK, OK, L),
    ),
    "choose other brand's review by id": (
        lambda w, c: opened(c.get(chooser_url(Review, "chosen", w.things["other_review"].pk))),
        (OK, NO, NO, NO, NO, OK, OK, L),
    ),
    "question chooser lists own brand's": (
        lambda w, c: listed(c.get(chooser_url(Question)), "own-brand-question"),
        (OK, NO, NO, NO, OK, NO, OK, L),
    ),
    "delete own brand's review": (
        lambda w, c: snippet_deleted(c, Review, w.things["review"]),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    # Provenance: a brand's editors only.
    "edit own batch": (
        lambda w, c: opened(c.get(snippet_url(Batch, "edit", w.things["batch"].pk))),
        (OK, NO, NO, NO, OK, NO, NO, L),
    ),
    "edit other brand's batch": (
        lambda w, c: opened(c.get(snippet_url(Batch, "edit", w.things["other_batch"].pk))),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "batch chooser lists other brand's": (
        lambda w, c: listed(c.get(chooser_url(Batch)), w.things["other_batch"].display_code),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "print own batch's labels": (
        lambda w, c: opened(c.get(reverse("provenance_batch_labels", args=(w.things["batch"].pk,)))),
        (OK, NO, NO, NO, OK, NO, NO, L),
    ),
    "open sealing of other brand's batch": (
        lambda w, c: opened(c.get(reverse("provenance_batch_seal", args=(w.things["other_batch"].pk,)))),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "edit own event": (
        lambda w, c: opened(c.get(snippet_url(ProvenanceEvent, "edit", w.things["event"].pk))),
        (OK, NO, NO, NO, OK, NO, NO, L),
    ),
    "choose other brand's event by id": (
        lambda w, c: opened(c.get(chooser_url(ProvenanceEvent, "chosen", w.things["other_batch"].events.get().pk))),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "certificate chooser lists other brand's": (
        lambda w, c: listed(c.get(chooser_url(Certificate)), "OTHER-CERT"),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "bulk delete own certificate": (
        lambda w, c: snippet_deleted(c, Certificate, w.things["certificate"], bulk_action=True),
        (OK, NO, NO, NO, NO, NO, NO, NO),
    ),
    # Files: choosers, replacing the bytes under a live page, a draft's private attachment.
    "document chooser lists own region's": (
        lambda w, c: listed(c.get(reverse("wagtaildocs_chooser:choose")), "春耕补贴细则"),
        (OK, OK, OK, NO, NO, NO, NO, L),
    ),
    "document chooser lists other region's": (
        lambda w, c: listed(c.get(reverse("wagtaildocs_chooser:choose")), "江西附件"),
        (OK, NO, NO, OK, NO, NO, NO, L),
    ),
    "choose other region's document by id": (
        lambda w, c: opened(c.get(reverse("wagtaildocs_chooser:chosen", args=(w.things["other_document"].pk,)))),
        (OK, NO, NO, OK, NO, NO, NO, L),
    ),
    "choose a draft's attachment by id": (
        lambda w, c: opened(c.get(reverse("wagtaildocs_chooser:chosen", args=(w.things["draft_document"].pk,)))),
        (OK, OK, OK, NO, NO, NO, NO, L),
    ),
    "replace live notice's attachment": (
        lambda w, c: file_replaced(c, w.things["attachment"], "replaced.pdf", PDF + b"% replaced\n"),
        (OK, NO, OK, NO, NO, NO, NO, NO),
    ),
    "download a draft's attachment": (
        lambda w, c: served(c.get(w.things["draft_document"].url)),
        (OK, OK, OK, NO, NO, NO, NO, NO),
    ),
    "download a live notice's attachment": (
        lambda w, c: opened(c.get(w.things["attachment"].url)),
        (OK, OK, OK, OK, OK, OK, OK, OK),
    ),
    "image chooser lists other brand's": (
        lambda w, c: listed(c.get(reverse("wagtailimages_chooser:choose")), "果园标志"),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "choose other brand's image by id": (
        lambda w, c: opened(c.get(reverse("wagtailimages_chooser:chosen", args=(w.things["other_brand_image"].pk,)))),
        (OK, NO, NO, NO, NO, OK, NO, L),
    ),
    "replace own brand's live logo": (
        lambda w, c: file_replaced(c, w.things["brand_image"], "replaced.png", factories.png_bytes()),
        (OK, NO, NO, NO, OK, NO, NO, NO),
    ),
    # The read API: pages only, live and public.
    "API lists uploaded documents": (lambda w, c: opened(c.get("/api/v2/documents/")), (NO,) * 8),
    # Wagtail's API applies a page's view restrictions per request: a login restriction lets in whoever is logged in.
    "API shows a login-only section's news": (
        lambda w, c: opened(c.get(f"/api/v2/pages/{w.things['private_news'].pk}/")),
        (OK, OK, OK, OK, OK, OK, OK, NO),
    ),
    # Views that serve part of a page: the page's restrictions, inherited ones included.
    "calendar of a login-only broadcast": (
        lambda w, c: opened(c.get(f"{w.things['private_broadcast'].url}calendar.ics")),
        (OK, OK, OK, OK, OK, OK, OK, L),
    ),
    "replays calendar lists a login-only broadcast": (
        lambda w, c: OK if b"members-live" in c.get("/replays/calendar.ics").content else NO,
        (NO,) * 8,
    ),
    "feed of a login-only section": (
        lambda w, c: opened(c.get(f"{w.things['private_section'].url}feed/rss/")),
        (OK, OK, OK, OK, OK, OK, OK, L),
    ),
    "national feed lists a login-only section's news": (
        lambda w, c: OK if "哈尔滨内部通知" in c.get("/policy/feed/rss/").content.decode() else NO,
        (NO,) * 8,
    ),
    "trace page of a batch under a login-only brand": (
        lambda w, c: opened(c.get(w.things["private_batch"].get_absolute_url())),
        (NO,) * 8,
    ),
    "trace JSON of a batch under a login-only brand": (
        lambda w, c: opened(c.get(w.things["private_batch"].get_absolute_url() + "?format=json")),
        (NO,) * 8,
    ),
    "sitemap lists a login-only page": (
        lambda w, c: OK if b"members-brand" in c.get("/sitemap.xml").content else NO,
        (NO,) * 8,
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(w, role):
    """Each role reaches exactly what the matrix allows, by every path, and is turned away from the rest."""
    client = Client()
    if role != "anonymous":
        client.force_login(w.users["superuser" if role == "superuser" else role])
    column = ROLES.index(role)
    got = {name: attempt(w, client) for name, (attempt, _row) in CELLS.items()}
    want = {name: row[column] for name, (_attempt, row) in CELLS.items()}
    assert {name: (got[name], want[name]) for name in CELLS if got[name] != want[name]} == {}
