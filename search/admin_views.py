from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import ReportView

from .models import NoResultQuery


class NoResultQueryReport(ReportView):
    """What readers searched for and did not find: the content to write next."""

    page_title = _("Searches without results")
    header_icon = "search"
    results_template_name = "search/admin/no_result_queries_results.html"
    index_url_name = "search_no_results"
    index_results_url_name = "search_no_results"
    list_export = ["query", "count", "first_seen", "last_seen"]
    export_headings = {"query": _("Query"), "count": _("Times searched")}

    def get_queryset(self):
        return NoResultQuery.objects.order_by("-count", "-last_seen")
