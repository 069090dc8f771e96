"""No 500 when the database blinks (issue 17; docs/reliability.md).

The database is made unreachable by making every new cursor raise ``OperationalError``,
as psycopg does when PostgreSQL restarts under a request.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from html import unescape

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactsessions.lib.outage import RETRY_AFTER, server_error
from contactsessions.lib.public_cache import public_cache_bump
from contactsessions.models import ContactSession

pytestmark = pytest.mark.django_db


class Outage:
    """Makes the database unreachable (``down()``) and reachable again (``up()``)."""

    def __init__(self):
        self.wrapper = connections[DEFAULT_DB_ALIAS]

    def down(self) -> None:
        def unreachable(*args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        self.wrapper.cursor = unreachable  # an instance attribute hides the method

    def up(self) -> None:
        vars(self.wrapper).pop("cursor", None)

    __call__ = down


@pytest.fixture
def database_down():
    outage = Outage()
    yield outage
    outage.up()


@pytest.fixture
def session(make_session):
    return make_session(timezone.now() + dt.timedelta(days=3), 60)


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.WARNING)
    yield caplog
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


def test_a_cached_public_page_is_served_while_the_database_is_down(client, ward, session, database_down,
                                                                    no_errors_logged):  # fmt: skip
    url = reverse("public:ward", args=[ward.code])
    page = client.get(url).content
    database_down()
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == page


def test_a_stale_copy_is_served_while_the_database_is_down(client, ward, session, database_down, no_errors_logged):
    urls = [reverse("public:ward", args=[ward.code]), reverse("api:events", args=[ward.code])]
    pages = [client.get(url).content for url in urls]
    public_cache_bump()  # something changed: the stored pages are no longer fresh
    database_down()
    for url, page in zip(urls, pages, strict=True):
        response = client.get(url + "?utm_source=x")
        assert response.status_code == 200, url
        assert response.content == page


def test_a_made_up_session_cookie_still_gets_the_cached_page(client, ward, session, database_down):
    url = reverse("public:ward", args=[ward.code])
    page = client.get(url).content
    database_down()
    client.cookies["sessionid"] = "0123456789abcdefghijklmnopqrstuv"
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == page


def test_an_uncached_page_is_a_503_with_retry_after(client, ward, database_down, no_errors_logged):
    database_down()
    response = client.get(reverse("public:borough", args=[ward.borough.code]))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "briefly unavailable" in response.content.decode()
    api = client.get(reverse("api:events", args=[ward.code]))
    assert api.status_code == 503
    assert api.json()["retry_after"] == RETRY_AFTER


def test_a_signed_in_page_is_a_503(client, officer, database_down, no_errors_logged):
    client.force_login(officer)
    database_down()
    response = client.get(reverse("officer:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)


def hidden_fields(html: str) -> list[tuple[str, str]]:
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)
    ]


def test_a_post_keeps_what_the_user_typed_and_can_be_sent_again(officer, ward, venue, soon, database_down,
                                                                 no_errors_logged):  # fmt: skip
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    url = reverse("officer:session-propose", args=[ward.pk])
    token = browser.get(url).context["csrf_token"]
    typed = {
        "date": soon.isoformat(),
        "start_time": "18:00",
        "end_time": "19:00",
        "venue": venue.pk,
        "format": "surgery",
        "officers": [officer.officer.pk],
        "new_venue_kind": "other",
        "description": 'Bring "bikes" <for marking> & ID',
    }
    database_down()
    refused = browser.post(url, {**typed, "csrfmiddlewaretoken": token})
    assert refused.status_code == 503
    assert refused["Retry-After"] == str(RETRY_AFTER)
    # Never kept by a cache (the back office adds "private" to a signed-in answer).
    assert "no-store" in refused["Cache-Control"].split(", ")
    html = refused.content.decode()
    assert f'action="{url}"' in html
    assert "&lt;for marking&gt;" in html  # shown escaped, never as markup
    fields = hidden_fields(html)
    assert ("description", typed["description"]) in fields
    assert ("officers", str(officer.officer.pk)) in fields

    database_down.up()  # the database is back: one click sends it again
    assert not ContactSession.objects.exists()
    again = browser.post(url, dict(fields[:1]) | _as_post(fields[1:]))
    assert again.status_code == 302
    assert ContactSession.objects.get().description == typed["description"]


def _as_post(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def test_a_posted_password_is_not_put_back_into_the_page(client, officer, database_down):
    database_down()
    response = client.post(reverse("login"), {"username": officer.username, "password": "typed-secret"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "typed-secret" not in html
    assert ("username", officer.username) in hidden_fields(html)
    assert "Passwords and attached files are not kept" in html


def test_an_outage_outside_a_view_is_a_503_too(rf):
    request = rf.get("/office/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)


def test_other_errors_are_still_a_500(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500


def test_the_health_check_says_the_database_is_unreachable(client, database_down):
    database_down()
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
