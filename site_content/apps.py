from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SiteContentConfig(AppConfig):
    name = "site_content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: they load models (and wagtail.signals loads Wagtail's), which needs the app registry.
        from wagtail.signals import page_published

        from . import checks, facts  # noqa: F401 - importing checks registers the deploy checks
        from .drafts import publish_drafts_files
        from .wagtail_names import name_wagtail_defaults

        post_migrate.connect(name_wagtail_defaults, sender=self, dispatch_uid="wagtail_default_names")
        facts.connect()
        page_published.connect(publish_drafts_files, dispatch_uid="publish_drafts_files")
