from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SiteContentConfig(AppConfig):
    name = "site_content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: checks reads settings and registers itself; wagtail_names loads models (app registry).
        from . import checks  # noqa: F401 - importing it registers the deploy checks
        from .wagtail_names import name_wagtail_defaults

        post_migrate.connect(name_wagtail_defaults, sender=self, dispatch_uid="wagtail_default_names")
        from . import facts

        facts.connect()
