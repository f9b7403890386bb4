"""Each editor in their own room: the rules Wagtail's page and collection permissions do not express alone.

- Sections stay put. The home page, each section's index (/brands/, /stories/, /replays/, /policy/ and
  every region's /policy/<region>/) and each brand's page have URLs that are printed on labels, notices
  and QR codes: once published, only a superuser deletes, moves, unpublishes or renames them. This is
  a `PagePermissionTester` (`permissions_for_user`), so the single and bulk actions, the explorer's
  buttons and every other check Wagtail makes all see the same answer.
- Choosers show what the user may see: live public pages, plus the pages they may edit.
- Files: a page or snippet form accepts only documents and images the user may choose (the chooser's
  own rule, enforced on the server too), and a file a live page shows is replaced only by someone who
  may publish that page (site_content/files.py asks `file_replacement_refusal`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PagePermissionTester, ReferenceIndex
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from .querysets import private_pages_q


class SectionPermissionTester(PagePermissionTester):
    """Wagtail's answers, except that a published section is deleted, moved, unpublished or renamed by superusers only."""

    def _section_is_fixed(self):
        return not self.user.is_superuser and self.page.first_published_at is not None

    def can_delete(self, ignore_bulk=False):
        return not self._section_is_fixed() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
        return not self._section_is_fixed() and super().can_unpublish()

    def can_move(self):
        return not self._section_is_fixed() and super().can_move()

    def can_change_slug(self):
        return not self._section_is_fixed() and self.can_edit()


class SectionPageMixin:
    """For page types whose URL others print: the home page, section indexes, brands."""

    def permissions_for_user(self, user):
        return SectionPermissionTester(user, self)


def can_change_slug(page, user):
    tester = page.permissions_for_user(user)
    return tester.can_change_slug() if hasattr(tester, "can_change_slug") else tester.can_edit()


def editable_pages(user):
    """Pages `user` may add to, edit or publish (and everything below them)."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, ["add", "change", "publish"])


def pages_user_may_see(pages, user):
    """`pages` narrowed to what `user` may see in the admin's choosers: live public pages and their own."""
    if user.is_superuser:
        return pages
    public = Q(live=True) & ~Q(private_pages_q())
    # A list of ids, not a subquery: the chooser's search runs this filter through the search backend,
    # which understands plain field lookups only.
    seen = Page.objects.filter(public | Q(pk__in=editable_pages(user).values("pk"))).values_list("pk", flat=True)
    return pages.filter(pk__in=list(seen))


# --- Files ---------------------------------------------------------------------------------------


def file_models():
    return get_document_model(), get_image_model()


def file_permission_policy(model):
    return policy_registry.get_by_type(model)


def file_references(obj):
    """{(model, pk)} of the documents and images `obj` refers to (fields, rich text, StreamField, child rows)."""
    models = {ContentType.objects.get_for_model(model).pk: model for model in file_models()}
    found = set()
    for content_type_id, object_id, *_paths in ReferenceIndex._extract_references_from_object(obj):
        model = models.get(content_type_id)
        if model is not None and str(object_id).isdigit():
            found.add((model, int(object_id)))
    return found


def files_user_cannot_choose(references, user):
    """The files among `references` that lie outside the collections `user` may choose from."""
    if user is None or user.is_superuser:
        return []
    refused = []
    for model in file_models():
        ids = {pk for ref_model, pk in references if ref_model is model}
        if ids:
            choosable = file_permission_policy(model).instances_user_has_any_permission_for(user, ["choose"])
            refused += list(model.objects.filter(pk__in=ids).exclude(pk__in=choosable.values("pk")))
    return refused


class ChosenFilesFormMixin:
    """A form that accepts only files its user may choose: the choosers' rule, on the server.

    Files the object already used are kept as they are (a superuser may have attached them); only new
    ones are checked, in the form's own fields and in its child rows (attachments, evidence).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._files_before = file_references(self.instance) if self.instance.pk else set()

    def is_valid(self):
        # After the form and its child formsets are cleaned: their instances then hold the posted values.
        valid = super().is_valid()
        user = getattr(self, "for_user", None)
        if user is None or user.is_superuser:
            return valid
        now = file_references(self.instance)
        for formset in getattr(self, "formsets", {}).values():
            for form in formset.forms:
                if not hasattr(form, "cleaned_data") or not form.has_changed():
                    continue
                if not (formset.can_delete and formset._should_delete_form(form)):
                    now |= file_references(form.instance)
        refused = files_user_cannot_choose(now - self._files_before, user)
        for file in refused:
            self.add_error(
                None,
                _("“%(title)s” is in a collection you cannot use: choose a file from your own collections.")
                % {"title": file.title},
            )
        return valid and not refused


def live_pages_showing(file):
    """The live pages whose current content refers to `file` (Wagtail's reference index)."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = ReferenceIndex.get_references_to(file).filter(base_content_type=page_type).values("object_id")
    return Page.objects.live().filter(pk__in=[int(row["object_id"]) for row in ids if row["object_id"].isdigit()])


def refuse_replacing_live_pages_files(file, user):
    """`farmcast_file_replacement` hook: a live page's file changes only with the right to publish that page.

    A replaced file is live at once, with no review: for an editor who may only submit for review, that
    would skip the review the page's workflow asks for.
    """
    if user.is_superuser:
        return None
    for page in live_pages_showing(file).specific():
        if not page.permissions_for_user(user).can_publish():
            return _(
                "“%(page)s” is published and shows this file, and replacing the file would change it at once, "
                "without review. Upload the new version as a new file and put it in the page's next draft."
            ) % {"page": page.title}
    return None
