"""Chinese beside the English names Wagtail's migrations give its first-run data.

Wagtail creates the tree's root page ("Root") and a default workflow and task ("Moderators approval")
in English. A Chinese editor meets both at once: the root in every breadcrumb, the workflow on the
editor's main button ("提交给Moderators approval"). After each migrate, the names still exactly as Wagtail
left them get the site's bilingual form ("演示图片 Demo images" style); renamed ones are left alone.
"""

RENAMES = {
    "root": ("Root", "根目录 Root"),
    "workflow": ("Moderators approval", "审核员审批 Moderators approval"),
}


def name_wagtail_defaults(sender, using="default", **kwargs):
    from wagtail.models import Page, Task, Workflow

    old, new = RENAMES["root"]
    Page.objects.using(using).filter(depth=1, title=old).update(title=new, draft_title=new)
    old, new = RENAMES["workflow"]
    Workflow.objects.using(using).filter(name=old).update(name=new)
    Task.objects.using(using).filter(name=old).update(name=new)
