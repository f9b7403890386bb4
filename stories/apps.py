from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: the module names models, which exist only once apps are loaded.
        from .broadcasts import reminders
        from .follows import notifications as follows
        from .policy import notifications

        notifications.connect()
        reminders.connect()
        follows.connect()
