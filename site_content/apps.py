from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SiteContentConfig(AppConfig):
    name = "site_content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .wagtail_names import name_wagtail_defaults

        post_migrate.connect(name_wagtail_defaults, sender=self, dispatch_uid="wagtail_default_names")
        from . import facts

        facts.connect()
