"""Each government edits only its own region: who gets 200 and who is turned away, view by view, in the admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ("editor", "reviewer", "other_editor", "brand_editor", "anonymous")
OK, NO = "ok", "no"


def outcome(response):
    """ "ok" for the view itself, "no" for a refusal (403, or Wagtail's redirect away), "login" for the login page."""
    if response.status_code == 200:
        return OK
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "login"
    assert response.status_code in (302, 403), response.status_code
    return NO


def expected(row, role):
    return "login" if role == "anonymous" else row[ROLES.index(role)]


def url_for(world, view):
    section, other_section = world.home.section, world.other.section
    page_urls = {
        "add news in own section": ("wagtailadmin_pages:add", ("stories", "policynewspage", section.pk)),
        "add news in other region": ("wagtailadmin_pages:add", ("stories", "policynewspage", other_section.pk)),
        "edit own region's news": ("wagtailadmin_pages:edit", (world.home_news.pk,)),
        "edit other region's news": ("wagtailadmin_pages:edit", (world.other_news.pk,)),
        "delete own region's news": ("wagtailadmin_pages:delete", (world.home_news.pk,)),
        "delete other region's news": ("wagtailadmin_pages:delete", (world.other_news.pk,)),
        "unpublish own region's news": ("wagtailadmin_pages:unpublish", (world.home_news.pk,)),
        "move own region's news": ("wagtailadmin_pages:move", (world.home_news.pk,)),
        "move own section to the home page": ("wagtailadmin_pages:move_confirm", (section.pk, world.tree.home.pk)),
        "delete own section": ("wagtailadmin_pages:delete", (section.pk,)),
        "edit /policy/": ("wagtailadmin_pages:edit", (world.tree.policy.pk,)),
        "edit brand": ("wagtailadmin_pages:edit", (world.brand.pk,)),
        "edit product": ("wagtailadmin_pages:edit", (world.product.pk,)),
        "edit story": ("wagtailadmin_pages:edit", (world.story.pk,)),
        "edit broadcast": ("wagtailadmin_pages:edit", (world.broadcast.pk,)),
        "delete product": ("wagtailadmin_pages:delete", (world.product.pk,)),
        "move story": ("wagtailadmin_pages:move", (world.story.pk,)),
        "add story": ("wagtailadmin_pages:add", ("stories", "brandstorypage", world.tree.stories.pk)),
        "page chooser": ("wagtailadmin_choose_page", ()),
        "document chooser": ("wagtaildocs_chooser:choose", ()),
        "explorer of own section": ("wagtailadmin_explore", (section.pk,)),
    }
    name, args = page_urls[view]
    return reverse(name, args=args)


# Columns: editor, reviewer, other region's editor, brand editor (anonymous always goes to the login page).
MATRIX = {
    "add news in own section": (OK, OK, NO, NO),
    "add news in other region": (NO, NO, OK, NO),
    "edit own region's news": (OK, OK, NO, NO),
    "edit other region's news": (NO, NO, OK, NO),
    # Deleting, unpublishing or moving a live item is a publisher's decision.
    "delete own region's news": (NO, OK, NO, NO),
    "delete other region's news": (NO, NO, NO, NO),
    "unpublish own region's news": (NO, OK, NO, NO),
    "move own region's news": (NO, OK, NO, NO),
    # The section's URL is printed on notices: nobody but a superuser moves or deletes it.
    "move own section to the home page": (NO, NO, NO, NO),
    "delete own section": (NO, NO, NO, NO),
    "edit /policy/": (NO, NO, NO, NO),
    "edit brand": (NO, NO, NO, OK),
    "edit product": (NO, NO, NO, OK),
    "edit story": (NO, NO, NO, OK),
    "edit broadcast": (NO, NO, NO, OK),
    "delete product": (NO, NO, NO, OK),
    "move story": (NO, NO, NO, OK),
    "add story": (NO, NO, NO, OK),
    "page chooser": (OK, OK, OK, OK),
    # Choosers open for every admin user; what they list is narrowed (test_choosers.py).
    "document chooser": (OK, OK, OK, OK),
    # Wagtail lets a user browse from the nearest common ancestor of their pages (the home page for
    # brand editors); browsing shows titles, and every action on the pages is refused above.
    "explorer of own section": (OK, OK, NO, OK),
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_permission_matrix(world, as_role, role):
    """Each role reaches exactly the admin views the matrix allows, and is turned away from the rest."""
    client = as_role(role)
    got = {view: outcome(client.get(url_for(world, view))) for view in MATRIX}
    want = {view: expected(row, role) for view, row in MATRIX.items()}
    assert {v: got[v] for v in MATRIX if got[v] != want[v]} == {}
