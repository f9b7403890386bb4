"""Admin: the report of searches that found nothing, under Reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from .admin_views import NoResultQueryReport


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("reports/searches-without-results/", NoResultQueryReport.as_view(), name="search_no_results")]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return AdminOnlyMenuItem(_("Searches without results"), reverse("search_no_results"), icon_name="search", order=900)
