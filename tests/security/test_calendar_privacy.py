"""A replay's calendar file is as private as the replay's page (issue 17, item 4).

The calendar view ran only the `before_serve_page` hooks; Wagtail 8 checks view restrictions in the
`on_serve_page` chain, so a login-only replay's calendar.ics was served to anyone.
"""

import pytest
from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("restricted", ["broadcast", "replays index"])
def test_a_private_replays_calendar_sends_a_visitor_to_log_in(client, restricted):
    """A login-only replay (or one below a login-only index) sends its calendar.ics to the login page."""
    tree = factories.make_site_tree()
    broadcast = factories.make_broadcast(tree.replays, slug="members-live")
    page = broadcast if restricted == "broadcast" else tree.replays
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(f"{broadcast.url}calendar.ics")
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_public_replays_calendar_is_still_served(client):
    """Without a restriction the calendar file answers as before."""
    broadcast = factories.make_broadcast(factories.make_site_tree().replays, slug="open-live")
    response = client.get(f"{broadcast.url}calendar.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
