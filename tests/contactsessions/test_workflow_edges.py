"""Back-office workflows at their edges: sessions that have ended, changes taken back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contactsessions import services
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.services import ServiceError, SessionDetails
from tests.conftest import london

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended():
    return timezone.now() - dt.timedelta(days=3)


def _details(start, venue, officer, minutes=60):
    return SessionDetails(
        start=start, end=start + dt.timedelta(minutes=minutes), venue=venue, officers=[officer.officer]
    )


def test_an_approved_session_that_has_ended_cannot_be_moved_to_a_new_date(make_session, officer, venue, soon, ended):
    session = make_session(ended)
    future = london(soon.year, soon.month, soon.day, 18)
    with pytest.raises(ServiceError) as exc:
        services.session_update(
            session=session, by=officer, version=session.version, details=_details(future, venue, officer)
        )
    assert exc.value.codes == ["session.ended"]
    session.refresh_from_db()
    assert not session.has_pending_change


def test_an_approved_session_that_has_ended_cannot_be_cancelled(make_session, officer, ended):
    session = make_session(ended)
    services.outcome_record(session=session, by=officer, held=True, attendance=5)
    with pytest.raises(ServiceError) as exc:
        services.session_cancel(session=session, by=officer, version=session.version, reason="Called away")
    assert exc.value.codes == ["session.ended"]
    assert ContactSession.objects.get(pk=session.pk).status == SessionStatus.APPROVED


def test_a_session_under_way_can_still_be_cancelled(make_session, officer):
    session = make_session(timezone.now() - dt.timedelta(minutes=30), minutes=90)
    services.session_cancel(session=session, by=officer, version=session.version, reason="Called away")
    assert ContactSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED


def test_a_proposal_that_has_ended_cannot_be_approved(make_session, board_member, ended):
    session = make_session(ended, status=SessionStatus.PROPOSED)
    with pytest.raises(ServiceError) as exc:
        services.session_approve(session=session, by=board_member, version=session.version)
    assert exc.value.codes == ["session.ended"]
    assert ContactSession.objects.get(pk=session.pk).status == SessionStatus.PROPOSED
    services.session_reject(session=session, by=board_member, version=session.version, reason="Too late")


def test_a_change_whose_new_time_has_passed_cannot_be_approved(make_session, board_member, venue, soon, ended):
    start = london(soon.year, soon.month, soon.day, 18)
    session = make_session(
        start,
        has_pending_change=True,
        pending_start=ended,
        pending_end=ended + dt.timedelta(hours=1),
        pending_venue=venue,
    )
    with pytest.raises(ServiceError) as exc:
        services.session_approve(session=session, by=board_member, version=session.version)
    assert exc.value.codes == ["session.ended"]
    session.refresh_from_db()
    assert session.start == start and session.has_pending_change


def test_approving_a_month_skips_a_proposal_that_has_ended(make_session, board_member, ended):
    session = make_session(ended, status=SessionStatus.PROPOSED)
    result = services.sessions_bulk_approve(by=board_member, expected={session.pk: session.version}, scope=Q())
    assert result.approved == []
    assert "already ended" in result.skipped[0]
    assert ContactSession.objects.get(pk=session.pk).status == SessionStatus.PROPOSED


def test_changing_an_approved_session_back_takes_the_waiting_change_back(make_session, officer, venue, soon):
    start = london(soon.year, soon.month, soon.day, 18)
    session = make_session(start)
    later = _details(start + dt.timedelta(hours=1), venue, officer)
    session = services.session_update(session=session, by=officer, version=session.version, details=later)
    assert session.has_pending_change
    session = services.session_update(
        session=session, by=officer, version=session.version, details=_details(start, venue, officer)
    )
    session.refresh_from_db()
    assert not session.has_pending_change
    assert session.pending_start is None
    assert not ContactSession.objects.awaiting_decision().filter(pk=session.pk).exists()
    assert session.start == start and session.status == SessionStatus.APPROVED


def test_an_ended_session_offers_its_officer_the_outcome_not_a_change_or_cancellation(
    client, make_session, officer, ended
):
    session = make_session(ended)
    client.force_login(officer)
    page = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "Change this session" not in page and "Cancel this session" not in page
    assert "This session has ended" in page
    assert reverse("monitoring:outcome-record", args=[session.pk]) in page
    # The change form is not offered as a form that can only fail.
    response = client.get(reverse("officer:session-edit", args=[session.pk]))
    assert response.status_code == 409
    assert reverse("monitoring:outcome-record", args=[session.pk]) in response.content.decode()
    # Follow the link: the officer may record it.
    assert client.get(reverse("monitoring:outcome-record", args=[session.pk])).status_code == 200


def test_a_session_still_ahead_keeps_its_change_and_cancel_buttons(client, make_session, officer, soon):
    session = make_session(london(soon.year, soon.month, soon.day, 18))
    client.force_login(officer)
    page = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "Change this session" in page and "Cancel this session" in page
    assert "This session has ended" not in page
