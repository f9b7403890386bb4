"""One cache story: whole pages and template fragments in Django's cache, invalidated by versioned tags.

Every change readers may see gives new random versions to the tags it touches, once its transaction
commits (the receivers at the end of this module, connected by HomeConfig.ready() in every process,
so a command that publishes purges too). Whatever was cached remembers the versions its tags had
*before* it was built, and a lookup that finds any tag moved on treats the entry as a miss. So a change
reaches readers on their next request, whichever process or node answers, as long as they share the
cache (Redis with REDIS_URL), and nothing cached can outlive what it shows.

Two kinds of entries read the same tags:
- Pages (the anonymous page cache, `PageCacheMiddleware`): whole responses, each depending on as few
  tags as cover what it shows (see `page_tags`), so a publish purges exactly the pages that show it:
  - `path:<path>`: the page's own content, and each ancestor's (breadcrumbs, the brand around a product).
  - `page:<id>`: a page elsewhere in the tree it links to by a foreign key, a many-to-many or a child
    row (a broadcast's brand and the products in its chapters, a story's products).
  - `children:<path>`: anything below it (a brand shows its products, an index its children, home all).
  - `links:<id>`: pages that link to it (a brand page lists the broadcasts and stories naming it).
  - `translation:<key>`: its translations (the language switcher).
  - `global`: snippets, site settings, moves and the top of the tree (navigation on every page).
- Fragments (`{% fragment %}`, for whatever the page cache does not serve: query strings, editors'
  pages without the editor's own parts, pages rendered for a miss): rendered HTML depending on one tag,
  `content`, which any saved or deleted row readers may see moves. Coarse on purpose: fragments are
  rebuilt on the next visit, and nothing can be forgotten by a list of dependencies.

Query strings: each view says which parameters it reads (a page type's `cache_query_params`, a
view's entry in CACHEABLE_VIEWS, and `?untranslated=` on every page), and only those key the entry.
`?from=timeline&utm_source=…` on a shared link is served the page's one cached copy, and renders it
if it is a miss: the view sees only the parameters it declared, so nothing else can reach the copy.
Which parameters a path's view reads is learned when it is first rendered (`_params_key`).

Nothing is cached for people with a session or pending messages, for previews, for private pages,
for responses that are not 200, set a cookie or say private/no-store/no-cache, and a cached page
never outlives the max-age the page itself set (a broadcast's page expires when it starts or ends).

Forms: a page embeds the visitor's CSRF token. The stored copy has every token of the filling
visitor replaced by a placeholder, and each hit fills in a token for *its* visitor (who gets the
CSRF cookie to match), so cached pages' forms work and nobody is handed someone else's token.
"""

import functools
import hashlib
import logging
import math
import re
import secrets
import time
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CSRF_SECRET_LENGTH, _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import get_max_age, patch_response_headers
from django.utils.http import urlencode
from django.utils.translation import get_language
from modelcluster.models import get_all_child_relations
from wagtail import hooks
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from brands.models.provenance import Batch, Certificate, EvidenceFile, ProvenanceEvent
from brands.transparency import log_changed
from feedback.models import Answer, Question, Review
from search.models import BestBet, Synonym
from site_content.clock import MAX_CACHE_SECONDS, request_now
from site_content.models import CertificationType, ProductCategory, Region, SiteSettings
from stories.models import BroadcastReplayPage, PolicyTopic

logger = logging.getLogger("farmcast.page_cache")

HEADER = "X-Farmcast-Cache"
KEY_PREFIX = "cache2"
CONTENT = "content"  # any change readers may see: what fragments depend on
GLOBAL = "global"
ALL_PAGES = "pages"  # any page changed: views that search or join across the tree depend on it
PROVENANCE = "provenance"
SEARCH_WORDS = "search-words"  # synonyms and best bets: what search does with a query (search app)
# The top of the tree (root, each language's home, its sections) is in every page's navigation.
NAVIGATION_DEPTH = 3
MAX_QUERY_STRING = 2048
CSRF_PLACEHOLDER = b"farmcast-csrf-token-placeholder"
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Routes of routable pages that show the page's listing; the others (subscription confirmations,
# unsubscribe links) answer one reader's token and stay uncached.
CACHEABLE_ROUTES = {"index_route", "feed_rss", "feed_atom"}
# Views that are not Wagtail pages, with their tags, longest lifetime in seconds (None: the setting's)
# and the query parameters they read. Search results come from an index that catches up with the
# database a moment later, so they only live briefly; the trace page joins batch, product, brand,
# stories and broadcasts.
CACHEABLE_VIEWS = {
    "search:search": (
        {GLOBAL, ALL_PAGES, PROVENANCE, SEARCH_WORDS},
        60,
        ("q", "type", "region", "category", "certification", "season", "sort", "page"),
    ),
    # `log`: the log state a label's QR code carries; `page`: the timeline's page.
    "trace:batch": ({GLOBAL, ALL_PAGES, PROVENANCE}, None, ("format", "log", "page")),
}
# Read on every page: the language switch's notice that the page has no translation (farmcast_tags).
EVERY_PAGE_PARAMS = ("untranslated",)
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
# Writes that change nothing readers see: sessions, login attempts, drafts, logs, renditions, the
# search index's bookkeeping, task rows. A QuerySet.update() sends no signal at all: the fragments'
# lifetime (FRAGMENT_CACHE_SECONDS) bounds how long such a change can stay hidden.
IGNORED_APPS = {
    "admin",
    "auth",
    "axes",
    "contenttypes",
    "django_tasks_database",
    "django_tasks_db",
    "sessions",
    "wagtailadmin",
    "wagtailsearch",
    "wagtailusers",
}
IGNORED_MODELS = {
    # Readers' mail lists: addresses and sent-mail records, never shown on a page.
    "brandfollow",
    "broadcastreminder",
    "follownotice",
    "policynotification",
    "policysubscription",
    "comment",
    "commentreply",
    "modellogentry",
    "pagelogentry",
    "pagesubscription",
    "referenceindex",
    "rendition",
    "revision",
    # search's counters of what shoppers search for and open: written on every search
    "searchclick",
    "searchevent",
    "searchterm",
    "taskstate",
    "uploadedfile",
    "workflowstate",
}


def enabled():
    """Whether the page cache serves and fills (PAGE_CACHE_ENABLED)."""
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def fragments_enabled():
    """Whether `{% fragment %}` caches (FRAGMENT_CACHE_ENABLED). Off in tests that roll back: no commit, no purge."""
    return getattr(settings, "FRAGMENT_CACHE_ENABLED", False)


def excluded_prefixes():
    return getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ())


# --- Tags and their versions ---------------------------------------------------------------


def _tag_key(tag):
    return f"{KEY_PREFIX}:tag:{tag}"


def current_versions(tags):
    """The version of each tag now; a tag never seen (or evicted) gets a fresh one, so old entries miss."""
    keys = {_tag_key(t): t for t in tags}
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(8) for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return {keys[key]: version for key, version in found.items()}


def bump(tags):
    """Give each tag a new version: every page and fragment built from it misses from now on."""
    if tags:
        cache.set_many({_tag_key(t): secrets.token_hex(8) for t in tags}, timeout=None)


def bump_on_commit(tags):
    # After the commit, not before: a request that read the new version must also see the new data.
    if tags:
        tags = set(tags)
        transaction.on_commit(lambda: bump(tags))


# --- What a page shows ----------------------------------------------------------------------


def _is_page_model(model):
    return isinstance(model, type) and issubclass(model, Page)


@functools.cache
def _link_fields(model):
    """(foreign keys, many-to-many fields, child relations with their page keys) of a page model."""
    fks, m2ms, children = [], [], []
    for field in model._meta.get_fields():
        if field.model is Page or not getattr(field, "concrete", False):
            continue  # Page's own keys (alias_of, revisions, owner) link to nothing a reader sees
        if not _is_page_model(getattr(field, "related_model", None)):
            continue
        if field.many_to_one or field.one_to_one:
            if not getattr(field.remote_field, "parent_link", False):
                fks.append(field.attname)
        elif field.many_to_many:
            m2ms.append(field.name)
    for relation in get_all_child_relations(model):
        child = relation.related_model
        keys = [
            f.attname
            for f in child._meta.fields
            if f.many_to_one and f is not relation.field and _is_page_model(f.related_model)
        ]
        if keys:
            children.append((child, relation.field.name, keys))
    return fks, m2ms, children


def linked_page_ids(page):
    """Ids of the pages `page` shows by reference (its brand, its chapters' products, featured brands)."""
    try:
        page = page.specific
    except ObjectDoesNotExist:
        pass  # deleted: its own fields still name what it linked to
    fks, m2ms, children = _link_fields(type(page))
    ids = {getattr(page, name) for name in fks}
    for name in m2ms:
        ids.update(obj.pk for obj in getattr(page, name).all())
    for child, parent_key, keys in children:
        for row in child._default_manager.filter(**{parent_key: page.pk}).values_list(*keys):
            ids.update(row)
    ids.discard(None)
    ids.discard(page.pk)
    return ids


def _ancestor_paths(path):
    return [path[:i] for i in range(Page.steplen, len(path), Page.steplen)]


def page_tags(page):
    """Every tag a rendering of `page` depends on, as few as cover it (a hit reads each one)."""
    tags = {GLOBAL, f"path:{page.path}", f"children:{page.path}", f"links:{page.pk}"}
    # The top of the tree is covered by GLOBAL (its changes bump it), so only deeper ancestors count.
    tags.update(f"path:{p}" for p in _ancestor_paths(page.path) if len(p) > NAVIGATION_DEPTH * Page.steplen)
    linked = linked_page_ids(page)
    if linked:
        for pk, path in Page.objects.filter(pk__in=linked).values_list("pk", "path"):
            # Descendants are covered by children:, ancestors by path:.
            if not (path.startswith(page.path) or page.path.startswith(path)):
                tags.add(f"page:{pk}")
    if page.translation_key:
        tags.add(f"translation:{page.translation_key}")
    return tags


def tags_changed_by_page(page):
    """The tags to bump when `page` is published, unpublished, deleted or saved while live."""
    if page.depth <= NAVIGATION_DEPTH:
        return {GLOBAL}
    tags = {ALL_PAGES, f"page:{page.pk}", f"path:{page.path}"}
    tags.update(f"children:{p}" for p in _ancestor_paths(page.path))
    tags.update(f"links:{pk}" for pk in linked_page_ids(page))
    if page.translation_key:
        tags.add(f"translation:{page.translation_key}")
    return tags


def tags_changed_by_page_id(page_id, *extra_tags):
    """For a page known by id (feedback, batches): as if it had been republished."""
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    tags = set(extra_tags)
    if page is not None:
        tags |= tags_changed_by_page(page)
    return tags


def tags_changed_by_pages_using(obj):
    """For the pages that use `obj` (an image, a document), from Wagtail's reference index."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type).values_list("object_id", flat=True)
    tags = set()
    for page_id in {int(i) for i in ids}:
        tags |= tags_changed_by_page_id(page_id)
    return tags


def tags_changed_by_object(instance):
    """For non-page data that pages show: snippets everywhere, feedback on its page, provenance on its product."""
    if isinstance(instance, (Region, ProductCategory, CertificationType, PolicyTopic, SiteSettings, Site, Locale)):
        return {GLOBAL}
    if isinstance(instance, (Synonym, BestBet)):
        # Either changes search results at once: cached result pages must not hide it.
        return {SEARCH_WORDS}
    if isinstance(instance, (AbstractImage, AbstractDocument)):
        # A replaced file or a moved focal point changes the renditions the pages using it link to.
        return tags_changed_by_pages_using(instance)
    if isinstance(instance, Review):
        return tags_changed_by_page_id(instance.product_id)
    if isinstance(instance, Question):
        return tags_changed_by_page_id(instance.page_id)
    if isinstance(instance, Answer):
        item = instance.review if instance.review_id else instance.question
        if item is None:
            return set()
        return tags_changed_by_page_id(item.product_id if instance.review_id else item.page_id)
    if isinstance(instance, Batch):
        return tags_changed_by_page_id(instance.product_id, PROVENANCE)
    if isinstance(instance, ProvenanceEvent):
        return tags_changed_by_page_id(instance.batch.product_id, PROVENANCE)
    if isinstance(instance, EvidenceFile):
        return tags_changed_by_page_id(instance.event.batch.product_id, PROVENANCE)
    if isinstance(instance, Certificate):
        return tags_changed_by_page_id(instance.product_id, PROVENANCE) | tags_changed_by_page_id(instance.brand_id)
    return set()


# --- Deciding what may be cached ---------------------------------------------------------------


def bypass_reason(request):
    """Why this request must neither read nor fill the cache, or None."""
    if request.method not in ("GET", "HEAD"):
        return "method"
    if getattr(request, "is_dummy", False):
        return "preview"  # Wagtail's previews and moderation views render through a fake request
    if request.path_info.startswith(excluded_prefixes()):
        return "path"
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return "query"
    # A session means a logged-in editor, a passed page password or a stored message: their pages are theirs.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
        return "session"
    if "HTTP_AUTHORIZATION" in request.META:
        return "authorization"
    return None


def _digest(*parts):
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _params_key(request):
    """Where the parameters this URL's view reads are remembered (per deploy: a new release may read others)."""
    return f"{KEY_PREFIX}:params:{code_version()}:{_digest(request.scheme, request.get_host(), request.path)}"


def cache_key(request, params):
    """The entry for this URL in this language, keyed on the values of `params` only."""
    query = urlencode([(name, value) for name in sorted(params) for value in request.GET.getlist(name)])
    digest = _digest(request.scheme, request.get_host(), request.path, query, request._page_cache_language)
    return f"{KEY_PREFIX}:response:{digest}"


def plan(request, tags, max_seconds=None, params=()):
    """Mark this request's response as cacheable, with the tag versions read before it is rendered.

    The view then sees only the query parameters it reads (`params`): whatever else the URL carried
    cannot show up in the copy stored for everyone.
    """
    if getattr(request, "_page_cache_candidate", None) is None:
        return
    params = tuple(sorted({*params, *EVERY_PAGE_PARAMS}))
    kept = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request._page_cache_params = params
    request._page_cache_plan = (current_versions(tags), max_seconds)


def plan_page(page, request, serve_args, serve_kwargs):
    """before_serve_page hook: a public, live Wagtail page (or a listing route of one) may be cached."""
    if getattr(request, "_page_cache_candidate", None) is None or getattr(request, "is_preview", False):
        return None
    view = serve_args[0] if serve_args and callable(serve_args[0]) else None
    if view is not None and getattr(view, "__name__", "") not in CACHEABLE_ROUTES:
        return None
    if not page.live or page.get_view_restrictions().exists():
        return None
    plan(request, page_tags(page), params=getattr(page.specific_class, "cache_query_params", ()))
    return None


def _storable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _scrub_csrf(request, content):
    """The content with every CSRF token of this visitor replaced by the placeholder; None if unsafe."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return content
    secret = request.META.get("CSRF_COOKIE") or ""
    if len(secret) != CSRF_SECRET_LENGTH:
        return None

    def replace(match):
        return CSRF_PLACEHOLDER if _unmask_cipher_token(match.group().decode()) == secret else match.group()

    content = _MASKED_TOKEN.sub(replace, content)
    # The unmasked secret must never be stored for others to read.
    return None if secret.encode() in content else content


def store(request, response):
    planned = getattr(request, "_page_cache_plan", None)
    if planned is None or not _storable(request, response):
        return
    params = request._page_cache_params
    key = cache_key(request, params)
    versions, max_seconds = planned
    now = time.time()
    seconds = settings.PAGE_CACHE_SECONDS
    if max_seconds is not None:
        seconds = min(seconds, max_seconds)
    origin_max_age = get_max_age(response)
    if origin_max_age is not None:
        seconds = min(seconds, origin_max_age)
    if seconds <= 0:
        return
    content = _scrub_csrf(request, response.content)
    if content is None:
        logger.warning("page cache: a CSRF token outside a form on %s; not cached", request.path)
        return
    headers = [(k, v) for k, v in response.items() if k.lower() not in ("content-length", "expires", HEADER.lower())]
    entry = {
        "versions": versions,
        "content": content,
        "headers": headers,
        "stored": now,
        "until": now + seconds,
        # The page's own freshness, so a hit tells browsers and proxies the remaining time, not the full one.
        "fresh_until": now + origin_max_age if origin_max_age is not None else None,
    }
    cache.set(key, entry, timeout=math.ceil(seconds))
    cache.set(_params_key(request), params, timeout=None)


def lookup(request, key):
    entry = cache.get(key)
    if entry is None:
        return None
    now = time.time()
    if entry["until"] <= now:
        return None
    versions = entry["versions"]
    current = cache.get_many([_tag_key(t) for t in versions])
    if any(current.get(_tag_key(t)) != v for t, v in versions.items()):
        return None
    content = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=200)
    for name, value in entry["headers"]:
        response[name] = value
    if entry["fresh_until"] is not None:
        patch_response_headers(response, cache_timeout=max(0, math.floor(entry["fresh_until"] - now)))
    return response


class PageCacheMiddleware:
    """Serve and fill the page cache. Sits inside the session, CSRF, locale and auth middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        if bypass_reason(request) is not None:
            response = self.get_response(request)
            response[HEADER] = "bypass"
            return response
        request._page_cache_language = get_language() or ""
        params = cache.get(_params_key(request))
        response = lookup(request, cache_key(request, params)) if params is not None else None
        if response is not None:
            response[HEADER] = "hit"
            return response
        request._page_cache_candidate = True  # the view about to run may plan (and so key) its response
        response = self.get_response(request)
        store(request, response)
        # "miss" for what may be cached (stored now unless the response refused); "bypass" for the rest.
        response[HEADER] = "miss" if getattr(request, "_page_cache_plan", None) is not None else "bypass"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "_page_cache_candidate", None) is None or request.resolver_match is None:
            return None
        cacheable = CACHEABLE_VIEWS.get(request.resolver_match.view_name)
        if cacheable is not None:
            tags, max_seconds, params = cacheable
            plan(request, tags, max_seconds, params)
        return None


# --- Fragments ---------------------------------------------------------------------------------
#
# `{% fragment "name" vary... %}` (templatetags/farmcast_tags.py) keys rendered HTML on everything a
# public rendering depends on besides its vary values (`fragment_key`):
# - the version of the `content` tag (any change readers may see moves it),
# - the page's own live revision and publication time (the routed page was read before the
#   versions: a publish in between must not be stored under the new versions),
# - language, scheme and host (absolute URLs), today's date in the site's time zone (policy status,
#   the footer's year) and the next broadcast start or end anywhere (broadcast states),
# - a digest of the code and static manifest (the cache outlives a deploy).
# Previews, editors and non-GET requests render afresh.

FRAGMENT_KEY_PREFIX = f"{KEY_PREFIX}:fragment"


@functools.lru_cache(maxsize=1)
def code_version():
    """Changes with a deploy: the cache outlives the processes, and old HTML may name old static files."""
    base = Path(settings.BASE_DIR)
    stamp = [django.__version__, wagtail.__version__]
    for folder in ("templates", "locale", "home", "site_content", "brands", "stories", "feedback", "search"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".mo"):
                info = path.stat()
                stamp.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    manifest = Path(settings.STATIC_ROOT or "", "staticfiles.json") if settings.STATIC_ROOT else None
    if manifest is not None and manifest.exists():
        stamp.append(hashlib.sha256(manifest.read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(stamp).encode()).hexdigest()[:16]


def content_version():
    return current_versions({CONTENT})[CONTENT]


def next_broadcast_change(request):
    """When any live broadcast next starts or ends, once per request: every state on a page holds until then.

    Cached fragments are keyed on it, and a page listing broadcasts expires then; counting every
    language's broadcasts can only make that earlier, never late.
    """
    if not hasattr(request, "_next_broadcast_change"):
        request._next_broadcast_change = _next_change_for_content_version(request_now(request))
    return request._next_broadcast_change


def _next_change_for_content_version(now):
    """The query's answer, kept while the content stays the same: until that moment nothing starts or ends."""
    if not fragments_enabled():
        return BroadcastReplayPage.objects.live().next_change(now)
    key = f"{KEY_PREFIX}:next-broadcast-change:{content_version()}"
    cached = cache.get(key)
    if cached is not None:
        computed_at, change_at = cached
        if computed_at <= now and (change_at is None or now < change_at):
            return change_at
    change_at = BroadcastReplayPage.objects.live().next_change(now)
    cache.set(key, (now, change_at), MAX_CACHE_SECONDS)
    return change_at


def fragment_state(request):
    """What every fragment of this request is keyed on besides its own values; read once per request."""
    state = getattr(request, "_farmcast_fragment_state", None)
    if state is None:
        state = (
            code_version(),
            content_version(),
            request.scheme,
            request.get_host(),
            timezone.localdate(request_now(request)).isoformat(),
            str(next_broadcast_change(request)),
        )
        request._farmcast_fragment_state = state
    return state


def read_fragment_state(page, request, serve_args, serve_kwargs):
    """before_serve_page hook: read the versions now, before the page's own queries (see above)."""
    if fragments_enabled() and request is not None:
        fragment_state(request)


def may_cache_fragment(request):
    if not fragments_enabled() or request is None:
        return False
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def fragment_key(name, request, page, values):
    page_state = (
        (page.pk, page.live_revision_id, str(page.last_published_at))
        if isinstance(page, Page)
        else (type(page).__name__,)
    )
    parts = (name, get_language(), *fragment_state(request), *page_state, *(str(value) for value in values))
    return f"{FRAGMENT_KEY_PREFIX}:{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def fragment(key, render):
    """The HTML stored under `key`, or `render()`'s, stored for next time."""
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, getattr(settings, "FRAGMENT_CACHE_SECONDS", 60 * 60))
    return html


# --- What moves which tags ---------------------------------------------------------------------


def connect():
    """Connect the receivers (HomeConfig.ready): every process, so a command that publishes purges too."""
    # After Wagtail's own checks (request method, view restrictions): only pages it will serve get a plan.
    hooks.register("before_serve_page", plan_page, order=100)
    # Before any page type's own queries: a fragment must not be stored under a content version newer
    # than the rows it was built from.
    hooks.register("before_serve_page", read_fragment_state)
    page_published.connect(_page_changed, dispatch_uid="cache_page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="cache_page_unpublished")
    # Wagtail moves a page's descendants with UPDATE statements, which send no post_save.
    post_page_move.connect(_moved, dispatch_uid="cache_page_moved")
    post_save.connect(_saved, dispatch_uid="cache_saved")
    post_delete.connect(_deleted, dispatch_uid="cache_deleted")
    m2m_changed.connect(_relation_changed, dispatch_uid="cache_relation_changed")
    # A new signed checkpoint, or a trace page that failed verification: no cached page may still say "verified".
    log_changed.connect(_provenance_log_changed, dispatch_uid="cache_provenance_log")


def _provenance_log_changed(sender, **kwargs):
    if enabled():
        bump({PROVENANCE})


def _shown_to_readers(model):
    meta = model._meta
    return meta.app_label not in IGNORED_APPS and meta.model_name not in IGNORED_MODELS


def _content_tags(model):
    return {CONTENT} if fragments_enabled() and _shown_to_readers(model) else set()


def _page_changed(sender, instance, **kwargs):
    if enabled():
        bump_on_commit(tags_changed_by_page(instance))


def _moved(sender, **kwargs):
    # A move changes the URLs of a whole subtree, and every listing that links into it: rare, so purge all.
    tags = {CONTENT} if fragments_enabled() else set()
    if enabled():
        tags.add(GLOBAL)
    bump_on_commit(tags)


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    tags = _content_tags(sender)
    if enabled():
        if isinstance(instance, Page):
            # A live page saved outside publishing (an import updating sales volumes). Drafts and revision
            # bookkeeping save with update_fields and change nothing readers see.
            if instance.live and update_fields is None:
                tags |= tags_changed_by_page(instance)
        else:
            tags |= _object_tags(instance)
    bump_on_commit(tags)


def _deleted(sender, instance, **kwargs):
    tags = _content_tags(sender)
    if enabled():
        tags |= tags_changed_by_page(instance) if isinstance(instance, Page) else _object_tags(instance)
    bump_on_commit(tags)


def _relation_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump_on_commit(_content_tags(type(instance)))


def _object_tags(instance):
    try:
        return tags_changed_by_object(instance)
    except ObjectDoesNotExist:
        return set()  # a cascade from a deleted page or batch, whose own deletion purges what showed it
