"""Admin forms for images and documents that refuse a new file under sealed evidence.

Wagtail's edit form keeps an image's id when its file is replaced, and a sealed event's evidence
points at that id: replacing the file would swap the evidence behind a "verified" seal. Installed
with WAGTAILIMAGES_IMAGE_FORM_BASE / WAGTAILDOCS_DOCUMENT_FORM_BASE; the model guard in
brands.signals refuses the same change from code.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from site_content.videos import DocumentForm as PlayableVideoDocumentForm

from .models.provenance import EvidenceFile

SEALED_FILE_MESSAGE = _(
    "This file is evidence of a sealed provenance event, so it cannot be replaced. Upload the new file as a new "
    "image or document and add it to a correcting event."
)


def sealed_evidence_uses(*, image=None, document=None):
    uses = EvidenceFile.objects.exclude(event__seal="")
    return uses.filter(image_id=image).exists() if image else uses.filter(document_id=document).exists()


class _RefuseSealedFileMixin:
    evidence_field = ""

    def clean_file(self):
        # The base form's own check (a replay video must play) runs first, when it has one.
        file = super().clean_file() if hasattr(super(), "clean_file") else self.cleaned_data.get("file")
        if (
            self.instance.pk
            and "file" in self.changed_data
            and sealed_evidence_uses(**{self.evidence_field: self.instance.pk})
        ):
            raise forms.ValidationError(SEALED_FILE_MESSAGE, code="sealed_evidence")
        return file


class EvidenceSafeImageForm(_RefuseSealedFileMixin, BaseImageForm):
    evidence_field = "image"


class EvidenceSafeDocumentForm(_RefuseSealedFileMixin, PlayableVideoDocumentForm):
    evidence_field = "document"
