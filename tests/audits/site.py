"""A small but complete site for the page audits: every public page type, with images, in Chinese and English.

`build_site()` returns the URLs of each page in both languages and the data the form flows need. Every
public page a reader can reach is here, including the states a page has (a broadcast before, during
and after it airs; a search with and without results) and the answers to forms (sent, confirmed, errors).
"""

import datetime
import json
from dataclasses import dataclass, field

from django.utils import timezone

from brands.seal import seal_batch
from feedback.models import Answer, Question, Review, Status
from stories.models import BroadcastCaptionTrack, BroadcastChapter, PolicySubscription
from stories.policy.subscriptions import confirmation_token
from tests import factories
from tests.broadcasts.conftest import GOOD_VTT, make_document, webm_bytes
from tests.provenance.conftest import WUCHANG, add_photo, jpeg_bytes, make_batch, make_event

LANGUAGES = ("zh-hans", "en")
PREFIX = {"zh-hans": "", "en": "/en"}

ENGLISH_VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
Hello and welcome to the Wuchang rice live room.

00:00:05.000 --> 00:00:09.000
<v Host>Today we cook Wuchang rice together.
"""

# Every page reached with a GET, in the order they are visited; tests/audits/test_pages.py adds the form answers.
GET_PAGES = (
    "home",
    "brand index",
    "brand",
    "product",
    "story index",
    "story",
    "replay index",
    "broadcast upcoming",
    "broadcast live",
    "broadcast replay",
    "policy index",
    "policy section, filtered",
    "policy news",
    "policy subscribe",
    "policy confirm",
    "policy confirm, bad link",
    "policy unsubscribe",
    "search results, engine",
    "search results, filtered",
    "search, did you mean",
    "search results, database fallback",
    "search, no results",
    "search, no query",
    "trace lookup",
    "trace lookup, bad code",
    "trace",
    "not found (404)",
    "feedback sent",
    "feedback confirmed",
    "feedback confirm, bad link",
)

ENGLISH_TITLES = {
    "home": "Farmcast",
    "brand": "Wuchang Daoxiang Cooperative",
    "product": "Wuchang rice, new crop",
    "story": "The man who keeps the black soil",
    "upcoming": "Autumn harvest preview",
    "live": "Live from the drying yard",
    "replay": "Harvest live from the paddies",
    "section": "Heilongjiang farm policy",
    "policy": "Notice on spring ploughing preparations",
}


@dataclass
class AuditSite:
    """Each page's path in each language, and what the form flows need."""

    paths: dict = field(default_factory=dict)  # name -> {language: path}
    product_ids: dict = field(default_factory=dict)  # language -> the product page's id
    search_words: dict = field(default_factory=dict)  # language -> a word that finds the product


def _story_body(image):
    return json.dumps(
        [
            {"type": "heading", "value": {"text": "黑土地", "level": "h2"}},
            {"type": "paragraph", "value": "<p>五常大米生长在黑龙江的<b>黑土地</b>上，一年只种一季。</p>"},
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "秋天金黄的稻田", "decorative": False},
                    "caption": "九月的稻田",
                },
            },
            {"type": "quote", "value": {"text": "好米是种出来的，也是等出来的。", "attribution": "老李"}},
        ]
    )


def _broadcasts(tree, brand, product):
    now = timezone.now()
    hours = datetime.timedelta(hours=1)
    upcoming = factories.make_broadcast(
        tree.replays,
        title="秋收预告直播",
        slug="autumn-preview",
        brand=brand,
        scheduled_start=now + 48 * hours,
        scheduled_end=now + 50 * hours,
        poster_image=factories.make_image(size=(1280, 720)),
    )
    live = factories.make_broadcast(
        tree.replays,
        title="晒场直播",
        slug="drying-yard",
        brand=brand,
        scheduled_start=now - hours,
        scheduled_end=now + 2 * hours,
        poster_image=factories.make_image(size=(1280, 720)),
    )
    replay = factories.make_broadcast(
        tree.replays,
        title="稻田里的丰收直播",
        slug="harvest-live",
        brand=brand,
        description="<p>走进稻田，看新米怎样<b>收割</b>。</p>",
        poster_image=factories.make_image(size=(1280, 720)),
        replay_video=make_document("harvest.webm", webm_bytes(seconds=12)),
        duration_seconds=12,
    )
    BroadcastChapter.objects.create(page=replay, sort_order=0, start_seconds=0, title="开场")
    BroadcastChapter.objects.create(page=replay, sort_order=1, start_seconds=5, title="试吃新米", product=product)
    BroadcastCaptionTrack.objects.create(
        page=replay, sort_order=0, language="zh-Hans", file=make_document("harvest.zh.vtt", GOOD_VTT)
    )
    BroadcastCaptionTrack.objects.create(
        page=replay, sort_order=1, language="en", file=make_document("harvest.en.vtt", ENGLISH_VTT)
    )
    replay.save_revision().publish()
    replay.refresh_from_db()
    return {"upcoming": upcoming, "live": live, "replay": replay}


def _feedback(product):
    """An approved, answered review and question on the product, and a fresh review to confirm."""
    now = timezone.now()
    review = Review.objects.create(
        product=product,
        rating=5,
        title="米香浓郁",
        body="煮出来很香，回购第三次了。",
        # The editors' English, so the audited English page carries the translation's markup too.
        title_translation="Rich rice aroma",
        body_translation="Smells wonderful when cooked; my third order.",
        display_name="王女士",
        email="wang@example.com",
        status=Status.APPROVED,
        confirmed_at=now,
    )
    Answer.objects.create(
        review=review, body="谢谢支持！新米十月到货。", body_translation="Thank you! The new crop arrives in October."
    )
    question = Question.objects.create(
        page=product,
        body="真空包装能放多久？",
        display_name="小张",
        email="zhang@example.com",
        status=Status.APPROVED,
        confirmed_at=now,
    )
    Answer.objects.create(question=question, body="阴凉处可放一年。")
    return Review.objects.create(
        product=product, rating=4, title="不错", body="米粒饱满。", display_name="李先生", email="li@example.com"
    )


def _trace(product):
    batch = make_batch(product)
    make_event(batch, "planting", days_ago=150, note="育苗移栽")
    harvest = make_event(batch, "harvest", days_ago=20, latitude=WUCHANG[0], longitude=WUCHANG[1])
    add_photo(harvest, jpeg_bytes(timezone.localtime(harvest.occurred_at).strftime("%Y:%m:%d %H:%M:%S"), WUCHANG))
    make_event(batch, "packing", days_ago=18, note="真空包装", note_translation="Vacuum-packed")  # not sealed
    seal_batch(batch)
    batch.refresh_from_db()
    return batch


def build_site():
    """Every public page type, with images, published in Chinese and translated into English.

    Images are at least as large as the largest rendition a template asks for, as editors' photos are:
    Wagtail does not upscale, so a smaller original gives two srcset candidates of the same width,
    which the HTML checker rightly rejects.
    """
    from feedback.views import confirmation_token as feedback_token

    tree = factories.make_site_tree()
    region = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    county = factories.make_region(parent=region, name="五常市", name_en="Wuchang", code="230184", slug="wuchang")
    category = factories.make_category(name="大米", name_en="Rice", slug="rice")
    certification = factories.make_certification(name="地理标志产品", name_en="Geographical indication", slug="gi")
    topic = factories.make_policy_topic(name="农机补贴", name_en="Machinery subsidies", slug="machinery")

    brand = factories.make_brand(
        tree.brands,
        title="五常稻香合作社",
        slug="wuchang-daoxiang",
        region=county,
        logo=factories.make_image(size=(256, 256)),
        hero_image=factories.make_image(size=(1440, 900)),
    )
    product = factories.make_product(
        brand,
        title="五常大米 新米",
        slug="wuchang-rice",
        category=category,
        main_image=factories.make_image(size=(1200, 900)),
        certifications=[certification],
        gtin="06901234567892",
    )
    product.gallery_images.create(image=factories.make_image(size=(800, 600)), caption="稻田", sort_order=0)
    product.buy_links.create(label="天猫旗舰店", url="https://shop.example.com/rice", sort_order=0)
    product.save_revision().publish()
    product.refresh_from_db()
    factories.make_product(brand, category=category, main_image=factories.make_image(size=(800, 600)))
    story = factories.make_story(
        tree.stories,
        title="守着黑土地的人",
        slug="black-soil",
        brand=brand,
        products=[product],
        hero_image=factories.make_image(size=(1440, 900)),
        body=_story_body(factories.make_image(size=(1200, 800))),
    )
    broadcasts = _broadcasts(tree, brand, product)
    section = factories.make_policy_section(region, tree.policy, title="黑龙江省惠农政策")
    policy = factories.make_policy_news(
        section, title="关于做好春耕备耕工作的通知", slug="spring-ploughing", topics=[topic], contact="0451-12345678"
    )
    home = tree.home
    home.featured_brands.add(brand)
    home.policy_region = region
    home.hero_image = factories.make_image(size=(1440, 900))
    home.save_revision().publish()

    chinese = {"home": home, "brand": brand, "product": product, "story": story, **broadcasts}
    chinese.update({"section": section, "policy": policy})
    english = {"home": factories.make_english_translation(home, title=ENGLISH_TITLES["home"])}
    # The indexes first, as real translations: copy_parents would make them aliases with Chinese titles.
    for index, title in (
        (tree.brands, "Brands"),
        (tree.stories, "Stories"),
        (tree.replays, "Broadcasts"),
        (tree.policy, "Farm policy"),
    ):
        factories.make_english_translation(index, title=title)
    for name, page in chinese.items():
        if name != "home":
            english[name] = factories.make_english_translation(page, title=ENGLISH_TITLES[name])

    batch = _trace(product)
    # One subscriber per language: unsubscribing in Chinese must leave the English one to unsubscribe.
    subscriptions = {
        language: PolicySubscription.objects.create(email=f"reader-{language}@example.com", language=language)
        for language in LANGUAGES
    }
    subscribe_token = confirmation_token(subscriptions["zh-hans"], [region], [topic])
    unconfirmed_review = _feedback(product)

    site = AuditSite(
        product_ids={"zh-hans": product.pk, "en": english["product"].pk},
        search_words={"zh-hans": "大米", "en": "rice"},
    )

    def both(path):
        return {language: PREFIX[language] + path for language in LANGUAGES}

    def pages(name):
        return {"zh-hans": chinese[name].url, "en": english[name].url}

    site.paths = {
        "home": pages("home"),
        "brand index": both("/brands/"),
        "brand": pages("brand"),
        "product": pages("product"),
        "story index": both("/stories/"),
        "story": pages("story"),
        "replay index": both("/replays/"),
        "broadcast upcoming": pages("upcoming"),
        "broadcast live": pages("live"),
        "broadcast replay": {language: path + "?t=5" for language, path in pages("replay").items()},
        "policy index": both("/policy/"),
        "policy section, filtered": {
            language: f"{path}?topic={topic.slug}" for language, path in pages("section").items()
        },
        "policy news": pages("policy"),
        "policy subscribe": both("/policy/subscribe/"),
        "policy confirm": both(f"/policy/subscribe/confirm/{subscribe_token}/"),
        "policy confirm, bad link": both("/policy/subscribe/confirm/not-a-token/"),
        "policy unsubscribe": {
            language: f"{PREFIX[language]}/policy/unsubscribe/{subscriptions[language].token}/"
            for language in LANGUAGES
        },
        # From the engine: results with highlights and facet counts; a facet applied; a typo answered with
        # "did you mean". The fallback's page is the same query with the engine switched off.
        "search results, engine": {
            language: f"{PREFIX[language]}/search/?q={site.search_words[language]}" for language in LANGUAGES
        },
        "search results, filtered": {
            language: f"{PREFIX[language]}/search/?q={site.search_words[language]}&type=product&sort=price_asc"
            for language in LANGUAGES
        },
        "search, did you mean": both("/search/?q=ricr"),
        "search results, database fallback": {
            language: f"{PREFIX[language]}/search/?q={site.search_words[language]}" for language in LANGUAGES
        },
        "search, no results": both("/search/?q=zzzqqq"),
        "search, no query": both("/search/"),
        "trace lookup": both("/trace/"),
        "trace lookup, bad code": both("/trace/?code=!!"),
        "trace": both(f"/trace/{batch.display_code}/"),
        "not found (404)": both("/no-such-page/"),
        "feedback sent": both(f"/feedback/sent/?page={product.pk}"),
        "feedback confirmed": both(f"/feedback/confirm/{feedback_token(unconfirmed_review)}/"),
        "feedback confirm, bad link": both("/feedback/confirm/not-a-token/"),
    }
    assert tuple(site.paths) == GET_PAGES, "GET_PAGES and build_site() disagree"
    return site
