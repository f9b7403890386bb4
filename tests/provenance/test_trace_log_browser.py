"""The trace page remembers the log's checkpoint in the browser and warns when a later one does not extend it."""

import pytest

from brands import transparency
from brands.seal import seal_batch

from .conftest import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "farmcast:provenance-log"


def state(page):
    page.wait_for_function("document.querySelector('[data-log-size]').dataset.logState !== undefined")
    return page.eval_on_selector("[data-log-size]", "box => box.dataset.logState")


def test_a_growing_log_is_proven_in_the_browser_and_a_forked_one_warns(live_server, page, sealed_batch):
    """First visit remembers; after sealing more, the browser checks the consistency proof; a forged memory warns."""
    url = f"{live_server.url}/en/trace/{sealed_batch.display_code}/"
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(url)
    assert state(page) == "remembered"
    first = page.evaluate(f"JSON.parse(localStorage.getItem('{KEY}'))")
    make_event(sealed_batch, "shipping", days_ago=10)
    seal_batch(sealed_batch)
    transparency.sign_checkpoint()
    page.goto(url)
    assert state(page) == "remembered", console
    assert page.evaluate(f"JSON.parse(localStorage.getItem('{KEY}')).size") > first["size"]
    assert page.locator("[data-log-warning]").is_hidden()
    # A browser that saw another history of the same size (the root it remembers is not this log's).
    forged = {"size": first["size"], "root": "A" * 43 + "="}
    page.evaluate("([key, value]) => localStorage.setItem(key, JSON.stringify(value))", [KEY, forged])
    page.goto(url)
    assert state(page) == "inconsistent"
    assert page.locator("[data-log-warning]").is_visible()
    assert "History rewritten" in page.locator("[data-log-warning]").inner_text()
