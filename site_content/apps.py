from django.apps import AppConfig


class SiteContentConfig(AppConfig):
    name = "site_content"
    default_auto_field = "django.db.models.BigAutoField"
