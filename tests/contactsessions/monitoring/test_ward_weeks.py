"""The ward page's weeks: approved, held and counted apart, with why an approved session does not count."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from contactsessions.models import EnhancedDesignation, EnhancedSlot, SessionOutcome
from tests.conftest import london
from venues.models import Venue, VenueKind

WEEK = {"start": "2025-10-06", "end": "2025-10-12"}


@pytest.fixture
def enhanced(ward, venue):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2024, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=1, start_time=dt.time(18), end_time=dt.time(19))
    return designation


@pytest.fixture
def elsewhere(ward):
    return Venue.objects.create(
        name="Somers Town Library", address="1 Chalton Street", postcode="NW1 1HS", ward=ward, kind=VenueKind.LIBRARY
    )


def test_an_approved_held_session_off_the_enhanced_venue_is_approved_and_held_but_not_counted(
    client, officer, ward, enhanced, elsewhere, make_session
):
    session = make_session(london(2025, 10, 7, 18), venue=elsewhere)
    SessionOutcome.objects.create(session=session, held=True, attendance=5, recorded_by=officer)
    client.force_login(officer)
    response = client.get(reverse("monitoring:ward", args=[ward.code]), WEEK)
    [row] = response.context["rows"]
    assert (row.approved, row.held, row.counted) == (1, 1, 0)
    assert row.not_counted == ("The session on Tue 07 Oct 18:00 is not at the ward's fixed Enhanced venue.",)
    page = response.content.decode()
    assert "Approved but not counted:</strong> The session on Tue 07 Oct 18:00 is not at the ward" in page
    assert "Not counted: The session on Tue 07 Oct 18:00 is not at the ward" in page


def test_short_and_not_held_sessions_are_approved_but_not_counted(client, officer, ward, make_session):
    make_session(london(2025, 10, 7, 18), minutes=30)
    not_held = make_session(london(2025, 10, 9, 18))
    SessionOutcome.objects.create(
        session=not_held, held=False, not_held_category="emergency", not_held_reason="", recorded_by=officer
    )
    client.force_login(officer)
    [row] = client.get(reverse("monitoring:ward", args=[ward.code]), WEEK).context["rows"]
    assert (row.approved, row.held, row.counted) == (2, 0, 0)
    assert [m.split(" lasts")[0].split(" was")[0] for m in row.not_counted] == [
        "The session on Tue 07 Oct 18:00",
        "The session on Thu 09 Oct 18:00",
    ]


def test_a_counted_session_has_no_reason(client, officer, ward, make_session):
    session = make_session(london(2025, 10, 7, 18))
    SessionOutcome.objects.create(session=session, held=True, attendance=3, recorded_by=officer)
    client.force_login(officer)
    [row] = client.get(reverse("monitoring:ward", args=[ward.code]), WEEK).context["rows"]
    assert (row.approved, row.held, row.counted, row.not_counted) == (1, 1, 1, ())


def test_ward_csvs_keep_their_columns_and_add_the_new_ones_at_the_end(
    client, officer, ward, enhanced, elsewhere, make_session
):
    from contactsessions.monitoring.views.common import GRID_COLUMNS
    from contactsessions.monitoring.views.compliance import WARD_SESSION_COLUMNS

    make_session(london(2025, 10, 7, 18), venue=elsewhere)
    client.force_login(officer)
    url = reverse("monitoring:ward", args=[ward.code])
    weeks = list(csv.reader(io.StringIO(client.get(url, {**WEEK, "export": "weeks"}).content.decode())))
    assert weeks[0] == [c.header for c in GRID_COLUMNS] + [
        "approved_sessions",
        "approved_held",
        "counted",
        "not_counted_reason",
    ]
    reason = "The session on Tue 07 Oct 18:00 is not at the ward's fixed Enhanced venue."
    assert weeks[1][-4:] == ["1", "0", "0", reason]
    sessions = list(csv.reader(io.StringIO(client.get(url, {**WEEK, "export": "sessions"}).content.decode())))
    assert sessions[0] == [c.header for c in WARD_SESSION_COLUMNS] + ["not_counted_reason"]
    assert sessions[1][-1].endswith("is not at the ward's fixed Enhanced venue.")
