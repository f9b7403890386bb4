"""What shoppers do with search (search.analytics): recorded anonymously, bounded, reported to permitted editors."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from search import analytics
from search.models import SearchClick, SearchEvent, SearchTerm

pytestmark = pytest.mark.django_db


def report_search(client, q, results=3, answered_by="engine"):
    response = client.post(reverse("search:event"), {"q": q, "results": results, "answered_by": answered_by})
    assert response.status_code == 200
    return response.json()["id"]


def report_click(client, event_id, page, position, kind="product"):
    return client.post(reverse("search:click"), {"id": event_id, "page": page, "position": position, "type": kind})


def test_a_search_is_counted_under_its_normalised_query(client):
    """Case, spacing, full-width letters and traditional characters count as one query; zero results are counted."""
    report_search(client, "五常  大米")
    report_search(client, "五常 大米", results=0)
    report_search(client, "五常 大米")
    term = SearchTerm.objects.get()
    assert (term.query, term.searches, term.zero_results) == ("五常 大米", 3, 1)
    report_search(client, "Ｒｉｃｅ")
    report_search(client, "RICE")
    assert SearchTerm.objects.get(query="rice").searches == 2


def test_nothing_about_the_person_is_stored(client):
    """No IP, user, session or user agent: the records hold the query, counts, positions and times only."""
    report_search(client, "枸杞", answered_by="database")
    fields = {f.name for model in (SearchTerm, SearchEvent, SearchClick) for f in model._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "user", "session", "session_key", "user_agent", "client_id"}
    assert SearchEvent.objects.get().answered_by == "database"


def test_clicks_give_click_through_rate_and_first_click_position(client):
    """The first result opened counts once per search; a first click below position 5 is counted as far down."""
    first = report_search(client, "脐橙")
    assert report_click(client, first, page=10, position=7).status_code == 204
    report_click(client, first, page=11, position=1)  # a later click is not the first
    report_click(client, first, page=10, position=7)  # the same result again counts once
    second = report_search(client, "脐橙")
    report_click(client, second, page=11, position=1)
    report_search(client, "脐橙")  # no click
    term = SearchTerm.objects.get(query="脐橙")
    assert (term.searches, term.searches_clicked, term.far_first_clicks) == (3, 2, 1)
    assert term.click_through_rate == pytest.approx(2 / 3)
    assert term.average_first_click == pytest.approx(4)
    assert SearchClick.objects.count() == 3


@pytest.mark.parametrize(
    "data",
    [{}, {"id": "x", "page": "a", "position": 1}, {"id": "x", "page": 1}, {"id": "'; drop", "page": 1, "position": 1}],
)
def test_bad_click_reports_are_refused_with_400(client, data):
    """A click without a well-formed search id, page and position is a 400, never a 500."""
    assert client.post(reverse("search:click"), data).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"id": "0" * 32, "page": 2**31, "position": 1},  # past the page id column
        {"id": "0" * 32, "page": 10**40, "position": 1},
        {"id": "0" * 32, "page": -1, "position": 1},
        {"id": "0" * 32, "page": 1, "position": 0},
        {"id": "0" * 32, "page": 1, "position": -3},
        {"id": "0" * 32, "page": True, "position": 1},
        {"id": "0" * 32, "page": 1.5, "position": 1},
        {"id": ["0" * 32], "page": 1, "position": 1},
        {"id": "0" * 33, "page": 1, "position": 1},
        {"id": {"x": 1}, "page": 1, "position": 1},
    ],
)
def test_out_of_range_or_mistyped_click_fields_are_refused_with_400(client, data):
    """Numbers past what the columns hold, non-positive positions and non-string ids (as JSON) are 400s."""
    response = client.post(reverse("search:click"), data, content_type="application/json")
    assert response.status_code == 400
    assert not SearchClick.objects.exists()


def test_a_click_with_a_list_for_its_type_is_counted_without_a_type(client):
    """A JSON list where the result type should be (unhashable) is not a 500: the click counts, untyped."""
    event = report_search(client, "枸杞")
    body = {"id": event, "page": 3, "position": 2, "type": ["product"]}
    assert client.post(reverse("search:click"), body, content_type="application/json").status_code == 204
    assert SearchClick.objects.get().result_type == ""


def test_malformed_bodies_on_the_event_endpoints_are_400s(client):
    """Broken JSON, a JSON list or a broken multipart body is a 400 on both endpoints, never a 500."""
    for url in (reverse("search:event"), reverse("search:click")):
        assert client.post(url, "{not json", content_type="application/json").status_code == 400
        assert client.post(url, "[1, 2]", content_type="application/json").status_code == 400
        broken = client.generic("POST", url, b"--x\r\nbroken", content_type="multipart/form-data; boundary=")
        assert broken.status_code == 400
    assert client.post(reverse("search:event"), {"q": "x", "results": -1}).status_code == 400


def test_clicks_on_unknown_searches_and_absurd_positions_change_nothing(client):
    """A made-up search id or a position past 1000 is accepted quietly and counts nothing."""
    assert report_click(client, "0" * 32, page=1, position=1).status_code == 204
    event = report_search(client, "香梨")
    report_click(client, event, page=1, position=5000)
    assert SearchTerm.objects.get().searches_clicked == 0 and not SearchClick.objects.exists()


def test_event_endpoints_take_posts_only_and_refuse_bad_bodies(client):
    """GET is 405; a results count that is not a number, or an oversized body, is a 400."""
    assert client.get(reverse("search:event")).status_code == 405
    assert client.post(reverse("search:event"), {"q": "x", "results": "many"}).status_code == 400
    body = '{"q": "' + "大" * 3000 + '", "results": 1}'
    assert client.post(reverse("search:event"), body, content_type="application/json").status_code == 400
    assert client.post(reverse("search:event"), '["q"]', content_type="application/json").status_code == 400


def test_random_queries_cannot_grow_the_table_without_bound(client, monkeypatch):
    """Past MAX_TERMS the rarest, stalest terms make room; a frequent query keeps its count."""
    monkeypatch.setattr(analytics, "MAX_TERMS", 20)
    monkeypatch.setattr(analytics, "MAX_EVENTS", 30)
    for _ in range(5):
        report_search(client, "大米")
    for n in range(60):
        report_search(client, f"random-{n}-zqx")
    analytics.prune()
    assert SearchTerm.objects.count() <= 20
    assert SearchEvent.objects.count() <= 30
    assert SearchTerm.objects.get(query="大米").searches == 5


def test_a_long_query_is_counted_under_its_first_hundred_characters(client):
    """Queries are cut to 100 characters, so no single search stores more than that."""
    report_search(client, "米" * 500)
    assert SearchTerm.objects.get().query == "米" * 100


# --- the report ----------------------------------------------------------------------------


@pytest.fixture
def terms(client):
    for q, results in [
        ("大米", 3),
        ("大米", 3),
        ("火星土豆", 0),
        ('=HYPERLINK("http://x")', 1),
        ("-2+3", 1),
        ("@sum", 1),
    ]:
        report_search(client, q, results)
    far = report_search(client, "枸杞")
    report_click(client, far, page=5, position=9)


def test_the_report_needs_the_view_permission(client, django_user_model, terms):
    """Anonymous visitors are sent to log in, editors without the permission are refused, granted ones see it."""
    url = reverse("search_terms")
    assert client.get(url).status_code == 302
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code in (302, 403)
    group = Group.objects.create(name="Search analysts")
    group.permissions.add(Permission.objects.get(codename="view_searchterm"))
    editor.groups.add(group)
    response = client.get(url)
    assert response.status_code == 200
    assert "大米" in response.content.decode()


def test_the_report_answers_each_question(admin_client, terms):
    """Top queries first by searches; zero-result queries; queries whose first click came from far down."""
    top = admin_client.get(reverse("search_terms")).context["object_list"]
    assert top[0].query == "大米"
    zero = admin_client.get(reverse("search_terms"), {"view": "zero"}).context["object_list"]
    assert [t.query for t in zero] == ["火星土豆"]
    far = admin_client.get(reverse("search_terms"), {"view": "far"}).context["object_list"]
    assert [t.query for t in far] == ["枸杞"]


def test_csv_export_neutralises_formulas(admin_client, terms):
    """A query starting with = + - @ comes out of the CSV as text (a leading '), never as a formula."""
    response = admin_client.get(reverse("search_terms"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    queries = [row[0] for row in rows[1:]]
    assert '\'=hyperlink("http://x")' in queries  # counted lowercase
    assert "'-2+3" in queries and "'@sum" in queries
    assert not any(q.startswith(("=", "+", "-", "@")) for q in queries)
