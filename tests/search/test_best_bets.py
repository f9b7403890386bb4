"""Best bets: a page an editor pins to the top of one query's results, between a start and an end date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from search.models import BestBet
from tests import factories
from tests.search.helpers import engine_answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(site_tree, brand, product, category):
    """Rice products that match 新米 on their own, and a story that does not mention it at all."""
    factories.make_product(brand, title="新米 五常大米 5kg", slug="new-rice-5kg", category=category)
    story = factories.make_story(site_tree.stories, brand=brand, title="开镰的日子", slug="harvest-day")
    return story


def titles(client, q, **params):
    response = client.get(reverse("search:search"), {"q": q, **params})
    assert response.status_code == 200
    return response, [hit["title"] for hit in response.context["results"].hits]


def pin(page, query="新米", **kwargs):
    bet = BestBet(query=query, page=page, **kwargs)
    bet.full_clean()
    bet.save()
    return bet


def test_a_pinned_page_comes_first_while_its_dates_say_so(client, settings, catalogue):
    """Within its dates the story leads the results for 新米, marked as recommended; before or after, it is gone."""
    settings.SEARCH_ENGINE_URL = ""
    now = timezone.now()
    bet = pin(catalogue, starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=1))
    response, found = titles(client, "新米")
    assert found[0] == "开镰的日子" and "新米 五常大米 5kg" in found
    assert response.context["results"].hits[0]["pinned"]
    assert "result-pinned" in response.content.decode()
    bet.ends_at = now - datetime.timedelta(hours=1)
    bet.save()
    assert "开镰的日子" not in titles(client, "新米")[1]
    bet.starts_at, bet.ends_at = now + datetime.timedelta(days=1), None
    bet.save()
    assert "开镰的日子" not in titles(client, "新米")[1]


def test_the_query_matches_as_shoppers_type_it(client, settings, catalogue):
    """Case, spaces, full-width letters and traditional characters do not matter; other queries are untouched."""
    settings.SEARCH_ENGINE_URL = ""
    pin(catalogue, query="  New Rice ")
    assert titles(client, "new   rice")[1][0] == "开镰的日子"
    assert titles(client, "ＮＥＷ rice")[1][0] == "开镰的日子"
    assert not any(hit.get("pinned") for hit in titles(client, "五常大米")[0].context["results"].hits)
    newest = titles(client, "new rice", sort="newest")[0]  # a chosen sort shows no pins
    assert not any(hit.get("pinned") for hit in newest.context["results"].hits)


@pytest.mark.engine
def test_a_pinned_page_comes_first_with_the_engine(client, catalogue, index_now):
    """The engine's results get the same pin, and the pinned page is not listed twice."""
    index_now()
    pin(catalogue, query="五常大米")
    response = engine_answered(client.get(reverse("search:search"), {"q": "五常大米"}))
    found = [hit["title"] for hit in response.context["results"].hits]
    assert found[0] == "开镰的日子"
    assert found.count("开镰的日子") == 1


def test_an_english_visitor_sees_the_pinned_page_in_english(client, settings, brand, product):
    """A pinned Chinese page shows through its English translation on the English site."""
    settings.SEARCH_ENGINE_URL = ""
    english = factories.make_english_translation(product, title="Wuchang Rice")
    pin(product, query="rice")
    response = client.get("/en/search/", {"q": "rice"})
    first = response.context["results"].hits[0]
    assert (first["title"], first["url"]) == ("Wuchang Rice", english.url)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"query": "  "}, "query"), ({"ends_at": "2020-01-01 00:00"}, "ends_at"), ({"page": "home"}, "page")],
)
def test_the_admin_refuses_a_bad_best_bet_with_a_field_error(admin_client, site_tree, catalogue, changes, field):
    """No query, an end before the start, or a page that is not a result: a form error on that field."""
    data = {"query": "新米", "page": catalogue.pk, "starts_at": "2030-01-01 00:00", "ends_at": "", "sort_order": 0}
    data.update(changes)
    if data["page"] == "home":
        data["page"] = site_tree.home.pk
    response = admin_client.post(reverse("wagtailsnippets_search_bestbet:add"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not BestBet.objects.exists()
