"""A small world for policy tests: two regions set up by `setup_policy_region`, their users, and other pages."""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from stories.policy.permissions import setup_policy_region
from tests import factories

PASSWORD = "farmcast-test"  # noqa: S105


def make_user(username, *groups):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD)
    user.groups.set(groups)
    return user


def make_brand_editors(site_tree):
    """Like the demo's brand editors: add, change and publish on brands, stories and replays."""
    group = Group.objects.create(name="Brand editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for page in (site_tree.brands, site_tree.stories, site_tree.replays):
            GroupPagePermission.objects.create(group=group, page=page, permission=permission)
    return group


@dataclass
class PolicyWorld:
    tree: object
    home: object
    other: object
    home_news: object
    other_news: object
    brand: object
    product: object
    story: object
    broadcast: object
    users: dict


@pytest.fixture
def world(site_tree):
    heilongjiang = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    jiangxi = factories.make_region(name="江西省", name_en="Jiangxi", code="360000", slug="jiangxi")
    home = setup_policy_region(heilongjiang)
    other = setup_policy_region(jiangxi)
    brand = factories.make_brand(site_tree.brands, region=heilongjiang)
    product = factories.make_product(brand)
    users = {
        "editor": make_user("gov-editor", home.editors),
        "reviewer": make_user("gov-reviewer", home.reviewers),
        "other_editor": make_user("other-editor", other.editors),
        "brand_editor": make_user("brand-editor", make_brand_editors(site_tree)),
    }
    return PolicyWorld(
        tree=site_tree,
        home=home,
        other=other,
        home_news=factories.make_policy_news(home.section),
        other_news=factories.make_policy_news(other.section, authority="江西省农业农村厅"),
        brand=brand,
        product=product,
        story=factories.make_story(site_tree.stories, brand=brand),
        broadcast=factories.make_broadcast(site_tree.replays, brand=brand),
        users=users,
    )


@pytest.fixture
def as_role(client, world):
    """`as_role("editor")` logs the test client in as that role ("anonymous" logs out)."""

    def login(role):
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return login
