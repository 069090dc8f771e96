"""Proposing, changing and deciding online and hybrid sessions through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from contactsessions import services
from contactsessions.models import ContactSession, EnhancedDesignation, EnhancedSlot, SessionStatus
from contactsessions.services import NewVenue, ServiceError, SessionDetails
from tests.conftest import london

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/j/123?pwd=abc"


@pytest.fixture
def details(officer, venue, soon):
    def build(mode="hybrid", link=LINK, day=None, hour=18, **extra):
        day = day or soon + dt.timedelta(days=2)
        start = london(day.year, day.month, day.day, hour)
        fields = {
            "start": start,
            "end": start + dt.timedelta(hours=1),
            "venue": None if mode == "online" else venue,
            "officers": [officer.officer],
            "attendance_mode": mode,
            "joining_link": link,
        }
        fields.update(extra)
        return SessionDetails(**fields)

    return build


def refused(officer, ward, details) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=officer, ward=ward, details=details)
    assert not ContactSession.objects.exists()
    return exc.value


def test_a_hybrid_session_keeps_its_venue_and_link(officer, ward, venue, details):
    session = services.session_propose(by=officer, ward=ward, details=details("hybrid", f"  {LINK} "))
    session.refresh_from_db()
    assert (session.attendance_mode, session.joining_link, session.venue) == ("hybrid", LINK, venue)


def test_an_online_only_session_has_no_venue(officer, ward, details):
    session = services.session_propose(by=officer, ward=ward, details=details("online"))
    session.refresh_from_db()
    assert session.venue is None
    assert session.place_name == "online"


def test_an_in_person_session_needs_no_link(officer, ward, details):
    session = services.session_propose(by=officer, ward=ward, details=details("in_person", ""))
    assert session.joining_link == ""


@pytest.mark.parametrize("mode", ["online", "hybrid"])
@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("", "session.link_required"),
        ("   ", "session.link_required"),
        ("http://meet.example.org/j/1", "session.link_not_https"),
        ("meet.example.org/j/1", "session.link_not_https"),
        ("javascript:alert(1)", "session.link_not_https"),
        ("https://", "session.link_invalid"),
        ("https://not a host/j", "session.link_space"),
        ("https://meet.example.org/j/1\nhttps://evil.example/", "session.link_space"),
        ("https://user:pass@evil.com/", "session.link_userinfo"),
        ("https://meet.met.police.uk@evil.com/", "session.link_userinfo"),
        ("https://127.0.0.1/", "session.link_ip_host"),
        ("https://[::1]/j/1", "session.link_ip_host"),
        ("https://[2001:db8::1]:8443/", "session.link_ip_host"),
        ("https://meet.example.org/j/1\u202egpj.exe", "session.link_hidden_characters"),
        ("https://meet.example\u200b.org/j/1", "session.link_hidden_characters"),
        ("\u2066https://meet.example.org/j/1", "session.link_hidden_characters"),
        ("https://meet.example.org/\u200fj", "session.link_hidden_characters"),
        ("https://meet.example.org/" + "a" * 500, "session.link_invalid"),
    ],
)
def test_a_joining_link_must_be_a_valid_https_address(officer, ward, details, mode, link, code):
    error = refused(officer, ward, details(mode, link))
    assert error.codes == [code]
    assert error.problems[0].field == "joining_link"


def test_a_link_typed_in_capitals_is_saved_with_its_scheme_and_host_in_lower_case(
    officer, ward, venue, details, board_member
):
    session = services.session_propose(
        by=officer, ward=ward, details=details("hybrid", " HTTPS://Meet.Example.ORG/j/AbC ")
    )
    session.refresh_from_db()
    assert session.joining_link == "https://meet.example.org/j/AbC"
    changed = services.session_update(
        session=session, by=officer, version=session.version, details=details("online", "Https://MEET.example.org/j/Q")
    )
    changed.refresh_from_db()
    assert changed.joining_link == "https://meet.example.org/j/Q"


def test_a_model_check_the_services_missed_is_a_refusal_not_a_crash(officer, ward, details):
    from contactsessions.services.sessions import clean_session

    session = services.session_propose(by=officer, ward=ward, details=details("online"))
    session.joining_link = "HTTPS://meet.example.org/j/1"  # what the database's check refuses
    with pytest.raises(ServiceError) as exc:
        clean_session(session)
    assert set(exc.value.codes) == {"session.invalid"}


def test_an_in_person_session_may_not_have_a_link(officer, ward, details):
    error = refused(officer, ward, details("in_person", LINK))
    assert error.codes == ["session.link_not_allowed"]


def test_an_online_only_session_may_not_name_a_venue(officer, ward, venue, details):
    assert refused(officer, ward, details("online", venue=venue)).codes == ["session.online_venue"]
    new = NewVenue(name="Hall", address="1 Road", postcode="NW1 1EE")
    assert refused(officer, ward, details("online", new_venue=new)).codes == ["session.online_venue"]


@pytest.mark.parametrize("mode", ["in_person", "hybrid"])
def test_a_session_met_in_person_needs_a_venue(officer, ward, details, mode):
    link = "" if mode == "in_person" else LINK
    assert refused(officer, ward, details(mode, link, venue=None)).codes == ["session.no_venue"]


def test_an_unknown_mode_is_refused(officer, ward, details):
    assert refused(officer, ward, details("telepathy", "")).codes == ["session.mode"]


def test_an_online_series_has_no_venue(officer, ward, details, soon):
    sessions = services.series_propose(by=officer, ward=ward, details=details("online"), weekday=2, count=3)
    assert len(sessions) == 3
    assert {(s.venue_id, s.attendance_mode, s.joining_link) for s in sessions} == {(None, "online", LINK)}
    assert sessions[0].series.venue is None


@pytest.fixture
def enhanced(ward, venue):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(18), end_time=dt.time(19))
    return designation


def test_an_enhanced_site_refuses_online_only_even_with_a_reason(officer, ward, details, enhanced, soon):
    wednesday = soon + dt.timedelta(days=(2 - soon.weekday()) % 7)
    error = refused(officer, ward, details("online", day=wednesday, off_pattern_reason="Snow"))
    assert error.codes == ["enhanced.online_only"]
    assert error.problems[0].field == "attendance_mode"
    session = services.session_propose(by=officer, ward=ward, details=details("hybrid", day=wednesday))
    assert session.attendance_mode == "hybrid"


def approve(session, board_member):
    return services.session_approve(session=session, by=board_member, version=session.version)


def test_going_online_after_approval_waits_for_the_board(officer, ward, venue, details, board_member):
    session = approve(services.session_propose(by=officer, ward=ward, details=details("in_person", "")), board_member)
    session = services.session_update(session=session, by=officer, version=session.version, details=details("online"))
    session.refresh_from_db()
    # The public keeps the approved version while the change waits.
    assert (session.attendance_mode, session.venue, session.joining_link) == ("in_person", venue, "")
    assert (session.pending_attendance_mode, session.pending_venue, session.pending_joining_link) == (
        "online",
        None,
        LINK,
    )
    assert session.has_pending_change and session.awaiting_decision
    assert session.public_joining_link == ""
    sequence = session.sequence
    session = approve(session, board_member)
    session.refresh_from_db()
    assert (session.attendance_mode, session.venue, session.joining_link) == ("online", None, LINK)
    assert (session.pending_attendance_mode, session.pending_joining_link, session.has_pending_change) == (
        "",
        "",
        False,
    )
    assert session.sequence == sequence + 1
    assert session.public_joining_link == LINK


def test_a_new_link_on_an_approved_session_waits_for_the_board_and_can_be_rejected(
    officer, ward, details, board_member
):
    session = approve(services.session_propose(by=officer, ward=ward, details=details("hybrid")), board_member)
    other = "https://meet.example.org/j/999"
    session = services.session_update(
        session=session, by=officer, version=session.version, details=details("hybrid", other)
    )
    assert session.pending_joining_link == other and session.joining_link == LINK
    session = services.session_reject(session=session, by=board_member, version=session.version, reason="Use Teams")
    session.refresh_from_db()
    assert (session.joining_link, session.pending_joining_link, session.has_pending_change) == (LINK, "", False)


def test_a_proposal_changed_to_online_applies_at_once(officer, ward, details):
    session = services.session_propose(by=officer, ward=ward, details=details("in_person", ""))
    session = services.session_update(session=session, by=officer, version=session.version, details=details("online"))
    session.refresh_from_db()
    assert (session.attendance_mode, session.venue, session.status) == ("online", None, SessionStatus.PROPOSED)


def test_the_database_refuses_a_session_whose_venue_or_link_does_not_fit_its_mode(ward, venue, officer):
    from django.db import IntegrityError, transaction

    start = london(2030, 1, 2, 18)
    base = {"ward": ward, "start": start, "end": start + dt.timedelta(hours=1), "created_by": officer}
    for bad in (
        {"attendance_mode": "online", "venue": venue, "joining_link": LINK},
        {"attendance_mode": "hybrid", "venue": None, "joining_link": LINK},
        {"attendance_mode": "hybrid", "venue": venue, "joining_link": "http://meet.example.org/"},
        {"attendance_mode": "in_person", "venue": venue, "joining_link": LINK},
        {"attendance_mode": "pigeon", "venue": venue, "joining_link": ""},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactSession.objects.create(**base, **bad)


def test_an_enhanced_online_refusal_keeps_the_other_problems(officer, ward, details, enhanced, soon):
    wednesday = soon + dt.timedelta(days=(2 - soon.weekday()) % 7)
    services.session_propose(by=officer, ward=ward, details=details("hybrid", day=wednesday))
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=officer, ward=ward, details=details("online", day=wednesday))
    assert exc.value.codes == ["officer.overlap", "enhanced.online_only"]
