"""Ending a DWO's assignment flags their future sessions and tells the SNB."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from contactsessions.lib import scopes
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.services import ServiceError, assignment_end
from tests.conftest import london
from wards.models import WardAssignment


@pytest.fixture
def assignment(officer):
    return WardAssignment.objects.get(officer__user=officer)


def test_ending_an_assignment_flags_later_sessions_and_emails_the_board(
    assignment,
    make_session,
    board_member,
    other_board_member,
    far_board_member,
    officer,
    django_capture_on_commit_callbacks,
):
    before = make_session(london(2030, 3, 1, 18))
    after = make_session(london(2030, 3, 2, 18))
    proposed = make_session(london(2030, 3, 9, 18), status=SessionStatus.PROPOSED)
    cancelled = make_session(london(2030, 3, 16, 18), status=SessionStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        flagged = assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=board_member)
    assert flagged == 2
    flags = dict(ContactSession.objects.values_list("pk", "needs_reassignment"))
    assert flags == {before.pk: False, after.pk: True, proposed.pk: True, cancelled.pk: False}
    assignment.refresh_from_db()
    assert assignment.end == dt.date(2030, 3, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["sally@example.org", "steve@example.org"]
    assert "has left St Pancras and Somers Town" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"


def test_no_email_until_commit(assignment, board_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment_end(assignment=assignment, end_date=dt.date(2030, 3, 1), by=board_member)
    # One e-mail callback; the others refresh the public page cache.
    assert len([c for c in callbacks if getattr(c, "func", c) is not scopes._bump_now]) == 1
    assert mail.outbox == []


def test_end_before_start_is_refused(assignment, board_member):
    with pytest.raises(ServiceError) as refused:
        assignment_end(assignment=assignment, end_date=dt.date(2019, 1, 1), by=board_member)
    assert refused.value.codes == ["assignment.before_start"]
    assignment.refresh_from_db()
    assert assignment.end is None


def test_board_member_ends_an_assignment_through_the_page(client, board_member, assignment):
    client.force_login(board_member)
    url = reverse("monitoring:assignment-end", args=[assignment.pk])
    assert client.post(url, {"end_date": "not a date"}).status_code == 400
    response = client.post(url, {"end_date": "2030-03-01"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end == dt.date(2030, 3, 1)


def test_site_admin_may_end_an_assignment(client, monitor, assignment):
    monitor.is_staff = True
    monitor.save()
    client.force_login(monitor)
    assert client.get(reverse("monitoring:assignment-end", args=[assignment.pk])).status_code == 200


# --- the roster as the strategy promises it: two PCs and a PCSO -------------------------------


def roster_csv(client):
    import csv
    import io

    response = client.get(reverse("monitoring:roster"), {"export": "roster"})
    return {r["ward_code"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}


def test_roster_counts_pcs_and_pcsos_and_lists_every_ward(
    client, monitor, ward, other_ward, far_ward, officer, second_officer, other_officer
):
    from tests.conftest import make_officer
    from wards.models import Rank

    pcso = make_officer("pat", ward)
    pcso.officer.rank = Rank.PCSO
    pcso.officer.save()
    client.force_login(monitor)
    rows = roster_csv(client)
    assert set(rows) == {ward.code, other_ward.code, far_ward.code}  # every ward, flagged or not
    assert (rows[ward.code]["pcs"], rows[ward.code]["pcsos"], rows[ward.code]["shortfalls"]) == ("2", "1", "")
    assert rows[other_ward.code]["shortfalls"] == "ward.too_few_pcs ward.no_pcso"
    assert rows[far_ward.code]["dwos_now"] == "0"
    assert rows[far_ward.code]["ward_has_fewer_than_two_dwos"] == "True"
    page = client.get(reverse("monitoring:roster")).content.decode()
    assert "No PCSO serves the ward" in page


def test_assigning_a_dwo_tells_the_board(
    board_member, far_board_member, other_ward, django_capture_on_commit_callbacks
):
    from contactsessions.services import assignment_start
    from tests.conftest import make_user
    from wards.models import Officer

    newcomer = Officer.objects.create(user=make_user("nia"), public_name="Nia Brown")
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_start(officer=newcomer, ward=other_ward, start=dt.date(2030, 1, 6), by=board_member)
    assert assignment.pk and assignment.end is None
    assert [m.to[0] for m in mail.outbox] == [board_member.email]
    assert "now serves" in mail.outbox[0].subject
    with pytest.raises(ServiceError) as refused:
        assignment_start(officer=newcomer, ward=other_ward, start=dt.date(2030, 2, 1), by=board_member)
    assert refused.value.codes == ["assignment.exists"]
    with pytest.raises(ServiceError) as refused:
        assignment_start(officer=newcomer, ward=other_ward, start=dt.date(2031, 1, 1), by=far_board_member)
    assert refused.value.codes == ["permission.denied"]
