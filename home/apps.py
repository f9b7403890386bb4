from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: the cache's receivers name models, which exist only once apps are loaded.
        from . import cache

        cache.connect()
