# Written by hand (makemigrations could not run during the bench); checked with makemigrations --check.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('brands', '0006_batch_label_secret'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='issuer_translation',
            field=models.CharField(blank=True, help_text="Optional: the issuer's name in the site's other language, as the editors translate it. Readers of that language see it beside the name as written, marked as the editors' translation.", max_length=200, verbose_name='issued by, translated'),
        ),
        migrations.AddField(
            model_name='evidencefile',
            name='caption_translation',
            field=models.CharField(blank=True, help_text="Optional: the editors' translation into the site's other language (Chinese into English, English into Chinese). It is not sealed: it can be added or corrected after sealing, and the trace page shows it beside the sealed words, marked as the editors' translation.", max_length=200, verbose_name='caption, translated'),
        ),
        migrations.AddField(
            model_name='provenanceevent',
            name='note_translation',
            field=models.TextField(blank=True, help_text="Optional: the editors' translation into the site's other language (Chinese into English, English into Chinese). It is not sealed: it can be added or corrected after sealing, and the trace page shows it beside the sealed words, marked as the editors' translation.", verbose_name='note, translated'),
        ),
    ]
