"""The demo's broadcast descriptions add to the page's header instead of repeating it."""

import re

import pytest

from home.demo import editorial, editorial_en
from home.demo.build import broadcast_description, broadcast_description_en

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@pytest.mark.parametrize("item", editorial.BROADCASTS, ids=lambda item: item["slug"])
def test_a_demo_broadcast_description_repeats_neither_its_summary_nor_its_host(item):
    """The header shows the summary and "Host: …"; the description names the brand's products instead."""
    description = broadcast_description(item)
    assert item["summary"] not in description
    assert item["host"] not in description
    assert "直播间里介绍的产品：" in description


@pytest.mark.parametrize("item", editorial.BROADCASTS, ids=lambda item: item["slug"])
def test_a_demo_broadcast_english_description_repeats_neither_summary_nor_host_and_has_no_chinese(item):
    """The English broadcast's description names the products in English, without its summary or host."""
    english = editorial_en.BROADCASTS_EN[item["slug"]]
    description = broadcast_description_en(item)
    assert english["summary"] not in description and english["host"] not in description
    assert "Presented in the live room: " in description
    assert not HAN.search(description)
