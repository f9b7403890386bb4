from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("Brands and products")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save, pre_delete, pre_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.signals import page_published

        from . import transparency
        from .models import Batch, EvidenceFile, LogCheckpoint, ProductPage, ProvenanceEvent, TraceCheck
        from .models.provenance import refuse_sealed_deletion
        from .signals import refuse_replacing_sealed_files, seal_on_publish

        # Publishing a product is the moment its provenance becomes public, so that is when it is sealed.
        page_published.connect(seal_on_publish, sender=ProductPage, dispatch_uid="brands_seal_on_publish")
        # Nothing sealed is deleted by any path: pre_delete also fires for querysets and cascades.
        for model in (Batch, ProvenanceEvent, EvidenceFile):
            pre_delete.connect(refuse_sealed_deletion, sender=model, dispatch_uid=f"brands_sealed_{model.__name__}")
        for model in (get_image_model(), get_document_model()):
            pre_save.connect(
                refuse_replacing_sealed_files, sender=model, dispatch_uid=f"brands_sealed_file_{model.__name__}"
            )
        # Trace views read the latest checkpoint and file check from the cache: each new one replaces it.
        for model in (LogCheckpoint, TraceCheck):
            post_save.connect(transparency.state_changed, sender=model, dispatch_uid=f"brands_state_{model.__name__}")
