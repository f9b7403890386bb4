"""Script payloads in every text field of every page type: none runs in Chromium, in either language.

Fields are found by introspection, not listed: every editable CharField and TextField (rich text
included) of the models pages show, every text block of the StreamFields, image titles and alt text,
document titles and tag names. A field added later is filled automatically, and a model added to
these apps must either be filled or be named in NOT_SHOWN with the reason. Each payload sets
`window.__xss` to its own number, so a failure names the field that leaked.

Rich text goes in the way the admin stores it: through Wagtail's contentstate converter, which keeps
only the features' whitelist. Pages are served without the Content-Security-Policy (the shared tab
bypasses it) so that escaping, not the policy, is what is tested.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator
from django.db import models
from django.utils import timezone
from taggit.models import Tag
from wagtail import blocks
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page, Site

from brands.models import FarmBrandPage, ProductBuyLink, ProductGalleryImage, ProductPage
from brands.models.provenance import Batch, Certificate, EvidenceFile, ProvenanceEvent
from brands.seal import seal_batch
from feedback.models import Answer, Question, Review, Status
from home.models import HomePage
from site_content.models import CertificationType, ProductCategory, Region, SiteSettings
from stories.models import (
    BrandStoryPage,
    BroadcastChapter,
    BroadcastReplayPage,
    PolicyAttachment,
    PolicyIndexPage,
    PolicyNewsPage,
    PolicyTopic,
)
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPS = ["home", "site_content", "brands", "stories", "feedback"]
EXTRA_MODELS = [get_image_model(), get_document_model(), Tag]
# Models of these apps whose text never reaches a public page, and why.
NOT_SHOWN = {
    "PolicySubscription": "a reader's address and token: private, never rendered",
    "PolicyNotification": "a delivery log of subscriptions",
    "BroadcastReminder": "a reader's address and token for a 'Remind me': private, never rendered",
    "BrandFollow": "a follower's address and token: private, never rendered",
    "FollowNotice": "a delivery log of follow emails (an event key, not text anyone typed)",
    "FarmBrandTag": "a through table; the tag names are filled on Tag",
    "BroadcastCaptionTrack": "its text is a WebVTT document's cues, parsed and escaped like the transcript",
    # The transparency log's rows are written by the sealing code, never typed by anyone: a leaf is the
    # canonical ASCII of a sealed event (whose free text is poisoned on ProvenanceEvent), served as JSON;
    # a node is a hash; a checkpoint is the signed note served as text/plain.
    "LogLeaf": "machine-written canonical ASCII of a sealed event, served only as JSON",
    "LogNode": "a hash the log computes, served only as bytes",
    "LogCheckpoint": "the log's signed note, served only as text/plain",
}
# Text fields that cannot hold a payload: validated codes too short for one, or filled with a fixed format.
TOO_SHORT = 24


def _short(n):
    return f"'\"><svg onload=__xss={n}>"


def _long(n):
    return (
        f"'\"><svg onload=__xss={n}></script><script>__xss={n}</script>"
        f"<img src=x onerror=__xss={n};alert({n})>"
        f"</title></textarea><script>__xss={n}</script>"
    )


class Payloads:
    """Hands out one numbered payload per field and remembers which field each number is."""

    def __init__(self):
        self.fields = {}  # number -> "Model.field"
        self.skipped = set()

    def _register(self, label):
        number = len(self.fields) + 1
        self.fields[number] = label
        return number

    def text(self, label, max_length=None):
        number = self._register(label)
        value = _long(number)
        if max_length is not None and len(value) > max_length:
            value = _short(number)
        return value[:max_length] if max_length else value

    def email(self, label):
        # A quoted local part is a valid address (Django's validator accepts it) and still markup.
        value = f'"<svg/onload=__xss={self._register(label)}>"@example.com'
        EmailValidator()(value)
        return value

    def url(self, label):
        # Valid to URLValidator (no spaces), yet it closes a quoted attribute if printed unescaped.
        return f"https://x.example/'\"><svg/onload=__xss={self._register(label)}>"

    def rich_text(self, label, features):
        number = self._register(label)
        html = (
            f'<p>{_long(number).replace("<", "&lt;")}<b>b</b><a href="javascript:__xss={number}">j</a>'
            f'<a href="https://x.example/&quot;&gt;&lt;svg onload=__xss={number}&gt;">k</a></p>'
            f"<script>__xss={number}</script><img src=x onerror=__xss={number}>"
        )
        converter = ContentstateConverter(features)
        stored = converter.to_database_format(converter.from_database_format(html))
        assert "javascript:" not in stored, "the rich text whitelist let a javascript: link through"
        assert "<script" not in stored and "onerror" not in stored.replace("onerror=__xss", "")
        return stored

    def for_model(self, model, **fixed):
        """{field: payload} for every fillable text field of `model`, inherited page fields included."""
        values = {}
        for field in fillable_fields(model):
            if field.name in fixed:
                continue
            label = f"{model.__name__}.{field.name}"
            if isinstance(field, RichTextField):
                values[field.name] = self.rich_text(label, field.features or RICH_DEFAULT)
            elif isinstance(field, models.EmailField):
                values[field.name] = self.email(label)
            elif isinstance(field, models.URLField):
                values[field.name] = self.url(label)
            else:
                values[field.name] = self.text(label, field.max_length)
        for field in model._meta.get_fields():
            if isinstance(field, StreamField) and field.name not in fixed:
                values[field.name] = json.dumps(self.stream(field.stream_block, f"{model.__name__}.{field.name}"))
        return {**values, **fixed}

    def stream(self, stream_block, label):
        value = []
        for name, child in stream_block.child_blocks.items():
            try:
                value.append({"type": name, "value": self.block(child, f"{label}.{name}")})
            except Unfillable:
                self.skipped.add(f"{label}.{name}")
        return value

    def block(self, block, label):
        if isinstance(block, blocks.RichTextBlock):
            return self.rich_text(label, block.features or RICH_DEFAULT)
        if isinstance(block, EmbedBlock):
            raise Unfillable  # resolving an embed fetches the provider's oEmbed over the network
        if isinstance(block, blocks.StructBlock):
            return {name: self.block(child, f"{label}.{name}") for name, child in block.child_blocks.items()}
        if isinstance(block, ImageChooserBlock):
            return self.image_id
        if isinstance(block, blocks.BooleanBlock):
            return False
        if isinstance(block, blocks.ChoiceBlock):
            return block.field.choices[-1][0]
        if isinstance(block, blocks.CharBlock | blocks.TextBlock):
            return self.text(label, block.field.max_length)
        raise AssertionError(f"no payload for the block {label} ({type(block).__name__}): teach this test")


class Unfillable(Exception):
    pass


RICH_DEFAULT = ["bold", "italic", "link"]


def fillable_fields(model):
    """Editable free-text fields: no choices, no slugs, nothing too short to hold a payload."""
    fields = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or not field.editable or field.choices:
            continue
        if isinstance(field, models.SlugField) or field.name in ("path", "url_path"):
            continue
        if field.max_length is not None and field.max_length < TOO_SHORT:
            continue
        fields.append(field)
    return fields


def shown_models():
    found = [m for app in APPS for m in apps.get_app_config(app).get_models() if m.__name__ not in NOT_SHOWN]
    return [m for m in found if fillable_fields(m) or any(isinstance(f, StreamField) for f in m._meta.get_fields())]


def publish_changes(page, values):
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_poisoned_site():
    """Every page type, every snippet it shows, its images, documents, batches and feedback, all poisoned."""
    p = Payloads()
    tree = factories.make_site_tree()
    image = factories.make_image(**{k: v for k, v in p.for_model(get_image_model()).items() if k != "file"})
    p.image_id = image.pk
    document = get_document_model().objects.create(
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="notice.pdf"), **p.for_model(get_document_model())
    )
    region = Region.objects.create(**p.for_model(Region, code="230000", slug="heilongjiang", level=1))
    category = ProductCategory.objects.create(**p.for_model(ProductCategory, slug="rice"))
    certification = CertificationType.objects.create(**p.for_model(CertificationType, slug="gi"))
    topic = PolicyTopic.objects.create(**p.for_model(PolicyTopic, slug="subsidies"))
    tag = Tag.objects.create(**p.for_model(Tag, slug="xss-tag"))
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in p.for_model(SiteSettings).items():
        setattr(settings, name, value)
    settings.save()

    brand = factories.make_brand(
        tree.brands,
        **p.for_model(FarmBrandPage, slug="brand", region=region, logo=image, hero_image=image, social_image=image),
    )
    brand.tags.add(tag)
    brand.save_revision().publish()
    product = ProductPage(
        **p.for_model(ProductPage, slug="product", category=category, main_image=image, price=Decimal("89.00"))
    )
    product.certifications = [certification]
    product.gallery_images = [ProductGalleryImage(image=image, **p.for_model(ProductGalleryImage))]
    product.buy_links = [ProductBuyLink(**p.for_model(ProductBuyLink))]
    factories.publish(brand, product)
    story = factories.make_story(
        tree.stories, **p.for_model(BrandStoryPage, slug="story", brand=brand, hero_image=image, products=[product])
    )
    ended = timezone.now() - datetime.timedelta(days=1)
    replay_values = p.for_model(
        BroadcastReplayPage,
        slug="replay",
        brand=brand,
        poster_image=image,
        duration_seconds=3600,
        scheduled_start=ended - datetime.timedelta(hours=2),
        scheduled_end=ended,
    )
    # A transcript is pasted as timed lines; the payload goes in the remark.
    replay_values["transcript"] = f"0:05 {replay_values['transcript']}\n0:10 {replay_values['transcript']}"
    replay = BroadcastReplayPage(**replay_values)
    replay.chapters = [BroadcastChapter(start_seconds=60, product=product, **p.for_model(BroadcastChapter))]
    factories.publish(tree.replays, replay)
    start = timezone.now() + datetime.timedelta(days=2)
    upcoming = factories.make_broadcast(
        tree.replays,
        **p.for_model(
            BroadcastReplayPage,
            slug="upcoming",
            brand=brand,
            scheduled_start=start,
            scheduled_end=start + datetime.timedelta(hours=2),
            transcript="",
        ),
    )
    section = factories.make_policy_section(region, tree.policy, **p.for_model(PolicyIndexPage, slug="heilongjiang"))
    news = PolicyNewsPage(
        **p.for_model(
            PolicyNewsPage,
            slug="news",
            effective_date=datetime.date(2025, 3, 1),
            expiry_date=None,
            # A section's news names one of its region's governments (stories/policy/models.py): the region's
            # name, a payload itself, then the authority's own payload.
            authority=region.name + p.text("PolicyNewsPage.authority", 120 - len(region.name)),
        )
    )
    news.regions = [region]
    news.topics = [topic]
    news.attachments = [PolicyAttachment(document=document, **p.for_model(PolicyAttachment))]
    factories.publish(section, news)

    for index in (tree.brands, tree.stories, tree.replays, tree.policy):
        publish_changes(index.specific, p.for_model(type(index.specific), slug=index.slug))
    home = tree.home.specific
    home.featured_brands.add(brand)
    publish_changes(home, p.for_model(HomePage, slug="home", policy_region=region))

    batch = Batch.objects.create(
        product=product,
        quantity=Decimal("500"),
        harvest_date=(timezone.now() - datetime.timedelta(days=20)).date(),
        status=Batch.Status.AVAILABLE,
        **p.for_model(Batch),
    )
    event = ProvenanceEvent.objects.create(
        batch=batch,
        stage=ProvenanceEvent.Stage.HARVEST,
        occurred_at=timezone.now() - datetime.timedelta(days=20),
        region=region,
        **p.for_model(ProvenanceEvent),
    )
    EvidenceFile.objects.create(event=event, image=image, **p.for_model(EvidenceFile))
    seal_batch(batch)
    today = timezone.localdate()
    for holder in ({"product": product}, {"brand": brand}):
        Certificate.objects.create(
            certification_type=certification,
            valid_from=today - datetime.timedelta(days=30),
            valid_to=today + datetime.timedelta(days=300),
            proof=document,
            **holder,
            **p.for_model(Certificate),
        )
    public = {"status": Status.APPROVED, "confirmed_at": timezone.now()}
    review = Review.objects.create(product=product, rating=4, **public, **p.for_model(Review))
    Answer.objects.create(review=review, **p.for_model(Answer))
    for target in (product, brand):
        question = Question.objects.create(page=target, **public, **p.for_model(Question))
        Answer.objects.create(question=question, **p.for_model(Answer))

    chinese = {
        "home": home,
        "brand index": tree.brands,
        "brand": brand,
        "product": product,
        "story index": tree.stories,
        "story": story,
        "replay index": tree.replays,
        "replay": replay,
        "upcoming broadcast": upcoming,
        "policy index": tree.policy,
        "policy section": section,
        "policy item": news,
    }
    english = {name: factories.make_english_translation(page) for name, page in chinese.items()}
    urls = {}
    for language, pages in (("zh-hans", chinese), ("en", english)):
        prefix = "" if language == "zh-hans" else "/en"
        for name, page in pages.items():
            urls[(language, name)] = page.url
        urls[(language, "trace")] = f"{prefix}/trace/{batch.display_code}/"
        urls[(language, "search")] = f"{prefix}/search/?q=__xss"
        urls[(language, "search with a payload")] = f"{prefix}/search/?q=%3Cscript%3E__xss%3D999%3C/script%3E"
        urls[(language, "policy listing filtered")] = f"{prefix}/policy/?region=heilongjiang&topic=subsidies"
        urls[(language, "replays filtered")] = f"{prefix}/replays/?brand=brand"
    return p, urls


CHECK_PAGE = """() => {
    const problems = [];
    for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
        try { JSON.parse(script.textContent); } catch (error) { problems.push("JSON-LD: " + error.message); }
    }
    for (const element of document.querySelectorAll("[href], [src], [action], [formaction], [data]")) {
        for (const name of ["href", "src", "action", "formaction", "data"]) {
            const value = (element.getAttribute(name) || "").replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
            if (value.startsWith("javascript:") || value.startsWith("data:text/html")) {
                problems.push(name + "=" + element.getAttribute(name));
            }
        }
    }
    return {
        xss: window.__xss === undefined ? null : String(window.__xss),
        problems: problems,
        jsonLd: document.querySelectorAll('script[type="application/ld+json"]').length,
        text: document.body.innerText,
    };
}"""


def test_the_introspection_finds_the_fields_pages_show():
    """Introspection sees a realistic number of text fields on the shown models, and pages among them."""
    models_found = shown_models()
    fields = [f"{m.__name__}.{f.name}" for m in models_found for f in fillable_fields(m)]
    assert len(models_found) >= 20
    assert len(fields) >= 60, fields
    for expected in ("ProductPage.title", "ProductPage.description", "BroadcastChapter.title", "Review.body"):
        assert expected in fields


def test_url_fields_refuse_script_urls():
    """Every URL field of the shown models refuses javascript: and data: URLs, however they are spelt."""
    url_fields = [(m, f) for m in shown_models() for f in m._meta.concrete_fields if isinstance(f, models.URLField)]
    assert len(url_fields) >= 5
    for model, field in url_fields:
        for value in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<b>"):
            with pytest.raises(ValidationError):
                field.clean(value, model())


def test_no_payload_runs_on_any_page_type_in_either_language(live_server, page):
    """With a payload in every text field, no page runs it, opens a dialog or breaks its JSON-LD."""
    payloads, urls = build_poisoned_site()
    # Every introspected field holds a payload in the database: nothing was silently left out.
    for model in [*shown_models(), *EXTRA_MODELS]:
        for field in fillable_fields(model):
            poisoned = model.objects.filter(**{f"{field.name}__contains": "__xss="}).exists()
            assert poisoned, f"{model.__name__}.{field.name} holds no payload: fill it in build_poisoned_site()"
    assert len(payloads.fields) >= 80, len(payloads.fields)
    assert payloads.skipped == {"FarmBrandPage.story.video", "BrandStoryPage.body.video"}

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    failures = {}
    shown = set()
    for (language, name), url in urls.items():
        response = page.goto(live_server.url + url, wait_until="load")
        assert response is not None and response.status == 200, f"{language} {name} {url}: {response.status}"
        page.wait_for_timeout(50)  # let any error handler of a broken image run
        result = page.evaluate(CHECK_PAGE)
        problems = list(result["problems"])
        if result["xss"] is not None:
            problems.append(f"window.__xss = {result['xss']}: {payloads.fields.get(int(result['xss']), '?')}")
        if name in ("brand", "product", "story", "replay", "policy item") and not result["jsonLd"]:
            problems.append("no JSON-LD")
        if problems:
            failures[f"{language} {name}"] = problems
        shown.update(n for n, label in payloads.fields.items() if f"__xss={n}" in result["text"])
    assert failures == {}
    assert dialogs == []
    # The payloads reached the pages as visible text: the test looked at escaped input, not at nothing.
    assert len(shown) >= 40, sorted(payloads.fields[n] for n in shown)


@pytest.mark.engine
def test_search_highlights_from_the_engine_escape_payloads(live_server, page, discovery_engine):
    """The engine's highlighted titles, snippets and moments (shown with |safe) escape the payloads too."""
    from search import indexing

    payloads, _urls = build_poisoned_site()
    indexing.sync_pages(discovery_engine, list(Page.objects.live().values_list("pk", flat=True)), refresh=True)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    failures = {}
    for prefix in ("", "/en"):
        for query in ("svg", "script onerror", "alert", "xss"):
            url = f"{live_server.url}{prefix}/search/?q={query}"
            response = page.goto(url, wait_until="load")
            assert response.status == 200
            assert 'desc="engine"' in response.headers.get("server-timing", ""), f"{url} fell back to the database"
            page.wait_for_timeout(50)
            result = page.evaluate(CHECK_PAGE)
            problems = list(result["problems"])
            if result["xss"] is not None:
                problems.append(f"window.__xss = {result['xss']}: {payloads.fields.get(int(result['xss']), '?')}")
            if "__xss=" not in result["text"]:
                problems.append("no poisoned hit was shown")
            if problems:
                failures[url] = problems
    assert failures == {}
    assert dialogs == []
