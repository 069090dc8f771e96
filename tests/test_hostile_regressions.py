"""One test for each server error or silent change the hostile-input tests found."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions.models import ContactSession, SessionOutcome, SessionSeries
from tests.conftest import london

pytestmark = pytest.mark.django_db


def _session_post(venue, officer, **extra) -> dict:
    data = {"start_time": "10:00", "end_time": "11:00", "venue": venue.pk, "format": "surgery"}
    data |= {"officers": [officer.officer.pk], "new_venue_kind": "other"}
    return data | extra


def test_outcome_count_beyond_the_database_integer_is_a_form_error(client, officer, make_session):
    """Was a 500: 10**20 passed the form and overflowed PostgreSQL's integer."""
    session = make_session(london(2026, 10, 1, 10))
    client.force_login(officer)
    data = {"held": "yes", "attendance": str(10**20), "crimes_reported": "0", "advice_given": "0"}
    data |= {"property_marked": "0", "signposted": "0"}
    response = client.post(reverse("monitoring:outcome-record", args=[session.pk]), data)
    assert response.status_code == 400
    assert "attendance" in response.context["form"].errors
    assert not SessionOutcome.objects.exists()


def test_outcome_service_refuses_absurd_counts(officer, make_session):
    from contactsessions.services import ServiceError, outcome_record
    from contactsessions.services.outcomes import OUTCOME_MAX_COUNT

    session = make_session(london(2026, 10, 1, 10))
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=True, attendance=OUTCOME_MAX_COUNT + 1)
    assert refused.value.codes == ["outcome.too_large"]
    assert not SessionOutcome.objects.exists()


def test_series_starting_at_the_end_of_the_calendar_is_a_form_error(client, officer, ward, venue):
    """Was a 500: first_date 9999-12-31 overflowed when moved to the chosen weekday."""
    client.force_login(officer)
    data = _session_post(venue, officer, first_date="9999-12-31", weekday="6", weeks="4")
    response = client.post(reverse("officer:series-propose", args=[ward.pk]), data)
    assert response.status_code == 200
    assert "first_date" in response.context["form"].errors
    assert not SessionSeries.objects.exists() and not ContactSession.objects.exists()


def test_session_in_the_year_9999_is_refused(client, officer, ward, venue):
    """Was saved: a session 8,000 years ahead, at the edge of what dates can hold."""
    client.force_login(officer)
    response = client.post(
        reverse("officer:session-propose", args=[ward.pk]), _session_post(venue, officer, date="9999-12-31")
    )
    assert response.status_code == 200
    assert "Give a date between 2000 and 2099." in response.context["form"].errors["date"]
    assert not ContactSession.objects.exists()


def test_a_time_the_clocks_skip_is_refused_not_moved(client, officer, ward, venue):
    """Was saved an hour away from what was typed: 01:30 on 28 March 2027 does not exist."""
    client.force_login(officer)
    data = _session_post(venue, officer, date="2027-03-28", start_time="01:30", end_time="02:30")
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    assert response.status_code == 200
    assert "clocks go forward" in str(response.context["form"].non_field_errors())
    assert not ContactSession.objects.exists()


def test_a_series_that_meets_the_skipped_hour_saves_nothing(client, officer, ward, venue):
    client.force_login(officer)
    data = _session_post(
        venue, officer, first_date="2027-03-14", weekday="6", weeks="4", start_time="01:15", end_time="02:30"
    )
    response = client.post(reverse("officer:series-propose", args=[ward.pk]), data)
    assert response.status_code == 200
    assert "clocks go forward" in str(response.context["form"].non_field_errors())
    assert not SessionSeries.objects.exists() and not ContactSession.objects.exists()


def test_repeated_autumn_hour_means_the_first_one(client, officer, ward, venue):
    client.force_login(officer)
    data = _session_post(venue, officer, date="2027-10-31", start_time="00:30", end_time="01:30")
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    assert response.status_code == 302
    session = ContactSession.objects.get()
    assert session.end - session.start == dt.timedelta(hours=1)


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_share_page_for_a_week_at_the_edge_of_the_calendar(client, ward, week):
    """Was a 500: the previous/next week links overflowed."""
    response = client.get(reverse("public:ward-share", args=[ward.code]), {"week": week})
    assert response.status_code == 200


def test_outcome_summary_with_nul_in_the_query_is_a_clear_400(client, monitor, ward):
    """Was a 500: ?borough=%00 reached PostgreSQL, which refuses NUL in text."""
    client.force_login(monitor)
    response = client.get(reverse("monitoring:outcome-summary"), {"borough": "\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
