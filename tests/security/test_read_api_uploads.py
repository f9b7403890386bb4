"""The read API lists pages, not every upload in the library (issue 17, item 2 part).

Wagtail's images and documents endpoints listed every file with a download link, drafts' attachments
included; no client reads them, and a page's own API fields carry what a live page shows.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_the_read_api_lists_no_uploads(client, endpoint):
    """/api/v2/images/ and /api/v2/documents/ answer 404, listing and detail alike."""
    factories.make_site_tree()
    image = factories.make_image()
    document = get_document_model().objects.create(title="未批准的预算", file=ContentFile(b"%PDF-1.4\n", name="b.pdf"))
    pk = image.pk if endpoint == "images" else document.pk
    assert client.get(f"/api/v2/{endpoint}/").status_code == 404
    assert client.get(f"/api/v2/{endpoint}/{pk}/").status_code == 404


def test_the_pages_endpoint_still_answers(client):
    """Pages stay in the API for apps and mini-programs."""
    factories.make_site_tree()
    assert client.get("/api/v2/pages/").status_code == 200
