"""The smaller promises: share texts of sessions to come, use my location at home, copy buttons
only with JavaScript, schema.org on ward and borough pages, an Outlook.com link."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contactsessions.public import sharing

pytestmark = pytest.mark.django_db


def json_ld(body: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))


def test_the_week_share_text_counts_only_sessions_still_to_come(client, ward, make_session):
    now = timezone.now()
    past = make_session(now - dt.timedelta(hours=3))
    coming = make_session(now + dt.timedelta(hours=3))
    week = timezone.localtime(now).date()
    response = client.get(reverse("public:ward-share", args=[ward.code]), {"week": week.isoformat()})
    long_post = response.context["post_long"]
    assert sharing.when(coming) in long_post
    assert sharing.when(past) not in long_post


def test_home_offers_use_my_location_and_explains_ward(client, camden):
    body = client.get(reverse("public:home")).content.decode()
    assert 'id="use-my-location"' in body and "js/locate.js" in body
    assert "A ward is the small area of a borough" in body


def test_copy_buttons_are_hidden_until_javascript_shows_them(client, make_session):
    session = make_session(timezone.now() + dt.timedelta(days=2))
    body = client.get(reverse("public:session", args=[session.pk])).content.decode()
    buttons = re.findall(r"<button[^>]*data-copy-target[^>]*>", body)
    assert buttons and all(" hidden" in b for b in buttons)


def test_session_page_links_outlook_com_beside_office_365(client, make_session):
    session = make_session(timezone.now() + dt.timedelta(days=2))
    body = client.get(reverse("public:session", args=[session.pk])).content.decode()
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in body
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in body


def test_ward_page_has_its_upcoming_events_as_schema_org(client, ward, make_session):
    sessions = [make_session(timezone.now() + dt.timedelta(days=d)) for d in (2, 9)]
    data = json_ld(client.get(reverse("public:ward", args=[ward.code])).content.decode())
    assert data["@type"] == "ItemList"
    events = [item["item"] for item in data["itemListElement"]]
    assert [e["url"] for e in events] == [sharing.public_session_url(s) for s in sessions]
    assert all(e["@type"] == "Event" for e in events)


def test_borough_page_has_its_wards_next_events_as_schema_org(client, camden, ward, make_session):
    session = make_session(timezone.now() + dt.timedelta(days=2))
    data = json_ld(client.get(reverse("public:borough", args=[camden.code])).content.decode())
    assert data["itemListElement"][0]["item"]["url"] == sharing.public_session_url(session)


def test_schema_org_text_cannot_close_the_script(client, ward, venue, make_session):
    venue.name = "</script><script>alert(1)</script>"
    venue.save()
    make_session(timezone.now() + dt.timedelta(days=2))
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "</script><script>alert(1)" not in body
