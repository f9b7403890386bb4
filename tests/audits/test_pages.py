"""Page audits: every public page type, in Chinese and English, is valid HTML (Nu Html Checker) and axe-clean.

One module-scoped fixture builds the site once, serves it with the live server and visits every page in
the session Chromium (GET pages, then the pages that answer a form), keeping each response's HTML as
served and axe-core's report. The tests then read those results: vnu checks all pages in one Java
run, and each page and language has its own axe test, so a failure names the page.
"""

import os
import re
from contextlib import nullcontext

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from tests.audits import site as audit_site
from tests.audits.tools import is_error, readable_axe, readable_vnu, validate

# django_db: pytest-django creates the test database only for a run holding a test marked with it, and
# this module's own fixture writes the site there (run alone, it would reach the development database).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = audit_site.LANGUAGES


def _submit(page, form_selector, button="button[type=submit]"):
    """Submit the form and return the navigation's response (the page the form answers with)."""
    with page.expect_navigation() as navigation:
        page.locator(form_selector).locator(button).first.click()
    return navigation.value


def _subscribe(page, url, language):
    page.goto(url)
    page.fill("input[name=email]", f"audit-{language}@example.com")
    page.locator("input[name=regions]").first.check()
    return _submit(page, "form[method=post]")


def _subscribe_empty(page, url, language):
    page.goto(url)
    return _submit(page, "form[method=post]")


def _press_the_button(page, url, language):
    page.goto(url)
    return _submit(page, "main form[method=post]")


def _review_without_text(page, url, language):
    page.goto(url)
    page.locator("details:has(form[action*='/feedback/review/']) > summary").click()
    return _submit(page, "form[action*='/feedback/review/']")


def _remind_me(page, url, language):
    page.goto(url)
    page.fill("#reminder-email", f"audit-{language}@example.com")
    return _submit(page, "form.signup-form")


def _follow_with_a_typo(page, url, language):
    page.goto(url)
    page.fill("#follow-email", "audit-at-example.com")
    return _submit(page, "form.signup-form")


# Pages that answer a form: (name, the GET page the form is on, how to fill and submit it, expected status).
FLOWS = (
    ("policy subscribe, sent", "policy subscribe", _subscribe, 200),
    ("policy subscribe, errors", "policy subscribe", _subscribe_empty, 400),
    ("policy confirmed", "policy confirm", _press_the_button, 200),
    ("policy unsubscribed", "policy unsubscribe", _press_the_button, 200),
    ("feedback form, errors", "product", _review_without_text, 400),
    ("remind me, sent", "broadcast upcoming", _remind_me, 200),
    ("follow, errors", "brand", _follow_with_a_typo, 400),
)
EXPECTED_STATUS = {
    "policy confirm, bad link": 400,
    "trace lookup, bad code": 400,
    "not found (404)": 404,
    "feedback confirm, bad link": 400,
    **{name: status for name, _on, _how, status in FLOWS},
}
PAGES = (*audit_site.GET_PAGES, *(name for name, *_rest in FLOWS))
# Visited with the engine switched off: search answers from the database with its notice.
WITHOUT_ENGINE = {"search results, database fallback"}


def slug(name, language):
    return f"{language}--{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.html"


def engine_content(client):
    """What the engine holds for the audits' own index after the site is built: the outbox applied, refreshed."""
    from search import engine

    call_command("search_worker", "--drain", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client.indices.refresh(index=engine.alias_name())


@pytest.fixture(scope="module")
def audit(django_db_setup, django_db_blocker, browser, engine_url, tmp_path_factory):
    """{(page, language): {"url", "status", "html", "violations", "file"}} for every page, built and visited once.

    The site is committed outside any test's transaction and served by this fixture's own live server:
    with pytest-django's live_server every test here would be transactional and flush the database
    after itself, about a second each; here it is flushed once, after the visits, as a transactional
    test does.
    """
    from search import engine
    from search.documents import create_index

    results = {}
    axe = Axe()
    # The real engine, with an index of this run's own, serves search with facets, highlights and
    # "did you mean"; the fallback's page is visited with the engine switched off.
    audit_settings = override_settings(
        SEARCH_ENGINE_URL=engine_url, SEARCH_INDEX_PREFIX=f"farmcast-test-audits-{os.getpid()}"
    )
    with django_db_blocker.unblock(), audit_settings:
        cache.clear()  # rate limits and cached fragments from earlier tests
        server = LiveServer("localhost")
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        tab = context.new_page()
        client = engine.get_client()
        alias = engine.alias_name()
        try:
            client.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
            client.indices.put_alias(index=create_index(client), name=alias)
            site = audit_site.build_site()
            engine_content(client)

            def record(name, language, response):
                results[name, language] = {
                    "url": tab.url,
                    "status": response.status if response else None,
                    "html": response.text() if response else "",
                    "violations": axe.run(tab).response["violations"],
                }

            for name in audit_site.GET_PAGES:
                for language in LANGUAGES:
                    with override_settings(SEARCH_ENGINE_URL="") if name in WITHOUT_ENGINE else nullcontext():
                        response = tab.goto(server.url + site.paths[name][language], wait_until="load")
                    record(name, language, response)
            for name, on, how, _status in FLOWS:
                for language in LANGUAGES:
                    record(name, language, how(tab, server.url + site.paths[on][language], language))
        finally:
            context.close()
            server.stop()
            call_command("flush", verbosity=0, interactive=False)
            cache.clear()
            client.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
    html_dir = tmp_path_factory.mktemp("audit-html")
    for (name, language), result in results.items():
        path = html_dir / slug(name, language)
        path.write_text(result["html"], encoding="utf-8")
        result["file"] = path
    return results


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_answers_in_its_language_with_no_axe_violations(audit, name, language):
    """The page answers with its expected status, in its language, and axe-core finds no violation."""
    result = audit[name, language]
    label = f"{name} ({language}) {result['url']}"
    assert result["status"] == EXPECTED_STATUS.get(name, 200), f"{label} answered {result['status']}"
    lang = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", result["html"])
    assert lang and lang.group(1).lower() == language, f"{label}: <html lang> is {lang and lang.group(1)}"
    assert not result["violations"], readable_axe(label, result["violations"])


SEARCH_FROM_THE_ENGINE = {
    # (page, language): what its HTML must show, so the audit checked the parts it is meant to check
    ("search results, engine", "zh-hans"): ("<mark>", 'class="search-facets"'),
    ("search results, engine", "en"): ("<mark>", 'class="search-facets"'),
    ("search results, filtered", "zh-hans"): ('value="product" checked',),
    ("search results, filtered", "en"): ('value="product" checked',),
    ("search, did you mean", "zh-hans"): ("?q=rice",),
    # The typo is corrected against the trade's words (search.spelling: the category Rice, the
    # product's English title), on the English site too.
    ("search, did you mean", "en"): ("?q=rice",),
}


@pytest.mark.parametrize(("name", "language"), sorted(SEARCH_FROM_THE_ENGINE))
def test_the_audited_search_pages_came_from_the_engine(audit, name, language):
    """The audited search pages show the engine's highlights, facets and "did you mean", not the fallback's notice."""
    result = audit[name, language]
    assert 'class="notice" role="status"' not in result["html"], f"{name} ({language}) came from the fallback"
    for part in SEARCH_FROM_THE_ENGINE[name, language]:
        assert part in result["html"], f"{name} ({language}) {result['url']} lacks {part!r}"


def test_every_page_is_valid_html(audit, tmp_path):
    """The Nu Html Checker reports no error on any page, in either language (one Java run for all)."""
    known_bad = tmp_path / "known-bad.html"
    known_bad.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><li>stray</p><img src="x.png">')
    files = [result["file"] for result in audit.values()]
    messages = validate([*files, known_bad])
    # The check is live: a page with a stray <li> and an image without alt is reported.
    assert any(is_error(m) for m in messages[known_bad.name]), messages[known_bad.name]
    reports = []
    for (name, language), result in sorted(audit.items()):
        errors = [m for m in messages[result["file"].name] if is_error(m)]
        if errors:
            reports.append(readable_vnu(f"{name} ({language}) {result['url']}", errors, result["html"]))
    assert not reports, f"{len(reports)} page(s) with HTML errors:\n\n" + "\n\n".join(reports)


def test_axe_harness_reports_a_known_violation(page):
    """The axe check is live: a deliberately broken page (image without alt, unlabeled input) is caught."""
    page.set_content('<!DOCTYPE html><html lang="en"><title>x</title><main><img src="data:,"><input></main></html>')
    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    assert {"image-alt", "label"} <= ids
