from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Discovery search")

    def ready(self):
        # Imported here, not at the top: the receivers name models, which exist only once apps are loaded.
        from . import signals

        signals.connect()
