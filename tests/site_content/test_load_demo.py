"""`manage.py load_demo`: realistic, bilingual, and idempotent (a second run changes nothing)."""

import hashlib
import io
import re
import warnings

from bs4 import BeautifulSoup, Comment, XMLParsedAsHTMLWarning
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision
from wagtail.snippets.models import get_snippet_models

from brands.models import Batch, FarmBrandPage, ProductPage
from brands.models.provenance import Certificate, EvidenceFile
from feedback.models import Answer, Review
from stories.models import BrandStoryPage, BroadcastReplayPage, PolicyNewsPage
from tests import demo_site

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Attributes a reader meets as words (alt text, a tooltip, a description) besides the text itself.
WORDY_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "content")


def unmarked_han(html):
    """[(where, words)] of Chinese on a page outside elements marked lang="zh-…" (and outside scripts and styles)."""
    with warnings.catch_warnings():
        # The policy feed is XML; the HTML parser reads its text and attributes well enough for this.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(lang=re.compile(r"^zh", re.IGNORECASE)) + soup.find_all(["script", "style"]):
        element.decompose()
    found = [("text", t.strip()) for t in soup.find_all(string=HAN) if not isinstance(t, Comment) and t.strip()]
    for tag in soup.find_all(True):
        for attribute in WORDY_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str) and HAN.search(value):
                found.append((f"<{tag.name} {attribute}>", value))
    return found


def page_models():
    return [m for m in apps.get_models() if issubclass(m, Page) and m is not Page]


def english_demo_urls():
    """One live English page of every page type (the one with most to show), a trace page, a feed and a search."""
    urls = []
    for model in page_models():
        english = model.objects.live().filter(locale__language_code="en").order_by("path")
        if model is ProductPage:  # reviews and answers are shown in their own language
            english = english.filter(
                translation_key__in=ProductPage.objects.filter(reviews__isnull=False).values("translation_key")
            )
        if model is BroadcastReplayPage:  # a replay: chapters, captions and a transcript
            english = english.filter(chapters__isnull=False).distinct()
        page = english.first()
        if page is not None:
            urls.append(page.url)
    with translation.override("en"):
        urls.append(Batch.objects.order_by("pk").first().get_absolute_url())
        urls.append(reverse("search:search") + "?q=rice")
    urls.append("/en/policy/feed/rss/")
    return urls


def snapshot():
    """Counts of everything load_demo may create: pages per type and language, media, snippets, people."""
    counts = {}
    for page_model in apps.get_models():
        if issubclass(page_model, Page) and page_model is not Page:
            for language in ("zh-hans", "en"):
                n = page_model.objects.filter(locale__language_code=language).count()
                counts[f"{page_model._meta.label} [{language}]"] = n
    for model in get_snippet_models():
        counts[model._meta.label] = model.objects.count()
    counts["images"] = get_image_model().objects.count()
    counts["documents"] = get_document_model().objects.count()
    counts["revisions"] = Revision.objects.count()
    counts["live pages"] = Page.objects.live().count()
    counts["users"] = get_user_model().objects.count()
    counts["groups"] = Group.objects.count()
    return counts


class LoadDemoTests(demo_site.DemoSiteTestCase):
    @classmethod
    def setUpTestData(cls):
        # demo_site (tests/conftest.py) ran the first load, from the migrated tree, once for the session;
        # the second run is this class's own, rolled back after it.
        cls.first = snapshot()
        cls.output = io.StringIO()
        call_command("load_demo", stdout=cls.output)
        cls.second = snapshot()

    def test_second_run_changes_nothing(self):
        """Running load_demo again leaves every count (pages per type, media, snippets, users, groups) unchanged."""
        changed = {k: (self.first[k], self.second[k]) for k in self.first if self.first[k] != self.second[k]}
        self.assertEqual(changed, {})

    def test_demo_is_as_large_as_promised(self):
        """At least 12 brands in 8 provinces, 40 products, 20 stories, 12 broadcasts, 20 policy news in 3 regions."""
        brands = FarmBrandPage.objects.filter(locale__language_code="zh-hans").select_related("region__parent__parent")
        self.assertGreaterEqual(brands.count(), 12)
        self.assertGreaterEqual(len({b.region.province.pk for b in brands}), 8)
        self.assertGreaterEqual(ProductPage.objects.filter(locale__language_code="zh-hans").count(), 40)
        self.assertGreaterEqual(BrandStoryPage.objects.filter(locale__language_code="zh-hans").count(), 20)
        self.assertGreaterEqual(BroadcastReplayPage.objects.filter(locale__language_code="zh-hans").count(), 12)
        news = PolicyNewsPage.objects.filter(locale__language_code="zh-hans")
        self.assertGreaterEqual(news.count(), 20)
        regions = {
            region.province.pk for n in news.prefetch_related("regions__parent__parent") for region in n.regions.all()
        }
        self.assertGreaterEqual(len(regions), 3)

    def test_broadcasts_are_upcoming_live_and_replays(self):
        """Some broadcasts are upcoming, one is live now, the rest are replays."""
        now = timezone.now()
        states = [b.state(now) for b in BroadcastReplayPage.objects.filter(locale__language_code="zh-hans")]
        self.assertGreaterEqual(states.count(BroadcastReplayPage.State.UPCOMING), 1)
        self.assertEqual(states.count(BroadcastReplayPage.State.LIVE), 1)
        self.assertGreaterEqual(states.count(BroadcastReplayPage.State.REPLAY), 1)

    def test_every_brand_product_story_broadcast_and_policy_news_has_an_english_translation(self):
        """Every demo brand, product, story, broadcast and policy news item has a live English translation."""
        for model in (FarmBrandPage, ProductPage, BrandStoryPage, BroadcastReplayPage, PolicyNewsPage):
            chinese = model.objects.filter(locale__language_code="zh-hans").values_list("translation_key", flat=True)
            english = model.objects.live().filter(locale__language_code="en").values_list("translation_key", flat=True)
            self.assertEqual(set(chinese) - set(english), set(), f"{model.__name__} without English")

    def test_english_broadcasts_have_english_titles_and_chapter_titles(self):
        """An English replay's title, host and every chapter title are English; its chapters keep the seconds."""
        english = BroadcastReplayPage.objects.filter(locale__language_code="en").replays(timezone.now())
        self.assertGreaterEqual(english.count(), 3)
        for replay in english:
            chinese = replay.get_translation(Locale.objects.get(language_code="zh-hans"))
            words = [replay.title, replay.host] + [c.title for c in replay.chapters.all()]
            self.assertEqual([w for w in words if HAN.search(w)], [], replay.slug)
            self.assertEqual(
                [c.start_seconds for c in replay.chapters.all()],
                [c.start_seconds for c in chinese.chapters.all()],
                replay.slug,
            )

    def test_admin_user_and_editor_groups_exist(self):
        """The README's admin login exists, with groups for brand editors and each region's government editors."""
        from home.demo.build import ADMIN_PASSWORD, ADMIN_USERNAME

        admin = get_user_model().objects.get(username=ADMIN_USERNAME)
        self.assertTrue(admin.is_superuser)
        self.assertTrue(admin.check_password(ADMIN_PASSWORD))
        self.assertGreaterEqual(Group.objects.exclude(name__in=["Moderators", "Editors"]).count(), 4)

    def test_second_run_says_it_did_nothing(self):
        """The rerun tells the operator nothing was created."""
        self.assertNotIn("Created:", self.output.getvalue())

    def test_english_site_has_every_section(self):
        """/en/stories/, /en/replays/, /en/policy/ and its feed answer, and the English header lists all four sections."""
        for url in ("/en/brands/", "/en/stories/", "/en/replays/", "/en/policy/", "/en/policy/feed/rss/"):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        html = self.client.get("/en/").content.decode()
        for url in ("/en/brands/", "/en/stories/", "/en/replays/", "/en/policy/"):
            self.assertIn(f'href="{url}"', html)

    def test_every_product_has_a_picture_of_its_own(self):
        """No two products' main images (or packaging shots, or brands' logos) are the same bytes."""
        products = ProductPage.objects.filter(locale__language_code="zh-hans").select_related("main_image")
        for label, images in (
            ("main images", [p.main_image for p in products]),
            ("packaging shots", [g.image for p in products for g in p.gallery_images.all()]),
            ("logos", [b.logo for b in FarmBrandPage.objects.filter(locale__language_code="zh-hans")]),
        ):
            self.assertNotIn(None, images, label)
            digests = [hashlib.sha256(image.file.read()).hexdigest() for image in images]
            self.assertEqual(len(set(digests)), len(digests), f"two products share one of their {label}")
        self.assertEqual(len(products), len({p.main_image_id for p in products}))

    def test_no_two_demo_reviews_or_replies_share_their_text(self):
        """Every demo review body is different, and so is every answer (to reviews and to questions)."""
        reviews = list(Review.objects.values_list("body", flat=True))
        answers = list(Answer.objects.values_list("body", flat=True))
        self.assertGreater(len(reviews), 100)
        self.assertEqual(len(reviews), len(set(reviews)), [b for b in reviews if reviews.count(b) > 1][:3])
        self.assertEqual(len(answers), len(set(answers)), [b for b in answers if answers.count(b) > 1][:3])

    def test_every_evidence_photo_carries_exif_that_matches_its_event(self):
        """Each demo evidence photo has a capture time and GPS position in its own EXIF, consistent with its event."""
        photos = EvidenceFile.objects.filter(image__isnull=False).select_related("event", "image")
        self.assertGreater(photos.count(), 200)
        for evidence in photos:
            check = evidence.exif_check()
            self.assertEqual(check.status, "consistent", f"{evidence}: {check.messages}")
            self.assertIsNotNone(check.distance_km)
            self.assertIsNotNone(check.taken_at)

    def test_every_page_type_answers_in_both_languages_and_the_switch_leads_to_the_translation(self):
        """Each demo page type answers 200 in Chinese and English, and each one's switch links to the other."""
        english_locale = Locale.objects.get(language_code="en")
        for model in page_models():
            chinese = model.objects.live().filter(locale__language_code="zh-hans").first()
            if chinese is None:
                continue
            english = chinese.get_translation_or_none(english_locale)
            self.assertIsNotNone(english, f"{model.__name__} {chinese.url} has no English translation")
            for page, other in ((chinese, english), (english, chinese)):
                response = self.client.get(page.url)
                self.assertEqual(response.status_code, 200, page.url)
                switch = BeautifulSoup(response.content, "html.parser").select_one(".lang-switch a[hreflang]")
                self.assertIsNotNone(switch, f"{page.url} has no language switch")
                self.assertEqual(switch["href"], other.url, page.url)

    @override_settings(SEARCH_ENGINE_URL="")
    def test_english_pages_show_no_chinese_outside_content_marked_as_chinese(self):
        """Every English page type, a trace page and a search: Han characters appear only inside lang="zh-Hans"."""
        urls = english_demo_urls()
        self.assertGreaterEqual(len(urls), 12)
        leaks = {}
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            found = unmarked_han(response.content.decode())
            if found:
                leaks[url] = found[:8]
        self.assertEqual(leaks, {})

    def test_demo_certificates_have_real_looking_numbers_and_every_state(self):
        """Certificate numbers follow their issuer's format (no "DEMO-"), and some expire soon or have expired."""
        certificates = list(Certificate.objects.all())
        self.assertFalse([c.number for c in certificates if "DEMO" in c.number])
        self.assertEqual(
            {c.state for c in certificates} & {"valid", "expiring", "expired"}, {"valid", "expiring", "expired"}
        )
