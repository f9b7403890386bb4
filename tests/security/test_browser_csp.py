"""In a real Chromium that enforces the policy: no page type trips it, and the site's scripts still run."""

import pytest

from tests.security.conftest import build_public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Report violations from the page itself too: some Chromium builds word the console message differently.
VIOLATION_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
    window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def strict_tab(browser):
    """A phone-sized tab that enforces the page's CSP (the shared fixture bypasses it) and records errors."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Europe/Berlin")
    context.add_init_script(VIOLATION_LISTENER)
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def violations(tab):
    csp_console = [text for text in tab.errors if "Content Security Policy" in text or "Refused to" in text]
    return csp_console + tab.evaluate("window.__cspViolations")


def test_no_public_page_type_trips_the_content_security_policy(live_server, strict_tab):
    """Every public page type loads in Chromium with the policy enforced and no violation reported."""
    pages = build_public_pages()
    found = {}
    for page_type, url in pages.items():
        strict_tab.errors.clear()
        response = strict_tab.goto(live_server.url + url, wait_until="load")
        assert response.status == 200, page_type
        assert "script-src" in response.headers["content-security-policy"]
        strict_tab.wait_for_timeout(200)  # let deferred scripts run and report
        if problems := violations(strict_tab):
            found[page_type] = problems
    assert found == {}


def test_search_autocomplete_works_under_the_policy(live_server, strict_tab):
    """The header search box still offers suggestions: its script and its fetch are both allowed."""
    build_public_pages()
    strict_tab.goto(live_server.url + "/", wait_until="load")
    box = strict_tab.locator("#site-search-q")
    assert box.get_attribute("role") == "combobox"  # set by search-suggest.js, so the script ran
    box.press_sequentially("五常")
    suggestions = strict_tab.locator("#site-search-suggestions [role=option]")
    suggestions.first.wait_for(state="visible", timeout=10_000)
    assert suggestions.count() >= 1
    assert violations(strict_tab) == []


def test_broadcast_script_works_under_the_policy(live_server, strict_tab):
    """An upcoming broadcast shows the reader's own start time and a countdown, written by broadcast.js."""
    pages = build_public_pages()
    strict_tab.goto(live_server.url + pages["upcoming broadcast"], wait_until="load")
    local_time = strict_tab.locator("[data-local-time]")
    local_time.wait_for(state="visible", timeout=10_000)
    assert strict_tab.locator("[data-countdown-text]").inner_text().strip()
    assert violations(strict_tab) == []
