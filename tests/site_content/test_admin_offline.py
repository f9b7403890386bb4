"""The admin loads nothing from other hosts: our editors work from mainland China, where Gravatar and
releases.wagtail.io are out of reach, and one <img> that never answers holds a whole admin page's load."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# src, srcset and data-*-url attributes (the upgrade notice keeps its URL in one), absolute and foreign.
FOREIGN = re.compile(r'(?:src|srcset|href|data-[a-z-]*url(?:-value)?)="(?:https?:)?//(?!testserver[/"])([^/"]+)')


@pytest.mark.parametrize("view", ["wagtailadmin_home", "wagtailadmin_account", "wagtailusers_users:index"])
def test_admin_pages_of_an_editor_with_an_email_load_nothing_from_other_hosts(
    admin_client, admin_user, site_tree, view
):
    """An editor with an email address (Gravatar's key) and no uploaded avatar: no foreign avatar, no upgrade check."""
    # site_tree: the dashboard's page summary links to the tree's root, which a browser test's flush removes.
    assert admin_user.email, f"the case Gravatar would serve: {admin_user.username} has an email"
    response = admin_client.get(reverse(view))
    assert response.status_code == 200, response.content.decode()[-3000:]
    html = response.content.decode()
    assert "gravatar" not in html.lower()
    assert "releases.wagtail.io" not in html
    # Links to documentation are fine to follow; nothing the page loads by itself may leave the site.
    loaded = [m.group(1) for m in FOREIGN.finditer(html) if not m.group(0).startswith("href")]
    assert loaded == [], loaded
