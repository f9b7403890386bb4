"""Admin rules for policy news that Wagtail's page permissions cannot express on their own."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks

from .policy.permissions import is_policy_section


def _sections_stay_put(request, page):
    # A reviewer may publish in their section, which in Wagtail also allows deleting or moving the
    # section page itself; the section's URL is printed on notices, so only a superuser may do that.
    if is_policy_section(page) and not request.user.is_superuser:
        raise PermissionDenied


@hooks.register("before_delete_page")
def keep_policy_sections(request, page):
    _sections_stay_put(request, page)


@hooks.register("before_move_page")
def keep_policy_sections_in_place(request, page, destination):
    _sections_stay_put(request, page)
