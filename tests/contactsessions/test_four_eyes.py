"""Four eyes: nobody decides a session they proposed or last changed, even with two roles.

``dwo_board_member`` (Dora) is a DWO of ``ward`` and on Camden's SNB; ``officer``
(Alice) is her DWO colleague, ``board_member`` (Sally) another member of the board.
Also: a DWO's text edit of an approved session is published at once, honestly said,
and the SNB is told.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from contactsessions import permissions, services
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.services import ServiceError, SessionDetails
from tests.conftest import london

pytestmark = pytest.mark.django_db


@pytest.fixture
def details(officer, venue, soon):
    def build(day=None, hour=18, **extra):
        day = day or soon + dt.timedelta(days=2)
        start = london(day.year, day.month, day.day, hour)
        fields = {"start": start, "end": start + dt.timedelta(hours=1), "venue": venue, "officers": [officer.officer]}
        fields.update(extra)
        return SessionDetails(**fields)

    return build


@pytest.fixture
def colleagues_proposal(officer, ward, details):
    """Alice's proposal, in Dora's ward and borough."""
    return services.session_propose(by=officer, ward=ward, details=details())


def rewrite(session, by, details, **extra):
    return services.session_update(session=session, by=by, version=session.version, details=details(**extra))


# --- services ----------------------------------------------------------------------------


def test_two_role_user_cannot_approve_own_proposal(dwo_board_member, ward, details):
    own = services.session_propose(by=dwo_board_member, ward=ward, details=details())
    assert own.last_changed_by == dwo_board_member
    with pytest.raises(ServiceError) as error:
        services.session_approve(session=own, by=dwo_board_member, version=own.version)
    assert error.value.codes == ["decision.own_proposal"]
    own.refresh_from_db()
    assert own.status == SessionStatus.PROPOSED


def test_two_role_user_cannot_approve_a_colleagues_proposal_after_editing_it(
    dwo_board_member, colleagues_proposal, details
):
    changed = rewrite(colleagues_proposal, dwo_board_member, details, hour=19, description="Rewritten by Dora")
    assert changed.created_by != dwo_board_member and changed.last_changed_by == dwo_board_member
    for decide, extra in (
        (services.session_approve, {}),
        (services.session_return, {"comment": "Fine by me"}),
        (services.session_reject, {"reason": "No"}),
    ):
        with pytest.raises(ServiceError) as error:
            decide(session=changed, by=dwo_board_member, version=changed.version, **extra)
        assert error.value.codes == ["decision.own_change"]
    changed.refresh_from_db()
    assert changed.status == SessionStatus.PROPOSED and changed.decided_by is None


def test_edited_approved_session_change_cannot_be_approved_by_its_editor(
    dwo_board_member, board_member, colleagues_proposal, details
):
    approved = services.session_approve(
        session=colleagues_proposal, by=board_member, version=colleagues_proposal.version
    )
    moved = rewrite(approved, dwo_board_member, details, hour=20)
    assert moved.has_pending_change
    with pytest.raises(ServiceError) as error:
        services.session_approve(session=moved, by=dwo_board_member, version=moved.version)
    assert error.value.codes == ["decision.own_change"]


def test_two_role_user_can_still_approve_a_colleagues_untouched_proposal(dwo_board_member, colleagues_proposal):
    assert permissions.can_decide(dwo_board_member, colleagues_proposal)
    approved = services.session_approve(
        session=colleagues_proposal, by=dwo_board_member, version=colleagues_proposal.version
    )
    assert approved.status == SessionStatus.APPROVED and approved.decided_by == dwo_board_member


def test_colleague_who_edits_last_makes_the_two_role_proposer_still_unable(
    dwo_board_member, officer, ward, details, board_member
):
    own = services.session_propose(by=dwo_board_member, ward=ward, details=details())
    changed = rewrite(own, officer, details, hour=19)
    assert permissions.four_eyes_conflict(dwo_board_member, changed) == "decision.own_proposal"
    assert permissions.four_eyes_conflict(officer, changed) == "decision.own_change"
    assert permissions.can_decide(board_member, changed)


def test_bulk_approve_skips_what_the_member_proposed_or_changed_and_says_why(
    dwo_board_member, officer, ward, details, soon
):
    colleagues = services.series_propose(by=officer, ward=ward, details=details(day=soon), weekday=0, count=3)
    rewritten = rewrite(colleagues[0], dwo_board_member, details, day=soon, hour=20)
    own = services.session_propose(by=dwo_board_member, ward=ward, details=details(day=soon, hour=10))
    sessions = [rewritten, *colleagues[1:], own]
    expected = {s.pk: s.version for s in sessions}
    months = {(s.start.astimezone(london(2020, 1, 1).tzinfo).year, s.start.month) for s in sessions}
    approved, skipped = [], []
    for year, month in sorted(months):
        result = services.month_approve(
            borough=ward.borough, year=year, month=month, by=dwo_board_member, expected=expected
        )
        approved += result.approved
        skipped += result.skipped
    assert sorted(s.pk for s in approved) == sorted(s.pk for s in colleagues[1:])
    assert len(skipped) == 2
    assert any("You made the latest change" in line for line in skipped)
    assert any("You proposed this session" in line for line in skipped)
    for session in (rewritten, own):
        session.refresh_from_db()
        assert session.status == SessionStatus.PROPOSED


def test_series_approve_skips_the_members_own_change(dwo_board_member, officer, ward, details, soon):
    sessions = services.series_propose(by=officer, ward=ward, details=details(day=soon), weekday=0, count=3)
    rewritten = rewrite(sessions[1], dwo_board_member, details, day=soon + dt.timedelta(weeks=1), hour=20)
    expected = {s.pk: s.version for s in [sessions[0], rewritten, sessions[2]]}
    result = services.series_approve(series=sessions[0].series, by=dwo_board_member, expected=expected)
    assert len(result.approved) == 2
    assert result.skipped and "latest change" in result.skipped[0]


def test_migration_backfill_leaves_no_session_without_last_changed_by(colleagues_proposal):
    assert not ContactSession.objects.filter(last_changed_by__isnull=True).exists()


# --- the SNB queue and the session page ---------------------------------------------------


def test_queue_offers_no_approve_button_for_own_or_changed_sessions_and_says_why(
    client, dwo_board_member, officer, ward, details, soon
):
    untouched = services.session_propose(by=officer, ward=ward, details=details(hour=10))
    changed = rewrite(
        services.session_propose(by=officer, ward=ward, details=details(hour=12)), dwo_board_member, details, hour=13
    )
    own = services.session_propose(by=dwo_board_member, ward=ward, details=details(hour=16))
    client.force_login(dwo_board_member)
    page = client.get(reverse("board:queue")).content.decode()
    assert reverse("board:session-approve", args=[untouched.pk]) in page
    for session in (changed, own):
        assert reverse("board:session-approve", args=[session.pk]) not in page
    assert "You proposed this session, so somebody else on the board must decide it." in page
    assert "You made the latest change to this session" in page
    # The month button counts only what this member may approve.
    assert "Approve all 1 in Camden" in page


def test_session_page_says_why_the_editor_cannot_decide(client, dwo_board_member, colleagues_proposal, details):
    changed = rewrite(colleagues_proposal, dwo_board_member, details, hour=19)
    client.force_login(dwo_board_member)
    page = client.get(reverse("officer:session-detail", args=[changed.pk])).content.decode()
    assert reverse("board:session-approve", args=[changed.pk]) not in page
    assert "You made the latest change to this session" in page


def test_approve_button_post_by_the_editor_is_refused_with_the_reason(
    client, dwo_board_member, colleagues_proposal, details
):
    changed = rewrite(colleagues_proposal, dwo_board_member, details, hour=19)
    client.force_login(dwo_board_member)
    url = reverse("board:session-approve", args=[changed.pk])
    response = client.post(url, {"version": changed.version}, follow=True)
    assert "You made the latest change to this session" in response.content.decode()
    changed.refresh_from_db()
    assert changed.status == SessionStatus.PROPOSED


# --- a DWO's text edit of an approved session -------------------------------------------


def edit_form(session, **extra) -> dict:
    local = session.start.astimezone(london(2020, 1, 1).tzinfo)
    end = session.end.astimezone(local.tzinfo)
    data = {
        "version": session.version,
        "date": local.date().isoformat(),
        "start_time": f"{local:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "venue": session.venue_id,
        "format": session.format,
        "officers": [o.pk for o in session.officers.all()],
        "description": session.description,
        "off_pattern_reason": session.off_pattern_reason,
        "new_venue_kind": "other",
    }
    data.update(extra)
    return data


@pytest.fixture
def approved(colleagues_proposal, board_member):
    return services.session_approve(session=colleagues_proposal, by=board_member, version=colleagues_proposal.version)


def test_text_edit_of_approved_session_is_published_and_the_snb_told(
    client, officer, board_member, other_board_member, approved, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    data = edit_form(approved, description="Bring your bike for marking.", format="property_marking")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("officer:session-edit", args=[approved.pk]), data, follow=True)
    page = response.content.decode()
    assert "Changes published. The borough&#x27;s Safer Neighbourhood Board has been told." in page
    assert "sent for review" not in page
    approved.refresh_from_db()
    assert approved.description == "Bring your bike for marking." and not approved.has_pending_change
    assert approved.status == SessionStatus.APPROVED
    notices = [m for m in mail.outbox if m.subject.startswith("Changed and published")]
    assert len(notices) == 1
    assert sorted(notices[0].to) == sorted([board_member.email, other_board_member.email])
    assert "Bring your bike for marking." in notices[0].body and "Property marking" in notices[0].body
    assert "Bring your bike for marking." in notices[0].alternatives[0][0]


def test_moving_an_approved_session_is_sent_for_review(client, officer, board_member, approved):
    client.force_login(officer)
    data = edit_form(approved, start_time="20:00", end_time="21:00")
    response = client.post(reverse("officer:session-edit", args=[approved.pk]), data, follow=True)
    assert "The new date, time or venue is sent for review" in response.content.decode()
    approved.refresh_from_db()
    assert approved.has_pending_change


def test_editing_a_proposal_says_sent_for_review(client, officer, colleagues_proposal):
    client.force_login(officer)
    data = edit_form(colleagues_proposal, description="New words")
    response = client.post(reverse("officer:session-edit", args=[colleagues_proposal.pk]), data, follow=True)
    assert "Changes saved and sent for review." in response.content.decode()


def test_text_edit_service_notifies_the_board_but_not_the_editor(
    dwo_board_member, board_member, approved, details, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rewrite(approved, dwo_board_member, details, description="Tea and biscuits")
    notices = [m for m in mail.outbox if m.subject.startswith("Changed and published")]
    assert [m.to for m in notices] == [[board_member.email]]


def test_unchanged_resubmission_of_approved_session_tells_nobody(
    officer, board_member, approved, details, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rewrite(approved, officer, details)
    assert not [m for m in mail.outbox if m.subject.startswith("Changed and published")]
