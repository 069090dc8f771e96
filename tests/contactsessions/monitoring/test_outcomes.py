"""Session outcomes: validation, recording through the page, reminders and summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from contactsessions.models import SessionFormat, SessionOutcome, SessionStatus
from contactsessions.outcome_figures import sessions_missing_outcome, summarise_outcomes
from contactsessions.services import ServiceError, outcome_record
from tests.conftest import london
from wards.models import Ward

NOW = london(2025, 10, 8, 12)


@pytest.fixture
def session(make_session):
    return make_session(london(2025, 10, 7, 18))


def test_outcome_is_recorded_after_the_session(session, officer):
    outcome = outcome_record(session=session, by=officer, held=True, attendance=7, crimes_reported=1, now=NOW)
    assert (outcome.held, outcome.attendance, outcome.crimes_reported) == (True, 7, 1)
    outcome_record(session=session, by=officer, held=True, attendance=9, now=NOW)  # a correction
    assert SessionOutcome.objects.get().attendance == 9


def test_no_outcome_before_the_session_ends(session, officer):
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=True, attendance=3, now=london(2025, 10, 7, 18, 30))
    assert refused.value.codes == ["outcome.not_ended"]
    assert not SessionOutcome.objects.exists()


@pytest.mark.parametrize("field", ["attendance", "crimes_reported", "advice_given", "property_marked", "signposted"])
def test_counts_cannot_be_negative(session, officer, field):
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=True, now=NOW, **{field: -1})
    assert refused.value.codes == ["outcome.negative"]
    assert not SessionOutcome.objects.exists()


def test_not_held_needs_a_category_and_zeroes_counts(session, officer):
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=False, not_held_reason="Venue flooded", now=NOW)
    assert refused.value.codes == ["outcome.no_category"]
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=False, not_held_category="flood", now=NOW)
    assert refused.value.codes == ["outcome.bad_category"]
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=False, not_held_category="other", now=NOW)
    assert refused.value.codes == ["outcome.no_reason"]  # "other" needs words
    assert not SessionOutcome.objects.exists()
    outcome = outcome_record(
        session=session,
        by=officer,
        held=False,
        not_held_category="venue_unavailable",
        not_held_reason="Venue flooded",
        attendance=4,
        now=NOW,
    )
    assert (outcome.not_held_category, outcome.not_held_reason) == ("venue_unavailable", "Venue flooded")
    assert outcome.attendance == 0
    # A category alone is enough for the listed reasons.
    outcome = outcome_record(session=session, by=officer, held=False, not_held_category="sickness_or_leave", now=NOW)
    assert (outcome.not_held_category, outcome.not_held_reason) == ("sickness_or_leave", "")


def test_held_clears_any_not_held_category(session, officer):
    outcome = outcome_record(session=session, by=officer, held=True, not_held_category="emergency", now=NOW)
    assert outcome.not_held_category == ""


@pytest.mark.parametrize("field", ["crimes_reported", "advice_given", "signposted"])
def test_counts_of_people_cannot_exceed_the_people_who_came(session, officer, field):
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=True, attendance=2, now=NOW, **{field: 3})
    assert refused.value.codes == ["outcome.exceeds_attendance"]
    assert refused.value.problems[0].field == field
    assert not SessionOutcome.objects.exists()
    outcome_record(session=session, by=officer, held=True, attendance=3, now=NOW, **{field: 3})  # equal is fine


def test_property_marked_counts_items_but_needs_somebody_to_have_come(session, officer):
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=session, by=officer, held=True, attendance=0, property_marked=2, now=NOW)
    assert refused.value.codes == ["outcome.exceeds_attendance"]
    assert not SessionOutcome.objects.exists()
    outcome = outcome_record(session=session, by=officer, held=True, attendance=1, property_marked=4, now=NOW)
    assert outcome.property_marked == 4


def test_no_outcome_for_a_session_still_to_come(make_session, officer):
    future = make_session(london(2025, 10, 20, 18))
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=future, by=officer, held=False, not_held_category="emergency", now=NOW)
    assert refused.value.codes == ["outcome.not_ended"]
    assert not SessionOutcome.objects.exists()


def test_the_database_refuses_not_held_without_a_category(session, officer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionOutcome.objects.create(session=session, held=False, recorded_by=officer)


def test_only_approved_sessions_get_outcomes(make_session, officer):
    proposed = make_session(london(2025, 10, 7, 18), status=SessionStatus.PROPOSED)
    with pytest.raises(ServiceError) as refused:
        outcome_record(session=proposed, by=officer, held=True, now=NOW)
    assert refused.value.codes == ["outcome.not_approved"]
    assert not SessionOutcome.objects.exists()


def test_outcome_page_records_and_shows_on_the_ward(client, officer, session, ward):
    client.force_login(officer)
    url = reverse("monitoring:outcome-record", args=[session.pk])
    data = {
        "held": "yes",
        "attendance": "5",
        "crimes_reported": "0",
        "advice_given": "2",
        "property_marked": "1",
        "signposted": "0",
        "note": "Good turnout",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert SessionOutcome.objects.get(session=session).advice_given == 2
    assert (
        "Held, 5 came"
        in client.get(reverse("monitoring:ward", args=[ward.code]), {"week": "2025-10-07"}).content.decode()
    )


@pytest.mark.parametrize(
    "change,message",
    [
        ({"attendance": "-3"}, "greater than or equal to 0"),
        ({"held": "no"}, "Choose why the session was not held."),
        ({"held": "no", "not_held_category": "other"}, "Say why the session was not held."),
        ({"attendance": "1", "crimes_reported": "2"}, "2 crimes reported is more than the 1 people who came"),
        ({"attendance": "lots"}, "Enter a whole number."),
        ({"held": "maybe"}, "Select a valid choice."),
    ],
)
def test_outcome_page_refuses_bad_input_and_saves_nothing(client, officer, session, change, message):
    client.force_login(officer)
    data = {
        "held": "yes",
        "attendance": "5",
        "crimes_reported": "0",
        "advice_given": "0",
        "property_marked": "0",
        "signposted": "0",
        **change,
    }
    response = client.post(reverse("monitoring:outcome-record", args=[session.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SessionOutcome.objects.exists()


def test_outcome_page_refuses_a_session_not_yet_ended(client, officer, make_session):
    future = make_session(london(2099, 1, 6, 18))
    client.force_login(officer)
    data = {
        "held": "yes",
        "attendance": "5",
        "crimes_reported": "0",
        "advice_given": "0",
        "property_marked": "0",
        "signposted": "0",
    }
    response = client.post(reverse("monitoring:outcome-record", args=[future.pk]), data)
    assert response.status_code == 400
    assert "once the session has ended" in response.content.decode()


def test_sessions_missing_outcome_lists_ended_approved_sessions_of_own_wards(
    session, officer, other_officer, make_session, other_ward, other_venue
):
    make_session(london(2099, 1, 6, 18))  # not ended
    make_session(london(2025, 10, 1, 18), status=SessionStatus.CANCELLED)
    make_session(london(2025, 10, 2, 18), ward=other_ward, venue=other_venue)  # not alice's ward
    done = make_session(london(2025, 10, 3, 18))
    outcome_record(session=done, by=officer, held=True, attendance=1, now=NOW)
    assert list(sessions_missing_outcome(officer, now=NOW)) == [session]
    assert [s.ward for s in sessions_missing_outcome(other_officer, now=NOW)] == [other_ward]


def test_reminder_include_and_page(client, officer, session):
    client.force_login(officer)
    response = client.get(reverse("monitoring:outcome-reminders"))
    assert reverse("monitoring:outcome-record", args=[session.pk]) in response.content.decode()


def test_send_outcome_reminders_emails_text_and_html(session, officer, second_officer):
    call_command("send_outcome_reminders", stdout=__import__("io").StringIO())
    # Any DWO of the ward may record it, so both of the ward's DWOs are reminded.
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "anna@example.org"]
    message = mail.outbox[0]
    assert "Record the outcome of 1 contact session" in message.subject
    assert reverse("monitoring:outcome-record", args=[session.pk]) in message.body
    assert message.alternatives[0].mimetype == "text/html"


def test_summaries_by_format_and_venue_kind(officer, ward, venue, other_venue, make_session):
    surgery = make_session(london(2025, 10, 7, 18), format=SessionFormat.SURGERY)
    empty = make_session(london(2025, 10, 8, 18), format=SessionFormat.SURGERY)
    cuppa = make_session(london(2025, 10, 9, 18), format=SessionFormat.CUPPA, venue=other_venue)
    cancelled = make_session(london(2025, 10, 10, 18), format=SessionFormat.CUPPA)
    outcome_record(session=surgery, by=officer, held=True, attendance=6, now=NOW + dt.timedelta(days=7))
    outcome_record(session=empty, by=officer, held=True, attendance=0, now=NOW + dt.timedelta(days=7))
    outcome_record(session=cuppa, by=officer, held=True, attendance=3, now=NOW + dt.timedelta(days=7))
    outcome_record(
        session=cancelled, by=officer, held=False, not_held_category="sickness_or_leave", now=NOW + dt.timedelta(days=7)
    )
    summary = summarise_outcomes(
        wards=Ward.objects.filter(pk=ward.pk), start=london(2025, 10, 6), end=london(2025, 10, 13)
    )
    assert (summary.total.recorded, summary.total.held, summary.total.not_held) == (4, 3, 1)
    assert summary.total.average_display == "3.0"
    assert summary.total.nobody_came == 1
    formats = {r.label: (r.held, r.average_display, r.nobody_came) for r in summary.by_format}
    assert formats == {"Surgery": (2, "3.0", 1), "Cuppa with a Copper": (1, "3.0", 0)}
    kinds = {r.label: (r.recorded, r.held) for r in summary.by_venue_kind}
    assert kinds == {"Library": (1, 1), "Community centre": (3, 2)}


def test_outcome_summary_page_scopes_to_a_ward(client, board_member, ward, session, officer):
    outcome_record(session=session, by=officer, held=True, attendance=4, now=NOW)
    client.force_login(board_member)
    response = client.get(
        reverse("monitoring:outcome-summary"), {"ward": ward.code, "start": "2025-10-06", "end": "2025-10-12"}
    )
    assert response.context["scope"] == ward.name
    assert response.context["summary"].total.held == 1
    assert client.get(reverse("monitoring:outcome-summary"), {"ward": "E05999999"}).status_code == 404


def test_overseers_see_outcomes_still_owed_in_their_wards(
    client, make_session, monitor, board_member, far_board_member
):
    from django.urls import reverse

    from tests.conftest import london

    make_session(london(2026, 10, 28, 18, 30))  # ended, no outcome
    url = reverse("monitoring:outcome-reminders")
    for user, sees in ((monitor, True), (board_member, True), (far_board_member, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Still owed in the wards you oversee" in page
        assert ("Wed 28 Oct 2026, 18:30" in page) is sees


@pytest.fixture
def summer_outcomes(officer, make_session):
    """Four sessions in British Summer Time, when London is an hour ahead of UTC: the day
    and time of day must be London's, not the database's UTC."""
    later = london(2025, 7, 20, 12)
    plan = [
        (london(2025, 7, 14, 11), {"attendance": 5, "crimes_reported": 1, "advice_given": 2}),  # Monday morning
        (london(2025, 7, 16, 16, 30), {"attendance": 4, "property_marked": 3}),  # Wednesday afternoon
        (
            london(2025, 7, 16, 17),
            {"attendance": 9, "signposted": 2, "advice_given": 1},
        ),  # Wednesday evening (16:00 UTC)
        (london(2025, 7, 20, 0, 30), {"attendance": 2}),  # Sunday morning (Saturday 23:30 UTC)
    ]
    for start, counts in plan:
        outcome_record(session=make_session(start, minutes=30), by=officer, held=True, now=later, **counts)


def test_summaries_by_day_of_week_and_time_of_day_in_london_time(summer_outcomes, ward):
    summary = summarise_outcomes(
        wards=Ward.objects.filter(pk=ward.pk), start=london(2025, 7, 14), end=london(2025, 7, 21)
    )
    days = {r.label: (r.held, r.attendance) for r in summary.by_day}
    assert days == {"Monday": (1, 5), "Wednesday": (2, 13), "Sunday": (1, 2)}
    assert [r.label for r in summary.by_day] == ["Monday", "Wednesday", "Sunday"]  # in the week's order
    times = {r.key: (r.held, r.attendance, r.advice_given) for r in summary.by_time}
    assert times == {"morning": (2, 7, 2), "afternoon": (1, 4, 0), "evening": (1, 9, 1)}
    total = summary.total
    assert (total.attendance, total.crimes_reported, total.advice_given) == (20, 1, 3)
    assert (total.property_marked, total.signposted) == (3, 2)


@pytest.mark.parametrize("scope", ["london", "borough", "ward"])
def test_outcome_summary_page_shows_and_exports_day_and_time(client, monitor, ward, summer_outcomes, scope):
    client.force_login(monitor)
    query = {"start": "2025-07-14", "end": "2025-07-20"}
    query |= {"london": {}, "borough": {"borough": ward.borough.code}, "ward": {"ward": ward.code}}[scope]
    page = client.get(reverse("monitoring:outcome-summary"), query)
    assert page.status_code == 200
    assert "By day of the week" in page.content.decode() and "Evening (from 5 pm)" in page.content.decode()
    assert "?" in page.context["exports"]["day"] and "export=time" in page.context["exports"]["time"]
    by_day = client.get(reverse("monitoring:outcome-summary"), query | {"export": "day"})
    lines = by_day.content.decode().splitlines()
    assert lines[0].split(",")[:2] == ["day", "outcomes_recorded"]
    assert lines[0].split(",")[-5:] == [
        "nobody_came",
        "crimes_reported",
        "advice_given",
        "property_marked",
        "people_signposted",
    ]
    assert lines[1].startswith("Monday,1,1,5,") and lines[-1].startswith("All sessions,4,4,20,")
    by_time = client.get(reverse("monitoring:outcome-summary"), query | {"export": "time"})
    assert by_time["Content-Disposition"] == 'attachment; filename="outcomes-by-time.csv"'
    assert by_time.content.decode().splitlines()[1] == "Morning (before 12 noon),2,2,7,3.5,0,1,2,0,0"
