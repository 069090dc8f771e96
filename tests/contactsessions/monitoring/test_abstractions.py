"""The abstraction log: sessions not held, by category, for London, a borough and a ward."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from contactsessions.models import NotHeldCategory
from contactsessions.services import outcome_record
from tests.conftest import london

NOW = london(2025, 10, 20, 12)
RANGE = {"start": "2025-10-06", "end": "2025-10-19"}


@pytest.fixture
def not_held(make_session, officer, far_officer, far_ward, other_officer, other_ward, other_venue):
    from venues.models import Venue

    far_venue = Venue.objects.create(name="Hackney Hall", address="1 Mare St", postcode="E8 1AA", ward=far_ward)
    record = [
        (make_session(london(2025, 10, 7, 18)), officer, "public_order", "Carnival briefing"),
        (make_session(london(2025, 10, 14, 18)), officer, "emergency", ""),
        (make_session(london(2025, 10, 8, 18), ward=other_ward, venue=other_venue), other_officer, "other", "Court"),
        (make_session(london(2025, 10, 9, 18), ward=far_ward, venue=far_venue), far_officer, "emergency", ""),
    ]
    for session, by, category, reason in record:
        session.officers.add(by.officer)
        outcome_record(session=session, by=by, held=False, not_held_category=category, not_held_reason=reason, now=NOW)
    held = make_session(london(2025, 10, 10, 18))
    outcome_record(session=held, by=officer, held=True, attendance=3, now=NOW)
    return record


def column(category: str) -> int:
    return NotHeldCategory.values.index(category)


def test_london_log_counts_not_held_sessions_by_borough_and_category(client, monitor, not_held):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:abstraction-log"), RANGE)
    log = response.context["log"]
    assert [(a.name, a.total, a.abstracted) for a in log.areas] == [("Camden", 3, 2), ("Hackney", 1, 1)]
    camden = log.areas[0]
    assert camden.by_category[column("public_order")] == 1
    assert camden.by_category[column("emergency")] == 1
    assert camden.by_category[column("other")] == 1
    assert (log.total.total, log.total.abstracted) == (4, 3)
    assert "Carnival briefing" in response.content.decode()

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("monitoring:abstraction-log"), {**RANGE, "export": "areas"}).content.decode()
            )
        )
    )
    assert [(r["borough"], r["emergency"], r["abstracted"], r["total"]) for r in rows] == [
        ("Camden", "1", "2", "3"),
        ("Hackney", "1", "1", "1"),
        ("All", "2", "3", "4"),
    ]
    sessions = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("monitoring:abstraction-log"), {**RANGE, "export": "sessions"}).content.decode()
            )
        )
    )
    assert len(sessions) == 4
    assert {r["category"] for r in sessions} == {"public_order", "emergency", "other"}


def test_an_snb_member_sees_their_borough_by_ward(client, board_member, camden, ward, other_ward, not_held):
    client.force_login(board_member)
    response = client.get(reverse("monitoring:abstraction-log"), {**RANGE, "borough": camden.code})
    log = response.context["log"]
    assert [(a.name, a.total) for a in log.areas] == sorted([(ward.name, 2), (other_ward.name, 1)])
    assert "Hackney" not in response.content.decode()


def test_an_snb_member_cannot_read_another_borough(client, board_member, hackney, not_held):
    client.force_login(board_member)
    assert client.get(reverse("monitoring:abstraction-log"), {"borough": hackney.code}).status_code == 403


def test_a_dwos_log_links_no_borough_page_they_may_not_open(client, officer, camden, not_held):
    # A DWO's log is by borough; ?borough= is for SNB members and monitoring staff (a 403).
    client.force_login(officer)
    page = client.get(reverse("monitoring:abstraction-log"), RANGE).content.decode()
    assert "Camden" in page
    assert f"?borough={camden.code}" not in page


def test_a_monitors_log_links_each_borough(client, monitor, camden, hackney, not_held):
    client.force_login(monitor)
    page = client.get(reverse("monitoring:abstraction-log"), RANGE).content.decode()
    assert f"?borough={camden.code}" in page and f"?borough={hackney.code}" in page
