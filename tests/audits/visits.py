"""One visit of every public page type, shared by the page audits and the width sweep.

The audit site (tests/audits/site.py) is built once for the session, with some titles lengthened by
words too long for a phone, committed, served by a live server of its own and visited once per page
and language in the session Chromium (GET pages, then the pages that answer a form). At each page
the visit keeps the response's HTML as served and axe-core's report at a phone's size, then measures
the layout at every width of WIDTHS by resizing the tab (media queries and layout follow the resize).
tests/audits/test_pages.py and tests/browser/test_every_width.py read those results, so a failure
names the page, the language and the width; building and visiting the site once for both saves a
second build and a second visit of every page.
"""

import os
from contextlib import nullcontext

from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from brands.models import ProductPage
from stories.models import BrandStoryPage
from tests.audits import site as audit_site

LANGUAGES = audit_site.LANGUAGES
# The audits' own size: most readers are on a phone.
AUDIT_VIEWPORT = {"width": 390, "height": 844}
WIDTHS = (360, 390, 768, 1280)
WIDTH_HEIGHT = 800
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
PAGES = (*audit_site.GET_PAGES, *(name for name, *_rest in FLOWS))
# Visited with the engine switched off: search answers from the database with its notice.
WITHOUT_ENGINE = {"search results, database fallback"}


def lengthen_titles():
    """A story and a product with titles no phone can fit on one line, in each language."""
    for model in (ProductPage, BrandStoryPage):
        for page in model.objects.filter(slug__in=("wuchang-rice", "black-soil")):
            page.title = f"{page.title} {LONG_CHINESE if page.locale.language_code == 'zh-hans' else LONG_ENGLISH}"
            page.save_revision().publish()


def engine_content(client):
    """What the engine holds for the audits' own index after the site is built: the outbox applied, refreshed."""
    from search import engine

    call_command("search_worker", "--drain", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client.indices.refresh(index=engine.alias_name())


def visit_every_page(browser, engine_url):
    """{(page, language): {"url", "status", "html", "violations", "widths": {width: measurement}}}.

    The site is committed outside any test's transaction and served by this function's own live server:
    with pytest-django's live_server every test reading it would be transactional and flush the database
    after itself, about a second each; here it is flushed once, after the visits, as a transactional
    test does. The caller unblocks the database.
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
    with audit_settings:
        cache.clear()  # rate limits and cached fragments from earlier tests
        server = LiveServer("localhost")
        context = browser.new_context(viewport=AUDIT_VIEWPORT, device_scale_factor=2)
        tab = context.new_page()
        client = engine.get_client()
        alias = engine.alias_name()
        try:
            client.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
            client.indices.put_alias(index=create_index(client), name=alias)
            site = audit_site.build_site()
            lengthen_titles()
            engine_content(client)

            def record(name, language, response):
                result = {
                    "url": tab.url,
                    "status": response.status if response else None,
                    "html": response.text() if response else "",
                    "violations": axe.run(tab).response["violations"],
                    "widths": {},
                }
                for width in WIDTHS:
                    tab.set_viewport_size({"width": width, "height": WIDTH_HEIGHT})
                    result["widths"][width] = {"url": tab.url, **tab.evaluate(MEASURE)}
                tab.set_viewport_size(AUDIT_VIEWPORT)
                results[name, language] = result

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
    return results
