"""Keeping the index current: the outbox, outages, rebuilds and drift checks, on the real engine."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from search import engine
from search.indexing import process_outbox
from search.models import IndexOutbox
from tests import factories

pytestmark = [pytest.mark.engine, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens on the discard port: connection refused at once
# The pid file scripts/search-engine.sh keeps for this pass's engine (SEARCH_ENGINE picks it there too).
ENGINE_PID = ROOT / "var" / (os.environ.get("SEARCH_ENGINE") or "opensearch") / "engine.pid"


def indexed_ids(client):
    client.indices.refresh(index=engine.alias_name())
    hits = client.search(index=engine.alias_name(), body={"query": {"match_all": {}}, "size": 1000})["hits"]["hits"]
    return {int(hit["_id"]) for hit in hits}


def check(*args):
    out = io.StringIO()
    call_command("search_check", *args, stdout=out)
    return out.getvalue()


def test_publish_records_an_outbox_row_in_the_same_transaction(product, search_engine):
    """Publishing writes outbox rows, and nothing reaches the index until they are applied."""
    assert IndexOutbox.objects.filter(page_id=product.pk).exists()
    assert product.pk not in indexed_ids(search_engine)


def test_unpublish_and_delete_remove_documents(product, story, index_now, search_engine):
    """Unpublished and deleted pages leave the index once the outbox is applied."""
    index_now()
    assert {product.pk, story.pk} <= indexed_ids(search_engine)
    story.unpublish()
    product.delete()
    index_now()
    assert not {product.pk, story.pk} & indexed_ids(search_engine)


def test_page_move_and_brand_rename_update_dependent_documents(brand, product, index_now, search_engine):
    """Renaming a brand re-indexes its products with the new brand name."""
    index_now()
    brand.title = "稻香新名"
    brand.save_revision().publish()
    index_now()
    source = search_engine.get(index=engine.alias_name(), id=product.pk)["_source"]
    assert source["brand"] == "稻香新名"


def test_region_rename_reaches_brands_and_products(region, brand, product, index_now, search_engine):
    """Editing a region snippet re-indexes the brands and products in it."""
    index_now()
    region.name = "黑龙江"
    region.save()
    index_now()
    for page in (brand, product):
        assert search_engine.get(index=engine.alias_name(), id=page.pk)["_source"]["province_name"] == "黑龙江"


@pytest.mark.fallback
def test_outage_loses_nothing(settings, site_tree, brand, category, index_now, search_engine):
    """With the engine unreachable, changes wait with backoff and all arrive once it answers."""
    index_now()
    url = settings.SEARCH_ENGINE_URL
    settings.SEARCH_ENGINE_URL = CLOSED_PORT
    new = factories.make_product(brand, title="停机期间发布", category=category)
    gone = factories.make_product(brand, title="停机期间下架", category=category)
    gone.unpublish()
    applied, failed = process_outbox()
    assert (applied, failed) == (0, IndexOutbox.objects.count())
    row = IndexOutbox.objects.filter(page_id=new.pk).first()
    assert row.attempts == 1 and row.last_error and row.next_attempt_at > row.created
    assert process_outbox() == (0, 0)  # backing off: nothing is due yet

    settings.SEARCH_ENGINE_URL = url
    index_now()
    assert not IndexOutbox.objects.exists()
    ids = indexed_ids(search_engine)
    assert new.pk in ids and gone.pk not in ids
    assert "in sync" in check()


@pytest.mark.skipif(
    not ENGINE_PID.exists() and os.environ.get("CI") != "true",
    reason="the engine was not started by scripts/search-engine.sh, so this test cannot restart it",
)
def test_real_engine_stop_and_restart_loses_nothing(brand, category, index_now, search_engine):
    """Stop the real node, publish and unpublish, start it again, run the worker: search_check is clean."""
    index_now()
    script = str(ROOT / "scripts" / "search-engine.sh")
    subprocess.run([script, "stop"], check=True, capture_output=True)  # noqa: S603
    try:
        published = factories.make_product(brand, title="重启期间发布", category=category)
        brand.unpublish()
        assert process_outbox()[0] == 0
        assert IndexOutbox.objects.filter(page_id=published.pk).exists()
    finally:
        subprocess.run([script, "start"], check=True, capture_output=True)  # noqa: S603
    index_now()
    assert published.pk in indexed_ids(search_engine)
    assert brand.pk not in indexed_ids(search_engine)
    assert "in sync" in check()


def test_rebuild_swaps_the_alias_and_drops_the_old_index(product, search_engine):
    """search_rebuild loads a new index, points the alias at it and deletes the old one."""
    alias = engine.alias_name()
    before = set(search_engine.indices.get_alias(name=alias))
    err = io.StringIO()
    call_command("search_rebuild", stdout=io.StringIO(), stderr=err)
    after = set(search_engine.indices.get_alias(name=alias))
    assert len(after) == 1 and not after & before
    assert not search_engine.indices.exists(index=",".join(before))
    assert product.pk in indexed_ids(search_engine)
    assert "/" in err.getvalue()  # the progress bar went to stderr
    assert not IndexOutbox.objects.exists()


def test_check_detects_drift_and_repair_fixes_it(product, story, index_now, search_engine):
    """A deleted, a stale and an extra document are drift; --repair puts the index right."""
    index_now()
    alias = engine.alias_name()
    search_engine.delete(index=alias, id=product.pk, refresh=True)
    search_engine.update(index=alias, id=story.pk, body={"doc": {"title": "被改过"}}, refresh=True)
    search_engine.index(index=alias, id=999999, body={"title": "孤儿"}, refresh=True)
    with pytest.raises(CommandError):
        check()
    assert "repaired" in check("--repair")
    assert "in sync" in check()


def test_fallback_notice_when_no_engine_is_configured(client, settings, product):
    """Without an engine URL the page still answers, from the database, and says so."""
    settings.SEARCH_ENGINE_URL = ""
    response = client.get(reverse("search:search"), {"q": "五常大米"})
    assert response.status_code == 200
    assert response.context["notice"] == "not configured"
    assert 'role="status"' in response.content.decode()


@pytest.mark.fallback
def test_fallback_notice_when_the_engine_is_down(client, settings, product, search_engine):
    """An unreachable engine gives database results and the 'temporarily unavailable' notice."""
    settings.SEARCH_ENGINE_URL = CLOSED_PORT
    response = client.get(reverse("search:search"), {"q": "五常大米"})
    assert response.status_code == 200
    assert response.context["notice"] == "down"
    suggest = client.get(reverse("search:suggest"), {"q": "五常"})
    assert suggest.status_code == 200 and suggest.json()["source"] == "database"


@pytest.mark.parametrize(("url", "status"), [("", "not configured"), (CLOSED_PORT, "down"), (None, "ok")])
def test_healthz_reports_the_engine(client, settings, engine_url, url, status):
    """/healthz says ok, down or not configured under "search"."""
    settings.SEARCH_ENGINE_URL = engine_url if url is None else url
    assert client.get("/healthz").json()["search"] == status
