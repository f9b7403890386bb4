from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("Brands and products")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from .models import ProductPage
        from .signals import seal_on_publish

        # Publishing a product is the moment its provenance becomes public, so that is when it is sealed.
        page_published.connect(seal_on_publish, sender=ProductPage, dispatch_uid="brands_seal_on_publish")
