from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SiteContentConfig(AppConfig):
    name = "site_content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail import hooks
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import page_cache

        # After Wagtail's own checks (request method, view restrictions): only pages it will serve get a plan.
        hooks.register("before_serve_page", page_cache.plan_page, order=100)
        page_published.connect(_page_changed, dispatch_uid="page_cache_published")
        page_unpublished.connect(_page_changed, dispatch_uid="page_cache_unpublished")
        post_page_move.connect(_everything_changed, dispatch_uid="page_cache_moved")
        post_save.connect(_saved, dispatch_uid="page_cache_saved")
        post_delete.connect(_deleted, dispatch_uid="page_cache_deleted")


def _page_changed(sender, instance, **kwargs):
    from . import page_cache

    page_cache.purge_page(instance)


def _everything_changed(sender, **kwargs):
    # A move changes the URLs of a whole subtree, and every listing that links into it: rare, so purge all.
    from . import page_cache

    page_cache.purge_on_commit({page_cache.GLOBAL})


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    from wagtail.models import Page

    from .page_cache import enabled

    if raw or not enabled():
        return
    if isinstance(instance, Page):
        # A live page saved outside publishing (an import updating sales volumes). Drafts and revision
        # bookkeeping save with update_fields and change nothing readers see.
        if instance.live and update_fields is None:
            _page_changed(sender, instance)
        return
    _object_changed(instance)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    from .page_cache import enabled

    if not enabled():
        return
    if isinstance(instance, Page):
        _page_changed(sender, instance)
    else:
        _object_changed(instance)


def _object_changed(instance):
    """Non-page data that pages show: snippets everywhere, feedback on its page, provenance on its product."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        _purge_for(instance)
    except ObjectDoesNotExist:
        pass  # a cascade from a deleted page or batch, whose own deletion purges what showed it


def _purge_for(instance):
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Locale, Site

    from brands.provenance import Batch, Certificate, EvidenceFile, ProvenanceEvent
    from feedback.models import Answer, Question, Review
    from stories.policy import PolicyTopic

    from . import page_cache
    from .models import CertificationType, ProductCategory, Region, SiteSettings

    if isinstance(instance, (Region, ProductCategory, CertificationType, PolicyTopic, SiteSettings, Site, Locale)):
        page_cache.purge_on_commit({page_cache.GLOBAL})
    elif isinstance(instance, (AbstractImage, AbstractDocument)):
        # A replaced file or a moved focal point changes the renditions the pages using it link to.
        page_cache.purge_pages_referencing(instance)
    elif isinstance(instance, Review):
        page_cache.purge_page_id(instance.product_id)
    elif isinstance(instance, Question):
        page_cache.purge_page_id(instance.page_id)
    elif isinstance(instance, Answer):
        item = instance.review if instance.review_id else instance.question
        if item is not None:
            page_cache.purge_page_id(item.product_id if instance.review_id else item.page_id)
    elif isinstance(instance, Batch):
        page_cache.purge_page_id(instance.product_id, page_cache.PROVENANCE)
    elif isinstance(instance, ProvenanceEvent):
        page_cache.purge_page_id(instance.batch.product_id, page_cache.PROVENANCE)
    elif isinstance(instance, EvidenceFile):
        page_cache.purge_page_id(instance.event.batch.product_id, page_cache.PROVENANCE)
    elif isinstance(instance, Certificate):
        page_cache.purge_page_id(instance.product_id, page_cache.PROVENANCE)
        page_cache.purge_page_id(instance.brand_id)
