"""Every write through services.py: proposing, changing, deciding, commenting, light touch."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from contactsessions import services
from contactsessions.models import (
    CommentKind,
    ContactSession,
    EnhancedDesignation,
    EnhancedSlot,
    SessionComment,
    SessionStatus,
)
from contactsessions.services import NewVenue, ServiceError, SessionDetails, StaleVersion
from tests.conftest import london
from venues.models import Venue

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minutes: int = 60, minute: int = 0) -> tuple[dt.datetime, dt.datetime]:
    start = london(day.year, day.month, day.day, hour, minute)
    return start, start + dt.timedelta(minutes=minutes)


@pytest.fixture
def details(officer, venue, soon):
    def build(day=None, hour=18, minutes=60, **extra):
        start, end = at(day or soon + dt.timedelta(days=2), hour, minutes)
        fields = {"start": start, "end": end, "venue": venue, "officers": [officer.officer]}
        fields.update(extra)
        return SessionDetails(**fields)

    return build


@pytest.fixture
def proposal(officer, ward, details):
    return services.session_propose(by=officer, ward=ward, details=details())


def test_officer_proposes_a_session_and_the_board_is_emailed(
    officer, ward, details, board_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_propose(by=officer, ward=ward, details=details())
    assert session.status == SessionStatus.PROPOSED
    assert session.created_by == officer
    assert list(session.officers.all()) == [officer.officer]
    assert session.comments.get().kind == CommentKind.PROPOSED
    assert [m.to for m in mail.outbox] == [[board_member.email]]
    message = mail.outbox[0]
    assert "/board/" in message.body
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.parametrize(
    ("hour", "minutes", "code"),
    [(9, 9 * 60, "session.too_long"), (23, 120, "session.not_same_day")],
)
def test_bad_times_are_refused_and_nothing_saved(officer, ward, details, hour, minutes, code):
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=officer, ward=ward, details=details(hour=hour, minutes=minutes))
    assert exc.value.codes == [code]
    assert not ContactSession.objects.exists()


def test_short_session_may_be_proposed_but_does_not_count(officer, ward, details):
    """A 30-minute street briefing is allowed; it just does not count towards the weekly hour."""
    from contactsessions import rules

    session = services.session_propose(by=officer, ward=ward, details=details(hour=18, minutes=30))
    assert session.status == "proposed"
    slot = rules.Slot(ward_id=ward.pk, start=session.start, end=session.end, status="approved")
    assert not rules.counts(slot)
    assert "does not count towards the ward's weekly hour" in rules.short_session_notice(session.start, session.end)


def test_session_in_the_past_is_refused(officer, ward, details):
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=officer, ward=ward, details=details(day=dt.date(2020, 3, 3)))
    assert exc.value.codes == ["session.in_past"]


def test_officer_cannot_be_at_two_sessions_at_once(officer, ward, details, proposal):
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=officer, ward=ward, details=details())
    assert exc.value.codes == ["officer.overlap"]
    assert exc.value.problems[0].field == "officers"
    assert ContactSession.objects.count() == 1


def test_back_to_back_sessions_do_not_overlap(officer, ward, details, proposal):
    services.session_propose(by=officer, ward=ward, details=details(hour=19))
    assert ContactSession.objects.count() == 2


def test_inactive_venue_or_other_borough_is_refused(officer, ward, details, venue, far_ward):
    venue.is_active = False
    venue.save()
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=officer, ward=ward, details=details())
    assert exc.value.codes == ["venue.inactive"]
    far = Venue.objects.create(name="Hackney Library", address="1 Reading Lane", postcode="E8 1GQ", ward=far_ward)
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=officer, ward=ward, details=details(venue=far))
    assert exc.value.codes == ["venue.other_borough"]
    assert exc.value.problems[0].field == "venue"


def test_officer_cannot_propose_in_another_ward(other_officer, ward, details):
    with pytest.raises(ServiceError) as exc:
        services.session_propose(by=other_officer, ward=ward, details=details(officers=[]))
    assert exc.value.codes == ["permission.denied"]


def test_new_venue_is_created_with_its_accessibility_facts(postcodes, officer, ward, details):
    new = NewVenue(
        name="Ossulston Hall", address="1 Ossulston St", postcode="nw11ee", step_free=True, hearing_loop=True
    )
    session = services.session_propose(by=officer, ward=ward, details=details(venue=None, new_venue=new))
    assert session.venue.name == "Ossulston Hall"
    assert session.venue.postcode == "NW1 1EE"
    assert session.venue.accessibility_facts == ["Step-free access", "Hearing loop"]
    assert session.venue.created_by == officer


def test_new_venue_gets_its_coordinates_from_its_postcode(postcodes, officer, ward, details):
    new = NewVenue(name="Ossulston Hall", address="1 Ossulston St", postcode="NW1 1EE")
    venue = services.session_propose(by=officer, ward=ward, details=details(venue=None, new_venue=new)).venue
    venue.refresh_from_db()
    assert (float(venue.latitude), float(venue.longitude)) == pytest.approx((51.532021, -0.130622), abs=1e-6)


@pytest.fixture
def barnet(db):
    from wards.models import Borough

    return Borough.objects.create(code="E09000003", name="Barnet", slug="barnet")


# In Barnet, not Camden; unknown; in the City of London; outside London. tests/venues/test_geo.py
# checks each one's sentence.
@pytest.mark.parametrize("postcode", ["EN4 8HG", "NW1 9ZZ", "EC2V 7HH", "M1 1AE"])
def test_new_venue_that_its_postcode_cannot_place_in_the_borough_is_refused(
    postcodes, barnet, officer, ward, details, postcode
):
    new = NewVenue(name="Elsewhere Hall", address="1 High St", postcode=postcode)
    with pytest.raises(ServiceError) as error:
        services.session_propose(by=officer, ward=ward, details=details(venue=None, new_venue=new))
    assert error.value.codes == ["venue.postcode"]
    assert error.value.problems[0].field == "new_venue_postcode"
    assert not Venue.objects.filter(name="Elsewhere Hall").exists()
    assert not ContactSession.objects.exists()


def test_series_with_a_new_venue_in_another_borough_saves_nothing(postcodes, barnet, officer, ward, details, soon):
    new = NewVenue(name="Elsewhere Hall", address="1 High St", postcode="EN4 8HG")
    with pytest.raises(ServiceError) as error:
        services.series_propose(
            by=officer, ward=ward, details=details(day=soon, venue=None, new_venue=new), weekday=2, count=6
        )
    assert error.value.codes == ["venue.postcode"]  # said once, not once a week
    assert not Venue.objects.filter(name="Elsewhere Hall").exists()
    assert not ContactSession.objects.exists()


def test_change_to_a_new_venue_in_another_borough_is_refused(
    postcodes, barnet, officer, ward, details, make_session, soon
):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    new = NewVenue(name="Elsewhere Hall", address="1 High St", postcode="EN4 8HG")
    with pytest.raises(ServiceError) as error:
        services.session_update(
            session=session, by=officer, version=session.version, details=details(venue=None, new_venue=new)
        )
    assert error.value.codes == ["venue.postcode"]
    assert not Venue.objects.filter(name="Elsewhere Hall").exists()
    session.refresh_from_db()
    assert session.venue.name == "Somers Town Community Centre"


def test_weekly_series_creates_one_session_per_week(officer, ward, details, soon):
    sessions = services.series_propose(by=officer, ward=ward, details=details(day=soon), weekday=2, count=6)
    assert len(sessions) == 6
    assert {s.start.weekday() for s in sessions} == {2}
    assert sessions[1].start - sessions[0].start == dt.timedelta(weeks=1)
    assert len({s.series_id for s in sessions}) == 1
    assert all(s.status == SessionStatus.PROPOSED for s in sessions)


def test_series_until_a_date(officer, ward, details, soon):
    sessions = services.series_propose(
        by=officer, ward=ward, details=details(day=soon), weekday=0, until=soon + dt.timedelta(weeks=3)
    )
    assert len(sessions) == 4


def test_series_longer_than_a_year_is_refused(officer, ward, details, soon):
    with pytest.raises(ServiceError) as error:
        services.series_propose(by=officer, ward=ward, details=details(day=soon), weekday=0, count=60)
    assert error.value.codes == ["series.too_long"]
    assert not ContactSession.objects.exists()


def test_series_refused_whole_when_one_week_clashes(officer, ward, details, soon):
    services.session_propose(by=officer, ward=ward, details=details(day=soon + dt.timedelta(weeks=2)))
    with pytest.raises(ServiceError) as error:
        services.series_propose(by=officer, ward=ward, details=details(day=soon), weekday=0, count=4)
    assert error.value.codes == ["officer.overlap"]
    assert ContactSession.objects.count() == 1


@pytest.fixture
def enhanced(ward, venue):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(18), end_time=dt.time(19))
    return designation


def test_enhanced_ward_needs_a_reason_to_leave_the_fixed_slots(officer, ward, details, enhanced):
    with pytest.raises(ServiceError) as error:
        services.session_propose(by=officer, ward=ward, details=details(hour=10))
    assert error.value.codes == ["enhanced.no_reason"]
    assert error.value.problems[0].field == "off_pattern_reason"
    session = services.session_propose(by=officer, ward=ward, details=details(hour=10, off_pattern_reason="Fair"))
    assert session.off_pattern_reason == "Fair"
    assert services.session_propose(by=officer, ward=ward, details=details(day=None, hour=18))  # on the slot


def test_update_of_a_proposal_applies_at_once(officer, proposal, details):
    new = details(hour=20)
    session = services.session_update(session=proposal, by=officer, version=proposal.version, details=new)
    assert session.start == new.start
    assert session.version == proposal.version + 1


def test_stale_update_is_refused(officer, proposal, details):
    with pytest.raises(StaleVersion):
        services.session_update(session=proposal, by=officer, version=proposal.version - 1, details=details(hour=20))
    proposal.refresh_from_db()
    assert proposal.start.hour == 18


def test_change_to_approved_session_waits_for_review(officer, board_member, proposal, details):
    approved = services.session_approve(session=proposal, by=board_member, version=proposal.version)
    old_start, old_sequence = approved.start, approved.sequence
    new = details(hour=20)
    changed = services.session_update(session=approved, by=officer, version=approved.version, details=new)
    assert changed.status == SessionStatus.APPROVED
    assert changed.start == old_start  # the public keeps the approved version
    assert changed.has_pending_change and changed.pending_start == new.start
    assert ContactSession.objects.awaiting_decision().filter(pk=changed.pk).exists()

    applied = services.session_approve(session=changed, by=board_member, version=changed.version)
    assert applied.start == new.start
    assert not applied.has_pending_change and applied.pending_start is None
    assert applied.sequence == old_sequence + 1


def test_rejecting_a_pending_change_keeps_the_approved_version(officer, board_member, proposal, details):
    approved = services.session_approve(session=proposal, by=board_member, version=proposal.version)
    changed = services.session_update(session=approved, by=officer, version=approved.version, details=details(hour=20))
    kept = services.session_reject(session=changed, by=board_member, version=changed.version, reason="Clash with fete")
    assert kept.status == SessionStatus.APPROVED
    assert kept.start.hour == 18 and not kept.has_pending_change


def test_pending_change_without_times_is_refused_not_applied(board_member, proposal):
    """A change flagged in the admin with no new times or venue: a plain refusal, and the
    board queue still shows (it used to fail on the missing times)."""
    from contactsessions import queue_selectors

    approved = services.session_approve(session=proposal, by=board_member, version=proposal.version)
    ContactSession.objects.filter(pk=approved.pk).update(has_pending_change=True)
    approved.refresh_from_db()
    queue = queue_selectors.review_queue(boroughs=[approved.ward.borough])
    assert [item.pk for group in queue for item in group.items] == [approved.pk]
    with pytest.raises(ServiceError) as error:
        services.session_approve(session=approved, by=board_member, version=approved.version)
    assert error.value.codes == ["change.incomplete"]
    approved.refresh_from_db()
    assert approved.has_pending_change and approved.start == proposal.start


def test_withdraw_before_decision_only(officer, board_member, proposal):
    withdrawn = services.session_withdraw(session=proposal, by=officer, version=proposal.version)
    assert withdrawn.status == SessionStatus.WITHDRAWN
    with pytest.raises(ServiceError) as error:
        services.session_withdraw(session=withdrawn, by=officer, version=withdrawn.version)
    assert error.value.codes == ["session.state"]


def test_cancel_approved_session_with_public_reason(
    officer, board_member, proposal, django_capture_on_commit_callbacks
):
    approved = services.session_approve(session=proposal, by=board_member, version=proposal.version)
    with pytest.raises(ServiceError) as error:
        services.session_cancel(session=approved, by=officer, version=approved.version, reason=" ")
    assert error.value.codes == ["session.no_reason"]
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.session_cancel(session=approved, by=officer, version=approved.version, reason="Flood")
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.cancellation_reason == "Flood"
    assert cancelled.sequence == approved.sequence + 1
    assert any("Cancelled" in m.subject for m in mail.outbox)


def test_proposal_cannot_be_cancelled(officer, proposal):
    with pytest.raises(ServiceError) as error:
        services.session_cancel(session=proposal, by=officer, version=proposal.version, reason="x")
    assert error.value.codes == ["session.state"]


def test_nobody_approves_their_own_proposal(officer, ward, details, board_member):
    from wards.models import BoardMembership

    BoardMembership.objects.create(user=officer, borough=ward.borough)
    officer._board_borough_ids = None
    own = services.session_propose(by=officer, ward=ward, details=details())
    with pytest.raises(ServiceError) as error:
        services.session_approve(session=own, by=officer, version=own.version)
    assert error.value.codes == ["decision.own_proposal"]


def test_board_of_another_borough_cannot_decide(far_board_member, proposal):
    with pytest.raises(ServiceError) as error:
        services.session_approve(session=proposal, by=far_board_member, version=proposal.version)
    assert error.value.codes == ["permission.denied"]


def test_return_needs_a_comment_and_edit_proposes_again(officer, board_member, proposal, details):
    with pytest.raises(ServiceError) as error:
        services.session_return(session=proposal, by=board_member, version=proposal.version, comment="")
    assert error.value.codes == ["session.no_reason"]
    returned = services.session_return(session=proposal, by=board_member, version=proposal.version, comment="Later")
    assert returned.status == SessionStatus.RETURNED
    again = services.session_update(session=returned, by=officer, version=returned.version, details=details(hour=19))
    assert again.status == SessionStatus.PROPOSED


def test_reject_needs_a_reason(board_member, proposal):
    with pytest.raises(ServiceError) as error:
        services.session_reject(session=proposal, by=board_member, version=proposal.version, reason="")
    assert error.value.codes == ["session.no_reason"]
    rejected = services.session_reject(session=proposal, by=board_member, version=proposal.version, reason="No")
    assert rejected.status == SessionStatus.REJECTED
    assert rejected.comments.filter(kind=CommentKind.REJECTED, text="No").exists()


def test_month_approve_approves_what_the_member_saw(officer, ward, details, soon, board_member):
    sessions = services.series_propose(by=officer, ward=ward, details=details(day=soon), weekday=0, count=3)
    expected = {s.pk: s.version for s in sessions}
    # The DWO changes one after the page was shown: it must be skipped, not approved unseen.
    changed = services.session_update(
        session=sessions[0], by=officer, version=sessions[0].version, details=details(day=soon, hour=20)
    )
    months = {(s.start.year, s.start.month) for s in sessions}
    approved = 0
    skipped = []
    for year, month in months:
        result = services.month_approve(
            borough=ward.borough, year=year, month=month, by=board_member, expected=expected
        )
        approved += len(result.approved)
        skipped += result.skipped
    assert approved == 2
    assert len(skipped) == 1
    changed.refresh_from_db()
    assert changed.status == SessionStatus.PROPOSED


def test_series_approve(officer, ward, details, soon, board_member):
    sessions = services.series_propose(by=officer, ward=ward, details=details(day=soon), weekday=0, count=6)
    result = services.series_approve(
        series=sessions[0].series, by=board_member, expected={s.pk: s.version for s in sessions}
    )
    assert len(result.approved) == 6
    assert ContactSession.objects.approved().count() == 6


def test_comment_notifies_officers_and_board(
    officer, panel_member, board_member, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(session=proposal, by=panel_member, text="The hall is noisy on Tuesdays")
    assert sorted(mail.outbox[0].to) == sorted([officer.email, board_member.email])
    with pytest.raises(ServiceError) as error:
        services.comment_add(session=proposal, by=panel_member, text="  ")
    assert error.value.codes == ["comment.empty"]


def test_outsiders_cannot_comment(far_officer, proposal):
    with pytest.raises(ServiceError) as error:
        services.comment_add(session=proposal, by=far_officer, text="Hi")
    assert error.value.codes == ["permission.denied"]


def test_auto_approve_after_borough_delay_unless_objected(officer, ward, details, panel_member, soon):
    ward.borough.auto_approve_after_days = 3
    ward.borough.save()
    quiet = services.session_propose(by=officer, ward=ward, details=details(hour=10))
    objected = services.session_propose(by=officer, ward=ward, details=details(hour=14))
    services.comment_add(session=objected, by=panel_member, text="Please not then")
    now = quiet.proposed_at + dt.timedelta(days=2)
    assert services.auto_approve_due(now=now) == []
    approved = services.auto_approve_due(now=quiet.proposed_at + dt.timedelta(days=4))
    assert [s.pk for s in approved] == [quiet.pk]
    objected.refresh_from_db()
    assert objected.status == SessionStatus.PROPOSED


def test_auto_approve_command_leaves_boroughs_without_the_setting(proposal):
    call_command("auto_approve_sessions", stdout=io.StringIO())
    proposal.refresh_from_db()
    assert proposal.status == SessionStatus.PROPOSED


def test_snb_digest_lists_waiting_and_gaps(proposal, board_member):
    call_command("send_snb_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Waiting for a decision (1)" in body
    assert "St Pancras and Somers Town" in body
    assert "/board/" in body
    assert mail.outbox[0].alternatives


def test_history_records_who_changed_what(officer, board_member, proposal):
    from contactsessions.selectors import session_history

    services.session_approve(session=proposal, by=board_member, version=proposal.version)
    history = session_history(proposal)
    assert history[0]["what"] == "Changed"
    assert any("status: proposed → approved" in c for c in history[0]["changes"])
    assert SessionComment.objects.filter(session=proposal, kind=CommentKind.APPROVED).exists()
