"""`make screenshots`: a PNG of every public page type, in Chinese and English, at phone and desktop width.

So a person can look at the whole site in a minute: open screenshots/index.html (or the PNGs beside it).
The site runs as production runs it (production settings, DEBUG off, gunicorn, WhiteNoise serving
/media/) on `load_demo` content, with a database and media folder of its own under var/screenshots/
(built once; `--fresh` builds it again). The page list is Lighthouse's (bench/lighthouse.py) plus the
pages that answer forms and links. No search engine: search answers from the database, as it does
when the engine is down. Chromium is Debian's (/usr/bin/chromium), driven by Playwright.

    .venv/bin/python scripts/screenshots.py [--fresh] [--only NAME ...]
"""

import argparse
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "var" / "screenshots"
OUT = ROOT / "screenshots"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
LANGUAGES = {"zh-hans": "", "en": "/en"}

ENV = {
    "DJANGO_SETTINGS_MODULE": "site_content.settings.production",
    "SECRET_KEY": "farmcast-screenshots-only-" + "0" * 32,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": f"sqlite:///{HERE / 'site.sqlite3'}",
    "SECURE_SSL_REDIRECT": "false",
    "CACHE_DIR": str(HERE / "page-cache"),
    "MEDIA_ROOT": str(HERE / "media"),
    "SEARCH_INDEX_PREFIX": "farmcast-screenshots",
    "SEARCH_ENGINE_URL": "",
    "OPENSEARCH_URL": "",
    "PAGE_CACHE_ENABLED": "false",
}

# Lazy images below the fold never load in a full-page shot unless asked to.
LOAD_ALL_IMAGES = """async () => {
    for (const img of document.querySelectorAll('img[loading="lazy"]')) img.loading = "eager";
    await Promise.all([...document.images].filter(i => !i.complete).map(
        i => new Promise(done => { i.onload = i.onerror = done; })));
}"""


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(port):
    deadline = time.monotonic() + 120  # workers import Django on their first request: slow on a busy machine
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=30) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("screenshots: the server did not start; see var/screenshots/gunicorn.log")


def build_site(fresh):
    db = HERE / "site.sqlite3"
    if fresh:
        db.unlink(missing_ok=True)
        shutil.rmtree(HERE / "media", ignore_errors=True)
    # Every run, as `make run` does: a demo built before a new migration or new demo content (load_demo
    # adds what is missing and keeps the rest) would otherwise fail or show an old site.
    log("screenshots: migrate, load_demo, collectstatic (--fresh rebuilds the demo from scratch)")
    devnull = open(os.devnull, "w")  # noqa: SIM115 — closed at exit
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=devnull)
    call_command("collectstatic", verbosity=0, interactive=False)
    shutil.rmtree(HERE / "page-cache", ignore_errors=True)


def page_urls():
    """{(page type, language): path}: Lighthouse's list, then the answers to forms and links."""
    # Here, not at the top: the project's modules import once main() has put the repository on sys.path
    # (this file runs as a script from scripts/), and models once django.setup() has read ENV's settings.
    from bench.lighthouse import page_urls as lighthouse_pages
    from brands.models import ProductPage

    urls = lighthouse_pages()
    product = ProductPage.objects.live().filter(locale__language_code="zh-hans").order_by("path").first()
    more = {
        "search, no query": "/search/",
        "trace lookup, bad code": "/trace/?code=" + "WC7K-3MX0",
        "policy subscribe": "/policy/subscribe/",
        "feedback sent": f"/feedback/sent/?page={product.pk}" if product else None,
        "not found (404)": "/no-such-page/",
    }
    for name, path in more.items():
        if path is not None:
            urls.update({(name, language): prefix + path for language, prefix in LANGUAGES.items()})
    return urls


def file_name(name, language, width):
    return f"{width}--{language}--{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"


def shoot(base, urls):
    # Here, not at the top: tests/ imports once main() has put the repository on sys.path.
    from tests.chromium import CHROMIUM, CHROMIUM_ARGS

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for width, (w, h) in WIDTHS.items():
            context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1)
            tab = context.new_page()
            for (name, language), path in urls.items():
                response = tab.goto(base + path, wait_until="load")
                tab.evaluate(LOAD_ALL_IMAGES)
                overflow = tab.evaluate("document.documentElement.scrollWidth") - w
                target = OUT / file_name(name, language, width)
                tab.screenshot(path=str(target), full_page=True)
                shots.append((name, language, width, path, response.status if response else None, overflow, target))
                log(
                    f"screenshots: {width} {language} {name}: {target.name}"
                    + (f" (+{overflow}px wide)" * (overflow > 0))
                )
            context.close()
        browser.close()
    return shots


def write_index(shots):
    """One page showing every shot, phone and desktop side by side, so the whole site fits one scroll."""
    rows = {}
    for name, language, width, path, status, overflow, target in shots:
        rows.setdefault((name, language), {})[width] = (path, status, overflow, target.name)
    parts = [
        "<!DOCTYPE html><html lang='en'><meta charset='utf-8'><title>Farmcast screenshots</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:1rem}section{display:flex;gap:1rem;align-items:start;"
        "margin:0 0 2rem}figure{margin:0}img{border:1px solid #ccc;display:block}.phone img{width:260px}"
        ".desktop img{width:640px}h2{font-size:1rem;margin:1.5rem 0 .5rem}.warn{color:#b00}</style>",
        f"<h1>Farmcast: {len(shots)} screenshots, {time.strftime('%Y-%m-%d %H:%M')}</h1>",
    ]
    for (name, language), by_width in rows.items():
        parts.append(f"<h2>{html.escape(name)} ({language})</h2><section>")
        for width, (path, status, overflow, file) in by_width.items():
            note = f" <span class='warn'>{overflow}px too wide</span>" if overflow > 0 else ""
            parts.append(
                f"<figure class='{width}'><a href='{file}'><img src='{file}' alt='' loading='lazy'></a>"
                f"<figcaption>{width} · {status} · {html.escape(path)}{note}</figcaption></figure>"
            )
        parts.append("</section>")
    (OUT / "index.html").write_text("\n".join(parts), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="build the demo database again")
    parser.add_argument("--only", nargs="*", help="page types to shoot (default: all)")
    args = parser.parse_args()

    HERE.mkdir(parents=True, exist_ok=True)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    django.setup()
    build_site(args.fresh)
    urls = page_urls()
    if args.only:
        urls = {key: path for key, path in urls.items() if key[0] in args.only}
    connection.close()

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 — our own virtualenv's gunicorn
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bench.lighthouse:wsgi_with_media()",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
        stdout=(HERE / "gunicorn.log").open("a"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_serving(port)
        shots = shoot(f"http://127.0.0.1:{port}", urls)
    finally:
        server.terminate()
        try:
            # gunicorn gives its workers graceful_timeout (30 s) after TERM: waiting exactly that long raced
            # with it on a busy machine, and the script died with a traceback after shooting everything.
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    write_index(shots)
    too_wide = [s for s in shots if s[5] > 0]
    sys.stdout.write(f"{len(shots)} screenshots in {OUT.relative_to(ROOT)}/ (open index.html)\n")
    for name, language, width, path, _status, overflow, _target in too_wide:
        sys.stdout.write(f"  scrolls sideways: {width} {language} {name} {path}: {overflow}px wider than the screen\n")


if __name__ == "__main__":
    main()
