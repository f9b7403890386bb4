"""The admin forms for documents and images, and the one guard on replacing a file.

Wagtail's edit form keeps a document's or image's id when its file is replaced, so every page and
every piece of evidence that uses it shows the new bytes at once. Apps say when that must not happen
through the `farmcast_file_replacement` hook: a function `(file, user)` returning a message to refuse
with, or None. Today: a live page's file needs the right to publish that page (site_content/rooms.py),
and sealed provenance evidence never changes (brands/wagtail_hooks.py).

Installed with WAGTAILDOCS_DOCUMENT_FORM_BASE and WAGTAILIMAGES_IMAGE_FORM_BASE; the document form also
refuses videos a browser could not play (site_content/videos.py).
"""

from django import forms
from wagtail import hooks
from wagtail.images.forms import BaseImageForm

from .videos import DocumentForm as PlayableDocumentForm

FILE_REPLACEMENT_HOOK = "farmcast_file_replacement"


def file_replacement_refusal(file, user):
    """Why `user` may not replace `file`'s bytes, or None."""
    for refuse in hooks.get_hooks(FILE_REPLACEMENT_HOOK):
        message = refuse(file, user)
        if message:
            return message
    return None


class GuardedFileFormMixin:
    def __init__(self, *args, **kwargs):
        self.user = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        clean = getattr(super(), "clean_file", None)
        file = clean() if clean is not None else self.cleaned_data.get("file")
        if self.instance.pk and "file" in self.changed_data and self.user is not None:
            message = file_replacement_refusal(self.instance, self.user)
            if message:
                raise forms.ValidationError(message, code="file_replacement")
        return file


class DocumentForm(GuardedFileFormMixin, PlayableDocumentForm):
    pass


class ImageForm(GuardedFileFormMixin, BaseImageForm):
    pass
