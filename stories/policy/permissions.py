"""Each local government edits only its own region: a section, two groups, a collection and a review workflow.

`setup_policy_region(region)` is what `manage.py policy_region_setup <code>` and the demo call. It looks
everything up by name or slug before creating it, so running it twice changes nothing, and it never
widens another region's or another group's permissions.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from site_content.drafts import private_collection

from .sections import PolicyIndexPage

# Editors draft and submit for review; reviewers may also publish (and so approve the workflow's task).
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Uploads go to the region's private drafts collection; a published notice's files move up to the public
# one (site_content/drafts.py), where editors may choose them again and reviewers may also replace them
# (the right to publish the notices that show them is checked then: site_content/rooms.py).
DRAFTS_DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")
PUBLIC_DOCUMENT_PERMISSIONS = {"editors": ("choose_document",), "reviewers": ("change_document", "choose_document")}
POLICY_COLLECTION = "政策文件 Policy documents"


class PolicySetupError(Exception):
    """The site has no /policy/ page to put a region's section under."""


@dataclass
class PolicyRegion:
    section: PolicyIndexPage
    editors: Group
    reviewers: Group
    collection: Collection
    drafts: Collection
    workflow: Workflow
    created: list


def editors_group_name(region):
    return f"{region.name} 政府编辑 {region.name_en or region.slug} government editors"


def reviewers_group_name(region):
    return f"{region.name} 政府审核 {region.name_en or region.slug} government reviewers"


def top_policy_index(locale=None):
    """The national /policy/ page of `locale` (the default language when None)."""
    locale = locale or Locale.get_default()
    top = (
        PolicyIndexPage.objects.filter(region__isnull=True, locale=locale)
        .exclude(depth__lte=2)
        .order_by("depth", "path")
        .first()
    )
    if top is None:
        raise PolicySetupError("Create the /policy/ page (a policy section without a region) first.")
    return top


@transaction.atomic
def setup_policy_region(region, *, parent=None, title=None, introduction=""):
    """The region's section under /policy/, its editor and reviewer groups, collection and workflow."""
    created = []
    parent = parent or top_policy_index()
    section = _section(parent, region, title, introduction, created)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors = _group(editors_group_name(region), access_admin, created)
    reviewers = _group(reviewers_group_name(region), access_admin, created)

    # The section and its translations: an English reader's copy is the same government's work.
    pages = [section, *section.get_translations()]
    for group, codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (reviewers, REVIEWER_PAGE_PERMISSIONS)):
        for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
            for page in pages:
                GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)

    collection = _collection(region, created)
    drafts, made = private_collection(collection, [editors, reviewers])
    if made:
        created.append(f"collection {drafts}")
    documents = {p.codename: p for p in Permission.objects.filter(content_type__app_label="wagtaildocs")}
    for group, role in ((editors, "editors"), (reviewers, "reviewers")):
        for codename in DRAFTS_DOCUMENT_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=drafts, permission=documents[codename]
            )
        for codename in PUBLIC_DOCUMENT_PERMISSIONS[role]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=documents[codename]
            )

    workflow = _workflow(region, reviewers, created)
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return PolicyRegion(section, editors, reviewers, collection, drafts, workflow, created)


def _section(parent, region, title, introduction, created):
    existing = PolicyIndexPage.objects.child_of(parent).filter(region=region).first()
    if existing is None:
        existing = PolicyIndexPage.objects.child_of(parent).filter(slug=region.slug).first()
    if existing is not None:
        return existing
    section = PolicyIndexPage(
        title=title or f"{region.name}政策",
        slug=region.slug,
        region=region,
        introduction=introduction,
        locale=parent.locale,
    )
    parent.add_child(instance=section)
    section.save_revision().publish()
    created.append(f"section {section.url_path}")
    return section


def _group(name, access_admin, created):
    group, was_created = Group.objects.get_or_create(name=name)
    if was_created:
        created.append(f"group {name}")
    group.permissions.add(access_admin)
    return group


def _collection(region, created):
    root = Collection.get_first_root_node()
    policy = root.get_children().filter(name=POLICY_COLLECTION).first()
    if policy is None:
        policy = root.add_child(name=POLICY_COLLECTION)
        created.append(f"collection {POLICY_COLLECTION}")
    name = f"{region.name} {region.name_en}".strip()
    collection = policy.get_children().filter(name=name).first()
    if collection is None:
        collection = policy.add_child(name=name)
        created.append(f"collection {name}")
    return collection


def _workflow(region, reviewers, created):
    name = f"{region.name} 政策审核 {region.name_en or region.slug} policy review"
    workflow, was_created = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    if was_created:
        created.append(f"workflow {name}")
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=f"{region.name} 审核签发 {region.name_en or region.slug} reviewers approve", defaults={"active": True}
    )
    task.groups.add(reviewers)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow
