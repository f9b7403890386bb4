"""A small real site for the browser tests that run `make run`'s server and gunicorn: built from a subprocess.

Run as `python -m tests.broadcasts.served_site` with DATABASE_URL and MEDIA_ROOT pointing at a throwaway
folder: it migrates, then publishes one replay with a 40 s video (PyAV), four chapters, Chinese
captions and a transcript, and prints its URL and chapters as JSON on the last line. The servers
under test read what it committed; the pytest process's own test database cannot be shared with them.
"""

import json

CAPTIONS = """WEBVTT

00:00:01.000 --> 00:00:04.000
大家好，欢迎来到五常大米的直播间。

00:00:12.000 --> 00:00:16.000
淘米两遍就够了。

00:00:25.000 --> 00:00:29.000
米和水的比例是一比一点二。
"""
CHAPTERS = [(0, "开场"), (10, "淘米和泡米"), (20, "水量和火候"), (30, "胚芽米怎么煮")]
SECONDS = 40


def build():
    from django.core.management import call_command

    from stories.models import BroadcastChapter
    from tests import factories
    from tests.broadcasts.conftest import make_document, webm_bytes

    call_command("migrate", verbosity=0, interactive=False)
    tree = factories.make_site_tree()
    brand = factories.make_brand(tree.brands, title="五常稻香", slug="wuchang-daoxiang")
    replay = factories.make_broadcast(
        tree.replays, brand=brand, title="五常大米煮饭课", slug="rice-cooking", duration_seconds=SECONDS
    )
    replay.replay_video = make_document("rice-cooking.webm", webm_bytes(seconds=SECONDS, size=(320, 180)), "回放视频")
    replay.chapters = [BroadcastChapter(start_seconds=start, title=title) for start, title in CHAPTERS]
    replay.caption_tracks.create(language="zh-Hans", file=make_document("rice-cooking.zh.vtt", CAPTIONS))
    replay.save_revision().publish()
    return {"url": replay.url, "chapters": [start for start, _title in CHAPTERS], "seconds": SECONDS}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(build()))  # noqa: T201 - the answer the test reads
