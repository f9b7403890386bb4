"""Builders for `manage.py load_demo`. Each one looks up what it would create, so reruns change nothing.

Pages are found by slug under their parent, snippets by slug or code, images by title, users
and groups by name. Nothing that exists is overwritten: an editor's changes to demo pages survive
a rerun of the command.
"""

import datetime
import io
import json
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page

from brands.models import FarmBrandIndexPage, FarmBrandPage, ProductBuyLink, ProductGalleryImage, ProductPage
from brands.provenance_demo import create_demo_batches, translate_demo_notes
from brands.rooms import setup_brand
from feedback.demo import create_demo_feedback, grant_moderation
from home.models import HomePage
from site_content.models import CertificationType, ProductCategory, Region
from stories.models import (
    BrandStoryPage,
    BroadcastCaptionTrack,
    BroadcastChapter,
    BroadcastReplayPage,
    PolicyIndexPage,
    PolicyNewsPage,
    PolicyTopic,
    ReplayIndexPage,
    StoryIndexPage,
)
from stories.policy.demo import set_up_demo_governments

from . import data, editorial, editorial_en, images, pictures, video

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "farmcast-demo"  # noqa: S105 - the README publishes it: this is demo data, not a secret
DEMO_USER_PASSWORD = ADMIN_PASSWORD  # the README publishes it: demo data, not a secret
FEATURED = 6  # brands on the home page
DEMO_NOTE = "（演示数据：本文为示例，并非真实政府文件。）"

MOTIF_WORDS = {
    "fields": "金色稻田与朝阳",
    "fruit": "山坡果园里成熟的果实",
    "terraces": "层层叠叠的茶园梯田",
    "berries": "丘陵间一串串成熟的浆果",
    "pasture": "草场上的羊群",
    "lake": "湖面、芦苇和大闸蟹",
    "river": "江边的菜地和青菜头",
}


class Loader:
    def __init__(self):
        self.created = {}
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.zh = Locale.objects.get(language_code="zh-hans")
        self.en, _ = Locale.objects.get_or_create(language_code="en")
        self.brands = {}
        self.products = {}

    def count(self, kind):
        self.created[kind] = self.created.get(kind, 0) + 1

    # --- Snippets ------------------------------------------------------------------------

    def regions(self):
        self.region_by_code = {}
        for code, slug, name, name_en, parent_code in data.REGIONS:
            parent = self.region_by_code.get(parent_code)
            if parent is None:
                level = Region.Level.PROVINCE
            elif parent.level == Region.Level.PROVINCE and code.endswith("00"):
                level = Region.Level.CITY
            else:
                level = Region.Level.COUNTY  # also a municipality's district, directly under it
            region, created = Region.objects.get_or_create(
                code=code, defaults={"slug": slug, "name": name, "name_en": name_en, "level": level, "parent": parent}
            )
            if created:
                self.count("regions")
            self.region_by_code[code] = region
        self.region_by_slug = {r.slug: r for r in self.region_by_code.values()}

    def snippets(self):
        self.categories = {}
        for slug, name, name_en in data.CATEGORIES:
            self.categories[slug], created = ProductCategory.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en}
            )
            if created:
                self.count("categories")
        self.certifications = {}
        for slug, name, name_en, body, description in data.CERTIFICATIONS:
            self.certifications[slug], created = CertificationType.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "issuing_body": body, "description": description}
            )
            if created:
                self.count("certification types")
        self.topics = {}
        for slug, name, name_en in data.POLICY_TOPICS:
            self.topics[slug], created = PolicyTopic.objects.update_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en}
            )
            if created:
                self.count("policy topics")

    # --- Images --------------------------------------------------------------------------

    def image(self, title, filename, render):
        """The image titled `title`, drawn by `render()` only when it does not exist yet."""
        model = get_image_model()
        existing = model.objects.filter(title=title).first()
        if existing:
            return existing
        if not hasattr(self, "collection"):
            root = Collection.get_first_root_node()
            self.collection = root.get_children().filter(name="演示图片 Demo images").first() or root.add_child(
                name="演示图片 Demo images"
            )
        image = model(title=title, collection=self.collection)
        image.file = ImageFile(io.BytesIO(render()), name=filename)
        image.save()
        self.count("images")
        return image

    # --- Pages ---------------------------------------------------------------------------

    def child(self, parent, model, slug, publish_at=None, kind=None, **fields):
        """The page `slug` under `parent`; created and published once if missing."""
        existing = parent.get_children().filter(slug=slug).specific().first()
        if existing is not None:
            return existing, False
        relations = {k: fields.pop(k) for k in list(fields) if k in ("certifications", "topics", "regions", "products")}
        tags = fields.pop("tags", [])
        page = model(slug=slug, locale=parent.locale, **fields)
        for name, values in relations.items():
            setattr(page, name, values)
        if tags:
            page.tags.add(*tags)
        if publish_at is not None:
            page.first_published_at = publish_at
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.count(kind or str(model._meta.verbose_name_plural))
        return page, True

    def translate(self, page, chapter_titles=None, **fields):
        """The English translation of `page`, copied, filled in with `fields` and published once."""
        existing = page.get_translation_or_none(self.en)
        if existing is not None:
            return existing.specific
        translation = page.copy_for_translation(self.en).specific
        tags = fields.pop("tags", None)
        for name, value in fields.items():
            setattr(translation, name, value)
        if tags is not None:
            translation.tags.clear()
            translation.tags.add(*tags)
        if chapter_titles is not None:
            # The copied chapters keep their seconds and (English) products; only their words change.
            chapters = sorted(translation.chapters.all(), key=lambda c: c.sort_order or 0)
            for chapter, title in zip(chapters, chapter_titles, strict=False):
                chapter.title = title
            translation.chapters = chapters
        translation.save_revision().publish()
        self.count("English pages")
        return translation

    def home(self):
        return HomePage.objects.filter(locale=self.zh).first() or HomePage.objects.first()

    def site_tree(self):
        home = self.home()
        self.home_page = home
        self.brand_index, _ = self.child(
            home,
            FarmBrandIndexPage,
            "brands",
            kind="section pages",
            title="农场品牌",
            introduction="来自全国各地的地理标志农产品品牌：看得见产地，查得到来源。",
            search_description="看得见产地、查得到来源的农场品牌。",
        )
        self.story_index, _ = self.child(
            home,
            StoryIndexPage,
            "stories",
            kind="section pages",
            title="品牌故事",
            introduction="种植户、合作社和主播讲述的农产品故事。",
        )
        self.replay_index, _ = self.child(
            home,
            ReplayIndexPage,
            "replays",
            kind="section pages",
            title="直播与回放",
            introduction="即将开播、正在直播和往期回放的助农直播。",
        )
        self.policy_index, _ = self.child(
            home,
            PolicyIndexPage,
            "policy",
            kind="section pages",
            title="政策资讯",
            introduction="各地政府发布的涉农政策。演示站点中的政策均为示例数据。",
        )
        self.policy_sections = {}
        for region_slug, introduction in editorial.POLICY_SECTIONS:
            region = self.region_by_slug[region_slug]
            self.policy_sections[region_slug], _ = self.child(
                self.policy_index,
                PolicyIndexPage,
                region_slug,
                kind="section pages",
                title=f"{region.name}政策",
                region=region,
                introduction=introduction,
            )

    def brands_and_products(self):
        for brand_data in data.BRANDS:
            palette = brand_data["palette"]
            region = self.region_by_code[brand_data["region"]]
            hero = self.image(
                f"{brand_data['title']}：{region.name}的{MOTIF_WORDS[data.MOTIFS[palette]]}（插画）",
                f"{brand_data['slug']}-hero.jpg",
                lambda b=brand_data: images.landscape(b["palette"], b["slug"]),
            )
            logo = self.image(
                f"{brand_data['title']} 标志",
                f"{brand_data['slug']}-logo.jpg",
                lambda b=brand_data: pictures.logo(b["slug"], b["title_en"].split()[0]),
            )
            story = [
                {"type": "heading", "value": {"text": "关于我们", "level": "h2"}},
                *({"type": "paragraph", "value": f"<p>{escape(p)}</p>"} for p in brand_data["about"]),
                {"type": "image", "value": image_block_value(hero, f"{region.path_display}")},
            ]
            brand, _ = self.child(
                self.brand_index,
                FarmBrandPage,
                brand_data["slug"],
                title=brand_data["title"],
                tagline=brand_data["tagline"],
                search_description=brand_data["tagline"],
                logo=logo,
                hero_image=hero,
                region=region,
                founded_year=brand_data["founded"],
                producer_type=brand_data["producer_type"],
                story=json.dumps(story),
                contact_phone=brand_data["phone"],
                contact_email=f"hello@{brand_data['slug']}.example.com",
                shop_url=f"https://{brand_data['slug']}.example.com/",
                live_room_url=f"https://live.example.com/room/{brand_data['slug']}",
                tags=brand_data["tags"],
            )
            self.brands[brand_data["slug"]] = brand
            for product_data in brand_data["products"]:
                self.products[product_data["slug"]] = self.product(brand, brand_data, product_data)

    def product(self, brand, brand_data, product_data):
        slug, words = product_data["slug"], pack_words(product_data)
        picture = self.image(
            f"{product_data['title']}：{pictures.describe(slug)}（插画）",
            f"{slug}.jpg",
            lambda: pictures.still_life(slug, brand_data["slug"], *words, seed=slug),
        )
        package = self.image(
            f"{product_data['title']} 包装（插画）",
            f"{slug}-package.jpg",
            lambda: pictures.packaging(slug, brand_data["slug"], *words, seed=slug),
        )
        season_start, season_end = product_data["season"]
        product, _ = self.child(
            brand,
            ProductPage,
            product_data["slug"],
            title=product_data["title"],
            category=self.categories[product_data["category"]],
            summary=product_data["summary"],
            search_description=product_data["summary"],
            description=f"<p>{escape(product_data['summary'])}</p><p>{escape(product_data['detail'])}</p>",
            main_image=picture,
            season_start=season_start,
            season_end=season_end,
            price=Decimal(product_data["price"]),
            unit=product_data["unit"],
            sales_volume=product_data["sales"],
            certifications=[self.certifications[c] for c in product_data["certs"]],
            buy_links=[ProductBuyLink(label=label, url=url) for label, url in product_data["links"]],
            gallery_images=[ProductGalleryImage(image=package, caption="包装")],
        )
        return product

    def feedback(self):
        """Approved reviews and answered questions on every product (feedback/demo.py)."""
        created = create_demo_feedback(ProductPage.objects.filter(pk__in=[p.pk for p in self.products.values()]))
        for kind, n in created.items():
            if n:
                self.created[kind] = self.created.get(kind, 0) + n

    def provenance(self):
        """A sealed batch with evidence photos and certificates for every product (brands/provenance_demo.py)."""
        for product in self.products.values():
            create_demo_batches(ProductPage.objects.get(pk=product.pk), photo=evidence_photo)
        translate_demo_notes()

    def english(self):
        """English copies of the home page, every section's index page, every brand and every product."""
        self.home_en = self.translate(
            self.home_page,
            title="Farmcast",
            hero_title="Farm produce you can trace",
            hero_text="<p>From the paddies of Wuchang to the crab ponds of Yangcheng Lake: see where your food grows, "
            "watch the growers live, and follow the rural policy behind it.</p>",
            hero_image=self.home_hero(),
            policy_region=self.region_by_slug["heilongjiang"],
            search_description="Farmcast: farm brand stories, provenance, live-commerce replays and rural policy.",
        )
        self.translate(
            self.brand_index,
            title="Farm brands",
            introduction="Geographical-indication brands from across China: see where it grows, check where it "
            "comes from.",
            search_description="Farm brands you can trace to the field.",
        )
        self.translate(
            self.story_index,
            title="Brand stories",
            introduction="Growers, co-ops and hosts tell the stories behind their produce.",
        )
        self.translate(
            self.replay_index,
            title="Live and replays",
            introduction="Upcoming, live and past live-commerce broadcasts from the farms.",
        )
        self.translate(
            self.policy_index,
            title="Rural policy",
            introduction="Policy from local governments that affects farmers. The policy in this demo is sample data.",
        )
        for region_slug, introduction in POLICY_SECTIONS_EN.items():
            region = self.region_by_slug[region_slug]
            self.translate(
                self.policy_sections[region_slug], title=f"{region.name_en} policy", introduction=introduction
            )
        for brand_data in data.BRANDS:
            brand = self.brands[brand_data["slug"]]
            self.translate(
                brand,
                title=brand_data["title_en"],
                tagline=brand_data["tagline_en"],
                search_description=brand_data["tagline_en"],
                tags=[data.TAGS_EN[t] for t in brand_data["tags"]],
                story=json.dumps(
                    [
                        {"type": "heading", "value": {"text": "About us", "level": "h2"}},
                        {"type": "paragraph", "value": f"<p>{escape(brand_data['about_en'])}</p>"},
                    ]
                ),
            )
            for product_data in brand_data["products"]:
                self.translate(
                    self.products[product_data["slug"]],
                    title=product_data["title_en"],
                    summary=product_data["summary_en"],
                    search_description=product_data["summary_en"],
                    description=f"<p>{escape(product_data['summary_en'])}</p>",
                    unit=product_data["unit_en"],
                    gallery_images=[
                        ProductGalleryImage(image=g.image, caption="Package")
                        for g in self.products[product_data["slug"]].gallery_images.all()
                    ],
                    buy_links=[
                        ProductBuyLink(label=SHOP_NAMES_EN.get(label, label), url=url)
                        for label, url in product_data["links"]
                    ],
                )

    def home_hero(self):
        return self.image(
            "农播：田野、朝阳与远山（插画）", "farmcast-home.jpg", lambda: images.landscape("rice", "home")
        )

    def home_content(self):
        """Fill the home pages once: an editor's later choices win over the demo's."""
        # Fresh copies: publishing a stale instance would write back an outdated child count.
        home = HomePage.objects.get(pk=self.home_page.pk)
        if not home.featured_brands.exists():
            home.hero_title = "看得见来源的好农货"
            home.hero_text = "<p>从五常的稻田到阳澄湖的蟹塘：看得见产地，看得见直播，也看得见惠农政策。</p>"
            home.hero_image = self.home_hero()
            home.policy_region = self.region_by_slug["heilongjiang"]
            home.search_description = "农播 Farmcast：农场品牌故事、产品溯源、助农直播回放和各地涉农政策。"
            home.save_revision().publish()
            home.featured_brands.set([self.brands[b["slug"]] for b in data.BRANDS[:FEATURED]])
            self.count("home pages filled in")
        home_en = HomePage.objects.get(pk=self.home_en.pk)
        if not home_en.featured_brands.exists():
            # Not part of a revision, so no second publish is needed.
            home_en.featured_brands.set(
                [self.brands[b["slug"]].get_translation(self.en) for b in data.BRANDS[:FEATURED]]
            )

    def stories(self):
        for item in editorial.STORIES:
            brand = self.brands[item["brand"]]
            products = [self.products[s] for s in item["products"]]
            hero = products[0].main_image
            body = []
            for i, (heading, paragraph) in enumerate(item["sections"]):
                body.append({"type": "heading", "value": {"text": heading, "level": "h2"}})
                body.append({"type": "paragraph", "value": f"<p>{escape(paragraph)}</p>"})
                if i == 0:
                    body.append({"type": "image", "value": image_block_value(brand.hero_image, item["caption"])})
                    text, who = item["quote"]
                    body.append({"type": "quote", "value": {"text": text, "attribution": who}})
            date = self.today - datetime.timedelta(days=item["days_ago"])
            self.child(
                self.story_index,
                BrandStoryPage,
                item["slug"],
                publish_at=at_local(date, 9, 0),
                title=item["title"],
                date=date,
                introduction=item["intro"],
                search_description=item["intro"],
                hero_image=hero if item["days_ago"] % 2 else brand.hero_image,
                brand=brand,
                products=products,
                body=json.dumps(body),
                author=item["author"],
            )

    def broadcasts(self):
        replays = []
        for item in editorial.BROADCASTS:
            brand = self.brands[item["brand"]]
            if item["start"] == 0:
                start = (self.now - datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
            else:
                start = at_local(self.today + datetime.timedelta(days=item["start"]), 19, 30)
            end = start + datetime.timedelta(hours=item["hours"])
            script = editorial.REPLAY_SCRIPTS.get(item["slug"]) if end <= self.now else None
            # A replay's poster is a frame of its clip (replay_media); the others get an illustration.
            poster = None
            if script is None:
                poster = self.image(
                    f"{item['title']} 直播封面（插画）",
                    f"{item['slug']}-poster.jpg",
                    lambda b=brand, s=item["slug"]: images.landscape(palette_of(b.slug), s, play_button=True),
                )
            page, _ = self.child(
                self.replay_index,
                BroadcastReplayPage,
                item["slug"],
                publish_at=min(start - datetime.timedelta(days=3), self.now),
                title=item["title"],
                brand=brand,
                host=item["host"],
                summary=item["summary"],
                search_description=item["summary"],
                description=broadcast_description(item),
                scheduled_start=start,
                scheduled_end=end,
                live_room_url=f"https://live.example.com/room/{item['slug']}",
                poster_image=poster,
            )
            if script is not None:
                replays.append((BroadcastReplayPage.objects.get(pk=page.pk), item, script))
        self.replay_media(replays)

    def replay_media(self, replays):
        """Each replay's clip and poster, captions and chapters, added when missing.

        A replay with a video is left alone. One without (an older demo, made where the clips could not
        be encoded) gets its clip and poster now, and its captions and chapters only if it has none.
        """
        needed = [(page, item, script) for page, item, script in replays if page.replay_video_id is None]
        specs = [self.clip_spec(page, item, script) for page, item, script in needed]
        clips = self.clips(specs)
        seconds = editorial.CLIP_SECONDS
        for (page, item, script), clip in zip(needed, clips, strict=True):
            page.replay_video = self.document(
                f"{item['title']} 回放视频（演示）", f"{item['slug']}.webm", lambda c=clip: c.webm
            )
            page.poster_image = self.image(
                f"{item['title']} 回放画面（{video.clock(int(clip.poster_second))}）",
                f"{item['slug']}-poster.jpg",
                lambda c=clip: c.poster,
            )
            page.duration_seconds = seconds
            if not page.chapters.exists():
                page.caption_tracks = [
                    BroadcastCaptionTrack(
                        language="zh-Hans",
                        file=self.document(
                            f"{item['title']} 中文字幕",
                            f"{item['slug']}.zh.vtt",
                            lambda s=script: video.chinese_vtt(s, seconds).encode(),
                        ),
                    ),
                    BroadcastCaptionTrack(
                        language="en",
                        file=self.document(
                            f"{item['title']} English captions",
                            f"{item['slug']}.en.vtt",
                            lambda s=script: video.english_vtt(s, seconds).encode(),
                        ),
                    ),
                ]
                page.chapters = [
                    BroadcastChapter(start_seconds=start, title=title, product=self.products.get(product))
                    for start, title, _latin, product in script["chapters"]
                ]
                self.count("replays with chapters and captions")
            page.save_revision().publish()
            self.count("replays with a video")

    def clips(self, specs):
        """The clips (video.Clip) of `specs`, in order, encoded once and kept in var/demo-clips."""
        return video.make_clips(specs, cache_dir=settings.BASE_DIR / "var" / "demo-clips")

    def clip_spec(self, page, item, script):
        """What the clip of `page` shows: its brand's and products' pictures, its chapters, a tone of its own."""
        moments = []
        for start, title, latin, slug in script["chapters"]:
            product = self.products.get(slug)
            if product is None:
                moments.append(video.Moment(start, title, latin))
                continue
            price = f"{product.price:f}".rstrip("0").rstrip(".") if product.price is not None else ""
            caption = f"{product.title} · ¥{price} / {product.unit}" if price else product.title
            moments.append(video.Moment(start, title, latin, picture_of(product.main_image), caption))
        brand = page.brand
        return video.Broadcast(
            title=page.title,
            brand=brand.title,
            host=page.host,
            moments=moments,
            seconds=editorial.CLIP_SECONDS,
            pictures=[picture_of(brand.hero_image)] if brand.hero_image else [],
            tone_hz=330 + 55 * (sum(map(ord, item["slug"])) % 8),  # each replay sounds a little different
        )

    def document(self, title, filename, render):
        """The document titled `title`, made by `render()` (bytes, or None to skip) only when missing."""
        model = get_document_model()
        existing = model.objects.filter(title=title).first()
        if existing:
            return existing
        content = render()
        if content is None:
            return None
        if not hasattr(self, "video_collection"):
            root = Collection.get_first_root_node()
            name = "演示视频 Demo videos"
            self.video_collection = root.get_children().filter(name=name).first() or root.add_child(name=name)
        document = model(title=title, collection=self.video_collection)
        document.file = ContentFile(content, name=filename)
        document._set_document_file_metadata()  # size and hash, as an admin upload has: the hash is its ETag
        document.save()
        self.count("documents")
        return document

    def policies(self):
        for item in editorial.POLICIES:
            effective = self.today + datetime.timedelta(days=item["effective"])
            expires = self.today + datetime.timedelta(days=item["expires"]) if item["expires"] is not None else None
            body = "".join(f"<p>{escape(p)}</p>" for p in item["body"]) + f"<p>{DEMO_NOTE}</p>"
            self.child(
                self.policy_sections[item["section"]],
                PolicyNewsPage,
                item["slug"],
                publish_at=at_local(min(effective, self.today) - datetime.timedelta(days=7), 10, 0),
                title=item["title"],
                authority=item["authority"],
                document_number=item["number"].format(year=effective.year),
                regions=[self.region_by_code[c] for c in item["regions"]],
                topics=[self.topics[t] for t in item["topics"]],
                effective_date=effective,
                expiry_date=expires,
                summary=item["summary"],
                search_description=item["summary"],
                body=body,
                contact=f"{item['authority']} 0000-00000000（演示）",
            )

    def english_editorial(self):
        """English versions of every story, broadcast and policy item (editorial_en.py), once each."""
        for item in editorial.STORIES:
            english = editorial_en.STORIES_EN[item["slug"]]
            story = BrandStoryPage.objects.get(locale=self.zh, slug=item["slug"])
            # The same photo as the Chinese story, with an English caption and alt text.
            image_ids = [b["value"]["image"]["image"] for b in story.body.raw_data if b["type"] == "image"]
            image = get_image_model().objects.filter(pk__in=image_ids).first()
            body = []
            for i, (heading, paragraph) in enumerate(english["sections"]):
                body.append({"type": "heading", "value": {"text": heading, "level": "h2"}})
                body.append({"type": "paragraph", "value": f"<p>{escape(paragraph)}</p>"})
                if i == 0 and image is not None:
                    value = image_block_value(image, english["caption"])
                    value["image"]["alt_text"] = english["caption"]
                    body.append({"type": "image", "value": value})
                    text, who = english["quote"]
                    body.append({"type": "quote", "value": {"text": text, "attribution": who}})
            self.translate(
                story,
                title=english["title"],
                introduction=english["intro"],
                search_description=english["intro"],
                author=english["author"],
                body=json.dumps(body),
            )
        for item in editorial.BROADCASTS:
            english = editorial_en.BROADCASTS_EN[item["slug"]]
            script = editorial.REPLAY_SCRIPTS.get(item["slug"])
            page = BroadcastReplayPage.objects.get(locale=self.zh, slug=item["slug"])
            self.translate(
                page,
                chapter_titles=[latin for _s, _t, latin, _p in script["chapters"]] if script else None,
                title=english["title"],
                host=english["host"],
                summary=english["summary"],
                search_description=english["summary"],
                description=broadcast_description_en(item),
            )
        for item in editorial.POLICIES:
            english = editorial_en.POLICIES_EN[item["slug"]]
            authority = editorial_en.AUTHORITIES_EN[item["authority"]]
            page = PolicyNewsPage.objects.get(locale=self.zh, slug=item["slug"])
            body = "".join(f"<p>{escape(p)}</p>" for p in english["body"])
            self.translate(
                page,
                title=english["title"],
                authority=authority,
                summary=english["summary"],
                search_description=english["summary"],
                body=f"{body}<p>{editorial_en.DEMO_NOTE_EN}</p>",
                contact=f"{authority}, 0000-00000000 (demo)",
            )

    # --- People --------------------------------------------------------------------------

    def users_and_groups(self):
        user_model = get_user_model()
        if not user_model.objects.filter(username=ADMIN_USERNAME).exists():
            user_model.objects.create_superuser(ADMIN_USERNAME, "admin@example.com", ADMIN_PASSWORD)
            self.count("users")
        # Each brand: its own editor group (its pages, stories, replays, files, feedback and provenance:
        # brands/rooms.py) and one demo editor, brand-<slug>-editor; nobody edits every brand but admin.
        for slug, brand in self.brands.items():
            room = setup_brand(brand, stories=self.story_index, replays=self.replay_index)
            for _line in room.created:
                self.count("brand setup")
            username = f"brand-{slug}-editor"
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model.objects.create_user(username, f"{username}@example.com", DEMO_USER_PASSWORD)
                user.first_name = f"{brand.title}编辑"
                user.save(update_fields=["first_name"])
                self.count("users")
            user.groups.add(room.editors)
        grant_moderation()  # the site-wide feedback moderators

        # Each government: its section's editor and reviewer groups, documents and review workflow, and
        # one demo user per role (stories/policy/demo.py).
        regions = [self.region_by_slug[slug] for slug in self.policy_sections]
        for kind, _name in set_up_demo_governments(regions, self.policy_index):
            self.count(kind)

    # --- Everything ----------------------------------------------------------------------

    def run(self):
        self.regions()
        self.snippets()
        self.site_tree()
        self.brands_and_products()
        self.provenance()
        self.feedback()
        self.english()
        self.home_content()
        self.stories()
        self.broadcasts()
        self.policies()
        self.english_editorial()
        self.users_and_groups()
        return self.created


POLICY_SECTIONS_EN = {
    "heilongjiang": "Farm policy from Heilongjiang and its cities and counties: subsidies, training, cold chain and credit.",
    "jiangxi": "Farm policy from Jiangxi and Ganzhou, with a focus on Gannan navel oranges.",
    "ningxia": "Farm policy from Ningxia, Zhongwei and Wuzhong, with a focus on goji and Tan sheep.",
}

SHOP_NAMES_EN = {
    data.TMALL: "Tmall flagship store",
    data.JD: "JD.com store",
    data.DOUYIN: "Douyin shop",
    data.OWN: "Brand's own shop",
}


def picture_of(image):
    """A Wagtail image's original as a Pillow picture, or None."""
    if image is None:
        return None
    with image.open_file() as handle:
        picture = PILImage.open(handle)
        picture.draft("RGB", (1600, 1600))  # a large JPEG decodes at a fraction of its size: the clip is 640 wide
        return picture.convert("RGB")


def pack_words(product_data):
    """What a package prints in Latin letters: the product's English name without its size, and the size."""
    return product_data["title_en"].split(",")[0], product_data["unit_en"]


CATALOGUE = {p["slug"]: (p, b) for b in data.BRANDS for p in b["products"]}


def evidence_photo(product, stage, seed):
    """The evidence photo for a demo product's stage: its field, the lab, the packing table, the truck."""
    product_data, brand_data = CATALOGUE.get(product.slug, (None, None))
    if product_data is None:
        return pictures.evidence(product.slug, "", product.title, "", stage, seed)
    return pictures.evidence(product.slug, brand_data["slug"], *pack_words(product_data), stage, seed)


def broadcast_description(item):
    """A demo broadcast's description: the products it presents, which its page's header does not say.

    The header already shows the summary and the host; a description repeating them printed both twice.
    """
    brand_data = next(b for b in data.BRANDS if b["slug"] == item["brand"])
    products = "、".join(escape(p["title"]) for p in brand_data["products"])
    return (
        f"<p>直播间里介绍的产品：{products}。</p>"
        "<p>每件产品的页面都能查到批次溯源记录：扫包装上的二维码，或在溯源页输入批次号。</p>"
    )


def broadcast_description_en(item):
    """broadcast_description in English: the products the show presents, by their English names."""
    brand_data = next(b for b in data.BRANDS if b["slug"] == item["brand"])
    products = ", ".join(escape(p["title_en"]) for p in brand_data["products"])
    return (
        f"<p>Presented in the live room: {products}.</p>"
        "<p>Every product's page has its batches' provenance: scan the QR code on the pack, or type the batch "
        "code on the trace page.</p>"
    )


def palette_of(brand_slug):
    return next(b["palette"] for b in data.BRANDS if b["slug"] == brand_slug)


def image_block_value(image, caption):
    """Raw StreamField data for a CaptionedImageBlock; the image's title doubles as its alt text."""
    return {"image": {"image": image.pk, "alt_text": image.title, "decorative": False}, "caption": caption}


def at_local(date, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))


def summary():
    """Counts of what the demo consists of, for the command's last line and for tests."""
    return {
        "regions": Region.objects.count(),
        "brands": FarmBrandPage.objects.filter(locale__language_code="zh-hans").count(),
        "products": ProductPage.objects.filter(locale__language_code="zh-hans").count(),
        "stories": BrandStoryPage.objects.filter(locale__language_code="zh-hans").count(),
        "broadcasts": BroadcastReplayPage.objects.filter(locale__language_code="zh-hans").count(),
        "policy news": PolicyNewsPage.objects.filter(locale__language_code="zh-hans").count(),
        "English pages": Page.objects.filter(locale__language_code="en").count(),
        "images": get_image_model().objects.count(),
        "groups": Group.objects.count(),
    }
