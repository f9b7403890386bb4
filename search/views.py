from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page


def search(request):
    """Placeholder database search; the discovery search replaces it."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.live().public().search(query) if query else Page.objects.none()
    page = Paginator(results, 10).get_page(request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"query": query, "results": page})
