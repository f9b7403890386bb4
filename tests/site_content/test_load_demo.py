"""`manage.py load_demo`: realistic, bilingual, and idempotent (a second run changes nothing)."""

import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail.snippets.models import get_snippet_models

from brands.models import FarmBrandPage, ProductPage
from stories.models import BrandStoryPage, BroadcastReplayPage, PolicyNewsPage
from tests import factories


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


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The tree the migrations build (locales, root, home, site): a browser test's flush empties it.
        factories.make_home_page()
        call_command("load_demo", stdout=io.StringIO())
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

    def test_brands_and_products_have_english_translations(self):
        """Every demo brand and product has a live English translation."""
        for model in (FarmBrandPage, ProductPage):
            chinese = model.objects.filter(locale__language_code="zh-hans").values_list("translation_key", flat=True)
            english = model.objects.live().filter(locale__language_code="en").values_list("translation_key", flat=True)
            self.assertEqual(set(chinese) - set(english), set(), f"{model.__name__} without English")

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
