"""The policy item: attachments limited to PDF, DOCX and XLSX of a sane size; status from the dates; JSON-LD publisher."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from home.demo import data
from stories.models import PolicyAttachment, PolicyTopic
from stories.policy.models import ATTACHMENT_MAX_SIZE

pytestmark = pytest.mark.django_db


def document(name, size=100):
    return get_document_model().objects.create(title=name, file=ContentFile(b"0" * size, name=name))


@pytest.mark.parametrize("name", ["notice.pdf", "form.docx", "budget.xlsx", "NOTICE.PDF"])
def test_pdf_docx_xlsx_attachments_are_accepted(policy_news, name):
    """The three formats every phone opens pass validation."""
    PolicyAttachment(page=policy_news, document=document(name)).full_clean()


@pytest.mark.parametrize("name", ["notes.txt", "data.csv", "captions.vtt"])
def test_other_types_are_refused_on_the_document_field(policy_news, name):
    """Other document types (allowed elsewhere on the site) are refused, keyed to the document field."""
    with pytest.raises(ValidationError) as error:
        PolicyAttachment(page=policy_news, document=document(name)).full_clean()
    assert "document" in error.value.message_dict


def test_oversized_attachment_is_refused(policy_news):
    """A file over the attachment limit is refused on the document field."""
    with pytest.raises(ValidationError) as error:
        PolicyAttachment(page=policy_news, document=document("big.pdf", ATTACHMENT_MAX_SIZE + 1)).full_clean()
    assert "document" in error.value.message_dict


@pytest.mark.parametrize(
    "effective, expiry, expected",
    [(10, None, "pending"), (0, None, "in_force"), (-10, 10, "in_force"), (-20, -1, "expired"), (-20, 0, "expired")],
)
def test_status_follows_the_dates(policy_news, effective, expiry, expected):
    """Not yet in force before the effective date, in force until the expiry date, expired from it."""
    today = datetime.date(2025, 6, 1)
    policy_news.effective_date = today + datetime.timedelta(days=effective)
    policy_news.expiry_date = today + datetime.timedelta(days=expiry) if expiry is not None else None
    assert policy_news.status(today) == expected


def test_news_article_json_ld_names_the_authority(client, policy_news):
    """The item's JSON-LD is a NewsArticle published by the issuing authority as a GovernmentOrganization."""
    body = client.get(policy_news.url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    items = [json.loads(b) for b in blocks]
    flat = [i for block in items for i in (block.get("@graph", [block]) if isinstance(block, dict) else block)]
    article = next(i for i in flat if i.get("@type") == "NewsArticle")
    assert article["publisher"] == {"@type": "GovernmentOrganization", "name": policy_news.authority}
    assert article["url"].startswith("http")


def test_demo_has_the_six_topics():
    """The managed taxonomy the demo loads includes the six topics the issue names."""
    names = {name for _slug, name, _en in data.POLICY_TOPICS}
    assert {"补贴", "电商直播培训", "物流冷链", "金融信贷", "土地", "质量安全"} <= names
    assert PolicyTopic._meta.get_field("slug").unique
