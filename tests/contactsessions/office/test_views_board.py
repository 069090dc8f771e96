"""SNB pages: the review queue, single decisions and approving a series or a month in one action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions import services
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.services import SessionDetails
from tests.conftest import london

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(officer, ward, venue, soon):
    start = london(soon.year, soon.month, soon.day, 18)
    details = SessionDetails(start=start, end=start + dt.timedelta(hours=1), venue=venue, officers=[officer.officer])
    return services.series_propose(by=officer, ward=ward, details=details, weekday=0, count=6)


def test_queue_groups_by_ward_and_week_with_status_if_approved(client, board_member, series):
    client.force_login(board_member)
    response = client.get(reverse("board:queue"))
    groups = response.context["groups"]
    assert len(groups) == 6
    assert groups[0].now == "planned"
    assert groups[0].items[0].if_approved == "met"
    assert 'If approved, the week would be: <strong class="status-met">Met</strong>' in response.content.decode()


def test_queue_items_carry_their_own_links_and_format(client, board_member, series):
    """The links and format label are filled in once a queue (issue 19, round three): each
    item's must still be its own session's."""
    client.force_login(board_member)
    response = client.get(reverse("board:queue"))
    body = response.content.decode()
    items = [item for group in response.context["groups"] for item in group.items]
    assert len({item.pk for item in items}) == 6
    sessions = ContactSession.objects.in_bulk([item.pk for item in items])
    for item in items:
        assert item.detail_url == reverse("officer:session-detail", args=[item.pk])
        assert item.approve_url == reverse("board:session-approve", args=[item.pk])
        assert item.format_label == sessions[item.pk].get_format_display()
        assert item.version == sessions[item.pk].version
        assert f'formaction="{item.approve_url}" name="version" value="{item.version}"' in body
        assert f"{item.format_label}, {item.officer_names}" in body


def test_queue_of_another_borough_is_empty(client, far_board_member, series):
    client.force_login(far_board_member)
    assert client.get(reverse("board:queue")).context["groups"] == []


def test_approve_from_the_queue(client, board_member, series):
    session = series[0]
    client.force_login(board_member)
    response = client.post(
        reverse("board:session-approve", args=[session.pk]), {"version": session.version, "next_page": "queue"}
    )
    assert response["Location"] == reverse("board:queue")
    session.refresh_from_db()
    assert session.status == SessionStatus.APPROVED and session.decided_by == board_member


def test_second_decision_with_stale_version_is_told_plainly(client, board_member, other_board_member, series):
    session = series[0]
    version = session.version
    client.force_login(other_board_member)
    client.post(reverse("board:session-reject", args=[session.pk]), {"version": version, "text": "No"})
    client.force_login(board_member)
    response = client.post(reverse("board:session-approve", args=[session.pk]), {"version": version}, follow=True)
    assert "Someone else changed this session" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.REJECTED


def test_return_and_reject_need_text(client, board_member, series):
    session = series[0]
    client.force_login(board_member)
    client.post(reverse("board:session-return", args=[session.pk]), {"version": session.version, "text": ""})
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED
    client.post(reverse("board:session-return", args=[session.pk]), {"version": session.version, "text": "Later"})
    session.refresh_from_db()
    assert session.status == SessionStatus.RETURNED


def test_approve_month_in_one_action(client, board_member, series, ward):
    client.force_login(board_member)
    page = client.get(reverse("board:queue"))
    month = page.context["months"][0]
    expected = ",".join(f"{s.pk}:{s.version}" for s in month["sessions"])
    url = reverse("board:month-approve", args=[ward.borough_id, month["year"], month["month"]])
    client.post(url, {"expected": expected})
    approved = ContactSession.objects.approved()
    assert approved.count() == len(month["sessions"])
    assert all(timezone_month(s) == month["month"] for s in approved)


def timezone_month(session) -> int:
    from django.utils import timezone

    return timezone.localtime(session.start).month


def test_approve_series_in_one_action(client, board_member, series):
    client.force_login(board_member)
    page = client.get(reverse("board:queue"))
    batch = page.context["series"][0]
    expected = ",".join(f"{s.pk}:{s.version}" for s in batch["sessions"])
    response = client.post(
        reverse("board:series-approve", args=[batch["series_id"]]), {"expected": expected}, follow=True
    )
    assert "6 sessions approved" in response.content.decode()
    assert ContactSession.objects.approved().count() == 6


def test_bulk_approve_with_garbage_is_harmless(client, board_member, series, ward):
    client.force_login(board_member)
    url = reverse("board:month-approve", args=[ward.borough_id, 2030, 13])
    response = client.post(url, {"expected": "x:y,,1"}, follow=True)
    assert response.status_code == 200
    url = reverse("board:month-approve", args=[ward.borough_id, 0, 1])
    assert client.post(url, {"expected": "1:1"}, follow=True).status_code == 200
    assert not ContactSession.objects.approved().exists()


def test_board_member_cannot_approve_own_proposal_in_the_queue(client, ward, venue, soon):
    from tests.conftest import make_officer
    from wards.models import BoardMembership

    dual = make_officer("dora", ward)
    BoardMembership.objects.create(user=dual, borough=ward.borough)
    start = london(soon.year, soon.month, soon.day, 18)
    own = services.session_propose(
        by=dual,
        ward=ward,
        details=SessionDetails(start=start, end=start + dt.timedelta(hours=1), venue=venue, officers=[dual.officer]),
    )
    client.force_login(dual)
    response = client.post(reverse("board:session-approve", args=[own.pk]), {"version": own.version}, follow=True)
    assert "somebody else on the board must decide" in response.content.decode()
    own.refresh_from_db()
    assert own.status == SessionStatus.PROPOSED
