"""Page audits: every public page type, in Chinese and English, is valid HTML (Nu Html Checker) and axe-clean.

The session's visited_site fixture (tests/audits/visits.py) builds the site once, serves it with a live
server and visits every page in the session Chromium (GET pages, then the pages that answer a form),
keeping each response's HTML as served and axe-core's report; the width sweep reads the same visit. The
tests then read those results: vnu checks all pages in one Java run, and each page and language has its
own axe test, so a failure names the page.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.audits import site as audit_site
from tests.audits.tools import is_error, readable_axe, readable_vnu, validate
from tests.audits.visits import FLOWS, PAGES

# django_db: pytest-django creates the test database only for a run holding a test marked with it, and
# the session's visited_site fixture writes the site there (run alone, it would reach the development database).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = audit_site.LANGUAGES
EXPECTED_STATUS = {
    "policy confirm, bad link": 400,
    "trace lookup, bad code": 400,
    "not found (404)": 404,
    "feedback confirm, bad link": 400,
    **{name: status for name, _on, _how, status in FLOWS},
}


def slug(name, language):
    return f"{language}--{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.html"


@pytest.fixture(scope="module")
def audit(visited_site, tmp_path_factory):
    """{(page, language): {"url", "status", "html", "violations", "file"}} for every page, from the session's one visit.

    visited_site (tests/conftest.py, tests/audits/visits.py) builds the site and visits every page once for
    these audits and the width sweep; here each page's HTML as served goes to a file for vnu.
    """
    html_dir = tmp_path_factory.mktemp("audit-html")
    results = {}
    for (name, language), visit in visited_site.items():
        path = html_dir / slug(name, language)
        path.write_text(visit["html"], encoding="utf-8")
        results[name, language] = {**visit, "file": path}
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
