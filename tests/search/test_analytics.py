"""What shoppers do with search (search.analytics): recorded anonymously, bounded, reported to permitted editors."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.urls import reverse

from search import analytics, views
from search.models import SearchClick, SearchEvent, SearchTerm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no reports counted against its client (the test client's address is shared)."""
    cache.clear()


def report_search(client, q, results=3, answered_by="engine", **extra):
    response = client.post(reverse("search:event"), {"q": q, "results": results, "answered_by": answered_by}, **extra)
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
    """GET is 405; a results count that is not a number is a 400; a body over 2 KB is a 413, unread."""
    assert client.get(reverse("search:event")).status_code == 405
    assert client.post(reverse("search:event"), {"q": "x", "results": "many"}).status_code == 400
    body = '{"q": "' + "大" * 3000 + '", "results": 1}'
    for url in (reverse("search:event"), reverse("search:click")):
        assert client.post(url, body, content_type="application/json").status_code == 413
    assert client.post(reverse("search:event"), '["q"]', content_type="application/json").status_code == 400
    assert not SearchTerm.objects.exists()


def test_deeply_nested_json_and_too_many_fields_are_400s(client):
    """JSON nested past Python's recursion limit, or a form of a thousand fields, is a 400, never a 500."""
    for url in (reverse("search:event"), reverse("search:click")):
        assert client.post(url, "[" * 2000, content_type="application/json").status_code == 400
        assert client.post(url, '{"q":' * 400, content_type="application/json").status_code == 400
        fields = "&".join(["a"] * 1001)
        assert client.post(url, fields, content_type="application/x-www-form-urlencoded").status_code == 400
    assert not SearchEvent.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site's page too
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_reports_from_another_sites_pages_are_refused_with_403(client, headers):
    """CSRF-exempt (a beacon carries no token), so a report another site's page makes a browser send is a 403."""
    for url in (reverse("search:event"), reverse("search:click")):
        response = client.post(
            url, {"q": "大米", "results": 1, "id": "0" * 32, "page": 1, "position": 1}, headers=headers
        )
        assert response.status_code == 403
    assert not SearchTerm.objects.exists()


def test_reports_from_the_sites_own_pages_are_taken(client):
    """What the site's own script sends (Sec-Fetch-Site: same-origin, or an Origin naming this host) is counted."""
    url = reverse("search:event")
    assert client.post(url, {"q": "大米", "results": 1}, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert client.post(url, {"q": "大米", "results": 1}, headers={"Origin": "http://testserver"}).status_code == 200
    assert SearchTerm.objects.get().searches == 2


@pytest.mark.parametrize("endpoint", ["search:event", "search:click"])
def test_a_flood_from_one_client_is_refused_with_429_and_counts_nothing_more(client, endpoint):
    """Past EVENTS_PER_CLIENT reports in the window a client gets 429 (Retry-After) and the tables stop growing;
    another client is still counted."""
    event = report_search(client, "香梨", REMOTE_ADDR="198.51.100.1")
    data = {"q": "flood", "results": 1} if endpoint == "search:event" else {"id": event, "page": 1, "position": 1}

    def flood(n):
        # A new page per click, so each would count if it were let through.
        return client.post(reverse(endpoint), {**data, "page": n + 1}, REMOTE_ADDR="203.0.113.5")

    assert all(flood(n).status_code in (200, 204) for n in range(views.EVENTS_PER_CLIENT))
    counted = (SearchEvent.objects.count(), SearchClick.objects.count())
    refused = flood(views.EVENTS_PER_CLIENT)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert (SearchEvent.objects.count(), SearchClick.objects.count()) == counted
    assert client.post(reverse(endpoint), data, REMOTE_ADDR="198.51.100.2").status_code in (200, 204)
    # The limit's counters are keyed on a signature: the cache holds no address either.
    assert not any("203.0.113.5" in str(key) for key in cache._cache)  # noqa: SLF001 -- locmem's own store


def test_the_limit_counts_the_client_behind_the_proxy_not_what_it_forges(client, settings):
    """Behind one proxy, a client cannot escape the limit by forging X-Forwarded-For hops of its own."""
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "HTTP_X_FORWARDED_FOR", 1
    url = reverse("search:event")

    def report(forwarded):
        return client.post(url, {"q": "大米", "results": 1}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for n in range(views.EVENTS_PER_CLIENT):
        assert report(f"192.0.2.{n}, 203.0.113.5").status_code == 200
    assert report("192.0.2.250, 203.0.113.5").status_code == 429
    assert report("203.0.113.6").status_code == 200  # another shopper behind the same proxy


def test_random_queries_cannot_grow_the_table_without_bound(client, monkeypatch):
    """Past MAX_TERMS the rarest, stalest terms make room; a frequent query keeps its count."""
    monkeypatch.setattr(analytics, "MAX_TERMS", 20)
    monkeypatch.setattr(analytics, "MAX_EVENTS", 30)
    for _ in range(5):
        report_search(client, "大米")
    for n in range(60):  # from many addresses, as a flood past one client's rate limit would come
        report_search(client, f"random-{n}-zqx", REMOTE_ADDR=f"192.0.2.{n}")
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
