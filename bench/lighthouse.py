"""`make bench`, Lighthouse: every public page type, in Chinese and English, on Lighthouse's mobile preset.

The goals (DESIGN.md): 100 for accessibility, best practices and SEO, at least 95 for performance.
The site runs as bench/pages.py runs it (production settings, DEBUG off, gunicorn, `load_demo` content,
the bench's PostgreSQL) on a database, media folder and index prefix of its own, so the benchmarks
never share state. The page cache is off: each page is visited once first (images' renditions are
made then), and Lighthouse measures a page that renders, not a cached copy. Production serves /media/ from a web
server or object storage, not Django; here WhiteNoise in front of the app plays that part, or every
image would be a 404. Lighthouse 12.2.3 comes from package.json (scripts/node-deps.sh), runs on Node 20
and drives Debian's Chromium (CHROME_PATH), one page at a time so runs do not disturb each other's
timings. Pages marked noindex (forms' answers, bad links) are left out: SEO rightly scores them below
100; search results are noindex too, but run, with their SEO score shown and not judged. Prints a
table; its figures join this run's JSON in bench/results/ (bench/report.py).

    .venv/bin/python bench/lighthouse.py [--reuse-site] [--only NAME ...]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
HERE = ROOT / "var" / "bench" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
LANGUAGES = {"zh-hans": "", "en": "/en"}
# Search results are noindex on purpose (an engine should index the pages, not our result lists), and
# Lighthouse's SEO score cannot reach 100 on a noindex page: its SEO score is shown, not judged.
NOINDEX = {"search results", "search, no results"}


def goals_for(page):
    return {k: v for k, v in GOALS.items() if not (k == "seo" and page in NOINDEX)}


# Both may be set when the bench's own cluster is not the one used (BENCH_POSTGRES_PORT names another
# cluster, shared with people whose databases and indexes must not be touched).
DATABASE = os.environ.get("BENCH_LIGHTHOUSE_DATABASE", "farmcast_bench_lighthouse")
INDEX_PREFIX = os.environ.get("BENCH_LIGHTHOUSE_INDEX_PREFIX", "farmcast-bench-lighthouse")


def wsgi_with_media():
    """gunicorn's app factory: the site, with WhiteNoise serving uploaded media in front of it."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    # autorefresh: renditions are written while pages render, after the server started.
    return WhiteNoise(get_wsgi_application(), root=settings.MEDIA_ROOT, prefix=settings.MEDIA_URL, autorefresh=True)


def english_copy(page, english):
    """The page's English translation; load_demo translates brands and products only, so the rest are
    copied here (Chinese text under the English interface, which is what Lighthouse audits)."""
    translation = page.get_translation_or_none(english)
    if translation is None:
        # copy_parents: the English indexes above it come along, as aliases of the Chinese ones.
        translation = page.copy_for_translation(english, copy_parents=True, alias=False)
    if not translation.live:
        translation.specific.save_revision().publish()
    return translation


def page_urls():
    """{(page type, language): path} from the demo content, each page in Chinese and English.

    Page types the demo has none of right now (a broadcast live at this minute) are left out.
    """
    from django.utils import timezone
    from wagtail.models import Locale

    from brands.models import Batch, FarmBrandPage, ProductPage
    from stories.models import BrandStoryPage, BroadcastReplayPage, PolicyIndexPage, PolicyNewsPage

    now = timezone.now()
    english = Locale.objects.get(language_code="en")
    zh = {"locale__language_code": "zh-hans"}

    def live(queryset):
        return queryset.live().filter(**zh).order_by("path")

    broadcasts = BroadcastReplayPage.objects.live().filter(**zh)
    policy = live(PolicyNewsPage.objects.filter(regions__isnull=False, topics__isnull=False)).first()
    # The section the policy item sits in, so that section has an English copy too.
    section = PolicyIndexPage.objects.filter(region__isnull=False).parent_of(policy).first() if policy else None
    pages = {
        "home": "/",
        "brand": live(FarmBrandPage.objects).first(),
        "product": live(ProductPage.objects).first(),
        "story": live(BrandStoryPage.objects).first(),
        "broadcast upcoming": broadcasts.upcoming(now).first(),
        "broadcast live": broadcasts.live_at(now).first(),
        "broadcast replay": broadcasts.replays(now).first(),
        "policy news": policy,
    }
    urls = {}
    for name, page in pages.items():
        if page is None:
            continue
        if isinstance(page, str):
            urls.update({(name, language): prefix + page for language, prefix in LANGUAGES.items()})
            continue
        urls[name, "zh-hans"] = page.get_url()
        urls[name, "en"] = english_copy(page.specific, english).get_url()
    batch = Batch.objects.order_by("pk").first()
    neutral = {
        "brand index": "/brands/",
        "story index": "/stories/",
        "replay index": "/replays/",
        "policy index": "/policy/",
        "search results": "/search/?q=" + quote("大米"),
        "search, no results": "/search/?q=zzzqqq",
        "trace lookup": "/trace/",
        "trace": f"/trace/{batch.display_code}/" if batch else None,
    }
    if section is not None and policy is not None and policy.topics.exists():
        neutral["policy section, filtered"] = section.url + "?" + urlencode({"topic": policy.topics.first().slug})
    for name, path in neutral.items():
        if path is not None:
            urls.update({(name, language): prefix + path for language, prefix in LANGUAGES.items()})
    order = [
        "home",
        "brand index",
        "brand",
        "product",
        "story index",
        "story",
        "replay index",
        "broadcast upcoming",
        "broadcast live",
        "broadcast replay",
        "policy index",
        "policy section, filtered",
        "policy news",
        "search results",
        "search, no results",
        "trace lookup",
        "trace",
    ]
    return dict(sorted(urls.items(), key=lambda item: (order.index(item[0][0]), item[0][1] != "zh-hans")))


def warm_up(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 — our own server
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_lighthouse(url):
    """Lighthouse's four category scores (0–100), and the audits that cost points outside performance."""
    output = subprocess.run(  # noqa: S603 — the pinned Lighthouse from node_modules
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox",
            "--only-categories=" + ",".join(CATEGORIES),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROME_PATH},
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(output.stdout)
    except ValueError:
        return {"error": f"no report (exit {output.returncode}): {output.stderr.strip()[-500:]}"}
    if report.get("runtimeError"):
        return {"error": f"{report['runtimeError'].get('code')}: {report['runtimeError'].get('message')}"}
    scores, failing = {}, {}
    for key in CATEGORIES:
        category = report["categories"][key]
        scores[key] = round((category["score"] or 0) * 100)
        lost = []
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{ref['id']} ({audit['score']:.2f}): {audit.get('displayValue') or audit['title']}")
        failing[key] = lost
    metrics = {
        name: report["audits"][name].get("displayValue")
        for name in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
        )
    }
    return {"scores": scores, "lost_points": failing, "metrics": metrics}


def run_page(url, attempts=2):
    """A page's report; Lighthouse's trace recording sometimes fails on a busy machine (NO_NAVSTART), so once more."""
    for _attempt in range(attempts):
        result = run_lighthouse(url)
        if "error" not in result:
            break
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse-site", action="store_true", help="keep the database of the last run")
    parser.add_argument("--only", nargs="*", help="page types to run (default: all)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse: node_modules/.bin/lighthouse is missing: run scripts/node-deps.sh")
    if not Path(CHROME_PATH).exists():
        raise SystemExit(f"lighthouse: {CHROME_PATH} is missing (apt-get install chromium)")

    sys.path.insert(0, str(ROOT))
    from bench.common import WORKERS, Gunicorn, load_average, log, manage, recreate_database, server_env, write_part

    env = server_env(DATABASE, INDEX_PREFIX)
    started = time.perf_counter()
    if not args.reuse_site:
        recreate_database(DATABASE)
        shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
        log("lighthouse: migrate, load_demo, collectstatic")
        for command in (("migrate", "--noinput", "-v0"), ("load_demo",), ("collectstatic", "--noinput", "-v0")):
            manage(env, *command)
    # On a reused site too: a shared engine may have lost the index since.
    manage(env, "search_rebuild", "--no-progress")
    os.environ.update(env)
    import django

    django.setup()
    urls = page_urls()
    if args.only:
        urls = {key: url for key, url in urls.items() if key[0] in args.only}
    from django.db import connection

    connection.close()

    rows, missing = [], {}
    with Gunicorn(env, name="lighthouse", app="bench.lighthouse:wsgi_with_media()") as server:
        base = server.base
        # Renditions are made on a first visit; Lighthouse measures the second, which renders again (no page cache).
        # A page the demo has in one language only answers 404 in the other: reported, not run.
        missing = {key: url for key, url in urls.items() if warm_up(base + url) != 200}
        urls = {key: url for key, url in urls.items() if key not in missing}
        for (name, language), url in missing.items():
            log(f"lighthouse: {name} ({language}) {url} does not answer 200: left out")
        for (name, language), url in urls.items():
            log(f"lighthouse: {name} ({language}) {url}")
            load = load_average()
            row = {"page": name, "language": language, "url": url, **run_page(base + url), "load_average": load}
            log(f"lighthouse:   {row.get('scores') or row.get('error')}")
            rows.append(row)

    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "lighthouse": subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip(),  # noqa: S603
        "preset": "mobile (Lighthouse's default: Moto G Power, simulated slow 4G)",
        "settings": "bench.server_settings (production settings, DEBUG off, page cache off), PostgreSQL, load_demo",
        "server": f"gunicorn, {WORKERS} sync workers, WhiteNoise serving /media/",
        "load_average_at_end": load_average(),
        "goals": GOALS,
        "seo_not_judged": sorted(NOINDEX),
        "pages": rows,
        "left_out": [{"page": name, "language": language, "url": url} for (name, language), url in missing.items()],
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = write_part("lighthouse", result)
    print_table(result)
    for item in result["left_out"]:
        print(f"left out (not 200 in the demo): {item['page']} ({item['language']}) {item['url']}")
    print(f"\nJSON: {out.relative_to(ROOT)}")
    for r in rows:
        if "error" in r:
            print(f"no report: {r['page']} ({r['language']}) {r['url']}: {r['error']}")
    missed = [r for r in rows if "scores" in r and any(r["scores"][k] < v for k, v in goals_for(r["page"]).items())]
    if missed:
        print(f"{len(missed)} of {len(rows)} page runs missed a goal; the points they lost:")
        for r in missed:
            for key, lost in r["lost_points"].items():
                if r["scores"][key] < goals_for(r["page"]).get(key, 0):
                    print(f"  {r['page']} ({r['language']}) {key} {r['scores'][key]}: {'; '.join(lost) or '?'}")


def print_table(result):
    header = ("page", "lang", "perf", "a11y", "best pr.", "SEO", "LCP", "TBT", "CLS", "goals")
    rows = []
    for r in result["pages"]:
        if "error" in r:
            rows.append((r["page"], r["language"], "-", "-", "-", "-", "-", "-", "-", "NO REPORT"))
            continue
        s, m = r["scores"], r["metrics"]
        met = all(s[k] >= goal for k, goal in goals_for(r["page"]).items())
        rows.append(
            (
                r["page"],
                r["language"],
                str(s["performance"]),
                str(s["accessibility"]),
                str(s["best-practices"]),
                f"{s['seo']}{' (noindex)' if r['page'] in NOINDEX else ''}",
                str(m["largest-contentful-paint"]),
                str(m["total-blocking-time"]),
                str(m["cumulative-layout-shift"]),
                "met" if met else "MISSED",
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    goals = ", ".join(f"{k} ≥ {v}" for k, v in GOALS.items())
    print(f"\nLighthouse {result['lighthouse']}, {result['preset']}; goals: {goals}")
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    if shutil.which("node") is None:
        raise SystemExit("lighthouse: node is missing (Node 20)")
    main()
