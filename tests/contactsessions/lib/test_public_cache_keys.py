"""The public cache keys on what changes the answer: the path and the parameters the view reads.

A made-up query parameter, a tracking parameter or a made-up cookie must not turn a
cached page into a rebuild, and a page that depends on a parameter must never be served
for another value of it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(make_session):
    return make_session(timezone.now() + dt.timedelta(days=3), 60)


def test_made_up_and_tracking_parameters_are_served_from_the_cache(client, ward, session, django_assert_num_queries):
    urls = [
        reverse("public:ward", args=[ward.code]),
        reverse("public:borough-ical", args=[ward.borough.code]),
        reverse("api:events", args=[ward.code]),
    ]
    for url in urls:
        first = client.get(url)
        with django_assert_num_queries(0):
            for query in ("?x=8f3a1c", "?utm_source=newsletter&utm_medium=email", "?fbclid=abc&gclid=def&x=1"):
                again = client.get(url + query)
                assert again.status_code == 200
                assert again.content == first.content, url + query


def test_a_declared_parameter_is_cached_per_value_in_any_order(client, ward, django_assert_num_queries):
    home, link = reverse("public:home"), reverse("public:ward", args=[ward.code])
    found = client.get(home + "?q=pancras&utm_source=x").content.decode()
    assert link in found
    assert link not in client.get(home + "?q=nowhere").content.decode()
    with django_assert_num_queries(0):
        assert client.get(home + "?utm_campaign=y&q=pancras").content.decode() == found


def test_the_view_sees_only_the_parameters_it_declared(client, ward, session):
    url = reverse("public:ward-share", args=[ward.code])
    # ward_share reads ?week= only; nothing else reaches it, so nothing else can change its answer.
    week = "2031-03-10"
    with_extra = client.get(f"{url}?zzz=1&week={week}&aaa=2")
    assert with_extra.status_code == 200
    assert with_extra.wsgi_request.GET.dict() == {"week": week}
    assert with_extra.wsgi_request.get_full_path() == f"{url}?week={week}"
    other_week = client.get(f"{url}?week=2031-03-17")
    assert other_week.content != with_extra.content


def test_a_made_up_session_cookie_is_served_from_the_cache(client, ward, session, django_assert_max_num_queries):
    url = reverse("public:ward", args=[ward.code])
    page = client.get(url).content
    for made_up in ("x", "0123456789abcdefghijklmnopqrstuv"):
        client.cookies["sessionid"] = made_up
        # At most the one look-up in the session store that finds no such session.
        with django_assert_max_num_queries(1):
            response = client.get(url)
        assert response.content == page
        assert "Back office" not in response.content.decode()


def test_a_made_up_messages_cookie_is_served_from_the_cache(client, ward, session, django_assert_num_queries):
    url = reverse("public:ward", args=[ward.code])
    page = client.get(url).content
    client.cookies["messages"] = "forged:message:cookie"
    with django_assert_num_queries(0):
        assert client.get(url).content == page


def test_a_real_message_is_shown_not_a_cached_page(client, rf, ward, session):
    url = reverse("public:ward", args=[ward.code])
    client.get(url)
    storage = CookieStorage(rf.get(url))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Your session was withdrawn.")])
    assert "Your session was withdrawn." in client.get(url).content.decode()


def test_a_signed_in_officer_is_never_served_the_anonymous_page(client, ward, session, officer):
    url = reverse("public:ward", args=[ward.code])
    assert "Back office" not in client.get(url).content.decode()
    client.force_login(officer)
    assert "Back office" in client.get(url + "?utm_source=x").content.decode()


def test_a_stale_page_is_not_served_while_the_database_is_up(client, ward, session, venue):
    url = reverse("public:ward", args=[ward.code])
    client.get(url)
    venue.name = "Renamed Hall"
    venue.save()  # bumps the generation: the stored page is kept, but only for an outage
    assert "Renamed Hall" in client.get(url).content.decode()
