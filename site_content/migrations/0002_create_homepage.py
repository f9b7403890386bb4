"""Nothing any more: the home page is created by home/migrations/0002_create_homepage.py.

Kept, empty, because other apps' migrations depend on it and databases have it recorded as applied.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("site_content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = []
