"""Online and hybrid sessions on the public side: pages, JSON-LD, iCal, the API and the CSV.
The joining link is published only for approved sessions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from contactsessions import services
from contactsessions.models import SessionStatus
from contactsessions.services import SessionDetails
from tests.conftest import london

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/j/42?pwd=s3cret"


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def online(make_session):
    return make_session(soon(3), attendance_mode="online", joining_link=LINK, venue=None)


@pytest.fixture
def hybrid(make_session):
    return make_session(soon(4), attendance_mode="hybrid", joining_link=LINK)


def json_ld(body: str):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))


def page(client, session) -> str:
    response = client.get(reverse("public:session", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_online_session_page_says_online_gives_the_link_and_no_venue(client, online, venue):
    body = page(client, online)
    assert "Online only: there is no venue." in body
    assert f'href="{LINK.replace("&", "&amp;")}"' in body
    assert venue.name not in body
    data = json_ld(body)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": LINK}


def test_hybrid_session_page_has_the_venue_and_the_link(client, hybrid, venue):
    body = page(client, hybrid)
    assert venue.name in body and "You can also join online." in body and LINK in body
    data = json_ld(body)
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert (place["@type"], place["name"], place["address"]["postalCode"]) == ("Place", venue.name, venue.postcode)
    assert virtual == {"@type": "VirtualLocation", "url": LINK}


def test_in_person_session_page_is_offline_as_before(client, make_session, venue):
    data = json_ld(page(client, make_session(soon(3))))
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"


def test_a_cancelled_online_session_hides_its_link(client, make_session):
    cancelled = make_session(
        soon(3), attendance_mode="online", joining_link=LINK, venue=None,
        status=SessionStatus.CANCELLED, cancellation_reason="Officers called away",
    )  # fmt: skip
    body = page(client, cancelled)
    assert LINK not in body
    assert json_ld(body)["location"]["url"].endswith(reverse("public:session", args=[cancelled.pk]))


def test_a_proposal_and_its_link_never_reach_the_public(client, ward, make_session):
    proposal = make_session(soon(3), attendance_mode="online", joining_link=LINK, venue=None, status="proposed")
    assert client.get(reverse("public:session", args=[proposal.pk])).status_code == 404
    for url in (
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-ical", args=[ward.code]),
        f"/api/metropolitan/{ward.code}/events",
        reverse("api:sessions-csv"),
    ):
        assert LINK not in client.get(url).content.decode(), url


def test_ward_page_and_poster_show_how_to_attend(client, ward, online, hybrid, venue):
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "Online only" in body and "In person and online" in body
    assert body.count("Join online") == 2
    poster = client.get(reverse("public:ward-poster", args=[ward.code])).content.decode()
    assert "<td>online</td>" in poster and f"<td>{venue.name} and online</td>" in poster


def test_ward_feed_carries_location_url_and_conference(client, ward, online, hybrid, venue):
    body = client.get(reverse("public:ward-ical", args=[ward.code])).content
    events = {str(e["UID"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    remote = events[f"contactsession-{online.pk}"]
    both = events[f"contactsession-{hybrid.pk}"]
    assert str(remote["LOCATION"]) == "Online"
    assert "GEO" not in remote
    assert str(remote["CONFERENCE"]) == LINK
    assert remote["CONFERENCE"].params["VALUE"] == "URI"
    # RFC 7986's FEATURE lists two values (FEATURE=AUDIO,VIDEO), not one quoted "AUDIO,VIDEO".
    assert remote["CONFERENCE"].params["FEATURE"] == ["AUDIO", "VIDEO"]
    assert b"FEATURE=AUDIO,VIDEO;" in body.replace(b"\r\n ", b"")
    assert str(remote["URL"]).endswith(reverse("public:session", args=[online.pk]))
    assert f"Join online: {LINK}" in str(remote["DESCRIPTION"])
    assert str(both["LOCATION"]).startswith(venue.name) and str(both["LOCATION"]).endswith("and online")
    assert str(both["CONFERENCE"]) == LINK


def test_in_person_events_have_no_conference(client, ward, make_session):
    make_session(soon(3))
    body = client.get(reverse("public:ward-ical", args=[ward.code])).content
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert "CONFERENCE" not in event


def test_api_events_say_how_to_attend_beside_the_national_fields(client, ward, online, hybrid, make_session):
    make_session(soon(5))
    events = client.get(f"/api/metropolitan/{ward.code}/events").json()
    assert [(e["attendance_mode"], e["online_url"]) for e in events] == [
        ("online", LINK),
        ("hybrid", LINK),
        ("in_person", None),
    ]
    assert events[0]["address"] == "Online"
    assert all(e["type"] == "meeting" and e["start_date"] for e in events)


def test_sessions_csv_adds_mode_and_link_at_the_end_and_leaves_venue_blank_online(client, online, hybrid, venue):
    rows = list(csv.reader(io.StringIO(client.get(reverse("api:sessions-csv")).content.decode())))
    header, first, second = rows
    assert header[-2:] == ["attendance_mode", "online_url"]
    assert header[:9] == ["id", "status", "start", "end", "format", "borough", "ward_code", "ward", "venue"]
    by_name = [dict(zip(header, row, strict=True)) for row in (first, second)]
    assert (by_name[0]["venue"], by_name[0]["postcode"], by_name[0]["attendance_mode"]) == ("", "", "online")
    assert by_name[0]["online_url"] == LINK
    assert (by_name[1]["venue"], by_name[1]["attendance_mode"]) == (venue.name, "hybrid")


def test_share_texts_say_online(client, online, ward):
    response = client.get(reverse("public:session", args=[online.pk]))
    assert ":00 online. All welcome." in response.context["post_short"]
    assert f"Join online: {LINK}" in response.context["post_long"]


def test_the_session_page_shows_the_link_once_the_board_approves_going_hybrid(
    client, ward, venue, officer, board_member
):
    day = timezone.localdate() + dt.timedelta(days=10)
    start = london(day.year, day.month, day.day, 18)

    def details(mode, link):
        return SessionDetails(
            start=start, end=start + dt.timedelta(hours=1), venue=venue, officers=[officer.officer],
            attendance_mode=mode, joining_link=link,
        )  # fmt: skip

    session = services.session_propose(by=officer, ward=ward, details=details("in_person", ""))
    session = services.session_approve(session=session, by=board_member, version=session.version)
    assert LINK not in page(client, session)  # now cached
    session = services.session_update(
        session=session, by=officer, version=session.version, details=details("hybrid", LINK)
    )
    body = page(client, session)
    assert LINK not in body and "A change to this session is under review" in body
    services.session_approve(session=session, by=board_member, version=session.version)
    body = page(client, session)
    assert LINK in body
    assert json_ld(body)["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"


def test_week_share_text_says_where_or_online(client, ward, online, hybrid, venue):
    from contactsessions.public import sharing

    text = sharing.week_post_short(ward, [online, hybrid])
    assert ":00 online;" in text and f":00 at {venue.name} and online." in text
