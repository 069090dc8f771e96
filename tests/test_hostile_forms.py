"""Property-based tests: the back-office and monitoring forms fed hostile and broken values.

Each answer must be a clear message (the form again, or a redirect carrying an error
message), 403, 404 or 405 — never a 500 — and a refused write leaves every table as it was.
Every example runs inside a savepoint that is rolled back, so examples do not see each other.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given

from contactsessions.models import ContactSession, SessionSeries, SessionStatus
from tests.conftest import london
from tests.hostile import (
    assert_acceptable,
    choice_values,
    date_values,
    message_levels,
    number_values,
    overrides,
    post_fresh,
    row_counts,
    text_values,
    time_values,
    undone,
)

pytestmark = pytest.mark.django_db


def _session_fields(venue, officer_user, day: dt.date) -> dict:
    return {
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "venue": str(venue.pk),
        "format": "surgery",
        "officers": [str(officer_user.officer.pk)],
        "description": "Drop in.",
        "off_pattern_reason": "",
        "new_venue_kind": "other",
        "version": "",
    }


SESSION_STRATEGIES = {
    "date": date_values(),
    "start_time": time_values(),
    "end_time": time_values(),
    "venue": choice_values("", "0", "-1", str(10**20)),
    "format": choice_values("surgery", "street", "online"),
    "officers": choice_values("0", str(10**20)),
    "description": text_values(),
    "off_pattern_reason": text_values(),
    "version": number_values(),
}

NEW_VENUE_STRATEGIES = {
    "new_venue_name": text_values(),
    "new_venue_address": text_values(),
    "new_venue_postcode": choice_values("NW1 1EE", "nw11ee", "SW1A 1AA", "ZZ99 9ZZ", "NW1  1EE"),
    "new_venue_kind": choice_values("other", "library", "community_centre"),
    "new_venue_step_free": choice_values("on", "off", "1"),
    "new_venue_hearing_loop": choice_values("on"),
    "new_venue_accessible_toilet": choice_values("on"),
    "new_venue_accessibility_notes": text_values(),
}


def _assert_refused_or_saved(response, before: dict) -> None:
    assert_acceptable(response)
    if response.status_code != 302:
        assert row_counts() == before, "a refused form changed the database"
        assert response.status_code in (200, 400)
        form = response.context["form"]
        assert form.errors, "refused without saying why"
        assert "alert-danger" in response.text or "is-invalid" in response.text


def test_session_propose_survives_hostile_input(client, officer, ward, venue, soon):
    client.force_login(officer)
    url = reverse("officer:session-propose", args=[ward.pk])
    base = _session_fields(venue, officer, soon)

    @given(data=overrides(base, SESSION_STRATEGIES))
    def check(data):
        with undone():
            before = row_counts()
            response = client.post(url, data)
            _assert_refused_or_saved(response, before)
            if response.status_code == 302:
                assert row_counts()["ContactSession"] == before["ContactSession"] + 1

    check()


def test_new_venue_survives_hostile_input(client, officer, ward, venue, soon):
    client.force_login(officer)
    url = reverse("officer:session-propose", args=[ward.pk])
    base = {
        **_session_fields(venue, officer, soon),
        "venue": "",
        "new_venue_name": "Hall",
        "new_venue_address": "1 Road",
        "new_venue_postcode": "NW1 1EE",
    }

    @given(data=overrides(base, NEW_VENUE_STRATEGIES))
    def check(data):
        with undone():
            before = row_counts()
            response = client.post(url, data)
            _assert_refused_or_saved(response, before)
            if response.status_code == 302:
                after = row_counts()
                assert after["Venue"] == before["Venue"] + 1
                assert after["ContactSession"] == before["ContactSession"] + 1

    check()


SERIES_STRATEGIES = {
    **{k: v for k, v in SESSION_STRATEGIES.items() if k not in ("date", "version")},
    "weekday": choice_values(*map(str, range(7)), "7", "-1", str(10**20)),
    "first_date": date_values(),
    "until": date_values(),
    "weeks": number_values(),
}


def test_series_propose_survives_hostile_input(client, officer, ward, venue, soon):
    client.force_login(officer)
    url = reverse("officer:series-propose", args=[ward.pk])
    base = {**_session_fields(venue, officer, soon), "weekday": "0", "first_date": soon.isoformat(), "weeks": "4"}
    del base["date"]

    @given(data=overrides(base, SERIES_STRATEGIES))
    def check(data):
        with undone():
            before = row_counts()
            response = client.post(url, data)
            _assert_refused_or_saved(response, before)
            # All or nothing: every series has all its sessions, no session lost its series.
            for series in SessionSeries.objects.all():
                weeks = (series.last_date - series.first_date).days // 7 + 1
                assert series.sessions.count() == weeks

    check()


def test_session_edit_survives_hostile_input(client, officer, ward, venue, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 10), status=SessionStatus.PROPOSED)
    client.force_login(officer)
    url = reverse("officer:session-edit", args=[session.pk])
    base = {**_session_fields(venue, officer, soon), "version": str(session.version)}

    @given(data=overrides(base, SESSION_STRATEGIES))
    def check(data):
        with undone():
            before = row_counts()
            was = ContactSession.objects.values().get(pk=session.pk)
            response = client.post(url, data)
            assert_acceptable(response)
            if response.status_code != 302:
                assert row_counts() == before
                assert ContactSession.objects.values().get(pk=session.pk) == was

    check()


REVIEW_STRATEGIES = {"version": number_values(), "text": text_values(), "next_page": choice_values("queue")}


@pytest.mark.parametrize("action", ["board:session-approve", "board:session-return", "board:session-reject"])
def test_review_forms_survive_hostile_input(action, client, board_member, officer, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 10), status=SessionStatus.PROPOSED)
    client.force_login(board_member)
    url = reverse(action, args=[session.pk])
    base = {"version": str(session.version), "text": "Looks fine."}

    @given(data=overrides(base, REVIEW_STRATEGIES))
    def check(data):
        with undone():
            before = row_counts()
            response = post_fresh(client, url, data)
            assert_acceptable(response)
            # A refused form comes back (200) with what was typed; from the queue it redirects.
            assert response.status_code in (200, 302)
            after = ContactSession.objects.get(pk=session.pk)
            if response.status_code == 200 or "error" in message_levels(response):
                assert row_counts() == before
                assert (after.status, after.version) == (SessionStatus.PROPOSED, session.version)
            else:
                assert after.status != SessionStatus.PROPOSED
                assert row_counts()["SessionComment"] == before["SessionComment"] + 1

    check()


def test_comment_form_survives_hostile_input(client, panel_member, officer, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 10), status=SessionStatus.PROPOSED)
    client.force_login(panel_member)
    url = reverse("officer:session-comment", args=[session.pk])

    @given(data=overrides({"text": "Fine by us."}, {"text": text_values(), "next_page": choice_values("panel")}))
    def check(data):
        with undone():
            before = row_counts()
            response = post_fresh(client, url, data)
            # A refused comment comes back (200) with its text and the problem; a saved one redirects.
            assert response.status_code in (200, 302)
            if response.status_code == 200:
                assert row_counts() == before

    check()


OUTCOME_STRATEGIES = {
    "held": choice_values("yes", "no"),
    "not_held_category": choice_values("emergency", "other", "nobody_came"),
    "not_held_reason": text_values(),
    "attendance": number_values(),
    "crimes_reported": number_values(),
    "advice_given": number_values(),
    "property_marked": number_values(),
    "signposted": number_values(),
    "note": text_values(),
}


def test_outcome_form_survives_hostile_input(client, officer, make_session):
    session = make_session(london(2026, 10, 25, 0, 30), minutes=120)  # across the clock change, in the past
    client.force_login(officer)
    url = reverse("monitoring:outcome-record", args=[session.pk])
    base = {"held": "yes", "attendance": "3", "crimes_reported": "0", "advice_given": "1"}
    base |= {"property_marked": "0", "signposted": "0", "note": ""}

    @given(data=overrides(base, OUTCOME_STRATEGIES))
    def check(data):
        with undone():
            before = row_counts()
            response = client.post(url, data)
            _assert_refused_or_saved(response, before)

    check()


EXEMPTION_STRATEGIES = {
    "ward": choice_values("0", "-1", str(10**20)),
    "week": date_values(),
    "reason": text_values(),
}


def test_exemption_form_survives_hostile_input(client, officer, ward):
    client.force_login(officer)
    url = reverse("monitoring:exemption-propose")
    base = {"ward": str(ward.pk), "week": "2027-10-31", "reason": "Carnival"}

    @given(data=overrides(base, EXEMPTION_STRATEGIES))
    def check(data):
        with undone():
            before = row_counts()
            response = client.post(url, data)
            _assert_refused_or_saved(response, before)

    check()


def test_exemption_decision_survives_hostile_input(client, board_member, officer, ward):
    from contactsessions.models import WeekExemption

    exemption = WeekExemption.objects.create(
        ward=ward, week_start=dt.date(2027, 10, 25), reason="Carnival", proposed_by=officer
    )
    client.force_login(board_member)
    url = reverse("monitoring:exemption-decide", args=[exemption.pk])

    @given(data=overrides({"decision": "agree"}, {"decision": choice_values("agree", "refuse")}))
    def check(data):
        with undone():
            response = client.post(url, data)
            assert response.status_code == 302

    check()


@pytest.mark.parametrize(
    "name", ["monitoring:london", "monitoring:outcome-summary", "monitoring:looking-ahead", "monitoring:roster"]
)
def test_monitoring_query_strings_survive_hostile_input(name, client, monitor, ward):
    client.force_login(monitor)
    url = reverse(name)
    strategies = {
        "start": date_values(),
        "end": date_values(),
        "sort": choice_values("name", "-share"),
        "export": choice_values("weeks", "boroughs", "format", "venue", "wards", "roster"),
        "ward": choice_values(ward.code),
        "borough": choice_values(ward.borough.code),
    }

    @given(data=overrides({}, strategies))
    def check(data):
        assert_acceptable(client.get(url, data))

    check()


def test_monitoring_ward_page_survives_hostile_week(client, monitor, ward):
    client.force_login(monitor)
    url = reverse("monitoring:ward", args=[ward.code])

    @given(data=overrides({}, {"week": date_values(), "start": date_values(), "end": date_values()}))
    def check(data):
        assert_acceptable(client.get(url, data))

    check()
