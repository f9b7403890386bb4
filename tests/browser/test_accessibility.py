"""A phone visitor's path through the site, in a real browser.

The axe-core and HTML audits of every page type, in both languages, live in tests/audits/.
"""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.audits.tools import readable_axe as readable  # noqa: F401 — tests/provenance imports it from here

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_TITLES = {
    "home": "Farmcast",
    "brand": "Wuchang Daoxiang Cooperative",
    "product": "Wuchang rice, new crop",
    "replay": "Harvest live from the paddies",
    "policy": "Notice on spring ploughing preparations",
}


def build_site():
    """One page of each kind people read, with images, in Chinese with English translations."""
    tree = factories.make_site_tree()
    region = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    brand = factories.make_brand(
        tree.brands,
        title="五常稻香合作社",
        slug="wuchang-daoxiang",
        region=region,
        logo=factories.make_image(size=(256, 256)),
        hero_image=factories.make_image(size=(1200, 750)),
    )
    product = factories.make_product(
        brand,
        title="五常大米 新米",
        slug="wuchang-rice",
        main_image=factories.make_image(size=(800, 600)),
        certifications=[factories.make_certification(name="地理标志产品", name_en="Geographical indication")],
    )
    factories.make_product(brand, main_image=factories.make_image(size=(800, 600)))
    replay = factories.make_broadcast(
        tree.replays, title="稻田里的丰收直播", slug="harvest-live", brand=brand, poster_image=factories.make_image()
    )
    start = timezone.now() + datetime.timedelta(days=2)
    factories.make_broadcast(
        tree.replays, brand=brand, scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=2)
    )
    factories.make_story(tree.stories, brand=brand, products=[product], hero_image=factories.make_image())
    section = factories.make_policy_section(region, tree.policy)
    policy = factories.make_policy_news(section, title="关于做好春耕备耕工作的通知", slug="spring-ploughing")
    home = tree.home
    home.featured_brands.add(brand)
    home.policy_region = region
    home.hero_image = factories.make_image(size=(1440, 900))
    home.save_revision().publish()

    chinese = {"home": home, "brand": brand, "product": product, "replay": replay, "policy": policy}
    english = {
        name: factories.make_english_translation(page, title=ENGLISH_TITLES[name]) for name, page in chinese.items()
    }
    return {"zh-hans": chinese, "en": english}


def test_phone_visitor_reaches_a_product_from_the_home_page(live_server, page):
    """On a phone, a visitor goes home → featured brand → product and sees its price."""
    build_site()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="五常稻香合作社").first.click()
    page.wait_for_url("**/brands/wuchang-daoxiang/")
    page.get_by_role("link", name="五常大米 新米").first.click()
    page.wait_for_url("**/brands/wuchang-daoxiang/wuchang-rice/")
    assert "89" in page.inner_text("main")
