"""Wagtail's first-run roles give way to the project's rooms.

Wagtail's migrations create an "Editors" and a "Moderators" group with rights over the whole tree and
every collection, and a "Moderators approval" workflow on the root page that every page without a
workflow of its own inherits. Beside per-region and per-brand rooms (`policy_region_setup`, `brand_setup`)
they are a door into every room: the groups go when nobody is in them (a site that put people in them
keeps them, and its operator decides), and the root workflow is unlinked and switched off, so a page
without its room's workflow is published by its room's publishers, not by Wagtail's "Moderators".
"""

from django.db import migrations
from django.db.models import Count

DEFAULT_GROUPS = ("Editors", "Moderators")


def fold_default_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Task = apps.get_model("wagtailcore", "Task")

    moderators = Group.objects.filter(name="Moderators").first()
    for link in WorkflowPage.objects.filter(page__depth=1).select_related("workflow"):
        workflow = link.workflow
        task_ids = workflow.workflow_tasks.values_list("task_id", flat=True)
        approvals = GroupApprovalTask.objects.filter(pk__in=task_ids).annotate(n=Count("groups"))
        only_moderators = (
            moderators is not None
            and approvals.count() == len(task_ids)
            and all(task.n == 1 and task.groups.filter(pk=moderators.pk).exists() for task in approvals)
        )
        if not only_moderators:
            continue  # a workflow someone made for the root: theirs to keep
        link.delete()
        workflow.active = False
        workflow.save(update_fields=["active"])
        Task.objects.filter(pk__in=task_ids).update(active=False)
    Group.objects.filter(name__in=DEFAULT_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_create_homepage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(fold_default_roles, migrations.RunPython.noop)]
