"""Monitoring with online sessions: approved and held, but not counted; listed as "online"."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from contactsessions.models import SessionOutcome
from tests.conftest import london

pytestmark = pytest.mark.django_db

WEEK = {"start": "2025-10-06", "end": "2025-10-12"}
LINK = "https://meet.example.org/j/7"


@pytest.fixture
def online(make_session, officer):
    session = make_session(london(2025, 10, 7, 18), attendance_mode="online", joining_link=LINK, venue=None)
    SessionOutcome.objects.create(session=session, held=True, attendance=4, recorded_by=officer)
    return session


def test_an_online_session_held_is_approved_and_held_but_not_counted(client, officer, ward, online):
    client.force_login(officer)
    response = client.get(reverse("monitoring:ward", args=[ward.code]), WEEK)
    [row] = response.context["rows"]
    assert (row.approved, row.held, row.counted) == (1, 1, 0)
    assert "is online only, so it does not count" in row.not_counted[0]
    sessions = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("monitoring:ward", args=[ward.code]), {**WEEK, "export": "sessions"})
                        .content.decode())
        )
    )  # fmt: skip
    assert sessions[0]["venue"] == "online"
    assert "online only" in sessions[0]["not_counted_reason"]


def test_a_hybrid_session_held_counts(client, officer, ward, make_session):
    session = make_session(london(2025, 10, 7, 18), attendance_mode="hybrid", joining_link=LINK)
    SessionOutcome.objects.create(session=session, held=True, attendance=4, recorded_by=officer)
    client.force_login(officer)
    [row] = client.get(reverse("monitoring:ward", args=[ward.code]), WEEK).context["rows"]
    assert (row.approved, row.held, row.counted, row.not_counted) == (1, 1, 1, ())


def test_outcomes_by_venue_kind_have_an_online_row(client, monitor, online):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:outcome-summary"), WEEK)
    rows = {r.key: r for r in response.context["summary"].by_venue_kind}
    assert rows["online"].label == "Online only (no venue)"
    assert rows["online"].attendance == 4


def test_the_not_held_log_lists_an_online_session_as_online(client, monitor, make_session, officer):
    session = make_session(london(2025, 10, 8, 18), attendance_mode="online", joining_link=LINK, venue=None)
    SessionOutcome.objects.create(
        session=session, held=False, not_held_category="emergency", not_held_reason="", recorded_by=officer
    )
    client.force_login(monitor)
    response = client.get(reverse("monitoring:abstraction-log"), {**WEEK, "export": "sessions"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["venue"] == "online"


def test_monitoring_pages_with_online_sessions_answer(client, monitor, ward, online):
    client.force_login(monitor)
    for url in (
        reverse("monitoring:london"),
        reverse("monitoring:borough", args=[ward.borough.code]),
        reverse("monitoring:ward", args=[ward.code]),
        reverse("monitoring:outcome-summary"),
        reverse("monitoring:looking-ahead"),
    ):
        assert client.get(url, WEEK).status_code == 200, url
