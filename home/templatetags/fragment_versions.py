"""The content version `{% fragment %}` keys its cached HTML on, and the receivers that change it.

One version for the whole site, kept in the default cache so every gunicorn worker reads the same:
any saved or deleted row that readers may see (a page, a snippet, a setting, an image, feedback, a
batch) and any page move gives it a new value once the transaction commits, and every fragment
built before misses from then on. Coarse on purpose: editors change content a few times an hour,
fragments are rebuilt on the next visit, and nothing can be forgotten by a list of dependencies.
Writes that change nothing public (sessions, login attempts, drafts, logs, renditions, the search
index's bookkeeping, task rows) are ignored. A QuerySet.update() sends no signal: the fragments'
lifetime (FRAGMENT_CACHE_SECONDS) bounds how long such a change can stay hidden.

Connected in every process (HomeConfig.ready() calls `connect()`), so a management command that
publishes (publish_scheduled, load_demo, an import) invalidates what the web workers cached.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import post_page_move

from site_content.clock import MAX_CACHE_SECONDS, request_now
from stories.models import BroadcastReplayPage

VERSION_KEY = "fragment1:version"

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
    "comment",
    "commentreply",
    "modellogentry",
    "pagelogentry",
    "pagesubscription",
    "referenceindex",
    "rendition",
    "revision",
    "taskstate",
    "uploadedfile",
    "workflowstate",
}


def enabled():
    return getattr(settings, "FRAGMENT_CACHE_ENABLED", False)


def current():
    """The content version now; a missing one (never set, or evicted) starts afresh, so old fragments miss."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


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
    if not enabled():
        return BroadcastReplayPage.objects.live().next_change(now)
    key = f"fragment1:next-broadcast-change:{current()}"
    cached = cache.get(key)
    if cached is not None:
        computed_at, change_at = cached
        if computed_at <= now and (change_at is None or now < change_at):
            return change_at
    change_at = BroadcastReplayPage.objects.live().next_change(now)
    cache.set(key, (now, change_at), MAX_CACHE_SECONDS)
    return change_at


def bump():
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def bump_on_commit():
    # After the commit: a request that reads the new version must also read the new rows.
    transaction.on_commit(bump)


def _shown_to_readers(model):
    meta = model._meta
    return meta.app_label not in IGNORED_APPS and meta.model_name not in IGNORED_MODELS


def _changed(sender, raw=False, **kwargs):
    if enabled() and not raw and _shown_to_readers(sender):
        bump_on_commit()


def _relation_changed(sender, instance, action, **kwargs):
    if enabled() and action in ("post_add", "post_remove", "post_clear") and _shown_to_readers(type(instance)):
        bump_on_commit()


def _moved(sender, **kwargs):
    if enabled():
        bump_on_commit()


def connect():
    post_save.connect(_changed, dispatch_uid="fragment_versions_saved")
    post_delete.connect(_changed, dispatch_uid="fragment_versions_deleted")
    m2m_changed.connect(_relation_changed, dispatch_uid="fragment_versions_relation")
    # Wagtail moves a page's descendants with UPDATE statements, which send no post_save.
    post_page_move.connect(_moved, dispatch_uid="fragment_versions_moved")
