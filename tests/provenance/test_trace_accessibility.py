"""The trace page a QR code opens passes axe-core in a real browser, in Chinese and in English."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from brands.recall import recall_batch
from tests.browser.test_accessibility import readable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_sealed_trace_page_has_no_axe_violations(live_server, page, sealed_batch, prefix):
    """A sealed batch's timeline, evidence checks and certificates render with no axe violation."""
    url = f"{live_server.url}{prefix}/trace/{sealed_batch.lot_code}/"
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    # The seal verified: its status line is there, and it is not the "not verified" alert.
    assert page.locator(".seal__status").count() == 1
    assert page.locator(".seal__status[role=alert]").count() == 0
    violations = Axe().run(page).response["violations"]
    assert not violations, readable(url, violations)


def test_a_recalled_trace_page_has_no_axe_violations(live_server, page, sealed_batch):
    """The red recall banner (white on red, an alert with its own heading) adds no axe violation."""
    recall_batch(sealed_batch, "检出镉超标，请勿食用。", "质检部")
    url = f"{live_server.url}/trace/{sealed_batch.lot_code}/"
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    assert page.locator(".recall-banner[role=alert]").count() == 1
    violations = Axe().run(page).response["violations"]
    assert not violations, readable(url, violations)
