"""Every public page type, in Chinese and English, at 360, 390, 768 and 1280 px: nothing scrolls sideways,
and every section of the main navigation is on screen.

One module fixture builds the audit site (tests/audits/site.py, every page type and the pages that answer
forms), lengthens some titles with words too long for a phone, serves it and visits each page once per
language, measuring it at each width by resizing the tab (media queries and layout follow the resize).
The tests then read those measurements, so a failure names the page, the language and the width.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from brands.models import ProductPage
from stories.models import BrandStoryPage
from tests.audits import site as audit_site
from tests.audits.test_pages import FLOWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = (360, 390, 768, 1280)
LANGUAGES = audit_site.LANGUAGES
PAGES = (*audit_site.GET_PAGES, *(name for name, *_rest in FLOWS))
# Longer than any phone is wide, in both scripts: a product code, a URL-like name, a run of Chinese.
LONG_ENGLISH = "Wuchang-Daohuaxiang-No.2-premium-new-crop-rice-vacuum-packed-family-size-bag"
LONG_CHINESE = "五常市拉林河畔稻花香二号有机鸭稻共作新米真空小包装家庭装礼盒"

# What the page looks like at the current width: how wide the document is, each main navigation
# link's box, whether something clips it, and the breadcrumbs whose separator sits alone on its line.
MEASURE = """() => {
    const vw = document.documentElement.clientWidth;
    const clipped = (el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.left < 0 || r.right > vw + 0.5) return true;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (s.overflowX !== "visible") {
                const b = p.getBoundingClientRect();
                if (r.left < b.left - 0.5 || r.right > b.right + 0.5) return true;
            }
        }
        return getComputedStyle(el).visibility === "hidden";
    };
    const widest = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > vw + 0.5)
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ${Math.round(el.getBoundingClientRect().right)}px`);
    return {
        scrollWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        widest,
        nav: [...document.querySelectorAll(".main-nav a")].map((a) => ({ text: a.textContent.trim(), hidden: clipped(a) })),
        // A crumb whose link starts below its "›" left the separator alone at the end of a line.
        loneSeparators: [...document.querySelectorAll(".breadcrumbs li + li")]
            .filter((li) => li.firstElementChild.getBoundingClientRect().top - li.getBoundingClientRect().top > 4)
            .map((li) => li.textContent.trim()),
    };
}"""


def _lengthen_titles():
    """A story and a product with titles no phone can fit on one line, in each language."""
    for model in (ProductPage, BrandStoryPage):
        for page in model.objects.filter(slug__in=("wuchang-rice", "black-soil")):
            page.title = f"{page.title} {LONG_CHINESE if page.locale.language_code == 'zh-hans' else LONG_ENGLISH}"
            page.save_revision().publish()


@pytest.fixture(scope="module")
def widths(django_db_setup, django_db_blocker, browser):
    """{(page, language, width): measurement} for every page type, built and visited once."""
    results = {}
    with django_db_blocker.unblock(), override_settings(SEARCH_ENGINE_URL=""):
        cache.clear()
        server = LiveServer("localhost")
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
        tab = context.new_page()
        try:
            site = audit_site.build_site()
            _lengthen_titles()

            def measure(name, language):
                for width in WIDTHS:
                    tab.set_viewport_size({"width": width, "height": 800})
                    results[name, language, width] = {"url": tab.url, **tab.evaluate(MEASURE)}
                tab.set_viewport_size({"width": WIDTHS[0], "height": 800})

            for name in audit_site.GET_PAGES:
                for language in LANGUAGES:
                    tab.goto(server.url + site.paths[name][language], wait_until="load")
                    measure(name, language)
            for name, on, how, _status in FLOWS:
                for language in LANGUAGES:
                    how(tab, server.url + site.paths[on][language], language)
                    measure(name, language)
        finally:
            context.close()
            server.stop()
            call_command("flush", verbosity=0, interactive=False)
            cache.clear()
    return results


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
