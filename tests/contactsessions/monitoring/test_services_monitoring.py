"""The write contract, held by the monitoring services themselves (issue 13).

Each service checks permission (whatever view or command calls it), locks what it
changes so concurrent writers cannot both win, refuses with ``ServiceError`` codes,
and sends mail only through :mod:`contactsessions.notify` once the change is committed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.urls import reverse

from contactsessions import notify, services
from contactsessions.models import ContactSession, ExemptionStatus, SessionOutcome, WeekExemption
from contactsessions.services import ServiceError
from tests.conftest import london
from tests.contactsessions.test_concurrency import run_together
from wards.models import BoardMembership, WardAssignment

CARNIVAL = dt.date(2027, 8, 23)
NOW = london(2025, 10, 8, 12)


@pytest.fixture
def proposed(ward, officer):
    return WeekExemption.objects.create(ward=ward, week_start=CARNIVAL, reason="Carnival", proposed_by=officer)


@pytest.fixture
def assignment(officer):
    return WardAssignment.objects.get(officer__user=officer)


def refused_codes(action) -> list[str]:
    with pytest.raises(ServiceError) as refused:
        action()
    return refused.value.codes


# --- permission, checked by the service itself -------------------------------------------


@pytest.mark.parametrize("persona", ["other_officer", "board_member", "monitor"])
def test_only_a_dwo_of_the_ward_may_propose_an_exemption(request, ward, persona):
    by = request.getfixturevalue(persona)
    codes = refused_codes(lambda: services.exemption_propose(ward=ward, week_start=CARNIVAL, reason="x", by=by))
    assert codes == ["permission.denied"]
    assert not WeekExemption.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "far_board_member", "monitor", "panel_member"])
def test_only_the_boroughs_snb_may_decide_an_exemption(request, proposed, persona):
    by = request.getfixturevalue(persona)
    codes = refused_codes(lambda: services.exemption_decide(exemption=proposed, agree=True, by=by))
    assert codes == ["permission.denied"]
    proposed.refresh_from_db()
    assert (proposed.status, proposed.decided_by) == (ExemptionStatus.PROPOSED, None)


@pytest.mark.parametrize("persona", ["other_officer", "board_member", "monitor"])
def test_only_a_dwo_of_the_ward_may_record_an_outcome(request, make_session, persona):
    session = make_session(london(2025, 10, 7, 18))
    by = request.getfixturevalue(persona)
    codes = refused_codes(lambda: services.outcome_record(session=session, by=by, held=True, attendance=3, now=NOW))
    assert codes == ["permission.denied"]
    assert not SessionOutcome.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "second_officer", "far_board_member", "monitor"])
def test_only_the_boroughs_snb_or_an_admin_may_end_an_assignment(
    request, assignment, make_session, mailoutbox, django_capture_on_commit_callbacks, persona
):
    later = make_session(london(2030, 3, 2, 18))
    by = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks(execute=True):
        codes = refused_codes(
            lambda: services.assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=by)
        )
    assert codes == ["permission.denied"]
    assignment.refresh_from_db()
    later.refresh_from_db()
    assert assignment.end is None and not later.needs_reassignment
    assert mailoutbox == []


def test_a_site_admin_may_end_an_assignment(assignment, monitor):
    monitor.is_staff = True
    monitor.save()
    assert services.assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=monitor) == 0
    assignment.refresh_from_db()
    assert assignment.end == dt.date(2030, 3, 1)


def test_an_assignment_already_ended_cannot_be_ended_later(assignment, board_member):
    services.assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=board_member)
    codes = refused_codes(
        lambda: services.assignment_end(assignment=assignment, end_date=dt.date(2030, 4, 1), by=board_member)
    )
    assert codes == ["assignment.ended"]
    assignment.refresh_from_db()
    assert assignment.end == dt.date(2030, 3, 1)


# --- four eyes ----------------------------------------------------------------------------


def test_the_proposer_cannot_decide_their_own_exemption(ward, camden, officer, board_member):
    BoardMembership.objects.create(user=officer, borough=camden)  # a DWO who also sits on the SNB
    exemption = services.exemption_propose(ward=ward, week_start=CARNIVAL, reason="Carnival", by=officer)
    codes = refused_codes(lambda: services.exemption_decide(exemption=exemption, agree=True, by=officer))
    assert codes == ["exemption.own_proposal"]
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.PROPOSED
    decided = services.exemption_decide(exemption=exemption, agree=True, by=board_member)
    assert (decided.status, decided.decided_by) == (ExemptionStatus.AGREED, board_member)


def test_the_page_offers_no_decision_on_ones_own_exemption_and_says_why(client, camden, officer, proposed):
    BoardMembership.objects.create(user=officer, borough=camden)
    client.force_login(officer)
    assert client.get(reverse("monitoring:exemptions")).context["rows"] == [(proposed, False)]
    url = reverse("monitoring:exemption-decide", args=[proposed.pk])
    response = client.post(url, {"decision": "agree"}, follow=True)
    assert "somebody else on the board must decide it" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == ExemptionStatus.PROPOSED


def test_deciding_an_exemption_already_decided_is_refused_on_the_page(client, board_member, proposed):
    client.force_login(board_member)
    url = reverse("monitoring:exemption-decide", args=[proposed.pk])
    client.post(url, {"decision": "agree"})
    response = client.post(url, {"decision": "refuse"}, follow=True)
    assert "This exemption has already been decided." in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == ExemptionStatus.AGREED


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_board_members_deciding_one_exemption_at_once_one_wins(ward, officer, board_member, other_board_member):
    for attempt in range(3):  # the race is narrow: repeat so a lost lock cannot hide
        exemption = WeekExemption.objects.create(
            ward=ward, week_start=CARNIVAL + dt.timedelta(weeks=attempt), reason="Carnival", proposed_by=officer
        )
        results = run_together(
            lambda e=exemption: services.exemption_decide(exemption=e, agree=True, by=board_member),
            lambda e=exemption: services.exemption_decide(exemption=e, agree=False, by=other_board_member),
        )
        wins = [r for r in results if isinstance(r, WeekExemption)]
        losses = [r for r in results if isinstance(r, ServiceError)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert losses[0].codes == ["exemption.decided"]
        exemption.refresh_from_db()
        assert (exemption.status, exemption.decided_by) == (wins[0].status, wins[0].decided_by)


# --- mail: through notify, after the commit -------------------------------------------------


def test_assignment_ended_mail_goes_through_notify_after_commit(
    assignment,
    make_session,
    board_member,
    other_board_member,
    mailoutbox,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    make_session(london(2030, 3, 2, 18))
    templates: list[str] = []
    send = notify.send
    monkeypatch.setattr(notify, "send", lambda **kw: (templates.append(kw["template"]), send(**kw))[1])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=board_member)
    assert mailoutbox == [] and templates == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert templates == ["assignment_ended", "assignment_ended"]
    assert sorted(m.to[0] for m in mailoutbox) == ["sally@example.org", "steve@example.org"]
    assert all(len(m.to) == 1 for m in mailoutbox)  # board members do not see each other's address


@pytest.mark.django_db(transaction=True)
def test_no_assignment_ended_mail_when_the_change_is_rolled_back(assignment, board_member, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=board_member)
        raise RuntimeError("the caller's transaction fails")
    assert mailoutbox == []
    assignment.refresh_from_db()
    assert assignment.end is None
    services.assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=board_member)
    assert [m.to for m in mailoutbox] == [["sally@example.org"]]


def test_outcome_reminders_are_sent_through_notify(make_session, officer, mailoutbox, monkeypatch):
    from django.core.management import call_command

    session = make_session(london(2025, 10, 7, 18))
    templates: list[str] = []
    send = notify.send
    monkeypatch.setattr(notify, "send", lambda **kw: (templates.append(kw["template"]), send(**kw))[1])
    call_command("send_outcome_reminders", stdout=__import__("io").StringIO())
    assert templates == ["outcome_reminder"]
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert reverse("monitoring:outcome-record", args=[session.pk]) in mailoutbox[0].body


def test_the_outcome_reminder_skips_a_dwo_without_an_email_address(make_session, officer, mailoutbox):
    session = make_session(london(2025, 10, 7, 18))
    officer.email = ""
    assert notify.outcome_reminder(user=officer, sessions=[session]) is False
    assert notify.outcome_reminder(user=officer, sessions=[]) is False
    assert mailoutbox == []


def test_flagged_sessions_are_the_ones_named_in_the_mail(
    assignment, make_session, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    later = make_session(london(2030, 3, 2, 18))
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=board_member)
    assert ContactSession.objects.get(pk=later.pk).needs_reassignment
    assert "Sat 2 Mar 2030, 18:00" in mailoutbox[0].body
