"""`policy_region_setup` builds a government's section, groups, collection and workflow; the workflow is how news goes live."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from stories.models import PolicyIndexPage, PolicyNewsPage
from stories.policy.permissions import editors_group_name, reviewers_group_name
from tests import factories
from tests.admin_forms import edit_form_data
from tests.policy.conftest import make_user

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("policy_region_setup", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        PolicyIndexPage.objects.count(),
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
        WorkflowPage.objects.count(),
    )


def test_command_creates_section_groups_and_workflow_once(site_tree, region):
    """Run twice, by code then by slug: everything exists after the first run and the second changes nothing."""
    first = run(region.code)
    section = PolicyIndexPage.objects.get(region=region)
    assert section.get_parent().pk == site_tree.policy.pk and section.live
    editors = Group.objects.get(name=editors_group_name(region))
    reviewers = Group.objects.get(name=reviewers_group_name(region))
    assert set(editors.page_permissions.values_list("permission__codename", flat=True)) == {"add_page", "change_page"}
    assert set(reviewers.page_permissions.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
        "publish_page",
    }
    workflow = WorkflowPage.objects.get(page=section).workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [reviewers]
    assert "created" in first
    before = snapshot()
    second = run(region.slug)
    assert snapshot() == before
    assert "nothing changed" in second


def test_command_refuses_unknown_region(site_tree):
    """An unknown code is a clear command error, not a traceback."""
    with pytest.raises(CommandError, match="No region"):
        run("999999")


def test_editor_submits_and_reviewer_approves(world, client):
    """A government editor's publish click only saves a draft; submitting starts review; the reviewer's approval publishes."""
    news = world.home_news
    client.force_login(world.users["editor"])
    data = edit_form_data(client, news, title="修改后的标题")
    client.post(reverse("wagtailadmin_pages:edit", args=(news.pk,)), data)
    news.refresh_from_db()
    assert news.title != "修改后的标题" and news.has_unpublished_changes

    del data["action-publish"]
    data["action-submit"] = "action-submit"
    client.post(reverse("wagtailadmin_pages:edit", args=(news.pk,)), data)
    state = news.current_workflow_state
    assert state is not None and state.workflow == world.home.workflow

    client.force_login(world.users["reviewer"])
    data = edit_form_data(client, news)
    del data["action-publish"]
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    client.post(reverse("wagtailadmin_pages:edit", args=(news.pk,)), data)
    news = PolicyNewsPage.objects.get(pk=news.pk)
    assert news.title == "修改后的标题" and not news.has_unpublished_changes


def test_other_regions_editor_cannot_approve(world, client):
    """Another region's editor sees no approve action on this region's item in review."""
    news = world.home_news
    news.save_revision(user=world.users["editor"])
    world.home.workflow.start(news, world.users["editor"])
    task_state = news.current_workflow_state.current_task_state
    actions = task_state.task.specific.get_actions(news, world.users["other_editor"])
    assert actions == []
    assert "approve" in [name for name, *_ in task_state.task.specific.get_actions(news, world.users["reviewer"])]


def test_reviewer_cannot_delete_an_empty_section(site_tree, client):
    """Wagtail would let a publisher delete their empty section; the section's permission tester refuses it."""
    region = factories.make_region()
    run(region.code)
    section = PolicyIndexPage.objects.get(region=region)
    reviewer = make_user("reviewer", Group.objects.get(name=reviewers_group_name(region)))
    assert not section.permissions_for_user(reviewer).can_delete()
    client.force_login(reviewer)
    response = client.post(reverse("wagtailadmin_pages:delete", args=(section.pk,)))
    assert response.status_code in (302, 403)
    assert PolicyIndexPage.objects.filter(pk=section.pk).exists()


def test_document_chooser_lists_only_own_region(world, client):
    """A government editor's document chooser lists their region's documents, not another region's."""
    documents = get_document_model()
    documents.objects.create(
        title="黑龙江附件", collection=world.home.collection, file=ContentFile(b"%PDF-1.4", name="hlj.pdf")
    )
    documents.objects.create(
        title="江西附件", collection=world.other.collection, file=ContentFile(b"%PDF-1.4", name="jx.pdf")
    )
    client.force_login(world.users["editor"])
    body = client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
    assert "黑龙江附件" in body and "江西附件" not in body
    client.force_login(world.users["brand_editor"])
    body = client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
    assert "黑龙江附件" not in body and "江西附件" not in body


def test_api_shows_live_policy_only_and_is_read_only(world, client):
    """The read API lists published policy to everyone, never a draft, and accepts no writes."""
    draft = PolicyNewsPage(
        title="草稿政策",
        slug="draft-policy",
        authority="黑龙江省农业农村厅",
        effective_date=world.home_news.effective_date,
        summary="草稿",
        body="<p>草稿</p>",
    )
    draft.live = False
    world.home.section.add_child(instance=draft)
    for user in (None, world.users["editor"], world.users["reviewer"]):
        client.logout()
        if user is not None:
            client.force_login(user)
        listing = client.get("/api/v2/pages/?type=stories.PolicyNewsPage&fields=title")
        assert listing.status_code == 200
        titles = {item["title"] for item in listing.json()["items"]}
        assert world.home_news.title in titles and "草稿政策" not in titles
        assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
        assert client.post("/api/v2/pages/", {"title": "x"}).status_code in (403, 405)
