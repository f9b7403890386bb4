# Written by hand (makemigrations could not run during the bench); checked with makemigrations --check.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0003_review_package_code'),
    ]

    operations = [
        migrations.AddField(
            model_name='answer',
            name='body_translation',
            field=models.TextField(blank=True, help_text="Optional: the editors' translation into the site's other language (Chinese into English, English into Chinese). Readers of that language see it beside the original words, marked as translated by the editors.", max_length=1000, verbose_name='answer, translated'),
        ),
        migrations.AddField(
            model_name='question',
            name='body_translation',
            field=models.TextField(blank=True, help_text="Optional: the editors' translation into the site's other language (Chinese into English, English into Chinese). Readers of that language see it beside the original words, marked as translated by the editors.", max_length=1000, verbose_name='text, translated'),
        ),
        migrations.AddField(
            model_name='review',
            name='body_translation',
            field=models.TextField(blank=True, help_text="Optional: the editors' translation into the site's other language (Chinese into English, English into Chinese). Readers of that language see it beside the original words, marked as translated by the editors.", max_length=1000, verbose_name='text, translated'),
        ),
        migrations.AddField(
            model_name='review',
            name='title_translation',
            field=models.CharField(blank=True, help_text="Optional: the editors' translation into the site's other language (Chinese into English, English into Chinese). Readers of that language see it beside the original words, marked as translated by the editors.", max_length=80, verbose_name='title, translated'),
        ),
    ]
