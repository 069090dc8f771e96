"""The iCalendar feeds: valid RFC 5545 read by two independent parsers."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from contactsessions.models import SessionStatus
from contactsessions.public.ical import session_uid, sessions_to_ical

pytestmark = pytest.mark.django_db


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def feed(client, ward, make_session):
    approved = make_session(soon(3), description="Bring your bike; commas, and\nnew lines")
    cancelled = make_session(soon(5), status=SessionStatus.CANCELLED, cancellation_reason="Venue closed")
    for status in (SessionStatus.DRAFT, SessionStatus.PROPOSED, SessionStatus.REJECTED, SessionStatus.WITHDRAWN):
        make_session(soon(6), status=status)
    response = client.get(reverse("public:ward-ical", args=[ward.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content, approved, cancelled


def test_ward_feed_parses_with_icalendar(feed):
    body, approved, cancelled = feed
    cal = icalendar.Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {session_uid(approved), session_uid(cancelled)}
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    event = events[session_uid(approved)]
    assert event.decoded("DTSTART") == approved.start
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(reverse("public:session", args=[approved.pk]))
    assert "commas, and\nnew lines" in str(event["DESCRIPTION"])
    assert str(events[session_uid(cancelled)]["STATUS"]) == "CANCELLED"


def test_ward_feed_parses_with_vobject(feed):
    body, approved, cancelled = feed
    cal = vobject.readOne(body.decode())
    events = {e.uid.value: e for e in cal.vevent_list}
    assert set(events) == {session_uid(approved), session_uid(cancelled)}
    assert events[session_uid(approved)].dtstart.value == approved.start
    assert events[session_uid(cancelled)].status.value == "CANCELLED"
    assert cal.vtimezone.tzid.value == "Europe/London"


def test_sequence_follows_the_session_and_uid_is_stable(ward, make_session):
    session = make_session(soon())
    first = icalendar.Calendar.from_ical(sessions_to_ical([session])).walk("VEVENT")[0]
    session.start, session.end, session.sequence = soon(hour=14), soon(hour=15), 2
    session.save()
    second = icalendar.Calendar.from_ical(sessions_to_ical([session])).walk("VEVENT")[0]
    assert first["UID"] == second["UID"]
    assert int(first["SEQUENCE"]) == 0
    assert int(second["SEQUENCE"]) == 2


def test_uid_uses_our_host(settings, ward, make_session):
    settings.SITE_URL = "https://contact.example.org"
    session = make_session(soon())
    assert session_uid(session) == f"contactsession-{session.pk}@contact.example.org"


def test_summer_and_winter_times_are_right(ward, make_session):
    summer = make_session(dt.datetime(2030, 7, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    winter = make_session(dt.datetime(2030, 12, 2, 10, tzinfo=dt.UTC))
    cal = icalendar.Calendar.from_ical(sessions_to_ical([summer, winter]))
    starts = sorted(e.decoded("DTSTART") for e in cal.walk("VEVENT"))
    assert [s.astimezone(dt.UTC).hour for s in starts] == [9, 10]
    assert [s.hour for s in starts] == [10, 10]


def test_empty_feed_is_still_valid(client, ward):
    body = client.get(reverse("public:ward-ical", args=[ward.code])).content
    cal = icalendar.Calendar.from_ical(body)
    assert cal.walk("VEVENT") == []
    vobject.readOne(body.decode())


def test_borough_feed_has_every_ward(client, camden, ward, other_ward, make_session, other_venue):
    make_session(soon(2))
    make_session(soon(3), ward=other_ward, venue=other_venue)
    body = client.get(reverse("public:borough-ical", args=[camden.code])).content
    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == 2
    assert len(vobject.readOne(body.decode()).vevent_list) == 2


def test_unknown_ward_feed_is_404(client, db):
    assert client.get(reverse("public:ward-ical", args=["E05999999"])).status_code == 404


def test_feed_never_contains_unpublished_sessions_even_if_passed_one(ward, make_session):
    draft = make_session(soon(), status=SessionStatus.DRAFT)
    assert icalendar.Calendar.from_ical(sessions_to_ical([draft])).walk("VEVENT") == []


def test_timezone_covers_sessions_years_ahead(ward, make_session):
    far = make_session(dt.datetime(timezone.localdate().year + 4, 7, 1, 10, tzinfo=dt.UTC))
    body = sessions_to_ical([far]).decode()
    unfolded = body.replace("\r\n ", "")
    assert f"{far.start.year}03" in unfolded  # the spring-forward of the session's year is listed
    assert vobject.readOne(body).vevent.dtstart.value.utcoffset() == dt.timedelta(hours=1)


def test_unchanged_feed_is_byte_identical(ward, make_session):
    session = make_session(soon())
    assert sessions_to_ical([session]) == sessions_to_ical([session])


def test_control_characters_typed_or_pasted_stay_out_of_the_feed(client, ward, venue, make_session):
    # RFC 5545 TEXT holds no control character but HTAB: Word's line break (a vertical tab),
    # a form feed or an escape pasted into a description made the feed invalid.
    venue.name = "Hall\x07"
    venue.save()
    session = make_session(soon(3), description="Line one\x0bLine two\x0cthree \x1b[31mred\x7f")
    make_session(soon(4), status=SessionStatus.CANCELLED, cancellation_reason="Flood\x1bed\x1f")
    body = client.get(reverse("public:ward-ical", args=[ward.code])).content
    assert not [b for b in body if b < 0x20 and b not in b"\t\r\n" or b == 0x7F]
    event = next(e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if e["UID"] == session_uid(session))
    assert "Line one\nLine two\nthree [31mred" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]).startswith("Hall, ")
