"""A brand's own room: its editors, files, feedback and provenance, and nobody else's.

- `setup_brand(brand)` is what `manage.py brand_setup <slug>` and the demo call, like
  `policy_region_setup` for a government: the brand's editor group (its page and products; stories and
  replays about it), a collection with a private drafts folder, moderation of its buyers' feedback and
  its provenance. It looks everything up by name before creating it, so running it twice changes nothing.
- Pages about a brand that live elsewhere in the tree (stories under /stories/, replays under /replays/)
  answer permission questions through the brand: `BrandOwnedPermissionTester`.
- Batches, events and certificates belong to the brand whose product (or brand page) they are about:
  the admin lists, opens and offers in choosers only those whose product the user may edit.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from site_content.drafts import private_collection
from site_content.rooms import ChosenFilesFormMixin

from .models.pages import FarmBrandIndexPage, FarmBrandPage
from .models.provenance import Batch, Certificate, ProvenanceEvent

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# On /stories/ and /replays/: add and publish (a new story goes live in one click), never change, which
# would also open the section's own page; the brand's stories answer through the brand (below).
INDEX_PERMISSIONS = ("add_page", "publish_page")
# Moderation of the brand's buyers' feedback (feedback.permissions narrows it to the brand's pages) and
# its provenance (narrowed here). Nothing sealed is ever deleted, so no delete permission.
MODEL_PERMISSIONS = {
    "feedback": ("view_review", "change_review", "view_question", "change_question"),
    "brands": (
        "add_batch",
        "change_batch",
        "view_batch",
        "add_provenanceevent",
        "change_provenanceevent",
        "view_provenanceevent",
        "add_certificate",
        "change_certificate",
        "view_certificate",
    ),
}
FILE_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}
BRAND_COLLECTION = "品牌素材 Brand files"


def editors_group_name(brand):
    return f"{brand.title} 品牌编辑 {brand.slug} brand editors"


# --- Who may touch what ----------------------------------------------------------------------------


def pages_user_may_change(user):
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])


def can_edit_brand(user, brand):
    """Whether `user` edits `brand` (a brandless page: whether they edit the brands index, i.e. every brand)."""
    if user.is_superuser:
        return True
    holder = brand or FarmBrandIndexPage.objects.order_by("path").first()
    return holder is not None and holder.permissions_for_user(user).can_edit()


class BrandOwnedPermissionTester(PagePermissionTester):
    """A page about a brand (a story, a replay) belongs to the brand's room, wherever it sits in the tree.

    The brand's editors edit, publish and delete it as they do the brand's own page; rights on its
    section (/stories/, /replays/) alone open only brand-less pages and the pages one added oneself;
    another brand's editors get nothing, whatever their rights on the section.
    """

    @cached_property
    def brand_tester(self):
        brand = self.page.brand if getattr(self.page, "brand_id", None) else None
        holder = brand or FarmBrandIndexPage.objects.order_by("path").first()
        return holder.permissions_for_user(self.user) if holder is not None else None

    def _brand_allows(self):
        return self.user.is_superuser or (self.brand_tester is not None and self.brand_tester.can_edit())

    def can_edit(self):
        return self._brand_allows() and (super().can_edit() or self.brand_tester.can_edit())

    def can_publish(self):
        return self._brand_allows() and (super().can_publish() or self.brand_tester.can_publish())

    def can_unpublish(self):
        if not self._brand_allows():
            return False
        return super().can_unpublish() or (
            self.page.live and not self.page_locked() and self.brand_tester.can_publish()
        )

    def can_delete(self, ignore_bulk=False):
        if not self._brand_allows():
            return False
        return super().can_delete(ignore_bulk=ignore_bulk) or (self.page.is_leaf() and self.brand_tester.can_publish())

    def can_move(self):
        return self._brand_allows() and super().can_move()

    def can_lock(self):
        return self._brand_allows() and (super().can_lock() or self.brand_tester.can_lock())

    def can_set_view_restrictions(self):
        return self.can_publish()


class BrandOwnedPageMixin:
    """For page types with a `brand` that sit outside the brand's subtree (stories, replays)."""

    def permissions_for_user(self, user):
        return BrandOwnedPermissionTester(user, self)


class BrandOwnedFormMixin:
    """The `brand` choice offers the brands the user edits; one who edits no brand-less pages must pick one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get("brand")
        if field is None or user is None or user.is_superuser:
            return
        current = Q(pk=self.instance.brand_id) if self.instance.brand_id else Q(pk__in=[])
        field.queryset = field.queryset.filter(Q(pk__in=pages_user_may_change(user).values("pk")) | current)
        if not can_edit_brand(user, None):
            field.required = True


# --- Provenance: batches, events, certificates ------------------------------------------------------

HOLDER = {
    Batch: lambda pages: Q(product__in=pages),
    ProvenanceEvent: lambda pages: Q(batch__product__in=pages),
    Certificate: lambda pages: Q(product__in=pages) | Q(brand__in=pages),
}


def provenance_scope(queryset, user):
    """`queryset` narrowed to the provenance of products and brands `user` may edit."""
    if user.is_superuser:
        return queryset
    if not ModelPermissionPolicy(queryset.model).user_has_any_permission(user, ["view", "change", "add"]):
        return queryset.none()
    return queryset.filter(HOLDER[queryset.model](pages_user_may_change(user).values("pk")))


class ProvenancePermissionPolicy(ModelPermissionPolicy):
    """Model permissions as usual; for one batch, event or certificate, also the right to edit its product or brand."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return user.is_superuser or provenance_scope(self.model.objects.filter(pk=instance.pk), user).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        return provenance_scope(super().instances_user_has_any_permission_for(user, actions), user)


class ProvenanceForm(ChosenFilesFormMixin, WagtailAdminModelForm):
    """Only the user's own products, brands and batches are offered, and the server refuses others."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        pages = pages_user_may_change(user).values("pk")
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            current = getattr(self.instance, f"{name}_id", None)
            keep = Q(pk=current) if current else Q(pk__in=[])
            if issubclass(queryset.model, Page):
                field.queryset = queryset.filter(Q(pk__in=pages) | keep)
            elif queryset.model in HOLDER:
                field.queryset = provenance_scope(queryset, user) | queryset.filter(keep)


# --- brand_setup -----------------------------------------------------------------------------------


@dataclass
class BrandRoom:
    brand: FarmBrandPage
    editors: Group
    collection: Collection
    drafts: Collection
    created: list


@transaction.atomic
def setup_brand(brand, *, stories=None, replays=None):
    """The brand's editor group, its page and products' permissions, collection and moderation scope."""
    created = []
    group, was_created = Group.objects.get_or_create(name=editors_group_name(brand))
    if was_created:
        created.append(f"group {group.name}")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(access_admin)
    for app_label, codenames in MODEL_PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))

    # The brand's page and products in every language, and the indexes where its stories and replays are
    # added: those answer through the brand (BrandOwnedPermissionTester), so other brands' stay closed.
    page_permissions = {p.codename: p for p in Permission.objects.filter(content_type__app_label="wagtailcore")}
    grants = [(page, PAGE_PERMISSIONS) for page in (brand, *brand.get_translations())]
    for index in (stories, replays):
        if index is not None:
            grants += [(page, INDEX_PERMISSIONS) for page in (index, *index.get_translations())]
    for page, codenames in grants:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=page_permissions[codename])

    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=BRAND_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=BRAND_COLLECTION)
        created.append(f"collection {BRAND_COLLECTION}")
    collection = parent.get_children().filter(name=brand.title).first()
    if collection is None:
        collection = parent.add_child(name=brand.title)
        created.append(f"collection {brand.title}")
    drafts, made = private_collection(collection, [group])
    if made:
        created.append(f"collection {drafts.name}")
    # Documents are uploaded into the private drafts collection and move up when a page that uses them is
    # published (site_content/drafts.py). Images go straight to the brand's collection: Wagtail serves
    # their renditions from MEDIA_ROOT, so a collection cannot keep them private anyway.
    for app_label, codenames in FILE_PERMISSIONS.items():
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            places = [drafts, collection] if app_label == "wagtaildocs" else [collection]
            if app_label == "wagtaildocs" and permission.codename.startswith("add"):
                places = [drafts]
            for place in places:
                GroupCollectionPermission.objects.get_or_create(group=group, collection=place, permission=permission)
    return BrandRoom(brand, group, collection, drafts, created)
