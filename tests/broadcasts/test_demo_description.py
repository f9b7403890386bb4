"""The demo's broadcast descriptions add to the page's header instead of repeating it."""

import pytest

from home.demo import editorial
from home.demo.build import broadcast_description


@pytest.mark.parametrize("item", editorial.BROADCASTS, ids=lambda item: item["slug"])
def test_a_demo_broadcast_description_repeats_neither_its_summary_nor_its_host(item):
    """The header shows the summary and "Host: …"; the description names the brand's products instead."""
    description = broadcast_description(item)
    assert item["summary"] not in description
    assert item["host"] not in description
    assert "直播间里介绍的产品：" in description
