"""The pages people read have no axe-core violations, in Chinese and in English, in a real browser."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from tests import factories

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


def readable(url, violations):
    lines = [f"{url}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      at {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"         {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"      ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_have_no_axe_violations(live_server, page, language):
    """Home, brand, product, replay and policy pages pass axe-core with no violation at all."""
    pages = build_site()[language]
    axe = Axe()
    reports = []
    for name, wagtail_page in pages.items():
        url = live_server.url + wagtail_page.url
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{name} {url}: {response and response.status}"
        assert page.get_attribute("html", "lang").lower() == language, f"{name}: wrong <html lang>"
        results = axe.run(page)
        violations = results.response["violations"]
        if violations:
            reports.append(readable(url, violations))
    assert not reports, "\n\n".join(reports)


def test_phone_visitor_reaches_a_product_from_the_home_page(live_server, page):
    """On a phone, a visitor goes home → featured brand → product and sees its price."""
    build_site()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="五常稻香合作社").first.click()
    page.wait_for_url("**/brands/wuchang-daoxiang/")
    page.get_by_role("link", name="五常大米 新米").first.click()
    page.wait_for_url("**/brands/wuchang-daoxiang/wuchang-rice/")
    assert "89" in page.inner_text("main")


def test_axe_harness_reports_a_known_violation(page):
    """The check is live: a deliberately broken page (image without alt, unlabeled input) is caught."""
    page.set_content('<!DOCTYPE html><html lang="en"><title>x</title><main><img src="data:,"><input></main></html>')
    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    assert {"image-alt", "label"} <= ids
