"""Drafts' attachments stay private until the page that uses them is published.

An editor uploads a file for a draft into their room's drafts collection, which carries a Wagtail
collection view restriction: only the room's groups (and superusers) may download it, through Wagtail's
document view, which checks it (WAGTAILDOCS_SERVE_METHOD="serve_view", in production too). When a public
page that uses the file is published, by a reviewer's approval, a publish click or a schedule, the file
moves up to the room's public collection.
"""

from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, ReferenceIndex

from .models import DraftsCollection
from .rooms import file_references

DRAFTS_NAME = "草稿 Drafts"  # a collection's name is data, bilingual like the others


def private_collection(parent, groups):
    """`parent`'s drafts collection, readable by `groups` only; (collection, created)."""
    drafts = DraftsCollection.objects.filter(collection__in=parent.get_children()).select_related("collection").first()
    created = drafts is None
    if created:
        collection = parent.add_child(name=DRAFTS_NAME)
        DraftsCollection.objects.create(collection=collection)
    else:
        collection = drafts.collection
    restriction = CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    ).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    restriction.groups.add(*groups)
    return collection, created


def publish_drafts_files(sender, instance, **kwargs):
    """page_published: the documents a now-public page uses leave their drafts collections."""
    page = instance
    # The file guard (site_content/rooms.py) reads which live pages use a file from the reference
    # index; Wagtail updates it in a background task, so bring it up to date now.
    ReferenceIndex.create_or_update_for_object(page)
    if page.get_view_restrictions().exists():
        return  # a private page's readers are already among the people who may open its files
    model = get_document_model()
    ids = [pk for ref_model, pk in file_references(page) if ref_model is model]
    drafts = DraftsCollection.objects.values("collection_id")
    with transaction.atomic():
        for document in model.objects.filter(pk__in=ids, collection__in=drafts).select_related("collection"):
            document.collection = document.collection.get_parent()
            document.save(update_fields=["collection"])
