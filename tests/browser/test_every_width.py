"""Every public page type, in Chinese and English, at 360, 390, 768 and 1280 px: nothing scrolls sideways,
and every section of the main navigation is on screen.

The session's visited_site fixture (tests/audits/visits.py) builds the audit site (tests/audits/site.py,
every page type and the pages that answer forms), lengthens some titles with words too long for a phone,
serves it and visits each page once per language, measuring it at each width by resizing the tab (media
queries and layout follow the resize); the page audits read the same visit. The tests then read those
measurements, so a failure names the page, the language and the width.
"""

import pytest

from tests.audits.visits import LANGUAGES, PAGES, WIDTHS

# django_db: the session's visited_site fixture writes the site to the test database (see test_pages.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def widths(visited_site):
    """{(page, language, width): measurement} for every page type, from the session's one visit."""
    return {
        (name, language, width): measurement
        for (name, language), visit in visited_site.items()
        for width, measurement in visit["widths"].items()
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_does_not_scroll_sideways(widths, name, language, width):
    """The document is no wider than the screen: nothing pushes the page sideways."""
    result = widths[name, language, width]
    assert result["viewport"] == width
    assert result["scrollWidth"] <= width, (
        f"{name} ({language}) {result['url']} is {result['scrollWidth']}px wide at {width}px; "
        f"too wide: {result['widest']}"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_every_section_in_the_navigation_is_on_screen(widths, name, language, width):
    """Each main navigation link is inside the screen and not clipped by a scrolling container."""
    result = widths[name, language, width]
    assert len(result["nav"]) >= 4, f"{name} ({language}): the navigation has {result['nav']}"
    hidden = [link["text"] for link in result["nav"] if link["hidden"]]
    assert not hidden, f"{name} ({language}) at {width}px: {hidden} cut off"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_no_breadcrumb_separator_is_left_alone_on_a_line(widths, name, language, width):
    """A crumb too long for one line wraps beside its "›", never below it leaving a lone separator."""
    result = widths[name, language, width]
    assert not result["loneSeparators"], f"{name} ({language}) at {width}px: {result['loneSeparators']}"
