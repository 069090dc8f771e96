"""Delivered, not planned (issue 14): a week that is over counts as met only when a session
was held. Every view, CSV and compliance_report must agree on it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contactsessions import rules, services, week_figures
from contactsessions.models import SessionOutcome
from tests.conftest import london

# Last week: over, and its outcomes still within the grace days whatever day today is.
LAST_WEEK = rules.week_start_of(timezone.localdate()) - dt.timedelta(weeks=1)


@pytest.fixture
def delivered_weeks(ward, other_ward, other_venue, make_session, officer, other_officer, second_officer):
    """``ward``'s only session last week was approved, then recorded as not held;
    ``other_ward``'s was approved and has no outcome yet."""
    tuesday = LAST_WEEK + dt.timedelta(days=1)
    not_held = make_session(london(tuesday.year, tuesday.month, tuesday.day, 18))
    services.outcome_record(
        session=not_held,
        by=officer,
        held=False,
        not_held_category="emergency",
        not_held_reason="Officers were abstracted to an emergency.",
    )
    make_session(london(tuesday.year, tuesday.month, tuesday.day, 18), ward=other_ward, venue=other_venue)
    return {"missed": ward, "awaiting": other_ward}


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def week_of(report, ward):
    item = next(i for i in report.wards if i.ward_id == ward.pk)
    return next(w for w in item.weeks if w.week_start == LAST_WEEK)


def test_week_recorded_not_held_is_missed_and_unrecorded_is_awaiting_in_every_view(
    client, monitor, camden, delivered_weeks
):
    missed, awaiting = delivered_weeks["missed"], delivered_weeks["awaiting"]
    assert SessionOutcome.objects.get(session__ward=missed).held is False
    client.force_login(monitor)

    # London: week totals from the database's tallies, and their CSV.
    response = client.get(reverse("monitoring:london"))
    summary = next(w for w in response.context["report"].weeks if w.week_start == LAST_WEEK)
    assert (summary.met, summary.missed, summary.awaiting_outcome, summary.standard_met) == (0, 1, 1, 0)
    assert b"Awaiting outcome" in response.content
    weeks_csv = rows_of(client.get(reverse("monitoring:london"), {"export": "weeks"}))
    [row] = [r for r in weeks_csv if r["week_start"] == str(LAST_WEEK)]
    assert (row["met"], row["missed"], row["awaiting_outcome"], row["standard_met"]) == ("0", "1", "1", "0")
    [borough_row] = rows_of(client.get(reverse("monitoring:london"), {"export": "boroughs"}))
    assert borough_row["met"] == "0"

    # The borough: every ward's weeks in detail, its grid CSV and its weeks CSV.
    response = client.get(reverse("monitoring:borough", args=[camden.code]))
    report = response.context["report"]
    assert week_of(report, missed).state == week_figures.MISSED
    assert week_of(report, awaiting).state == week_figures.AWAITING_OUTCOME
    grid = rows_of(client.get(reverse("monitoring:borough", args=[camden.code]), {"export": "grid"}))
    states = {r["ward_code"]: r["state"] for r in grid if r["week_start"] == str(LAST_WEEK)}
    assert states == {missed.code: "missed", awaiting.code: "awaiting_outcome"}

    # Each ward's page, its weeks CSV, and why.
    for ward, state, label in ((missed, "missed", "Missed"), (awaiting, "awaiting_outcome", "Awaiting outcome")):
        response = client.get(reverse("monitoring:ward", args=[ward.code]))
        week = week_of(response.context["report"], ward)
        assert week.state == state
        assert label in week.label
        rows = rows_of(client.get(reverse("monitoring:ward", args=[ward.code]), {"export": "weeks"}))
        [row] = [r for r in rows if r["week_start"] == str(LAST_WEEK)]
        assert row["state"] == state


def test_ward_page_says_why_the_week_was_missed(client, monitor, delivered_weeks):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:ward", args=[delivered_weeks["missed"].code]))
    week = week_of(response.context["report"], delivered_weeks["missed"])
    assert rules.Code.SESSION_NOT_HELD in [v.code for v in week.violations]
    assert "not held" in week.reason


def test_compliance_report_counts_only_weeks_held_as_met(delivered_weeks):
    out = io.StringIO()
    call_command("compliance_report", "--from-week", LAST_WEEK.isoformat(), "--weeks", "1", "--csv", stdout=out)
    [header, row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert header[:2] == ["week_start", "wards"]
    assert {"met", "missed", "awaiting_outcome", "unconfirmed"} <= set(header)
    values = dict(zip(header, row, strict=True))
    assert values["week_start"] == LAST_WEEK.isoformat()
    assert (values["met"], values["missed"], values["awaiting_outcome"], values["unconfirmed"]) == ("0", "1", "1", "0")


def test_unrecorded_week_becomes_unconfirmed_after_the_grace_days(delivered_weeks, settings):
    out = io.StringIO()
    today = LAST_WEEK + dt.timedelta(days=7 + settings.OUTCOME_GRACE_DAYS)
    call_command(
        "compliance_report", "--from-week", LAST_WEEK.isoformat(), "--csv", "--today", today.isoformat(), stdout=out
    )
    [header, row] = list(csv.reader(io.StringIO(out.getvalue())))
    values = dict(zip(header, row, strict=True))
    assert (values["met"], values["awaiting_outcome"], values["unconfirmed"]) == ("0", "0", "1")


def test_held_outcome_makes_the_week_met(client, monitor, delivered_weeks, other_officer):
    session = delivered_weeks["awaiting"].sessions.get()
    services.outcome_record(session=session, by=other_officer, held=True, attendance=4)
    client.force_login(monitor)
    response = client.get(reverse("monitoring:london"))
    summary = next(w for w in response.context["report"].weeks if w.week_start == LAST_WEEK)
    assert (summary.met, summary.missed, summary.awaiting_outcome) == (1, 1, 0)


def test_reminders_tell_the_dwos_and_the_snb_when_outcomes_are_overdue(
    make_session, officer, board_member, settings, mailoutbox
):
    from contactsessions.outcome_figures import sessions_outcome_overdue

    settings.OUTCOME_GRACE_DAYS = 7
    overdue_week = rules.week_start_of(timezone.localdate()) - dt.timedelta(weeks=3)
    day = overdue_week + dt.timedelta(days=2)
    overdue = make_session(london(day.year, day.month, day.day, 18))
    day = LAST_WEEK + dt.timedelta(days=2)
    still_due = make_session(london(day.year, day.month, day.day, 18))
    assert list(sessions_outcome_overdue()) == [overdue]
    out = io.StringIO()
    call_command("send_outcome_reminders", stdout=out)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert reverse("monitoring:outcome-record", args=[still_due.pk]) in by_recipient[officer.email].body
    board_mail = by_recipient[board_member.email]
    assert "unconfirmed" in board_mail.subject
    local = overdue.start.astimezone(rules.LONDON)
    assert f"{local.day} {local:%b %Y}" in board_mail.body
    assert "1 to SNB members" in out.getvalue()
