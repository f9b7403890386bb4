"""Record every change that affects a discovery document, in the transaction that makes it.

No handler here talks to the engine: they write outbox rows, and the apply happens after commit
(search.indexing.enqueue) or in the worker.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from brands.models import FarmBrandPage
from brands.models.provenance import Batch, Certificate, ProvenanceEvent
from feedback.models import Review
from site_content.facts import facts_synchronised
from site_content.models import CertificationType, ProductCategory, Region

from . import indexing, labels, synonyms
from .documents import SEARCHABLE_MODELS
from .models import IndexOutbox, Synonym


def _is_searchable(page):
    return isinstance(page, tuple(SEARCHABLE_MODELS.values()))


def on_publish_or_unpublish(sender, instance, **kwargs):
    if _is_searchable(instance):
        # Its translations' documents carry its title and description (a query in one language
        # finds the page in the other).
        indexing.enqueue(
            list(
                Page.objects.filter(translation_key=instance.translation_key)
                .exclude(pk=instance.pk)
                .values_list("pk", flat=True)
            )
        )
    if isinstance(instance, FarmBrandPage):
        # A brand's name, region and logo are shown on its products, stories and broadcasts.
        indexing.enqueue(indexing.pages_showing_brand([instance.pk]))
    elif _is_searchable(instance):
        indexing.enqueue([instance.pk])


def on_facts_synchronised(sender, source, pages, **kwargs):
    # A price or a date changed in one language was copied into the translations: their documents too.
    for page in pages:
        if page.live:
            on_publish_or_unpublish(type(page), page)


def on_page_delete(sender, instance, **kwargs):
    # Sent once per table of a multi-table page; the base Page row is enough to know its type.
    if sender is Page and instance.content_type_id:
        model = instance.content_type.model_class()
        if model in SEARCHABLE_MODELS.values():
            indexing.enqueue([instance.pk], action=IndexOutbox.Action.DELETE)


def on_page_move(sender, instance, **kwargs):
    indexing.enqueue(indexing.searchable_descendant_ids(instance))


def on_restriction_change(sender, instance, **kwargs):
    # A password or login restriction hides the page and everything under it from the public.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        indexing.enqueue(indexing.searchable_descendant_ids(page))


def on_region_save(sender, instance, created, **kwargs):
    if not created:
        indexing.enqueue(indexing.pages_in_regions(instance))


def on_category_save(sender, instance, created, **kwargs):
    if not created:
        indexing.enqueue(indexing.pages_of_category(instance))


def on_certification_save(sender, instance, created, **kwargs):
    if not created:
        indexing.enqueue(indexing.pages_of_certification(instance))


def on_batch_change(sender, instance, **kwargs):
    # Lot codes and harvest months are on the product's document (and its translations').
    indexing.enqueue(indexing.product_translations([instance.product_id]))


def on_event_change(sender, instance, **kwargs):
    # After a cascade from the batch or product the batch is gone, and so is anything to update.
    product_ids = Batch.objects.filter(pk=instance.batch_id).values_list("product_id", flat=True)
    indexing.enqueue(indexing.product_translations(product_ids))


def on_certificate_change(sender, instance, **kwargs):
    indexing.enqueue(indexing.products_of_certificates([instance]))


def on_review_change(sender, instance, **kwargs):
    # Any status change (approval, rejection) can move the average and the count.
    indexing.enqueue(indexing.product_translations([instance.product_id]))


def on_synonym_change(sender, instance, **kwargs):
    # Now, so this process's next search sees it, and again after the commit, in case another
    # process reloaded in between and read the old groups under the new version.
    synonyms.forget()
    transaction.on_commit(synonyms.forget)


def connect():
    page_published.connect(on_publish_or_unpublish, dispatch_uid="search_page_published")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="search_page_unpublished")
    facts_synchronised.connect(on_facts_synchronised, dispatch_uid="search_facts_synchronised")
    post_delete.connect(on_page_delete, sender=Page, dispatch_uid="search_page_deleted")
    post_page_move.connect(on_page_move, dispatch_uid="search_page_moved")
    post_save.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
    for model in (Region, ProductCategory, CertificationType):
        name = model._meta.label_lower
        post_save.connect(labels.forget, sender=model, dispatch_uid=f"search_labels_{name}_saved")
        post_delete.connect(labels.forget, sender=model, dispatch_uid=f"search_labels_{name}_deleted")
    post_save.connect(on_synonym_change, sender=Synonym, dispatch_uid="search_synonym_saved")
    post_delete.connect(on_synonym_change, sender=Synonym, dispatch_uid="search_synonym_deleted")
    post_save.connect(on_region_save, sender=Region, dispatch_uid="search_region_saved")
    post_save.connect(on_category_save, sender=ProductCategory, dispatch_uid="search_category_saved")
    post_save.connect(on_certification_save, sender=CertificationType, dispatch_uid="search_certification_saved")
    for model, handler in (
        (Batch, on_batch_change),
        (ProvenanceEvent, on_event_change),
        (Certificate, on_certificate_change),
        (Review, on_review_change),
    ):
        name = model._meta.label_lower
        post_save.connect(handler, sender=model, dispatch_uid=f"search_{name}_saved")
        post_delete.connect(handler, sender=model, dispatch_uid=f"search_{name}_deleted")
