"""Realistic pages in bulk for the search benchmark, written straight into the page tables.

Publishing 50,000 pages through Wagtail (revisions, signals, tree locks) would take most of the
run, so pages are built as ordinary model instances and their rows inserted with executemany,
one table of the multi-table chain at a time, with tree paths computed the way treebeard does.
They then go through the project's own document preparation (search.indexing), unchanged.
Batches, events, certificates and reviews are bulk-created so provenance and ratings cost what
they cost in production.
"""

import datetime
import json
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from brands.models import FarmBrandIndexPage, FarmBrandPage, ProductPage
from brands.models.provenance import LOT_ALPHABET, Batch, Certificate, ProvenanceEvent
from feedback.models import Review, Status
from site_content.models import CertificationType, ProductCategory, Region
from stories.models import (
    BrandStoryPage,
    BroadcastReplayPage,
    PolicyIndexPage,
    PolicyNewsPage,
    ReplayIndexPage,
    StoryIndexPage,
)

ZH = {
    "places": ["五常", "赣南", "阳澄湖", "烟台", "库尔勒", "普洱", "安溪", "宁夏", "盘锦", "洛川", "寿光", "眉山"],
    "products": [
        "大米",
        "脐橙",
        "大闸蟹",
        "苹果",
        "香梨",
        "普洱茶",
        "铁观音",
        "枸杞",
        "蟹田米",
        "猕猴桃",
        "蜂蜜",
        "小米",
        "核桃",
        "红枣",
        "土鸡蛋",
    ],
    "adjectives": ["有机", "当季", "古法", "生态", "高山", "头茬", "精选", "原生态", "新鲜", "手工"],
    "brand_words": ["稻香", "山居", "农家", "田园", "绿源", "丰收", "黑土", "云上", "清泉", "金穗"],
    "sentences": [
        "我们的{p}生长在{place}的黑土地上，一年只种一季。",
        "{place}合作社坚持不用化肥，{p}口感清甜。",
        "直播间里主播带大家走进{place}的{p}基地，看采收和包装。",
        "为做好{p}产业发展，{place}出台了新的补贴政策。",
        "每一批{p}都有溯源码，扫码可以看到种植、采收和检测记录。",
        "今年{place}雨水充足，{p}的甜度比往年更高。",
    ],
}
EN = {
    "places": ["Wuchang", "Gannan", "Yantai", "Korla", "Pu'er", "Anxi", "Ningxia", "Shouguang", "Luochuan"],
    "products": [
        "rice",
        "navel oranges",
        "hairy crab",
        "apples",
        "fragrant pears",
        "pu'er tea",
        "oolong tea",
        "goji berries",
        "kiwifruit",
        "honey",
        "millet",
        "walnuts",
        "red dates",
    ],
    "adjectives": ["organic", "seasonal", "heirloom", "mountain", "first-harvest", "hand-picked", "fresh"],
    "brand_words": ["Golden", "Black Soil", "Cloud", "Spring", "Harvest", "Green Valley", "Riverside"],
    "sentences": [
        "Our {p} grow in the black soil of {place}, one harvest a year.",
        "The {place} co-op grows {p} without chemical fertiliser; they taste sweet and clean.",
        "The host walks viewers through the {p} fields of {place} during harvest and packing.",
        "{place} announced new subsidies for {p} growers this spring.",
        "Every batch of {p} carries a trace code showing planting, harvest and lab tests.",
    ],
}
# Out of 50,000: most documents are products, as on a marketplace.
SHARES = {"brand": 0.04, "product": 0.66, "story": 0.12, "replay": 0.08, "policy": 0.10}
ENGLISH_SHARE = 0.2


class TreeWriter:
    """Appends children to parents with treebeard paths, then fixes numchild once at the end."""

    def __init__(self):
        self.next_number = {}
        self.added = {}

    def path_for(self, parent):
        if parent.pk not in self.next_number:
            last = parent.get_last_child()
            self.next_number[parent.pk] = (int(last.path[-Page.steplen :], 36) if last else 0) + 1
        number = self.next_number[parent.pk]
        self.next_number[parent.pk] += 1
        self.added[parent.pk] = self.added.get(parent.pk, 0) + 1
        return Page._get_path(parent.path, parent.depth + 1, number)

    def fix_numchild(self):
        for parent_id, added in self.added.items():
            Page.objects.filter(pk=parent_id).update(numchild=Page.objects.get(pk=parent_id).numchild + added)


def _insert(model, objects):
    """One executemany per table of the multi-table chain (Page first, then the specific table)."""
    chain = [Page, model] if model is not Page else [Page]
    with connection.cursor() as cursor:
        for table_model in chain:
            fields = table_model._meta.local_concrete_fields
            quote = connection.ops.quote_name
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                quote(table_model._meta.db_table),
                ", ".join(quote(f.column) for f in fields),
                ", ".join(["%s"] * len(fields)),
            )
            rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects]
            cursor.executemany(sql, rows)


class Generator:
    def __init__(self, total, seed=2025):
        self.total = total
        self.random = random.Random(seed)
        self.tree = TreeWriter()
        self.now = timezone.now()
        self.next_id = (Page.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.lot_codes = set(Batch.objects.values_list("lot_code", flat=True))
        self.regions = list(Region.objects.select_related("parent__parent"))
        self.counties = [r for r in self.regions if r.level == max(x.level for x in self.regions)]
        self.categories = list(ProductCategory.objects.all())
        self.certifications = list(CertificationType.objects.all())
        self.sample_lots = []

    # --- text --------------------------------------------------------------------------------

    def words(self, lang):
        return ZH if lang == "zh-hans" else EN

    def phrase(self, lang):
        w = self.words(lang)
        sep = "" if lang == "zh-hans" else " "
        place, adjective, product = (self.random.choice(w[k]) for k in ("places", "adjectives", "products"))
        return place, product, sep.join([place, adjective, product]).strip()

    def paragraph(self, lang, sentences=4):
        w = self.words(lang)
        sep = "" if lang == "zh-hans" else " "
        return sep.join(
            self.random.choice(w["sentences"]).format(
                p=self.random.choice(w["products"]), place=self.random.choice(w["places"])
            )
            for _ in range(sentences)
        )

    def stream(self, lang):
        return json.dumps(
            [
                {"type": "heading", "value": {"text": self.phrase(lang)[2], "level": "h2"}},
                {"type": "paragraph", "value": f"<p>{self.paragraph(lang, 6)}</p>"},
            ]
        )

    # --- pages -------------------------------------------------------------------------------

    def page(self, model, parent, lang_locale, title, **fields):
        n = self.next_id
        self.next_id += 1
        published = self.now - datetime.timedelta(days=self.random.randint(0, 900), minutes=n % 1440)
        page = model(
            pk=n,
            title=title,
            draft_title=title,
            slug=f"bench-{n}",
            # A page's locale is its parent's, whatever its text: a missing English section keeps the tree sound.
            locale_id=parent.locale_id,
            live=True,
            first_published_at=published,
            last_published_at=published,
            path=self.tree.path_for(parent),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}bench-{n}/",
            content_type=ContentType.objects.get_for_model(model),
            **fields,
        )
        # Both ids by hand: pk= sets only the pointer of a specific page, and PostgreSQL (unlike SQLite)
        # does not fill a NULL id in the page row.
        page.id = n
        if hasattr(page, "page_ptr_id"):
            page.page_ptr_id = n
        return page

    def run(self, log=print):
        from wagtail.models import Locale

        locales = {loc.language_code: loc for loc in Locale.objects.all()}
        parents = {}
        for lang in ("zh-hans", "en"):
            loc = locales[lang]
            parents[lang] = {
                "brands": FarmBrandIndexPage.objects.filter(locale=loc).first(),
                "stories": StoryIndexPage.objects.filter(locale=loc).first(),
                "replays": ReplayIndexPage.objects.filter(locale=loc).first(),
                "policy": list(PolicyIndexPage.objects.filter(locale=loc, region__isnull=False)),
            }
        for key, value in parents["en"].items():
            if not value:
                log(f"no English {key} section in the demo: English {key} go under the Chinese one")
                parents["en"][key] = parents["zh-hans"][key]
        existing = sum(m.objects.live().count() for m in (FarmBrandPage, ProductPage, BrandStoryPage))
        existing += BroadcastReplayPage.objects.live().count() + PolicyNewsPage.objects.live().count()
        to_make = self.total - existing
        counts = {kind: int(to_make * share) for kind, share in SHARES.items()}
        counts["product"] += to_make - sum(counts.values())
        log(f"generating {to_make} pages (plus {existing} demo pages = {self.total}): {counts}")

        with transaction.atomic():
            brands = {"zh-hans": list(FarmBrandPage.objects.filter(locale=locales["zh-hans"])), "en": []}
            brands["en"] = list(FarmBrandPage.objects.filter(locale=locales["en"])) or brands["zh-hans"]
            new_brands = []
            for i in range(counts["brand"]):
                lang = "en" if i % 5 == 0 else "zh-hans"
                w = self.words(lang)
                region = self.random.choice(self.counties)
                title = (
                    f"{region.name}{self.random.choice(w['brand_words'])}农场"
                    if lang == "zh-hans"
                    else f"{self.random.choice(w['brand_words'])} Farm of {region.name_en or 'Heilongjiang'}"
                )
                new_brands.append(
                    self.page(
                        FarmBrandPage,
                        parents[lang]["brands"],
                        locales[lang],
                        title,
                        tagline=self.paragraph(lang, 1),
                        region=region,
                        producer_type="cooperative",
                        story=self.stream(lang),
                    )
                )
            _insert(FarmBrandPage, new_brands)
            for brand in new_brands:
                brands["en" if brand.locale_id == locales["en"].pk else "zh-hans"].append(brand)

            products, through = [], []
            for _ in range(counts["product"]):
                lang = "en" if self.random.random() < ENGLISH_SHARE else "zh-hans"
                _place, _product, title = self.phrase(lang)
                start = self.random.randint(1, 12)
                product = self.page(
                    ProductPage,
                    self.random.choice(brands[lang]),
                    locales[lang],
                    title,
                    category=self.random.choice(self.categories),
                    summary=self.paragraph(lang, 1)[:200],
                    description=f"<p>{self.paragraph(lang, 3)}</p>",
                    season_start=start,
                    season_end=(start + self.random.randint(1, 4) - 1) % 12 + 1,
                    price=Decimal(self.random.randint(900, 99900)) / 100,
                    unit="5 kg" if lang == "en" else "5公斤",
                    sales_volume=self.random.randint(0, 100_000),
                )
                products.append(product)
                for kind in self.random.sample(self.certifications, self.random.randint(0, 2)):
                    through.append(
                        ProductPage.certifications.through(productpage_id=product.pk, certificationtype=kind)
                    )
            _insert(ProductPage, products)
            ProductPage.certifications.through.objects.bulk_create(through, batch_size=2000)
            self.provenance_and_reviews(products)

            all_brands = brands["zh-hans"] + brands["en"]
            for model, kind, make in (
                (BrandStoryPage, "story", self.story),
                (BroadcastReplayPage, "replay", self.replay),
                (PolicyNewsPage, "policy", self.policy),
            ):
                pages, m2m = [], []
                for i in range(counts[kind]):
                    lang = "en" if i % 5 == 0 else "zh-hans"
                    page, extra = make(lang, locales[lang], parents[lang], all_brands)
                    pages.append(page)
                    m2m += extra
                _insert(model, pages)
                if m2m:
                    type(m2m[0]).objects.bulk_create(m2m, batch_size=2000)
            self.tree.fix_numchild()
        return counts

    def story(self, lang, loc, parents, brands):
        brand = self.random.choice([b for b in brands if b.locale_id == loc.pk] or brands)
        return (
            self.page(
                BrandStoryPage,
                parents["stories"],
                loc,
                self.phrase(lang)[2] + ("的故事" if lang == "zh-hans" else ": a grower's story"),
                date=(self.now - datetime.timedelta(days=self.random.randint(0, 900))).date(),
                introduction=self.paragraph(lang, 1),
                body=self.stream(lang),
                author="李编辑" if lang == "zh-hans" else "Editor Li",
                brand=brand,
            ),
            [],
        )

    def replay(self, lang, loc, parents, brands):
        start = self.now - datetime.timedelta(days=self.random.randint(1, 600), hours=self.random.randint(0, 23))
        brand = self.random.choice([b for b in brands if b.locale_id == loc.pk] or brands)
        return (
            self.page(
                BroadcastReplayPage,
                parents["replays"],
                loc,
                self.phrase(lang)[2] + ("产地直播" if lang == "zh-hans" else " live from the farm"),
                host="主播小米" if lang == "zh-hans" else "Host Xiaomi",
                summary=self.paragraph(lang, 1)[:200],
                description=f"<p>{self.paragraph(lang, 4)}</p>",
                scheduled_start=start,
                scheduled_end=start + datetime.timedelta(hours=2),
                live_room_url="https://live.example.com/room/1",
                brand=brand,
            ),
            [],
        )

    def policy(self, lang, loc, parents, brands):
        section = self.random.choice(parents["policy"])
        region = getattr(section, "region", None) or self.random.choice(self.regions)
        place, product, _ = self.phrase(lang)
        title = (
            f"关于支持{place}{product}产业发展的通知"
            if lang == "zh-hans"
            else f"Notice on support for {product} growers in {place}"
        )
        page = self.page(
            PolicyNewsPage,
            section,
            loc,
            title,
            authority="农业农村厅" if lang == "zh-hans" else "Department of Agriculture",
            document_number=f"农发〔2025〕{self.next_id}号",
            effective_date=(self.now - datetime.timedelta(days=self.random.randint(0, 700))).date(),
            summary=self.paragraph(lang, 1)[:200],
            body=f"<p>{self.paragraph(lang, 5)}</p>",
        )
        return page, [PolicyNewsPage.regions.through(policynewspage_id=page.pk, region_id=region.pk)]

    def lot_code(self):
        while True:
            code = "".join(self.random.choice(LOT_ALPHABET) for _ in range(8))
            if code not in self.lot_codes:
                self.lot_codes.add(code)
                return code

    def provenance_and_reviews(self, products):
        """A third of products have a batch with a harvest event; some hold a certificate; half have reviews."""
        batches, events, certificates, reviews = [], [], [], []
        today = timezone.localdate()
        for product in products:
            if self.random.random() < 1 / 3:
                batch = Batch(
                    product_id=product.pk,
                    lot_code=self.lot_code(),
                    quantity=Decimal(500),
                    unit="kg",
                    harvest_date=today - datetime.timedelta(days=self.random.randint(20, 400)),
                    status=Batch.Status.AVAILABLE,
                )
                batches.append(batch)
                if len(self.sample_lots) < 40:
                    self.sample_lots.append(batch.lot_code)
            if self.random.random() < 0.1:
                valid_to = today + datetime.timedelta(days=self.random.randint(-200, 500))
                certificates.append(
                    Certificate(
                        product_id=product.pk,
                        certification_type=self.random.choice(self.certifications),
                        number="CN-BENCH",
                        issuer="认证中心",
                        valid_from=valid_to - datetime.timedelta(days=730),
                        valid_to=valid_to,
                    )
                )
            if self.random.random() < 0.5:
                for _ in range(self.random.randint(1, 4)):
                    reviews.append(
                        Review(
                            product_id=product.pk,
                            rating=self.random.randint(2, 5),
                            title="好吃",
                            body="米粒饱满。",
                            display_name="王",
                            email="b@example.com",
                            status=Status.APPROVED,
                            confirmed_at=self.now,
                        )
                    )
        Batch.objects.bulk_create(batches, batch_size=2000)
        batch_ids = dict(Batch.objects.filter(lot_code__in=[b.lot_code for b in batches]).values_list("lot_code", "pk"))
        for batch in batches:
            events.append(
                ProvenanceEvent(
                    batch_id=batch_ids[batch.lot_code],
                    stage=ProvenanceEvent.Stage.HARVEST,
                    occurred_at=self.now - datetime.timedelta(days=30),
                    region=self.random.choice(self.counties),
                    actor="合作社",
                )
            )
        ProvenanceEvent.objects.bulk_create(events, batch_size=2000)
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        Review.objects.bulk_create(reviews, batch_size=2000)
