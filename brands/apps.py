from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published

from .signals import seal_on_publish


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("Brands and products")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: models exist only once apps are loaded.
        from .models import ProductPage

        # Publishing a product is the moment its provenance becomes public, so that is when it is sealed.
        page_published.connect(seal_on_publish, sender=ProductPage, dispatch_uid="brands_seal_on_publish")
