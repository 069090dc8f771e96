"""Public endpoints are rate-limited per client; a 429 says when to try again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contactsessions.lib.clientip import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limits(settings):
    settings.PUBLIC_RATE_LIMITS = {"search": "3/m", "api": "3/m", "pages": "3/m", "feeds": "3/m"}


def test_searches_over_the_limit_are_told_when_to_retry(client, low_limits):
    for n in range(3):
        assert client.get(reverse("locate:postcode"), {"q": f"NW1 {n}AA"}).status_code == 200
    refused = client.get(reverse("locate:postcode"), {"q": "NW1 9ZZ"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert f"try again in {refused['Retry-After']} seconds" in refused.content.decode()
    assert "no-store" in refused["Cache-Control"]


def test_the_api_answers_429_in_json(client, low_limits):
    for n in range(3):
        client.get(reverse("api:locate-neighbourhood"), {"q": f"51.5{n},-0.13"})
    refused = client.get(reverse("api:locate-neighbourhood"), {"q": "51.59,-0.13"})
    assert refused.status_code == 429
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert "Try again in" in refused.json()["error"]


def test_each_client_has_its_own_count(client, low_limits):
    url = reverse("public:home")
    for n in range(4):
        client.get(url, {"q": f"search {n}"}, REMOTE_ADDR="203.0.113.1")
    assert client.get(url, {"q": "search"}, REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.get(url, {"q": "search"}, REMOTE_ADDR="203.0.113.2").status_code == 200


def test_answers_from_the_public_cache_are_not_counted(client, low_limits, ward):
    url = reverse("public:ward", args=[ward.code])
    for _ in range(10):
        assert client.get(url).status_code == 200


def test_a_429_is_never_stored_in_the_public_cache(client, low_limits, settings):
    url = reverse("public:home")
    for _ in range(4):
        client.get(url, {"q": "pancras"}, REMOTE_ADDR="203.0.113.1")  # first stored, the rest hits
    for n in range(4):
        client.get(url, {"q": f"x{n}"}, REMOTE_ADDR="203.0.113.1")
    assert client.get(url, {"q": "x3"}, REMOTE_ADDR="203.0.113.2").status_code == 200


def test_the_client_address_is_the_remote_address(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"
