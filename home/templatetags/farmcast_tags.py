import json
from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from brands.models import FarmBrandIndexPage
from site_content.clock import clock as clock_format
from site_content.clock import request_now
from stories.models import BroadcastChapter, PolicyIndexPage, ReplayIndexPage, StoryIndexPage

from .. import cache

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

# The section pages the header links to, in this order, whatever order editors gave them.
NAV_PAGE_TYPES = (FarmBrandIndexPage, StoryIndexPage, ReplayIndexPage, PolicyIndexPage)
NAV_MODELS = tuple(model._meta.model_name for model in NAV_PAGE_TYPES)


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    """Render the page's schema.org graph; `<`, `>` and `&` are escaped so no text closes the tag."""
    if not hasattr(page, "json_ld"):
        return ""
    request = context["request"]
    data = json.dumps(page.json_ld(request), ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308


def _localized_home(request, language_code):
    """The site's home page in `language_code`, or None (no site yet, or not translated)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None
    home = site.root_page
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None or home.locale_id == locale.pk:
        return home
    return home.get_translation_or_none(locale)


def _memo(request, key, compute):
    """Header and <head> both need these; work them out once per request."""
    cache = getattr(request, "_farmcast_memo", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._farmcast_memo = cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _is_view_outside_tree(request):
    """True for a resolved Django view (search); False for pages and for 404s, which go home instead."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name != "wagtail_serve"


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per other language: the current page's translation if live, else the page itself with
    `?untranslated=<language>` (base.html then says, in that language, that this is the original)."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()

    def compute():
        links = []
        translations = {}
        if isinstance(page, Page) and page.pk:
            translations = {p.locale.language_code: p for p in page.get_translations().live().select_related("locale")}
        for code, name in settings.LANGUAGES:
            if code == current:
                continue
            target = translations.get(code)
            if target is None and not isinstance(page, Page) and _is_view_outside_tree(request):
                # Views like search exist in every language at the same path; query string kept.
                url = translate_url(request.get_full_path(), code)
                links.append({"code": code, "name": name, "url": url, "alternate": True})
                continue
            if target is None and isinstance(page, Page) and page.pk and page.live:
                # No translation: the page as it is, with a notice in the reader's language (base.html),
                # rather than that language's home or a 404. Not an hreflang alternate: it is not one.
                url = page.get_url(request)
                if url:
                    links.append({"code": code, "name": name, "url": f"{url}?untranslated={code}", "alternate": False})
                continue
            if target is None:
                target = _localized_home(request, code)
            url = target.get_url(request) if target is not None else None
            if url:
                links.append({"code": code, "name": name, "url": url, "alternate": code in translations})
        return links

    return _memo(request, ("languages", current, getattr(page, "pk", None)), compute)


@register.simple_tag(takes_context=True)
def untranslated_notice(context):
    """{code, lang} of the language a reader came from through the switcher to a page not in it, or None."""
    request = context.get("request")
    code = request.GET.get("untranslated", "") if request is not None else ""
    if code == get_language() or code not in dict(settings.LANGUAGES):
        return None
    return {"code": code, "lang": "zh-Hans" if code == "zh-hans" else code}


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The section index pages under this language's home, each with whether the reader is inside it."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()

    def compute():
        home = _localized_home(request, current)
        if home is None:
            return []
        # Filtering on content type ids (Django caches them) lets the database use its index on
        # content_type_id; a join on the model name scans every page under home (100 ms at 50,000).
        nav_type_ids = [ct.pk for ct in ContentType.objects.get_for_models(*NAV_PAGE_TYPES).values()]
        children = (
            home.get_children().live().public().filter(content_type_id__in=nav_type_ids).select_related("content_type")
        )
        by_model = {}
        for child in children:
            by_model.setdefault(child.content_type.model, child)
        path = getattr(page, "url_path", "") if isinstance(page, Page) else ""
        return [
            {"page": p, "key": m, "url": p.get_url(request), "active": bool(path) and path.startswith(p.url_path)}
            for m, p in ((m, by_model.get(m)) for m in NAV_MODELS)
            if p is not None
        ]

    return _memo(request, ("nav", current, getattr(page, "pk", None)), compute)


@register.simple_tag(takes_context=True)
def section_url(context, model_name):
    """URL of a section index page in the current language ("farmbrandindexpage"...), or ""."""
    for item in site_nav(context):
        if item["key"] == model_name:
            return item["url"]
    return ""


@lru_cache(maxsize=16)
def _static_exists(path):
    return finders.find(path) is not None


@register.simple_tag
def optional_script(path):
    """A deferred <script> for a static file another part of the site may not have shipped yet.

    `{% static %}` on a missing file fails the whole page under the manifest storage, and a 404
    for a script is a console error; both are worse than no enhancement.
    """
    if not _static_exists(path):
        return ""
    return format_html('<script src="{}" defer></script>', static(path))


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced, for pagination links."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in kwargs.items():
        params[key] = value
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`url` with scheme and host, for Open Graph tags that crawlers read without a base URL."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# 7265 -> "2:01:05": a video length readers recognise in any language.
register.filter("clock", clock_format)


# --- Fragment caching: the keys and the invalidation are home/cache.py's ----------------------


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        request = context.get("request")
        page = context.get("page")
        if not cache.may_cache_fragment(request):
            return self.nodelist.render(context)
        if not isinstance(page, Page) and not _is_view_outside_tree(request):
            # A page not found: caching every mistyped URL's header would only fill the cache.
            return self.nodelist.render(context)
        key = cache.fragment_key(self.name, request, page, [var.resolve(context) for var in self.vary_on])
        return cache.fragment(key, lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    """`{% fragment "name" value... %}...{% endfragment %}`: cache the HTML between (home/cache.py).

    The name says what the fragment is; the values are whatever else the HTML depends on (query
    parameters, loop items). Never put a CSRF token, a form or a user's own data inside.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return FragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])


@register.inclusion_tag("components/broadcast_moments.html", takes_context=True)
def broadcast_moments(context, product=None, batch=None, limit=3):
    """The replay moments that present `product` (or show `batch`): the newest `limit`, how many in all, a link to all.

    Three queries however many moments there are: the count, the chapters with their replay and poster,
    and the posters' renditions. A cached fragment may hold it: the fragments' key moves on when any
    broadcast starts or ends, and with any saved chapter or replay, so a moment appears when its broadcast ends.
    """
    request = context["request"]
    # A translated replay has its chapters once per language: the reader's own, or the replay's where it has none.
    locale_id = product.locale_id if product is not None else Locale.get_active().pk
    chapters = BroadcastChapter.objects.moments(request_now(request)).in_locale(locale_id)
    chapters = chapters.of_batch(batch) if batch is not None else chapters.of_product(product)
    moments = list(chapters[:limit])
    total = len(moments) if len(moments) < limit else chapters.count()
    all_url = None
    if product is not None and total > len(moments):
        index = _memo(
            request, "replay-index", lambda: ReplayIndexPage.objects.live().filter(locale_id=product.locale_id).first()
        )
        if index is not None:
            all_url = f"{index.url}?product={product.slug}"
    return {"moments": moments, "total": total, "all_url": all_url, "batch": batch, "request": request}
