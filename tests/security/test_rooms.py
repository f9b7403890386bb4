"""Each editor in their own room (issue 17): every hole found by probing the admin and the API, reproduced.

Written before the fixes, each of these failed on the code the issue was filed against; the permission
matrix (tests/policy/test_permission_matrix.py) then covers every role, object and path around them.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import GroupCollectionPermission, Page, PageViewRestriction
from wagtail.test.utils.form_data import rich_text

from brands.models import Batch, Certificate, ProvenanceEvent
from feedback.models import Question, Review, Status
from stories.models import PolicyIndexPage, PolicyNewsPage
from tests import factories
from tests.admin_forms import add_form_data, edit_form_data
from tests.feedback.conftest import question_on as make_question
from tests.feedback.conftest import review_on as make_review
from tests.rooms import (
    PDF,
    build_rooms,
    make_batch,
    make_certificate,
    make_user,
    post_replacement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(db):
    return build_rooms()


def modal_html(response):
    """What a chooser shows: a modal's HTML (JSON) or a results fragment (HTML); nothing for a refusal."""
    if response.status_code != 200:
        return ""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def news_fields(region, authority, **extra):
    return {
        "title": "关于做好春耕备耕工作的通知",
        "slug": "chungeng-tongzhi",
        "authority": authority,
        "document_number": "赣农发〔2025〕1号",
        "regions": [str(region.pk)],
        "effective_date": "2025-03-01",
        "summary": "春耕安排。",
        "body": rich_text("<p>各市农业农村局：现就春耕备耕工作通知如下。</p>"),
        **extra,
    }


# --- 1. One region cannot speak as another ----------------------------------------------------------


def test_a_region_cannot_tag_or_sign_as_another_region(rooms):
    """A Jiangxi reviewer's notice tagged 黑龙江省 and signed by its department is refused, field by field."""
    reviewer = make_user("jx-reviewer", rooms.other.reviewers)
    client = logged_in(reviewer)
    url, data = add_form_data(
        client, PolicyNewsPage, rooms.other.section, **news_fields(rooms.home.section.region, "黑龙江省农业农村厅")
    )
    response = client.post(url, data)
    assert not PolicyNewsPage.objects.filter(slug="chungeng-tongzhi").exists()
    errors = response.context["form"].errors
    assert "regions" in errors and "authority" in errors


def test_a_notice_speaking_for_another_region_is_invalid_however_it_is_saved(rooms):
    """The model refuses it too, so a script or a revision cannot publish it to the other region's readers."""
    news = PolicyNewsPage.objects.get(pk=rooms.other_news.pk)
    news.regions = [rooms.home.section.region]
    news.authority = "黑龙江省农业农村厅"
    with pytest.raises(Exception) as refused:  # noqa: PT011 - Django's ValidationError, keyed by field
        news.full_clean()
    assert {"regions", "authority"} <= set(refused.value.message_dict)


# --- 2. Uploads are not all public ------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_the_read_api_lists_no_uploads(rooms, client, endpoint):
    """/api/v2/images/ and /api/v2/documents/ are gone: pages carry what they show; nothing lists every file."""
    factories.make_image()
    assert client.get(f"/api/v2/{endpoint}/").status_code == 404
    assert client.get(f"/api/v2/{endpoint}/{rooms.things['attachment'].pk}/").status_code == 404


def test_a_drafts_attachment_is_private_until_the_page_is_published(rooms):
    """Uploaded for a draft, a file is refused to visitors; once the notice that uses it is published, it is public."""
    editor = logged_in(rooms.users["editor"])
    form = editor.get(reverse("wagtaildocs:add"))
    collection = re.search(r'name="collection"[^>]*>\s*<option value="(\d+)"', form.content.decode())
    data = {"title": "2027年补贴预算（未批准）", "file": SimpleUploadedFile("budget-2027.pdf", PDF)}
    if collection:
        data["collection"] = collection.group(1)
    assert editor.post(reverse("wagtaildocs:add"), data).status_code == 302
    document = get_document_model().objects.get(title="2027年补贴预算（未批准）")
    anonymous = Client()
    assert anonymous.get(document.url).status_code != 200
    assert editor.get(document.url).status_code == 200
    assert logged_in(rooms.users["reviewer"]).get(document.url).status_code == 200
    assert logged_in(rooms.users["other_editor"]).get(document.url).status_code != 200

    news = factories.make_policy_news(rooms.home.section, title="补贴预算公示")
    news.attachments.create(document=document)
    news.save_revision(user=rooms.users["reviewer"]).publish(user=rooms.users["reviewer"])
    assert anonymous.get(document.url).status_code == 200


# --- 3. Replacing a file skips review; choosers limit collections only in the interface ------------


def test_replacing_a_live_notices_file_needs_the_right_to_publish_it(rooms):
    """A submit-only editor cannot swap the PDF behind a published notice, even with the right to edit its
    collection's files; the same form from the notice's reviewer (who may publish it) replaces it."""
    attachment = rooms.things["attachment"]
    before = attachment.file.name
    editor = logged_in(rooms.users["editor"])
    post_replacement(editor, attachment, "swapped.pdf", PDF + b"% swapped\n")
    attachment.refresh_from_db()
    assert attachment.file.name == before

    # Given the right to edit the collection's documents, the editor meets the rule itself, with its reason.
    change_document = Permission.objects.get(content_type__app_label="wagtaildocs", codename="change_document")
    GroupCollectionPermission.objects.create(
        group=rooms.home.editors, collection=rooms.home.collection, permission=change_document
    )
    response = post_replacement(editor, attachment, "swapped.pdf", PDF + b"% swapped\n")
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["file_replacement"]
    attachment.refresh_from_db()
    assert attachment.file.name == before

    response = post_replacement(logged_in(rooms.users["reviewer"]), attachment, "swapped.pdf", PDF + b"% swapped\n")
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.file.name != before


def test_a_page_form_refuses_a_document_from_a_collection_the_editor_cannot_choose(rooms):
    """Posting another region's document id into an attachment slot is refused by the server, not just the chooser."""
    client = logged_in(rooms.users["editor"])
    fields = news_fields(rooms.home.section.region, "黑龙江省农业农村厅")
    fields.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-0-document": str(rooms.things["other_document"].pk),
            "attachments-0-title": "",
            "attachments-0-ORDER": "1",
            "attachments-0-id": "",
            "attachments-0-DELETE": "",
        }
    )
    url, data = add_form_data(client, PolicyNewsPage, rooms.home.section, **fields)
    client.post(url, data)
    news = PolicyNewsPage.objects.filter(slug="chungeng-tongzhi").first()
    attached = set()
    if news is not None:
        attached = {a.document_id for a in news.get_latest_revision_as_object().attachments.all()}
    assert rooms.things["other_document"].pk not in attached


# --- 4. Views that serve part of a page honour its privacy ------------------------------------------


@pytest.mark.parametrize("restricted", ["broadcast", "replays index"])
def test_a_private_replays_calendar_is_refused(rooms, client, restricted):
    """A login-restricted replay (or one below a restricted index) sends its calendar.ics to the login page."""
    page = rooms.broadcast if restricted == "broadcast" else rooms.tree.replays
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(f"{rooms.broadcast.url}calendar.ics")
    assert response.status_code == 302 and "login" in response["Location"]


# --- 5. Sections stay where readers find them ------------------------------------------------------


def sub_section(rooms):
    """A city's section inside Heilongjiang's (empty, so Wagtail itself would let a publisher delete it)."""
    harbin = factories.make_region(name="哈尔滨市", name_en="Harbin", parent=rooms.home.section.region, slug="harbin")
    return factories.make_policy_section(harbin, rooms.home.section)


def test_a_reviewer_cannot_bulk_delete_a_section(rooms):
    """Bulk delete goes through the same refusal as the single delete."""
    section = sub_section(rooms)
    client = logged_in(rooms.users["reviewer"])
    client.post(f"/admin/bulk/wagtailcore/page/delete/?id={section.pk}", {})
    assert PolicyIndexPage.objects.filter(pk=section.pk).exists()


def test_a_reviewer_cannot_unpublish_their_section(rooms):
    """Unpublishing the section (with everything in it) would take every notice down: refused."""
    client = logged_in(rooms.users["reviewer"])
    client.post(reverse("wagtailadmin_pages:unpublish", args=(rooms.home.section.pk,)), {"include_descendants": "on"})
    client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={rooms.home.section.pk}", {"include_descendants": "on"})
    assert Page.objects.get(pk=rooms.home.section.pk).live
    assert Page.objects.get(pk=rooms.home_news.pk).live


def test_a_reviewer_cannot_rename_their_sections_slug(rooms):
    """The section's slug is in every printed notice's URL: the reviewer's edit keeps it."""
    client = logged_in(rooms.users["reviewer"])
    section = rooms.home.section
    data = edit_form_data(client, section, slug="renamed")
    client.post(reverse("wagtailadmin_pages:edit", args=(section.pk,)), data)
    assert Page.objects.get(pk=section.pk).slug == "heilongjiang"


def test_a_brand_editor_cannot_unpublish_rename_or_move_the_brands_index(rooms):
    """/brands/ is a section too: its publishers cannot take it down, rename it or move it."""
    brands = rooms.tree.brands
    client = logged_in(rooms.users["brand_editor"])
    data = edit_form_data(client, brands, slug="pinpai")
    client.post(reverse("wagtailadmin_pages:edit", args=(brands.pk,)), data)
    client.post(reverse("wagtailadmin_pages:unpublish", args=(brands.pk,)), {})
    client.post(f"/admin/bulk/wagtailcore/page/move/?id={brands.pk}", {"chooser": rooms.tree.stories.pk})
    brands = Page.objects.get(pk=brands.pk)
    assert brands.live and brands.slug == "brands" and brands.get_parent().pk == rooms.tree.home.pk


# --- 6. Choosers show only what the user may see ----------------------------------------------------


def test_the_page_chooser_hides_other_regions_drafts_and_private_pages(rooms):
    """Browsing and searching the page chooser shows another region's live public pages, not its drafts or private ones."""
    private = factories.make_policy_news(rooms.other.section, title="江西内部通知", authority="江西省农业农村厅")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    client = logged_in(rooms.users["editor"])
    browse = modal_html(client.get(reverse("wagtailadmin_choose_page_child", args=(rooms.other.section.pk,))))
    search = modal_html(client.get(reverse("wagtailadmin_choose_page_search"), {"q": "江西"}))
    for html in (browse, search):
        assert "江西草稿通知" not in html and "江西内部通知" not in html
    assert "江西春耕通知" in browse


def feedback_and_provenance(rooms):
    """Reviews (approved, unconfirmed, rejected), a question, a batch with an event and a certificate, per brand."""
    made = {}
    for key, product in (("own", rooms.product), ("other", rooms.other_product)):
        made[key] = [
            make_review(product, title=f"{key}-approved"),
            make_review(product, title=f"{key}-unconfirmed", status=Status.UNCONFIRMED, confirmed_at=None),
            make_review(product, title=f"{key}-rejected", status=Status.REJECTED, rejection_reason="广告"),
            make_question(product, body=f"{key}-question"),
            make_batch(product, product.get_parent().specific.region),
            make_certificate(product, number=f"{key}-certificate"),
        ]
    return made


def chooser_html(client, model):
    name = f"wagtailsnippetchoosers_{model._meta.app_label}_{model._meta.model_name}:choose"
    return modal_html(client.get(reverse(name)))


def test_snippet_choosers_show_a_government_editor_no_feedback_or_provenance(rooms):
    """A government editor's snippet choosers list no review, question, batch, event or certificate."""
    made = feedback_and_provenance(rooms)
    client = logged_in(rooms.users["editor"])
    shown = {
        model.__name__: chooser_html(client, model) for model in (Review, Question, Batch, ProvenanceEvent, Certificate)
    }
    for key in ("own", "other"):
        review, _unconfirmed, _rejected, question, batch, certificate = made[key]
        assert review.title not in shown["Review"]
        assert question.body not in shown["Question"]
        assert batch.display_code not in shown["Batch"]
        assert batch.product.title not in shown["ProvenanceEvent"] and "合作社" not in shown["ProvenanceEvent"]
        assert certificate.number not in shown["Certificate"]


def test_a_brands_chooser_shows_its_own_feedback_only(rooms):
    """One brand's editor chooses among its own reviews and questions; another brand's, by list or by id, are refused."""
    made = feedback_and_provenance(rooms)
    client = logged_in(rooms.users["own_brand_editor"])
    reviews, questions = chooser_html(client, Review), chooser_html(client, Question)
    assert "own-approved" in reviews and "own-question" in questions
    assert "other-approved" not in reviews and "other-question" not in questions
    assert "own-unconfirmed" not in reviews  # nobody moderates what its writer has not confirmed
    other_review = made["other"][0]
    chosen = client.get(reverse("wagtailsnippetchoosers_feedback_review:chosen", args=(other_review.pk,)))
    assert chosen.status_code == 404


# --- 7. Smaller ---------------------------------------------------------------------------------------


def test_page_passwords_are_throttled_like_logins(rooms, client):
    """After five wrong passwords the right one no longer opens the page from that address (429)."""
    restriction = PageViewRestriction.objects.create(
        page=rooms.story, restriction_type=PageViewRestriction.PASSWORD, password="right-one"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, rooms.story.pk))
    for n in range(5):
        client.post(url, {"password": f"wrong-{n}", "return_url": rooms.story.url}, REMOTE_ADDR="203.0.113.7")
    response = client.post(url, {"password": "right-one", "return_url": rooms.story.url}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert client.get(rooms.story.url, REMOTE_ADDR="203.0.113.7").status_code != 200 or "right-one" not in str(
        client.session.get("passed_page_view_restrictions", [])
    )
    assert restriction.pk not in client.session.get("passed_page_view_restrictions", [])


def test_the_client_address_is_the_right_most_untrusted_hop(rf, settings):
    """Behind one trusted proxy, a forged first X-Forwarded-For entry is ignored: the proxy's last entry counts."""
    from site_content.client import client_ip

    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize(
    ("header", "proxies", "warning"),
    [
        ("HTTP_X_FORWARDED_FOR", 0, "farmcast.W101"),
        (None, 0, "farmcast.W102"),
    ],
)
def test_check_deploy_warns_about_a_risky_client_address_setup(settings, header, proxies, warning):
    """`check --deploy` says when the client address can be forged, or when every visitor may share the proxy's."""
    from django.core.checks import run_checks

    settings.CLIENT_IP_HEADER = header
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert warning in ids


def test_wagtails_default_groups_and_root_workflow_are_gone(db):
    """No "Editors" or "Moderators" group with rights over the whole tree, no workflow on the root beside the project's."""
    from django.contrib.auth.models import Group
    from wagtail.models import WorkflowPage

    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not WorkflowPage.objects.filter(page__depth__lte=2).exists()


def test_brand_setup_gives_a_brand_its_own_room(rooms):
    """`manage.py brand_setup <slug>` makes the brand's editor group, collection and moderation scope."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("brand_setup", "gannan", stdout=open("/dev/null", "w"))  # noqa: SIM115
    group = Group.objects.get(name__contains="gannan")
    editor = make_user("gannan-editor", group)
    made = feedback_and_provenance(rooms)
    client = logged_in(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=(rooms.other_brand.pk,))).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=(rooms.brand.pk,))).status_code != 200
    reviews = chooser_html(client, Review)
    assert "other-approved" in reviews and "own-approved" not in reviews
    assert made["own"][0].title not in reviews


def test_a_feedback_link_opened_by_a_scanner_confirms_nothing(rooms, client):
    """GET on the confirmation link shows a button; only its POST confirms."""
    from feedback.views import confirmation_token

    review = make_review(rooms.product, status=Status.UNCONFIRMED, confirmed_at=None)
    url = reverse("feedback:confirm", args=(confirmation_token(review),))
    response = client.get(url)
    review.refresh_from_db()
    assert response.status_code == 200 and review.confirmed_at is None
    assert "<form" in response.content.decode()
    client.post(url)
    review.refresh_from_db()
    assert review.confirmed_at is not None


def test_the_front_end_login_without_next_lands_on_a_real_page(rooms, client):
    """Logging in at /_util/login/ with no `next` goes to a page that exists, not a 404."""
    response = client.post(reverse("wagtailcore_login"), {"username": "gov-editor", "password": "farmcast-test"})
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).status_code == 200


def test_make_run_serves_the_site_at_the_address_its_links_name(rooms):
    """`manage.py site_address` (which `make run` calls) points the default Site at the served host and port."""
    from django.core.management import call_command
    from wagtail.models import Site

    call_command("site_address", "http://127.0.0.1:8109", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8109)
    makefile = open("Makefile").read()  # noqa: SIM115
    assert "site_address http://127.0.0.1:$(PORT)" in makefile
    assert "WAGTAILADMIN_BASE_URL" in makefile


def test_a_lot_code_alone_only_says_the_lot_code_matches(rooms, client):
    """A review that knows a public lot code is labelled "lot code matches", never "batch verified"."""
    batch = make_batch(rooms.product, rooms.home.section.region)
    make_review(rooms.product, title="知道批次码", lot_code=batch.lot_code, batch_verified=True)
    html = client.get(rooms.product.url).content.decode()
    assert "知道批次码" in html
    assert "批次已验证" not in html and "Batch verified" not in html
