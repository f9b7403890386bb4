"""Small factories for tests: each fills sensible defaults, any keyword overrides them.

Pages are published the way an editor's click does it (`add_child` then
`save_revision().publish()`), so revisions, `live` and `url_path` are all real.
"""

import datetime
import io
import itertools
import json

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from brands.models import FarmBrandIndexPage, FarmBrandPage, ProductPage
from home.models import HomePage
from site_content.models import CertificationType, ProductCategory, Region
from stories.models import (
    BrandStoryPage,
    BroadcastReplayPage,
    PolicyIndexPage,
    PolicyNewsPage,
    PolicyTopic,
    ReplayIndexPage,
    StoryIndexPage,
)

_sequence = itertools.count(1)


def _next():
    return next(_sequence)


def publish(parent, page):
    """Add `page` under `parent` and publish it, as the admin does."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def story_body(text="五常大米生长在黑龙江的黑土地上，一年只种一季。"):
    """A minimal StreamField value: one heading and one paragraph."""
    return json.dumps(
        [
            {"type": "heading", "value": {"text": "黑土地", "level": "h2"}},
            {"type": "paragraph", "value": f"<p>{text}</p>"},
        ]
    )


# --- Snippets ------------------------------------------------------------------------------


def make_region(**kw):
    """A province by default; pass `parent=` and `level=` for a city or county."""
    n = _next()
    parent = kw.get("parent")
    if parent is not None:
        kw.setdefault("level", parent.level + 1)
        # A child's code shares its province's first two digits, as the model insists.
        kw.setdefault("code", f"{parent.code[:2]}{n % 10000:04d}")
    kw.setdefault("level", Region.Level.PROVINCE)
    kw.setdefault("code", f"{10 + n % 90:02d}{n % 10000:04d}")
    kw.setdefault("name", f"测试省{n}")
    kw.setdefault("name_en", f"Test Province {n}")
    kw.setdefault("slug", f"region-{n}")
    return Region.objects.create(**kw)


def make_category(**kw):
    n = _next()
    kw.setdefault("name", f"粮油{n}")
    kw.setdefault("name_en", f"Grains {n}")
    kw.setdefault("slug", f"category-{n}")
    return ProductCategory.objects.create(**kw)


def make_certification(**kw):
    n = _next()
    kw.setdefault("name", f"有机认证{n}")
    kw.setdefault("name_en", f"Organic {n}")
    kw.setdefault("slug", f"certification-{n}")
    kw.setdefault("issuing_body", "中国国家认证认可监督管理委员会")
    return CertificationType.objects.create(**kw)


def make_policy_topic(**kw):
    n = _next()
    kw.setdefault("name", f"补贴{n}")
    kw.setdefault("name_en", f"Subsidies {n}")
    kw.setdefault("slug", f"topic-{n}")
    return PolicyTopic.objects.create(**kw)


def png_bytes(size=(64, 48), color=(120, 160, 80)):
    """A small generated PNG's bytes, for uploads."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(**kw):
    """A small generated PNG in Wagtail's image library (no downloads)."""
    make_home_page()  # after a flush, images need the root collection it restores
    n = _next()
    color = kw.pop("color", ((n * 47) % 256, (n * 89) % 256, (n * 131) % 256))
    size = kw.pop("size", (64, 48))
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    kw.setdefault("title", f"图片{n}")
    kw.setdefault("file", ImageFile(buffer, name=f"test-image-{n}.png"))
    return get_image_model().objects.create(**kw)


# --- Pages ---------------------------------------------------------------------------------


class SiteTree:
    """The zh-hans home page (from migration home/0002) and its four section indexes."""

    def __init__(self, home, brands, stories, replays, policy):
        self.home = home
        self.brands = brands
        self.stories = stories
        self.replays = replays
        self.policy = policy

    def __iter__(self):
        return iter((self.home, self.brands, self.stories, self.replays, self.policy))


def _child_or_publish(parent, model, **kw):
    existing = model.objects.child_of(parent).filter(slug=kw["slug"]).first()
    return existing or publish(parent, model(**kw))


def make_home_page():
    """The zh-hans home page migration home/0002 creates.

    Transactional tests (the browser's) end with a flush that empties every table, so after one
    of them the tree is rebuilt here the way the migrations build it: locales, root, home, site.
    """
    home = HomePage.objects.filter(locale__language_code="zh-hans").first()
    if home is not None:
        return home
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=zh))
    home = publish(root, HomePage(title="农播 Farmcast", hero_title="看得见来源的好农货", slug="home", locale=zh))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Farmcast 农播"},
    )
    return home


def make_site_tree():
    """The home page with /brands/, /stories/, /replays/ and /policy/ under it. Idempotent."""
    home = make_home_page()
    return SiteTree(
        home=home,
        brands=_child_or_publish(home, FarmBrandIndexPage, title="农产品品牌", slug="brands"),
        stories=_child_or_publish(home, StoryIndexPage, title="品牌故事", slug="stories"),
        replays=_child_or_publish(home, ReplayIndexPage, title="直播回放", slug="replays"),
        policy=_child_or_publish(home, PolicyIndexPage, title="惠农政策", slug="policy"),
    )


def _brand_index():
    return make_site_tree().brands


def make_brand(parent=None, **kw):
    n = _next()
    parent = parent or _brand_index()
    kw.setdefault("title", f"五常稻香{n}")
    kw.setdefault("slug", f"brand-{n}")
    kw.setdefault("tagline", "黑土地上的一季好米")
    kw.setdefault("producer_type", FarmBrandPage.ProducerType.COOPERATIVE)
    kw.setdefault("founded_year", 2012)
    kw.setdefault("story", story_body())
    kw.setdefault("shop_url", "https://shop.example.com/")
    kw.setdefault("search_description", "五常大米合作社")
    if "region" not in kw:
        kw["region"] = make_region()
    return publish(parent, FarmBrandPage(**kw))


def make_product(brand=None, **kw):
    n = _next()
    brand = brand or make_brand()
    certifications = kw.pop("certifications", [])
    kw.setdefault("title", f"五常大米{n}")
    kw.setdefault("slug", f"product-{n}")
    kw.setdefault("summary", "稻花香2号，一年一季")
    kw.setdefault("description", "<p>当季新米，真空包装。</p>")
    kw.setdefault("season_start", 9)
    kw.setdefault("season_end", 11)
    kw.setdefault("price", "89.00")
    kw.setdefault("unit", "5 kg")
    kw.setdefault("sales_volume", 1000 + n)
    if "category" not in kw:
        kw["category"] = make_category()
    product = ProductPage(**kw)
    if certifications:
        product.certifications = certifications
    return publish(brand, product)


def make_story(parent=None, **kw):
    n = _next()
    parent = parent or make_site_tree().stories
    products = kw.pop("products", [])
    kw.setdefault("title", f"守着黑土地的人{n}")
    kw.setdefault("slug", f"story-{n}")
    kw.setdefault("introduction", "一位种植户和他的三十亩稻田。")
    kw.setdefault("body", story_body())
    kw.setdefault("author", "李编辑")
    story = BrandStoryPage(**kw)
    if products:
        story.products = products
    return publish(parent, story)


def make_broadcast(parent=None, **kw):
    """A replay (ended yesterday) unless `scheduled_start`/`scheduled_end` say otherwise."""
    n = _next()
    parent = parent or make_site_tree().replays
    now = timezone.now()
    kw.setdefault("title", f"五常大米产地直播{n}")
    kw.setdefault("slug", f"broadcast-{n}")
    kw.setdefault("host", "主播小米")
    kw.setdefault("summary", "走进稻田，看新米怎样收割。")
    kw.setdefault("scheduled_start", now - datetime.timedelta(days=1, hours=2))
    kw.setdefault("scheduled_end", kw["scheduled_start"] + datetime.timedelta(hours=2))
    kw.setdefault("live_room_url", "https://live.example.com/room/1")
    return publish(parent, BroadcastReplayPage(**kw))


def make_policy_section(region=None, parent=None, **kw):
    """A region's own policy section, /policy/<region>/."""
    region = region or make_region()
    parent = parent or make_site_tree().policy
    kw.setdefault("title", f"{region.name}惠农政策")
    kw.setdefault("slug", region.slug)
    kw.setdefault("introduction", "本地区的惠农政策。")
    return publish(parent, PolicyIndexPage(region=region, **kw))


def make_policy_news(parent=None, **kw):
    n = _next()
    regions = kw.pop("regions", None)
    topics = kw.pop("topics", [])
    parent = parent or make_policy_section()
    section_region = getattr(parent.specific, "region", None)
    if regions is None:
        regions = [section_region or make_region()]
    kw.setdefault("title", f"关于做好春耕备耕工作的通知{n}")
    kw.setdefault("slug", f"policy-{n}")
    # A section's news is issued by one of its region's governments (stories/policy/models.py).
    kw.setdefault("authority", f"{section_region.name}农业农村厅" if section_region else "黑龙江省农业农村厅")
    kw.setdefault("document_number", f"黑农发〔2025〕{n}号")
    kw.setdefault("effective_date", datetime.date(2025, 3, 1))
    kw.setdefault("expiry_date", datetime.date(2026, 3, 1))
    kw.setdefault("summary", "对春耕物资储备和农机检修作出安排。")
    kw.setdefault("body", "<p>各市（地）农业农村局：现就做好春耕备耕工作通知如下。</p>")
    news = PolicyNewsPage(**kw)
    news.regions = regions
    if topics:
        news.topics = topics
    return publish(parent, news)


def make_english_translation(page, **overrides):
    """Copy `page` (and any missing ancestors) into the English tree and publish it."""
    en = Locale.objects.get(language_code="en")
    translation = page.copy_for_translation(en, copy_parents=True, alias=False)
    for field, value in overrides.items():
        setattr(translation, field, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


__all__ = [
    "SiteTree",
    "make_brand",
    "make_broadcast",
    "make_category",
    "make_certification",
    "make_english_translation",
    "make_image",
    "make_policy_news",
    "make_policy_section",
    "make_policy_topic",
    "make_product",
    "make_region",
    "make_site_tree",
    "make_story",
    "png_bytes",
    "publish",
]
