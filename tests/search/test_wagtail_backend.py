"""Wagtail's own search (admin search, choosers) on the configured engine, through modelsearch's backend for it."""

import os

import pytest
from django.conf import settings as django_settings
from wagtail.search.backends import get_search_backend
from wagtail.search.index import get_indexed_models

from tests import factories

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


@pytest.fixture
def wagtail_engine_backend(settings, engine_url):
    """Wagtail's default backend on the real engine, as base settings configure it when an engine URL is set."""
    prefix = f"farmcast-test-{os.getpid()}-wagtail-"
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": django_settings.WAGTAIL_BACKEND_OF_ENGINE[settings.SEARCH_ENGINE],
            "URLS": [engine_url],
            "INDEX_PREFIX": prefix,
            "TIMEOUT": 5,
        },
        "database": {"BACKEND": "search.backends.database"},
    }
    backend = get_search_backend()
    backend.reset_indexes()
    # What update_index does first: each model's mapping (a document written by a signal alone
    # would get the engine's guessed mapping, without the fields searches ask for).
    for model in get_indexed_models():
        backend.get_index_for_model(model).add_model(model)
    yield backend
    backend.es.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)


def test_admin_page_search_answers_from_the_engine(
    client, admin_user, brand, category, wagtail_engine_backend, django_capture_on_commit_callbacks
):
    """A product saved with the engine as Wagtail's backend is indexed there, under the prefix, and the admin finds it."""
    backend_module = type(wagtail_engine_backend).__module__
    assert backend_module.endswith("opensearch2" if django_settings.SEARCH_ENGINE == "opensearch" else "elasticsearch7")
    # Wagtail indexes through a task enqueued when the transaction commits, which a test's never does.
    with django_capture_on_commit_callbacks(execute=True):
        product = factories.make_product(brand, title="五常大米", category=category)
    wagtail_engine_backend.refresh_indexes()
    assert wagtail_engine_backend.es.indices.exists(index=f"farmcast-test-{os.getpid()}-wagtail-wagtailcore_page")
    assert product.pk in [page.pk for page in wagtail_engine_backend.search("五常大米", type(product))]
    client.force_login(admin_user)
    response = client.get("/admin/pages/search/", {"q": "五常大米"})
    assert response.status_code == 200
    assert f"/admin/pages/{product.pk}/edit/" in response.content.decode()
