"""HomePage moves from site_content to home (issue 18), keeping its rows.

A database built before the move has the table site_content_homepage (and its featured-brands table):
they are renamed, and the page's content type follows, so the home pages, their revisions and their
featured brands stay as they were. A new database gets the tables created here.
"""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "site_content_homepage"
OLD_M2M_TABLE = "site_content_homepage_featured_brands"


def adopt_or_create_tables(apps, schema_editor):
    HomePage = apps.get_model("home", "HomePage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db_alias = schema_editor.connection.alias
    if OLD_TABLE not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(HomePage)  # its many-to-many table too
        return
    through = HomePage._meta.get_field("featured_brands").remote_field.through
    schema_editor.alter_db_table(HomePage, OLD_TABLE, HomePage._meta.db_table)
    schema_editor.alter_db_table(through, OLD_M2M_TABLE, through._meta.db_table)
    content_types = ContentType.objects.using(db_alias)
    if content_types.filter(app_label="site_content", model="homepage").exists():
        # The pages, revisions and permissions keep the content type they use; a home one made since goes.
        content_types.filter(app_label="home", model="homepage").delete()
        content_types.filter(app_label="site_content", model="homepage").update(app_label="home")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("brands", "0003_provenance"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("site_content", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        ("hero_title", models.CharField(max_length=120, verbose_name="hero title")),
                        ("hero_text", wagtail.fields.RichTextField(blank=True, verbose_name="hero text")),
                        (
                            "featured_brands",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="brands.farmbrandpage", verbose_name="featured brands"
                            ),
                        ),
                        (
                            "hero_image",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="wagtailimages.image",
                            ),
                        ),
                        (
                            "policy_region",
                            models.ForeignKey(
                                blank=True,
                                help_text="The home page lists the latest policy news of this region and its sub-regions.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="site_content.region",
                                verbose_name="region for policy news",
                            ),
                        ),
                        (
                            "social_image",
                            models.ForeignKey(
                                blank=True,
                                help_text="Shown when the page is shared; 1200×630 works best.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="wagtailimages.image",
                                verbose_name="social image",
                            ),
                        ),
                    ],
                    options={"verbose_name": "home page"},
                    bases=("wagtailcore.page", models.Model),
                ),
            ],
        ),
        # Not reversible: going back would have to know whether the table was adopted or created here.
        migrations.RunPython(adopt_or_create_tables),
    ]
