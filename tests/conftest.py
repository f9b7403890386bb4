"""Fixtures shared by every test module. Data builders live in tests/factories.py."""

import io
import json
import os
import random
import urllib.request

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from tests import factories
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.database import refresh_planner_statistics
from tests.prerequisites import missing

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the test makes
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


FUZZ_SEED = pytest.StashKey[int]()


@pytest.hookimpl(trylast=True)  # after Hypothesis's plugin, which reads --hypothesis-seed in its own
def pytest_configure(config):
    # Tests serve static files from the finders; whitenoise's note about a missing STATIC_ROOT is noise.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # Every run draws new fuzz cases from a seed of its own, printed so that a failure can be
    # replayed: `--hypothesis-seed=N` (or FUZZ_SEED=N) replays; without either the seed is random.
    from hypothesis import core

    seed = config.getoption("hypothesis_seed", None) or os.environ.get("FUZZ_SEED")
    seed = int(seed) if seed is not None else random.SystemRandom().randrange(2**32)
    core.global_force_seed = seed
    config.stash[FUZZ_SEED] = seed


def pytest_report_header(config):
    seed = config.stash.get(FUZZ_SEED, None)
    return f"fuzz seed: {seed} (replay a failure with --hypothesis-seed={seed})"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Again at the end, beside the failures, where a reader of a long CI log looks first.
    if exitstatus != 0:
        seed = config.stash.get(FUZZ_SEED, None)
        terminalreporter.write_line(f"fuzz seed: {seed} (replay a failure with --hypothesis-seed={seed})")


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploads and renditions go to a throwaway folder, for class-level test data too."""
    from django.conf import settings

    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    yield
    settings.MEDIA_ROOT = previous


# The one fixture that holds load_demo's content; tests asking for it run at the end of the session.
DEMO_SITE = "demo_site"


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering (TestCase first, then transactional)
def pytest_collection_modifyitems(config, items):
    """Tests that use demo_site run last, in their collection order, and none of them may be transactional."""
    from django.test import TestCase, TransactionTestCase

    demo = [item for item in items if DEMO_SITE in getattr(item, "fixturenames", ())]
    for item in demo:
        cls = getattr(item, "cls", None)
        flushing = cls is not None and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase)
        marker = item.get_closest_marker("django_db")
        if (
            flushing
            or (marker and marker.kwargs.get("transaction"))
            or {"live_server", "transactional_db"} & set(item.fixturenames)
        ):
            raise pytest.UsageError(f"{item.nodeid}: {DEMO_SITE} cannot be used by a transactional test")
    if demo:
        moved = set(demo)
        items[:] = [item for item in items if item not in moved] + demo


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker):
    """load_demo's whole content (brands, products, stories, replays with their clips, policy news, the English
    site, users and groups), loaded once for every test that asks for it; returns load_demo's output.

    A demo load costs one to two minutes here, so tests that read the demo share this one instead of running
    load_demo themselves. It is loaded in a transaction that is never committed, and rolled back after the
    last test that uses it; pytest_collection_modifyitems above moves those tests to the end of the run, so
    no other test sees the demo's rows. Each test still runs in a savepoint of its own (a TestCase class or
    the django_db mark), so what one test changes is undone before the next. Hence a test using it must not
    be transactional (transaction=True, live_server, TransactionTestCase: a flush would empty the demo, and a
    live server's thread cannot see an uncommitted transaction): it reads through the test client instead.
    Use it as an argument beside the django_db mark, or subclass tests.demo_site.DemoSiteTestCase (a plain
    TestCase closes the connection after its class, which would end this transaction).
    """
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        # The tree the migrations build (locales, root, home, site): a browser test's flush empties it.
        factories.make_home_page()
        call_command("load_demo", stdout=output)
        refresh_planner_statistics()
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_log_state():
    """Each test reads the provenance log's latest state from its own database.

    Trace views keep the latest checkpoint in the cache (brands/transparency.py `latest_state`), replaced when
    a new one is stored; a rolled-back test stores nothing, so the previous test's checkpoint would stay.
    """
    from django.core.cache import cache

    from brands.transparency import STATE_KEY

    cache.delete(STATE_KEY)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language.

    Django's LocaleMiddleware activates a request's language in the thread and never resets it, so
    after a test client fetched an /en/ page every later test in the process ran in English:
    reverse() gave /en/search/ and searches looked in the English tree (tests/search after
    tests/site_content/test_routing.py found nothing).
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run, shared by every browser test: Playwright's sync API allows
    only one instance at a time, so no module should start its own."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: scripts/system-deps.sh installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def visited_site(django_db_setup, django_db_blocker, browser, engine_url):
    """Every public page type of the audit site, built, served and visited once for the session.

    {(page, language): {"url", "status", "html", "violations", "widths"}}: tests/audits/visits.py. The page
    audits (tests/audits/test_pages.py) and the width sweep (tests/browser/test_every_width.py) both read
    this one visit; each building and visiting the site itself cost about 40 s more.
    """
    from tests.audits import visits

    with django_db_blocker.unblock():
        return visits.visit_every_page(browser, engine_url)


@pytest.fixture
def page(browser):
    """A fresh phone-sized tab: most readers are on a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, bypass_csp=True)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def site_tree(db):
    """The zh-hans home page and its /brands/, /stories/, /replays/ and /policy/ indexes."""
    return factories.make_site_tree()


@pytest.fixture
def home_page(site_tree):
    return site_tree.home


@pytest.fixture
def region(db):
    return factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")


@pytest.fixture
def category(db):
    return factories.make_category(name="大米", name_en="Rice", slug="rice")


@pytest.fixture
def certification(db):
    return factories.make_certification(name="地理标志", name_en="Geographical indication", slug="gi")


@pytest.fixture
def brand(site_tree, region):
    return factories.make_brand(site_tree.brands, title="五常稻香", slug="wuchang-daoxiang", region=region)


@pytest.fixture
def product(brand, category, certification):
    return factories.make_product(
        brand, title="五常大米", slug="wuchang-rice", category=category, certifications=[certification]
    )


@pytest.fixture
def story(site_tree, brand, product):
    return factories.make_story(site_tree.stories, brand=brand, products=[product])


@pytest.fixture
def broadcast(site_tree, brand):
    return factories.make_broadcast(site_tree.replays, brand=brand)


@pytest.fixture
def policy_section(site_tree, region):
    return factories.make_policy_section(region, site_tree.policy)


@pytest.fixture
def policy_news(policy_section):
    return factories.make_policy_news(policy_section)


# Where scripts/search-engine.sh starts each engine's node when SEARCH_ENGINE_URL does not say.
DEFAULT_ENGINE_URLS = {"opensearch": "http://127.0.0.1:9200", "elasticsearch": "http://127.0.0.1:9230"}


@pytest.fixture(scope="session")
def engine_url():
    """The real engine's URL (SEARCH_ENGINE says which): skip on a laptop without one, fail under CI=true.

    The server must be the configured engine: an Elasticsearch pass answered by OpenSearch would prove nothing.
    """
    from search import engine

    name = engine.engine_name()
    url = os.environ.get("SEARCH_ENGINE_URL") or os.environ.get("OPENSEARCH_URL") or DEFAULT_ENGINE_URLS[name]
    url = url.split(",")[0].strip()
    label = engine.adapter().LABEL
    try:
        with urllib.request.urlopen(f"{url}/", timeout=3) as response:  # noqa: S310 — local engine
            server, version = engine.adapter().identify(json.load(response))
    except OSError as error:
        missing(f"{label} is not reachable at {url} ({error}); start it with scripts/search-engine.sh start")
    if server != name:
        pytest.fail(f"SEARCH_ENGINE is {name} but {url} is {server} {version}")
    return url


@pytest.fixture
def fragment_cache(settings):
    """`{% fragment %}` caching on (the tests' settings turn it off: rolled-back tests commit nothing, so purge
    nothing), in an empty cache, emptied again afterwards."""
    settings.FRAGMENT_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache_on(settings):
    """The page cache on (the tests' settings turn it off), in an empty cache, emptied again afterwards."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what happens on commit (the cache's version bumps), as after an editor's transaction in production."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
