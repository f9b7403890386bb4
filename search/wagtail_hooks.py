"""Admin: the search terms report under Reports, for users allowed to view search terms."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import SearchTermReport


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/search-terms/", SearchTermReport.as_view(), name="search_terms"),
        path("reports/search-terms/results/", SearchTermReport.as_view(results_only=True), name="search_terms_results"),
    ]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("search.view_searchterm")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return SearchTermsMenuItem(_("Search terms"), reverse("search_terms"), icon_name="search", order=900)


@hooks.register("register_permissions")
def register_search_term_permission():
    """Offer "can view search term" in the group editor, so the report can be granted to editors."""
    return Permission.objects.filter(content_type__app_label="search", codename="view_searchterm")
