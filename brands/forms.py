"""Sealed evidence keeps its file: the refusal the admin's image and document forms give.

Wagtail's edit form keeps an image's id when its file is replaced, and a sealed event's evidence
points at that id: replacing the file would swap the evidence behind a "verified" seal. The forms
(site_content/files.py) ask every `farmcast_file_replacement` hook; brands/wagtail_hooks.py registers
`refuse_replacing_sealed_evidence` there, and the model guard in brands.signals refuses the same change
from code.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from .models.provenance import EvidenceFile

SEALED_FILE_MESSAGE = _(
    "This file is evidence of a sealed provenance event, so it cannot be replaced. Upload the new file as a new "
    "image or document and add it to a correcting event."
)


def sealed_evidence_uses(*, image=None, document=None):
    uses = EvidenceFile.objects.exclude(event__seal="")
    return uses.filter(image_id=image).exists() if image else uses.filter(document_id=document).exists()


def refuse_replacing_sealed_evidence(file, user):
    """`farmcast_file_replacement` hook: nobody, superusers included, replaces sealed evidence."""
    field = "document" if isinstance(file, get_document_model()) else "image"
    return SEALED_FILE_MESSAGE if sealed_evidence_uses(**{field: file.pk}) else None
