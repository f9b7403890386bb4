"""Replay videos and caption files answer byte ranges, so a browser can seek: 206, Content-Range, 416."""

import importlib
import os

import pytest

from .conftest import GOOD_VTT, make_document

pytestmark = pytest.mark.django_db

CONTENT = bytes(range(256)) * 40  # 10,240 bytes, each position recognisable


@pytest.fixture
def video():
    return make_document("replay.webm", CONTENT, title="回放视频")


def body(response):
    return b"".join(response.streaming_content)


def test_a_whole_file_says_it_accepts_ranges(client, video):
    """Without a Range header the whole file comes back, and says byte ranges are welcome."""
    response = client.get(video.url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == CONTENT


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-", 1000, len(CONTENT) - 1),  # what a browser sends when it seeks
        ("bytes=-500", len(CONTENT) - 500, len(CONTENT) - 1),  # the last 500 bytes
        ("bytes=10000-99999", 10000, len(CONTENT) - 1),  # a range past the end stops at the end
        ("bytes=0-0", 0, 0),
    ],
)
def test_a_range_is_answered_with_206_and_exactly_those_bytes(client, video, header, first, last):
    """A single range gets 206, its bytes, the right Content-Range and Content-Length."""
    response = client.get(video.url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(CONTENT)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/webm"
    assert "Content-Encoding" not in response  # not the "None" Wagtail's sendfile writes
    assert body(response) == CONTENT[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=20000-30000", "bytes=-0"])
def test_an_unsatisfiable_range_is_416_with_the_size(client, video, header):
    """A range that starts past the end is 416, and Content-Range tells the real size."""
    response = client.get(video.url, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


@pytest.mark.parametrize("header", ["bytes=0-9,20-29", "items=0-9", "bytes=abc", "bytes=9-3", "bytes=-"])
def test_a_range_it_does_not_serve_gets_the_whole_file(client, video, header):
    """Several ranges or a malformed one: the header is ignored (RFC 9110 allows it) and all bytes come back."""
    response = client.get(video.url, HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_if_range_that_no_longer_matches_gets_the_whole_file(client, video):
    """A client holding an older copy (another ETag) must not get a slice of the new one."""
    etag = client.get(video.url)["ETag"]
    same = client.get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206
    other = client.get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-older-version"')
    assert other.status_code == 200


def test_caption_files_answer_ranges_too(client):
    """A WebVTT caption track is served the same way."""
    captions = make_document("zh.vtt", GOOD_VTT)
    response = client.get(captions.url, HTTP_RANGE="bytes=0-5")
    assert response.status_code == 206
    assert body(response) == b"WEBVTT"


def test_the_document_view_keeps_its_protections_on_a_slice(client, video):
    """A 206 still carries the document view's nosniff and script-blocking policy."""
    response = client.get(video.url, HTTP_RANGE="bytes=0-9")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_production_serves_documents_through_the_view_that_answers_ranges(monkeypatch):
    """With production settings, videos are served by the document view (not a /media/ URL nobody serves)."""
    for name, value in {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "farmcast.example",
        "DATABASE_URL": "sqlite://",
    }.items():
        monkeypatch.setitem(os.environ, name, value)
    monkeypatch.delitem(os.environ, "WAGTAILDOCS_SERVE_METHOD", raising=False)
    production = importlib.import_module("site_content.settings.production")
    production = importlib.reload(production)
    assert production.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert "home.media.ByteRangeMiddleware" in production.MIDDLEWARE
