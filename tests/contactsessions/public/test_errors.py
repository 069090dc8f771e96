"""Errors for people and programs: pages in the site's layout, JSON with CORS under /api/."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contactsessions.public import selectors as public_selectors

pytestmark = pytest.mark.django_db


def test_a_wrong_address_gets_a_page_in_the_sites_layout_with_a_way_home_and_search(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<meta name="viewport"' in body
    assert "Page not found" in body
    assert f'href="{reverse("public:home")}"' in body
    assert 'role="search"' in body and 'name="q"' in body


def test_an_unknown_ward_gets_the_same_page(client):
    response = client.get(reverse("public:ward", args=["E05999999"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_failure_gets_a_page_in_the_sites_layout(monkeypatch, db):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(public_selectors, "search_places", broken)
    response = Client(raise_request_exception=False).get(reverse("public:home"), {"q": "camden"})
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, something went wrong" in body and 'role="search"' in body


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/api/metropolitan/E05999999", "/api/forces/nope"])
def test_every_api_not_found_is_json_with_cors(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Not found"}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_api_failure_is_json_with_cors(monkeypatch, db):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(public_selectors, "upcoming_london_sessions", broken)
    response = Client(raise_request_exception=False).get(reverse("api:sessions-csv"))
    assert response.status_code == 500
    assert "error" in response.json()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_304_keeps_cors(client):
    url = reverse("api:forces")
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_cors_preflight_for_get_is_answered(client):
    response = client.options(
        reverse("api:forces"),
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_other_methods_on_the_api_get_a_json_405_with_cors(client):
    response = client.post(reverse("api:forces"))
    assert response.status_code == 405
    assert response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_outside_client_writing_to_the_api_gets_the_json_405_not_a_csrf_page(method, ward):
    # A program sends no CSRF cookie: the middleware refused it with Django's HTML 403 page.
    client = Client(enforce_csrf_checks=True)
    for url in (reverse("api:forces"), reverse("api:events", args=[ward.code])):
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert response.json()["error"]
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "GET" in response["Allow"]


def test_a_form_posted_without_its_token_is_still_refused_elsewhere(ward):
    response = Client(enforce_csrf_checks=True).post(reverse("alerts:subscribe", args=[ward.code]))
    assert response.status_code == 403


def test_a_304_from_the_public_cache_keeps_cors(client):
    url = reverse("api:neighbourhoods")
    first = client.get(url)  # stored in the cache
    response = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 304
    assert response["Access-Control-Allow-Origin"] == "*"
