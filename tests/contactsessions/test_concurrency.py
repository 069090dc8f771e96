"""Nothing is lost when two people act on one session at once: one wins, the other is told.

The threaded tests run real concurrent transactions on PostgreSQL (transactional
tests); ``select_for_update`` makes the second wait, then its stale version is refused.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from contactsessions import services
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.services import ServiceError, SessionDetails, StaleVersion
from tests.conftest import london


def run_together(*actions):
    """Run the actions in threads released at the same moment; return each result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def worker(i, action):
        from django.db import connections

        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture
def proposal(officer, ward, venue, soon):
    start = london(soon.year, soon.month, soon.day, 18)
    details = SessionDetails(start=start, end=start + dt.timedelta(hours=1), venue=venue, officers=[officer.officer])
    return services.session_propose(by=officer, ward=ward, details=details)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_board_members_deciding_at_once_one_wins(proposal, board_member, other_board_member):
    version = proposal.version
    results = run_together(
        lambda: services.session_approve(session=proposal, by=board_member, version=version),
        lambda: services.session_reject(session=proposal, by=other_board_member, version=version, reason="No"),
    )
    wins = [r for r in results if isinstance(r, ContactSession)]
    losses = [r for r in results if isinstance(r, StaleVersion)]
    assert len(wins) == 1 and len(losses) == 1, results
    proposal.refresh_from_db()
    assert proposal.status == wins[0].status
    assert proposal.version == version + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_officer_editing_while_board_approves_one_wins(proposal, officer, board_member, venue):
    version = proposal.version
    new_start = proposal.start + dt.timedelta(hours=2)
    details = SessionDetails(
        start=new_start, end=new_start + dt.timedelta(hours=1), venue=venue, officers=[officer.officer]
    )
    results = run_together(
        lambda: services.session_approve(session=proposal, by=board_member, version=version),
        lambda: services.session_update(session=proposal, by=officer, version=version, details=details),
    )
    assert sum(isinstance(r, StaleVersion) for r in results) == 1, results
    proposal.refresh_from_db()
    if proposal.status == SessionStatus.APPROVED:
        assert proposal.start != new_start  # the edit did not slip into the approved session
    else:
        assert proposal.status == SessionStatus.PROPOSED and proposal.start == new_start


@pytest.mark.django_db
def test_stale_version_is_refused_after_another_decision(proposal, board_member, other_board_member):
    seen = proposal.version
    services.session_return(session=proposal, by=other_board_member, version=seen, comment="Move it")
    with pytest.raises(StaleVersion):
        services.session_approve(session=proposal, by=board_member, version=seen)
    proposal.refresh_from_db()
    assert proposal.status == SessionStatus.RETURNED


@pytest.mark.django_db
def test_decision_on_an_already_decided_session_is_refused(proposal, board_member):
    approved = services.session_approve(session=proposal, by=board_member, version=proposal.version)
    with pytest.raises(ServiceError) as error:
        services.session_approve(session=approved, by=board_member, version=approved.version)
    assert error.value.codes == ["session.state"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_one_officer_proposed_twice_at_once_is_booked_once(officer, second_officer, ward, venue, soon):
    """Two proposals for one officer at overlapping times, sent together (two tabs, or the
    officer and a colleague): one is saved, the other is refused as an overlap. Found by
    make loadtest: the overlap check ran before the transaction, so both could pass it."""
    start = london(soon.year, soon.month, soon.day, 10)

    def propose(by, minutes):
        begin = start + dt.timedelta(minutes=minutes)
        details = SessionDetails(
            start=begin, end=begin + dt.timedelta(hours=1), venue=venue, officers=[officer.officer]
        )
        return lambda: services.session_propose(by=by, ward=ward, details=details)

    for attempt in range(3):  # the race is narrow: repeat so a lost lock cannot hide
        offset = attempt * 24 * 60
        results = run_together(propose(officer, offset), propose(second_officer, offset + 30))
        saved = [r for r in results if isinstance(r, ContactSession)]
        refused = [r for r in results if isinstance(r, ServiceError)]
        assert len(saved) == 1 and len(refused) == 1, results
        assert refused[0].codes == ["officer.overlap"]
    assert ContactSession.objects.filter(officers=officer.officer).count() == 3
