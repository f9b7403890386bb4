"""The demo's replays: chapters linked to products, zh and en captions, a Chinese transcript, and a clip of that broadcast."""

import array
import io
import math

import av
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model

from home.demo import data, editorial, video
from stories.models import BroadcastReplayPage
from tests import demo_site


class DemoReplayTests(demo_site.DemoSiteTestCase):
    @classmethod
    def setUpTestData(cls):
        # demo_site (tests/conftest.py) loaded the demo once for the session; the second run is this class's.
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

    def test_every_replay_has_a_playable_webm_clip_within_the_limits(self):
        """Each replay's video: WebM with VP9 and Opus, 40-90 s, at most 3 MB, made at load time with no system ffmpeg."""
        for replay in self.replays():
            self.assertIsNotNone(replay.replay_video, replay.slug)
            with replay.replay_video.open_file() as handle:
                data = handle.read()
            self.assertLessEqual(len(data), 3 * 1024 * 1024, replay.slug)
            with av.open(io.BytesIO(data)) as container:
                self.assertIn("webm", container.format.name)
                self.assertEqual([s.codec_context.name for s in container.streams.video], ["vp9"], replay.slug)
                self.assertEqual([s.codec_context.name for s in container.streams.audio], ["opus"], replay.slug)
                seconds = container.duration / av.time_base
            self.assertTrue(40 <= seconds <= 90, (replay.slug, seconds))
            self.assertEqual(replay.duration_seconds, round(seconds), replay.slug)

    def test_every_clip_has_sound_that_is_not_silence(self):
        """The tone bed is audible: the decoded sound's loudness (RMS) is well above silence, all the way through."""
        replay = self.replays().first()
        with replay.replay_video.open_file() as handle, av.open(handle) as container:
            loudness = {}
            for frame in container.decode(audio=0):
                samples = array.array("f", bytes(frame.planes[0])[: frame.samples * 4])
                second = int(frame.time)
                loudness.setdefault(second, []).extend(samples)
        rms = {s: math.sqrt(sum(v * v for v in values) / len(values)) for s, values in loudness.items()}
        quiet = [s for s, value in rms.items() if value < 0.02 and 1 <= s < replay.duration_seconds - 2]
        self.assertFalse(quiet, f"silent seconds: {quiet}")

    def test_a_title_card_starts_at_each_chapter_second(self):
        """The picture changes completely at each chapter's second (a cut to its title card), and not a second later."""
        replay = self.replays().get(slug="wuchang-rice-cooking")
        starts = [c.start_seconds for c in replay.chapters.all() if c.start_seconds > 0]
        frames = {}
        with replay.replay_video.open_file() as handle, av.open(handle) as container:
            for frame in container.decode(video=0):
                frames[round(frame.time * video.FPS)] = frame.to_image().convert("L").resize((64, 36))
        for start in starts:
            index = start * video.FPS
            cut = difference(frames[index - 1], frames[index])
            after = difference(frames[index], frames[index + video.FPS])
            self.assertGreater(cut, 20, start)  # a new picture
            self.assertLess(after, 3, start)  # the card holds still while it is read

    def test_the_poster_is_a_frame_of_the_clip(self):
        """Each replay's poster is the frame the clip shows at the poster's second, drawn at twice the size."""
        for replay in self.replays():
            self.assertIn("回放画面", replay.poster_image.title, replay.slug)
            self.assertEqual((replay.poster_image.width, replay.poster_image.height), (1280, 720))

    def test_the_font_draws_every_title_the_clips_show(self):
        """Every character of the demo's broadcast, chapter, brand and product titles is in the bundled font subset."""
        texts = [b["title"] + b["host"] for b in editorial.BROADCASTS]
        texts += [c[1] for s in editorial.REPLAY_SCRIPTS.values() for c in s["chapters"]]
        texts += [b["title"] + "".join(p["title"] + p["unit"] for p in b["products"]) for b in data.BRANDS]
        missing = sorted({ch for text in texts for ch in text if not video.drawable(ch)})
        command = (
            "pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc --font-number=2 "
            f"--text-file={video.FONT_CHARACTERS} --output-file={video.FONT_FILE} --layout-features='' --no-hinting"
        )
        self.assertFalse(missing, f"add {''.join(missing)} to {video.FONT_CHARACTERS}, then run: {command}")

    def test_an_old_demo_gets_its_clips_on_the_next_run(self):
        """A replay with chapters but no video (a demo loaded where clips could not be made) gets one; then nothing changes."""
        replay = self.replays().get(slug="qixia-apple-orchard")
        chapters = list(replay.chapters.values_list("start_seconds", "title"))
        old_video = replay.replay_video
        replay.replay_video = None
        replay.save_revision().publish()
        old_video.delete()
        call_command("load_demo", stdout=io.StringIO())
        replay = BroadcastReplayPage.objects.get(pk=replay.pk)
        self.assertIsNotNone(replay.replay_video)
        self.assertEqual(list(replay.chapters.values_list("start_seconds", "title")), chapters)
        documents = get_document_model().objects.count()
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        self.assertEqual(get_document_model().objects.count(), documents)
        self.assertIn("Nothing to do", output.getvalue())

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


def difference(a, b):
    """Mean absolute difference of two small grey pictures, 0-255."""
    return sum(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True)) / (a.width * a.height)


def test_clips_are_made_on_several_cores_and_kept(tmp_path):
    """make_clips encodes in spawned processes, returns clips in order, and a second call reads them from its cache."""
    from PIL import Image

    pictures = [Image.new("RGB", (600, 400), colour) for colour in ((200, 160, 60), (60, 140, 80))]
    broadcasts = [
        video.Broadcast(
            title=f"测试直播{i}",
            brand="五常稻源合作社",
            host="稻香小林",
            moments=[video.Moment(0, "开场", "Intro"), video.Moment(3, "淘米和泡米", "Rinse", pictures[i], "¥89 / 袋")],
            seconds=6,
            pictures=[pictures[1 - i]],
            tone_hz=330 + 55 * i,
        )
        for i in range(2)
    ]
    clips = video.make_clips(broadcasts, cache_dir=tmp_path, workers=2)
    assert [c.webm[:4] for c in clips] == [b"\x1aE\xdf\xa3"] * 2  # WebM, both
    assert clips[0].webm != clips[1].webm  # in order, each its own
    assert len(list(tmp_path.glob("*.webm"))) == 2
    again = video.make_clips(broadcasts, cache_dir=tmp_path, workers=2)
    assert [c.webm for c in again] == [c.webm for c in clips]
