"""The demo's replays: every one has chapters linked to products, zh and en captions, a Chinese transcript, a playable clip."""

import io
import shutil

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.documents import get_document_model

from home.demo import editorial
from stories.models import BroadcastReplayPage


class DemoReplayTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.documents = get_document_model().objects.count()
        call_command("load_demo", stdout=io.StringIO())

    def replays(self):
        return BroadcastReplayPage.objects.live().filter(locale__language_code="zh-hans").replays(timezone.now())

    def test_every_replay_has_chapters_with_products_and_a_chinese_transcript(self):
        """Each replay's chapters lie inside its clip, most name a live product, and its transcript is Chinese."""
        replays = list(self.replays())
        self.assertEqual(len(replays), len(editorial.REPLAY_SCRIPTS))
        for replay in replays:
            chapters = list(replay.chapters.all())
            self.assertGreaterEqual(len(chapters), 3, replay.slug)
            self.assertTrue(all(c.start_seconds < replay.duration_seconds for c in chapters), replay.slug)
            self.assertGreaterEqual(sum(1 for c in chapters if c.product and c.product.live), 3, replay.slug)
            self.assertEqual(sorted(t.language for t in replay.caption_tracks.all()), ["en", "zh-Hans"])
            cues = replay.transcript_cues()
            self.assertGreaterEqual(len(cues), 4, replay.slug)
            self.assertTrue(any("\u4e00" <= ch <= "\u9fff" for ch in cues[0].text), cues[0].text)

    def test_every_replay_has_a_playable_webm_when_ffmpeg_is_here(self):
        """Each replay's video is a WebM file made at load time (a missing ffmpeg leaves posters only)."""
        if shutil.which("ffmpeg") is None:
            self.skipTest("ffmpeg is not installed: the demo falls back to posters")
        for replay in self.replays():
            self.assertIsNotNone(replay.replay_video, replay.slug)
            with replay.replay_video.open_file() as handle:
                self.assertEqual(handle.read(4), b"\x1aE\xdf\xa3", replay.slug)  # EBML magic: WebM

    def test_second_run_adds_no_media(self):
        """Loading the demo again makes no new clips or caption files."""
        self.assertEqual(get_document_model().objects.count(), self.documents)

    def test_replay_page_shows_chapters_products_and_transcript(self):
        """The rice cooking replay: chapter links, product cards with prices and shops, transcript lines with times."""
        replay = self.replays().get(slug="wuchang-rice-cooking")
        html = self.client.get(replay.url).content.decode()
        self.assertIn('href="?t=10#t=10"', html)
        self.assertIn('class="chapter-product"', html)
        self.assertIn("¥", html)
        self.assertIn("今天教大家用五常大米煮饭", html)
        self.assertIn('<track kind="captions"', html)
