"""Cost grows with content, not faster: each page makes as many queries with its large content as with its small.

A brand with 5 and with 500 products, a product with 3 and 3,000 reviews, a replay with 4 and 200
chapters, a batch's trace page with 7 and 700 events (tests/growth/content.py builds them once for
the class). `make bench` (bench/growth.py) times the same pages and prints the render-time ratios.
"""

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from tests.growth import content


def queries(client, url):
    """SQL statements of an anonymous GET of `url`, after a first GET has filled per-process caches."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


# Wagtail keeps renditions in the default cache, which would hide a per-item query: no cache here.
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
class QueryCountsHoldFlat(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.growth = content.build()

    def setUp(self):
        cache.clear()

    def assert_flat(self, name):
        small_url, large_url = self.growth.urls[name]
        small, large = queries(self.client, small_url), queries(self.client, large_url)
        few, many = content.SIZES[name]
        extra = [sql for sql in large if sql not in small]
        # no N+1
        self.assertEqual(
            len(small),
            len(large),
            f"{name}: {len(small)} queries with {few}, {len(large)} with {many}:\n" + "\n".join(extra[:8]),
        )

    def test_brand_page_queries_hold_flat_from_5_to_500_products(self):
        """A brand's page costs the same queries with 500 products as with 5."""
        self.assert_flat("brand products")

    def test_product_page_queries_hold_flat_from_3_to_3000_reviews(self):
        """A product's page, its feedback section included, costs the same queries with 3,000 reviews as with 3."""
        self.assert_flat("product reviews")

    def test_replay_page_queries_hold_flat_from_4_to_200_chapters(self):
        """A replay's page costs the same queries with 200 chapters as with 4."""
        self.assert_flat("replay chapters")

    def test_trace_page_queries_hold_flat_from_7_to_700_events(self):
        """A batch's trace page costs the same queries with 700 sealed events as with 7."""
        self.assert_flat("trace events")
