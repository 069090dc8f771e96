"""What a ward delivered, on its public page and in the API: the last three months'
sessions held out of planned, and the people met (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contactsessions.models import SessionOutcome, SessionStatus
from contactsessions.outcome_figures import add_months
from contactsessions.public.delivery import ward_delivery
from tests.conftest import london


def _outcome(session, officer, *, held: bool, attendance: int = 0) -> None:
    SessionOutcome.objects.create(
        session=session,
        held=held,
        attendance=attendance if held else 0,
        not_held_category="" if held else "emergency",
        recorded_by=officer,
    )


@pytest.fixture
def record(make_session, officer, other_ward):
    """Twelve weekly sessions that have ended: eleven held with 13 people each, one not held;
    plus sessions that must not count: one before the three months, one cancelled, one still to
    come, one proposal, one in another ward."""
    now = timezone.now()
    for week in range(1, 13):
        session = make_session(now - dt.timedelta(weeks=week))
        _outcome(session, officer, held=week != 5, attendance=13)
    make_session(now - dt.timedelta(days=120))  # before the three months
    make_session(now - dt.timedelta(days=3, hours=2), status=SessionStatus.CANCELLED)
    make_session(now + dt.timedelta(days=2))
    make_session(now - dt.timedelta(days=4), status=SessionStatus.PROPOSED)
    make_session(now - dt.timedelta(days=6), ward=other_ward)
    return now


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 10, 8), dt.date(2025, 7, 8)),
        (dt.date(2025, 2, 14), dt.date(2024, 11, 14)),
        (dt.date(2025, 5, 31), dt.date(2025, 2, 28)),  # February has no 31st
        (dt.date(2024, 5, 31), dt.date(2024, 2, 29)),
    ],
)
def test_three_months_back_is_by_the_calendar(day, expected):
    assert add_months(day, -3) == expected


def test_delivery_counts_ended_approved_sessions_and_those_held(record, ward, django_assert_num_queries):
    with django_assert_num_queries(1):
        delivery = ward_delivery(ward, now=record)
    assert (delivery.planned, delivery.held, delivery.people_met) == (12, 11, 143)


def test_a_session_with_no_outcome_yet_is_planned_not_held(make_session, ward):
    now = london(2025, 10, 8, 12)
    make_session(london(2025, 10, 7, 18))
    delivery = ward_delivery(ward, now=now)
    assert (delivery.planned, delivery.held, delivery.people_met, delivery.since) == (1, 0, 0, dt.date(2025, 7, 8))


def test_ward_page_says_plainly_what_was_held(client, record, ward):
    page = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "In the last three months: 11 of 12 sessions held, 143 people met." in page


def test_ward_page_with_nothing_planned_says_so(client, ward):
    page = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "No sessions were planned here in the last three months." in page


def test_api_neighbourhood_carries_the_delivery_record(client, record, ward):
    data = client.get(f"/api/metropolitan/{ward.code}").json()
    since = add_months(timezone.localdate(), -3).isoformat()
    assert data["delivery"] == {"since": since, "sessions_planned": 12, "sessions_held": 11, "people_met": 143}
