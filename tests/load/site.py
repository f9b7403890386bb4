"""The load tests' own site: a small real one in a throwaway database, built and edited from a subprocess.

Run as `python -m tests.load.site build|edit|outbox` with DATABASE_URL pointing at the load tests'
database (never the suite's), under the test settings (fast hashing, tasks at once, Wagtail's own
index in the database). Each command prints one JSON object on its last line:
  build   migrate, then brands, products, stories, replays, policy news and a batch from tests/factories.py;
          prints the URLs the load mixes draw from
  edit    what editors do during an engine outage: publish a product, unpublish another, rename a brand;
          prints the page ids and how many outbox rows wait
  outbox  how many outbox rows wait
The pytest process cannot do this itself: its connection is the suite's test database, and the site
under gunicorn must read what was committed to its own.
"""

import datetime
import json
import os
import sys
from decimal import Decimal
from urllib.parse import quote, urlencode


def build():
    from django.core.management import call_command
    from django.utils import timezone

    from brands.models.provenance import Batch
    from tests import factories

    call_command("migrate", verbosity=0, interactive=False)
    tree = factories.make_site_tree()
    regions = [
        factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang"),
        factories.make_region(name="江西省", name_en="Jiangxi", code="360000", slug="jiangxi"),
        factories.make_region(name="宁夏回族自治区", name_en="Ningxia", code="640000", slug="ningxia"),
    ]
    categories = [
        factories.make_category(name="大米", name_en="Rice", slug="rice"),
        factories.make_category(name="脐橙", name_en="Navel orange", slug="navel-orange"),
        factories.make_category(name="枸杞", name_en="Goji", slug="goji"),
    ]
    gi = factories.make_certification(name="地理标志", name_en="Geographical indication", slug="gi")
    organic = factories.make_certification(name="有机产品", name_en="Organic", slug="organic")
    topic = factories.make_policy_topic(name="补贴", name_en="Subsidies", slug="subsidies")
    brand_specs = [
        ("五常稻香", "wuchang-daoxiang", ["五常大米", "稻花香新米", "胚芽米", "糙米"]),
        ("赣南果园", "gannan-orchard", ["赣南脐橙", "纽荷尔脐橙", "脐橙礼盒", "橙汁"]),
        ("中宁杞乡", "zhongning-goji", ["中宁枸杞", "头茬枸杞", "枸杞原浆", "黑枸杞"]),
    ]
    brands, products = [], []
    for (title, slug, product_titles), region, category in zip(brand_specs, regions, categories, strict=True):
        brand = factories.make_brand(tree.brands, title=title, slug=slug, region=region)
        brands.append(brand)
        for i, product_title in enumerate(product_titles):
            products.append(
                factories.make_product(
                    brand,
                    title=product_title,
                    slug=f"{slug}-{i + 1}",
                    category=category,
                    certifications=[gi] if i % 2 == 0 else [gi, organic],
                    price=f"{39 + 10 * i}.00",
                )
            )
    stories = [factories.make_story(tree.stories, brand=b, products=[products[3 * i]]) for i, b in enumerate(brands)]
    replays = [factories.make_broadcast(tree.replays, brand=b) for b in brands]
    section = factories.make_policy_section(regions[0], tree.policy)
    policies = [factories.make_policy_news(section, topics=[topic]) for _ in range(3)]
    english = factories.make_english_translation(products[0], title="Wuchang rice")
    batch = Batch.objects.create(
        product=products[0],
        quantity=Decimal("500"),
        unit="kg",
        harvest_date=(timezone.now() - datetime.timedelta(days=20)).date(),
        status=Batch.Status.AVAILABLE,
    )

    def search(**params):
        return "/search/?" + urlencode(params)

    return {
        "pages": [
            "/",
            brands[0].url,
            brands[1].url,
            products[0].url,
            products[5].url,
            products[10].url,
            stories[0].url,
            replays[1].url,
            policies[0].url,
            "/policy/?region=heilongjiang&topic=subsidies",
            f"/trace/{batch.display_code}/",
            quote(english.url),
        ],
        "search": [
            search(q="大米"),
            search(q="脐橙", type="product"),
            search(q="wuchang"),
            search(q="枸杞", region=regions[2].code),
            search(q="春耕"),
            search(q="稻香", sort="price_asc"),
        ],
        "suggest": ["/search/suggest/?" + urlencode({"q": q}) for q in ("五", "wu", "大米", "gou", "赣南")],
        "brand_ids": [b.pk for b in brands],
        "product_ids": [p.pk for p in products],
    }


def edit():
    from brands.models import FarmBrandPage, ProductPage
    from search.models import IndexOutbox
    from tests import factories

    zh = {"locale__language_code": "zh-hans"}
    brand = FarmBrandPage.objects.get(slug="wuchang-daoxiang", **zh)
    new = factories.make_product(brand, title="停机期间上新的米", slug="published-during-outage")
    gone = ProductPage.objects.get(slug="wuchang-daoxiang-2", **zh)
    gone.unpublish()
    renamed = FarmBrandPage.objects.get(slug="gannan-orchard", **zh)
    renamed.title = "赣南果园（新名）"
    renamed.save_revision().publish()
    return {"published": new.pk, "unpublished": gone.pk, "renamed": renamed.pk, "outbox": IndexOutbox.objects.count()}


def outbox():
    from search.models import IndexOutbox

    return {"outbox": IndexOutbox.objects.count()}


COMMANDS = {"build": build, "edit": edit, "outbox": outbox}


def main():
    command = COMMANDS[sys.argv[1]]
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("DATABASE_URL must name the load tests' own database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_content.settings.test")
    import django

    django.setup()
    sys.stdout.write(json.dumps(command()) + "\n")


if __name__ == "__main__":
    main()
