"""Admin: the search terms report (Reports > Search terms): what shoppers search for and what they open."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .analytics import FAR_POSITION
from .models import SearchTerm

# A spreadsheet opens a cell starting with one of these as a formula: a query typed as
# =HYPERLINK(...) would run in the editor's spreadsheet (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value a spreadsheet shows as text: a leading formula character gets a ' before it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SearchTermReport(ReportView):
    """Top queries, queries without results, click-through rate, and queries whose first click is far down."""

    page_title = _("Search terms")
    header_icon = "search"
    results_template_name = "search/admin/search_terms_results.html"
    index_url_name = "search_terms"
    index_results_url_name = "search_terms_results"
    permission_policy = ModelPermissionPolicy(SearchTerm)
    any_permission_required = ["view"]
    list_export = [
        "query",
        "searches",
        "zero_results",
        "searches_clicked",
        "click_through_rate",
        "average_first_click",
        "far_first_clicks",
        "last_seen",
    ]
    export_headings = {
        "query": _("Query"),
        "searches": _("Searches"),
        "zero_results": _("Searches without results"),
        "searches_clicked": _("Searches with a click"),
        "click_through_rate": _("Click-through rate"),
        "average_first_click": _("Average position of the first click"),
        "far_first_clicks": _("First clicks below position 5"),
        "last_seen": _("Last searched"),
    }
    # ?view= picks the question the report answers; each is an ordering of the same terms.
    VIEWS = {
        "top": (_("Top queries"), ("-searches", "-last_seen")),
        "zero": (_("Queries without results"), ("-zero_results", "-searches")),
        "far": (_("First click far down"), ("-far_first_clicks", "-searches")),
        "unclicked": (_("Searched, never clicked"), ("searches_clicked", "-searches")),
    }

    def current_view(self):
        view = self.request.GET.get("view")
        return view if view in self.VIEWS else "top"

    def get_queryset(self):
        view = self.current_view()
        terms = SearchTerm.objects.order_by(*self.VIEWS[view][1])
        if view == "zero":
            terms = terms.filter(zero_results__gt=0)
        elif view == "far":
            terms = terms.filter(far_first_clicks__gt=0)
        elif view == "unclicked":
            terms = terms.filter(searches_clicked=0, zero_results__lt=F("searches"))
        return terms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["views"] = [(key, label) for key, (label, _ordering) in self.VIEWS.items()]
        context["current_view"] = self.current_view()
        context["far_position"] = FAR_POSITION
        return context

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: neutralise(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )
