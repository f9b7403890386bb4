"""Demo governments: each demo region's section set up by `setup_policy_region`, with one editor and one reviewer."""

from django.contrib.auth import get_user_model

from .permissions import setup_policy_region

DEMO_GOVERNMENT_PASSWORD = "farmcast-demo"  # noqa: S105 - published in the README: demo data, not a secret


def set_up_demo_governments(regions, parent):
    """`regions` get their section, groups and workflow under `parent` and users gov-<slug>-editor/-reviewer.

    Returns what was created, as (kind, name) pairs, for load_demo's summary.
    """
    created = []
    users = get_user_model()
    for region in regions:
        result = setup_policy_region(region, parent=parent)
        created += [("policy setup", line) for line in result.created]
        for role, group in (("editor", result.editors), ("reviewer", result.reviewers)):
            username = f"gov-{region.slug}-{role}"
            user = users.objects.filter(username=username).first()
            if user is None:
                user = users.objects.create_user(username, f"{username}@example.com", DEMO_GOVERNMENT_PASSWORD)
                user.first_name = f"{region.name}{'政策编辑' if role == 'editor' else '政策审核'}"
                user.save(update_fields=["first_name"])
                created.append(("users", username))
            user.groups.add(group)
    return created
