"""Security headers on every public page type: a strict CSP, nosniff, a referrer policy; production adds HTTPS."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.template import loader

from tests.security.conftest import build_public_pages, parse_csp

PAGE_TYPES = [
    "home",
    "brand",
    "product",
    "story",
    "replay",
    "upcoming broadcast",
    "policy item",
    "policy listing",
    "search",
    "trace",
]

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture
def public_pages(db):
    return build_public_pages()


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_public_page_type_sends_a_csp_without_inline_scripts(client, public_pages, page_type):
    """Each public page type answers with a CSP whose scripts come only from the site or a nonce."""
    response = client.get(public_pages[page_type])
    assert response.status_code == 200
    policy = parse_csp(response["Content-Security-Policy"])
    script_sources = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    assert "*" not in script_sources
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["X-Frame-Options"]


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_public_page_has_an_inline_script_the_policy_would_block(client, public_pages, page_type):
    """Every <script> on a page has a src, is a JSON data block, or carries this response's nonce."""
    response = client.get(public_pages[page_type])
    policy = parse_csp(response["Content-Security-Policy"])
    nonces = {source[len("'nonce-") : -1] for source in policy["script-src"] if source.startswith("'nonce-")}
    for attributes in SCRIPT_TAG.findall(response.content.decode()):
        if "src=" in attributes or re.search(r'type="application/(ld\+)?json"', attributes):
            continue
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and nonce.group(1) in nonces, f"inline <script{attributes}> on {page_type} has no valid nonce"


def test_the_policy_allows_the_video_players_editors_embed(client, public_pages):
    """YouTube, bilibili and Tencent Video players may be framed; nothing else may."""
    policy = parse_csp(client.get(public_pages["replay"])["Content-Security-Policy"])
    assert set(policy["frame-src"]) == {
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.bilibili.com",
        "https://v.qq.com",
    }
    assert "'self'" in policy["media-src"]
    assert "data:" in policy["img-src"]


def test_a_missing_page_carries_the_policy_too(client, public_pages):
    """The 404 page is as strict as the pages that exist."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "'unsafe-inline'" not in parse_csp(response["Content-Security-Policy"])["script-src"]


def test_the_500_page_style_is_allowed_by_its_hash():
    """The 500 page's only inline <style> matches the hash the policy names, so it renders styled."""
    html = loader.get_template("500.html").render()
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


def test_the_wagtail_admin_is_left_to_its_own_policy(client, db):
    """The admin needs inline scripts, so the public policy does not reach /admin/."""
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


# Runs under production settings in a fresh interpreter: settings are read once at start-up, and
# production.py refuses to start without its environment.
PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client()
plain = client.get("/robots.txt")
secure = client.get("/robots.txt", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code,
    "secure_headers": dict(secure.items()),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def run_under_production(tmp_path, code, **extra_env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_content.settings.production",
        "SECRET_KEY": "production-probe-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver,farmcast.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        **extra_env,
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    # tests/conftest.py allows sync database calls inside Playwright's event loop; production must not.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 — our own interpreter and code
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_redirects_to_https_and_sends_hsts_and_secure_cookies(tmp_path):
    """Production settings: plain HTTP is redirected, HTTPS answers carry HSTS and the CSP, cookies are secure."""
    result = run_under_production(tmp_path, PRODUCTION_PROBE)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["debug"] is False
    assert report["plain_status"] == 301
    assert report["plain_location"].startswith("https://")
    assert report["secure_status"] == 200
    headers = report["secure_headers"]
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "'unsafe-inline'" not in parse_csp(headers["Content-Security-Policy"])["script-src"]
    assert report["session_cookie_secure"] is True
    assert report["csrf_cookie_secure"] is True


def test_production_settings_pass_the_deploy_checklist(tmp_path):
    """`manage.py check --deploy` finds nothing to warn about under production settings."""
    result = run_under_production(
        tmp_path,
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        # Production sits behind a proxy (SECURE_PROXY_SSL_HEADER), so it names the client-address header
        # as the README's configuration table asks; without it farmcast.W102 warns, as it should.
        CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
    )
    assert result.returncode == 0, result.stdout + result.stderr
