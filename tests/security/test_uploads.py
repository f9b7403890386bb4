"""Uploads through the real Wagtail admin: images and documents limited by type and size, no SVG or HTML.

An editor (admin access, add permission on the root collection) posts to the single and the multiple
upload views. Every refusal says why, and leaves no row (image, document or pending upload) and no
file behind.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, UploadedFile
from wagtail.users.models import UserProfile

from tests import factories

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
    b'onload="alert(document.domain)"><script>alert(1)</script><rect width="10" height="10"/></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png(size=(8, 8)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 160, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def editor(client, db):
    """A logged-in editor who may add images and documents, reading the admin in English."""
    factories.make_site_tree()  # the root collection, also after a browser test's flush
    group = Group.objects.create(name="Upload editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    root = Collection.get_first_root_node()
    for app, codename in (("wagtailimages", "add_image"), ("wagtaildocs", "add_document")):
        permission = Permission.objects.get(content_type__app_label=app, codename=codename)
        GroupCollectionPermission.objects.create(group=group, collection=root, permission=permission)
    user = get_user_model().objects.create_user("uploader", "uploader@example.com", "x")
    user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def nothing_stored():
    """Asserts, after the test, that no image, document, pending upload or file was added."""
    models = (get_image_model(), get_document_model(), UploadedFile)
    before = ({m: m.objects.count() for m in models}, stored_files())
    yield
    after = ({m: m.objects.count() for m in models}, stored_files())
    assert after[0] == before[0], "a refused upload left a row behind"
    assert after[1] == before[1], f"a refused upload left files behind: {after[1] - before[1]}"


def upload_single(client, kind, name, content):
    url = reverse(f"{kind}:add")
    data = {"title": name, "file": SimpleUploadedFile(name, content), "collection": Collection.get_first_root_node().pk}
    response = client.post(url, data)
    assert response.status_code == 200, "a refused upload re-renders the form (a redirect means it was saved)"
    with translation.override("en"):  # lazy messages read in the editor's language, as the page showed them
        errors = [str(error) for error in response.context["form"].errors.get("file", [])]
    assert errors and all(escape(error) in response.content.decode() for error in errors), "the editor sees why"
    return errors


def upload_multiple(client, kind, name, content):
    url = reverse(f"{kind}:add_multiple")
    response = client.post(url, {"files[]": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is False, "the multiple uploader accepted it"
    return body["error_message"]


IMAGE_REFUSALS = [
    ("drawing.svg", SVG, "Not a supported image format"),
    ("drawing.SVG", SVG, "Not a supported image format"),
    ("drawing.png", SVG, "Not a valid .png image"),  # an SVG renamed: its content gives it away
    ("page.png", HTML, "Not a valid .png image"),  # HTML renamed .png (Willow reads markup as SVG)
    ("page.jpg", HTML, "Not a valid .jpeg image"),
    ("page.webp", b"<html><script>alert(1)</script>", "Upload a valid image"),  # not even markup it knows
    ("photo.gif", b"GIF89a" + png()[8:], "Not a supported image format"),  # GIF is not on the list either
]


@pytest.mark.parametrize("via", ["single", "multiple"])
@pytest.mark.parametrize(("name", "content", "message"), IMAGE_REFUSALS)
def test_images_that_are_not_allowed_raster_images_are_refused(editor, nothing_stored, via, name, content, message):
    """SVG (however named), HTML posing as a photo and unlisted formats are refused with a reason, nothing stored."""
    upload = upload_single if via == "single" else upload_multiple
    errors = upload(editor, "wagtailimages", name, content)
    text = " ".join(map(str, errors)) if via == "single" else errors
    assert message in text, text


@pytest.mark.parametrize("via", ["single", "multiple"])
def test_an_oversize_image_is_refused(editor, nothing_stored, via):
    """An image over WAGTAILIMAGES_MAX_UPLOAD_SIZE is refused with the limit in the message."""
    limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert limit == 10 * 1024 * 1024
    # A real PNG header and pixels, padded past the limit: only the size is wrong with it.
    content = png() + b"\0" * (limit + 1)
    upload = upload_single if via == "single" else upload_multiple
    errors = upload(editor, "wagtailimages", "big.png", content)
    text = " ".join(map(str, errors)) if via == "single" else errors
    assert "This file is too big" in text and "10.0" in text


def test_svg_is_not_an_allowed_image_extension():
    """The image allow-list is raster formats only: no SVG (it can carry script), nothing vector."""
    assert set(settings.WAGTAILIMAGES_EXTENSIONS) <= {"jpg", "jpeg", "png", "webp", "avif"}


DOCUMENT_REFUSALS = ["notice.svg", "notice.html", "notice.htm", "notice.xhtml", "notice.js", "notice.exe"]


@pytest.mark.parametrize("via", ["single", "multiple"])
@pytest.mark.parametrize("name", DOCUMENT_REFUSALS)
def test_documents_that_browsers_would_run_are_refused(editor, nothing_stored, via, name):
    """SVG, HTML, scripts and programs are not document types: refused with the allowed list named."""
    content = SVG if name.endswith("svg") else HTML
    upload = upload_single if via == "single" else upload_multiple
    errors = upload(editor, "wagtaildocs", name, content)
    text = " ".join(map(str, errors)) if via == "single" else errors
    assert "is not allowed" in text and "pdf" in text


def test_documents_allow_only_the_listed_types():
    """The document allow-list holds office, data, caption and video types, nothing a browser executes."""
    assert set(settings.WAGTAILDOCS_EXTENSIONS) == {"pdf", "docx", "xlsx", "csv", "txt", "vtt", "webm", "mp4"}
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE is not None


def test_an_oversize_document_is_refused(editor, nothing_stored, settings):
    """The admin enforces WAGTAILDOCS_MAX_UPLOAD_SIZE (shrunk here: a 500 MB upload is no unit test)."""
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    errors = upload_single(editor, "wagtaildocs", "report.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    assert "too big" in " ".join(map(str, errors))


def test_a_text_document_holding_html_is_served_so_no_browser_runs_it(editor, client):
    """HTML saved as an allowed .txt is stored, but served as plain text with nosniff and a script-blocking CSP."""
    response = editor.post(
        reverse("wagtaildocs:add"),
        {
            "title": "notes",
            "file": SimpleUploadedFile("notes.txt", HTML),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302
    document = get_document_model().objects.get(title="notes")
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Type"].startswith("text/plain")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"
    assert served["Content-Disposition"].startswith("attachment")
    os.remove(document.file.path)


def test_a_real_photo_is_accepted(editor):
    """The control: a small PNG goes through both upload views, so the refusals above are not a broken harness."""
    assert (
        editor.post(
            reverse("wagtailimages:add"),
            {
                "title": "稻田",
                "file": SimpleUploadedFile("field.png", png()),
                "collection": Collection.get_first_root_node().pk,
            },
        ).status_code
        == 302
    )
    response = editor.post(reverse("wagtailimages:add_multiple"), {"files[]": SimpleUploadedFile("field2.png", png())})
    assert response.json()["success"] is True
    assert get_image_model().objects.filter(title__in=["稻田", "field2.png"]).count() == 2


# --- Replay videos: read with PyAV, refused with a reason when a browser could not play them ------------


def video_refusals():
    from tests.broadcasts.conftest import webm_bytes

    webm = webm_bytes(seconds=6)
    mp4 = webm_bytes(seconds=6, container="mp4", codec="h264")
    return [
        ("report.webm", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "could not be read"),
        ("notes.webm", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n", "holds a WebVTT"),  # captions renamed
        ("clip.webm", mp4, "is named .webm but holds"),  # an MP4 renamed
        ("clip.mp4", webm, "is named .mp4 but holds"),  # a WebM renamed
        ("clip.webm", webm_bytes(seconds=6, codec="h264", container="matroska", audio=False), "H264"),
        ("clip.mp4", webm_bytes(seconds=6, codec="mpeg4", container="mp4", audio=False), "MPEG4"),
        ("clip.webm", webm[: len(webm) * 2 // 3], "cut short"),  # an upload that stopped two thirds in
        ("clip.mp4", mp4[: len(mp4) // 2], "could not be read as a video"),  # its index is at the end: gone
    ]


@pytest.mark.parametrize("via", ["single", "multiple"])
@pytest.mark.parametrize("case", range(8))
def test_videos_a_browser_could_not_play_are_refused_with_a_reason(editor, nothing_stored, via, case):
    """Not a video, the wrong container for its name, a codec browsers lack, or truncated: refused, nothing stored."""
    name, content, message = video_refusals()[case]
    upload = upload_single if via == "single" else upload_multiple
    errors = upload(editor, "wagtaildocs", name, content)
    text = " ".join(map(str, errors)) if via == "single" else errors
    assert message in text, text
    assert "Export it as WebM" in text


def test_an_oversize_video_is_refused(editor, nothing_stored, settings):
    """A real, playable video over WAGTAILDOCS_MAX_UPLOAD_SIZE is refused for its size (shrunk here)."""
    from tests.broadcasts.conftest import webm_bytes

    content = webm_bytes(seconds=6)
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = len(content) - 1
    errors = upload_single(editor, "wagtaildocs", "clip.webm", content)
    assert "too big" in " ".join(map(str, errors))


def test_playable_videos_are_accepted(editor):
    """The control: a VP9/Opus WebM and an H.264/AAC MP4 go through both upload views."""
    from tests.broadcasts.conftest import webm_bytes

    webm, mp4 = webm_bytes(seconds=4), webm_bytes(seconds=4, container="mp4", codec="h264")
    collection = Collection.get_first_root_node().pk
    response = editor.post(
        reverse("wagtaildocs:add"),
        {"title": "回放", "file": SimpleUploadedFile("replay.webm", webm), "collection": collection},
    )
    assert response.status_code == 302
    response = editor.post(reverse("wagtaildocs:add_multiple"), {"files[]": SimpleUploadedFile("replay.mp4", mp4)})
    assert response.json()["success"] is True
    for document in get_document_model().objects.filter(file__endswith=(".webm")) | get_document_model().objects.filter(
        file__endswith=".mp4"
    ):
        os.remove(document.file.path)
