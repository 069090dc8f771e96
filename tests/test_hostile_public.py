"""Property-based tests: the public search, postcode and location look-ups and the open-data
API fed hostile values. Every answer is a page, a redirect, 400 or 404 — never a 500 — and
GET never writes."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.hostile import assert_acceptable, carries_nul, number_values, row_counts, text_values

pytestmark = pytest.mark.django_db

API_TAILS = ["", "/events", "/people", "/priorities"]


@pytest.fixture
def published(ward, make_session, soon):
    from tests.conftest import london

    return make_session(london(soon.year, soon.month, soon.day, 10))


@pytest.mark.parametrize("path", ["/", "/postcode/", "/api/locate-neighbourhood"])
def test_search_boxes_survive_hostile_queries(client, published, path):
    @given(q=st.one_of(text_values(), number_values(), st.just("51.5,-0.13"), st.just("NW1 1EE")))
    @example(q="\x00")
    @example(q="NW1\x001EE")
    @example(q="x" * 100_000)
    def check(q):
        before = row_counts()
        response = client.get(path, {"q": q})
        assert_acceptable(response)
        if carries_nul(q):
            assert response.status_code == 400
            assert b"NUL" in response.content
        assert row_counts() == before

    check()


def test_locate_survives_hostile_coordinates(client, published):
    coordinate = st.one_of(number_values(), st.floats().map(repr), st.sampled_from(["51.53", "-0.13", "1e400"]))

    @given(lat=coordinate, lng=coordinate)
    @example(lat="nan", lng="nan")
    @example(lat="inf", lng="-inf")
    @example(lat=str(10**20), lng=str(-(10**20)))
    def check(lat, lng):
        response = client.get("/locate/", {"lat": lat, "lng": lng})
        assert_acceptable(response)
        assert response.status_code in (302, 400, 404)

    check()


@pytest.mark.parametrize("tail", API_TAILS)
def test_api_ward_paths_survive_hostile_codes(client, published, tail):
    @given(code=st.one_of(text_values(), st.just("E05000143")))
    @example(code="\x00")
    @example(code="E05000143\x00")
    @example(code="'; DROP TABLE wards_ward; --")
    def check(code):
        response = client.get(f"/api/metropolitan/{quote(code, safe='')}{tail}")
        assert_acceptable(response)
        if response.status_code in (200, 404) and response["Content-Type"].startswith("application/json"):
            response.json()  # always valid JSON

    check()


@pytest.mark.parametrize("pattern", ["/wards/{}/", "/boroughs/{}/", "/wards/{}/sessions.ics", "/wards/{}/share/"])
def test_public_pages_survive_hostile_codes(client, published, pattern):
    @given(code=text_values(), week=st.one_of(text_values(), st.just("2027-03-28")))
    @example(code="\x00", week="")
    @example(code="E05000143", week="\x00")
    @example(code="E05000143", week="9999-12-31")
    @example(code="E05000143", week="0001-01-01")
    def check(code, week):
        response = client.get(pattern.format(quote(code, safe="")), {"week": week})
        assert_acceptable(response)

    check()


def test_nul_in_the_address_gets_a_clear_message_not_a_500(client, ward):
    """Regression: /api/metropolitan/%00 and ?ward=%00 reached PostgreSQL, which refuses NUL in text."""
    for url in ["/api/metropolitan/%00", "/wards/%00/", "/?q=%00", "/postcode/?q=a%00b", "/?x%00=1"]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/wards/E05000143/", "/office/", "/api/forces"])
def test_a_session_cookie_holding_nul_is_a_visit_without_one_not_a_500(client, ward, url):
    """Regression: the session key went to PostgreSQL, which refuses NUL in text (a 500
    before any view, on every page). No browser sets such a cookie: it is ignored."""
    client.cookies["sessionid"] = "abcdefghij\x00klmnop"
    response = client.get(url)
    assert response.status_code in (200, 302), url
