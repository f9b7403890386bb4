"""The admin's pinyin slug endpoint: what a Chinese title's slug will be, as the editor types it."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from .admin_forms import slugged_model
from .slugs import pinyin_slug, unique_slug

MAX_TITLE = 255  # a page title's own limit: longer input is refused, not cut


def _id(value):
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@require_GET
def slug_for_title(request):
    """GET ?title=…&parent=<page id>[&page=<page id>] or ?title=…&model=<app.model>[&pk=<id>] → {"slug": "…"}.

    The slug is the one the form would fill in on save: pinyin, unique among the page's siblings (or
    in the snippet's table), so what the editor sees is what gets published.
    """
    title = request.GET.get("title", "")
    if len(title) > MAX_TITLE or "\x00" in title:
        return JsonResponse({"error": "title too long or not text"}, status=400)
    base = pinyin_slug(title)
    if not base:
        return JsonResponse({"slug": ""})
    label = request.GET.get("model")
    if label:
        model = slugged_model(label)
        if model is None:
            return JsonResponse({"error": "not a model with a pinyin slug"}, status=400)
        others = model._default_manager.exclude(pk=_id(request.GET.get("pk")))
        return JsonResponse({"slug": unique_slug(base, lambda slug: others.filter(slug=slug).exists())})
    parent = Page.objects.filter(pk=_id(request.GET.get("parent"))).first()
    if parent is None:
        return JsonResponse({"slug": base})
    siblings = parent.get_children().exclude(pk=_id(request.GET.get("page")))
    return JsonResponse({"slug": unique_slug(base, lambda slug: siblings.filter(slug=slug).exists())})
