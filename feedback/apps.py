from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Buyer feedback")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: the module names models, which exist only once apps are loaded.
        from . import recalls, stats

        recalls.connect()
        stats.connect()
