"""A rebuild's document preparation: the shortcuts it takes give the same documents as the slow path."""

import json

import pytest
from django.utils import translation

from brands.models import ProductPage
from search import engine
from search.documents import create_index
from search.indexing import _workers_can_read_database, build_documents, bulk_load, load_pages
from tests import factories


def sources(bodies):
    """{page id: document} from NDJSON bulk bodies."""
    docs = {}
    for body in bodies:
        lines = body.decode().splitlines()
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            docs[int(json.loads(action)["index"]["_id"])] = json.loads(source)
    return docs


@pytest.mark.django_db
def test_document_urls_are_the_pages_own_urls_in_both_languages(brand, category, certification):
    """url in a document equals page.get_url(): plain slugs, a Chinese slug and English translations."""
    plain = factories.make_product(brand, category=category, certifications=[certification])
    chinese_slug = factories.make_product(brand, category=category, slug="五常大米-新米")
    english = factories.make_english_translation(plain, title="Wuchang rice")
    pages = load_pages([brand.pk, plain.pk, chinese_slug.pk, english.pk])
    with translation.override("zh-hans"):
        docs = build_documents(pages)
    assert docs[chinese_slug.pk]["url"] == chinese_slug.get_url()
    assert "%E4%BA%94" in docs[chinese_slug.pk]["url"]  # quoted, as reverse() quotes it
    assert docs[english.pk]["url"].startswith("/en/")
    for page in pages:
        assert docs[page.pk]["url"] == page.get_url(), page


@pytest.mark.django_db
def test_declared_certifications_without_a_prefetch_are_still_indexed(brand, category, certification):
    """Certifications ticked on the page reach the facet, read in one query for the batch."""
    other = factories.make_certification(name="绿色食品", name_en="Green food", slug="green-food")
    product = factories.make_product(brand, category=category, certifications=[certification, other])
    bare = factories.make_product(brand, category=category)
    docs = build_documents(load_pages([product.pk, bare.pk], models=[ProductPage]))
    assert docs[product.pk]["certifications"] == sorted([certification.slug, other.slug])
    assert "certifications" not in docs[bare.pk]


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_forked_and_inline_preparation_send_the_same_bodies(engine_url, settings):
    """Two preparing processes and the inline path write byte-identical bulk bodies, and every page.

    The forked path needs a database other processes can read: it runs on PostgreSQL (make test in
    CI); on the in-memory SQLite of a local run both calls prepare inline.
    """
    tree = factories.make_site_tree()
    region = factories.make_region()
    brand = factories.make_brand(tree.brands, region=region)
    category = factories.make_category()
    products = [factories.make_product(brand, category=category) for _ in range(5)]
    story = factories.make_story(tree.stories, brand=brand)
    # The engine only now: publishing above would otherwise try to index into an alias that is not there.
    settings.SEARCH_ENGINE_URL = engine_url
    settings.SEARCH_INDEX_PREFIX = "farmcast-test-rebuild"
    client = engine.get_client()
    client.indices.delete(index="farmcast-test-rebuild-*", ignore_unavailable=True, allow_no_indices=True)
    try:
        forked, inline = [], []
        index = create_index(client)
        # batch_size=2: several batches, so the forked path has work to share out.
        written = bulk_load(client, index, batch_size=2, workers=2, keep_bodies=forked)
        bulk_load(client, index, batch_size=2, workers=1, keep_bodies=inline)
    finally:
        client.indices.delete(index="farmcast-test-rebuild-*", ignore_unavailable=True, allow_no_indices=True)
    assert forked == inline
    assert written == len(sources(forked))
    assert {brand.pk, story.pk, *(p.pk for p in products)} <= set(sources(forked))
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        assert _workers_can_read_database()
