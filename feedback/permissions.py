"""Who may moderate which feedback: everything for superusers and moderators, otherwise the brands
whose pages the user may edit (Wagtail's page permissions decide; nothing is granted twice)."""

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

MODERATE_ALL = "feedback.moderate_all_feedback"


def moderates_everything(user):
    return user.is_active and (user.is_superuser or user.has_perm(MODERATE_ALL))


def editable_pages(user):
    """Pages the user may edit; feedback left on them (a brand's page and its products) is theirs to moderate."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])


def scope_for_user(queryset, user):
    """`queryset` narrowed to the feedback `user` may moderate."""
    if moderates_everything(user):
        return queryset
    return queryset.for_pages(editable_pages(user))


def can_moderate(user, item):
    if moderates_everything(user):
        return True
    page = item.page
    if not isinstance(page, Page):
        return False
    return page.permissions_for_user(user).can_edit()
