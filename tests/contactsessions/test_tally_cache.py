"""The London view's cached week tallies (``contactsessions.tally_cache``): the same figures as
full detail, whatever was cached before; a write in one ward shows at once on the dashboard;
a cold view after such a write counts only that ward in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contactsessions import compliance, rules, tally_cache
from contactsessions.lib.scopes import LONDON, public_cache_bump, ward_scope
from contactsessions.models import (
    EnhancedDesignation,
    ExemptionStatus,
    LondonExemptPeriod,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from tests.conftest import london, make_officer

# Twelve weeks across the boundary of two blocks (tally_cache.BLOCK_WEEKS) on 1 December 2025.
FIRST = dt.date(2025, 11, 3)
WEEKS = rules.weeks(FIRST, 12)
TODAY = dt.date(2026, 1, 28)  # a Wednesday: the last week is over, its outcomes still within the grace days
TALLY_SQL = 'COUNT("contactsessions_contactsession"."id") FILTER'


def totals(report):
    return report.weeks, report.boroughs, report.total


def cached(week_starts=WEEKS, today=TODAY):
    return compliance.compute_compliance(
        week_starts=week_starts, today=today, standard_detail=False, cached_tallies=True
    )


def detailed(week_starts=WEEKS, today=TODAY):
    return compliance.compute_compliance(week_starts=week_starts, today=today)


def tally_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if TALLY_SQL in q["sql"]]


@pytest.fixture
def sessions(ward, other_ward, other_venue, make_session, officer):
    """Held, unrecorded and proposed sessions in two wards, on both sides of the block boundary."""
    for week in WEEKS[::2]:
        session = make_session(london(*week.timetuple()[:3], 18) + dt.timedelta(days=1))
        SessionOutcome.objects.create(session=session, held=True, attendance=4, recorded_by=officer)
    make_session(london(2025, 12, 2, 18))  # approved, no outcome
    make_session(london(2026, 1, 20, 18), status=SessionStatus.PROPOSED)
    make_session(london(2025, 11, 25, 10), ward=other_ward, venue=other_venue)
    return {"ward": ward, "other_ward": other_ward}


def test_cached_tallies_match_full_detail_counted_then_read_back(sessions):
    expected = totals(detailed())
    with CaptureQueriesContext(connection) as first:
        assert totals(cached()) == expected
    with CaptureQueriesContext(connection) as again:
        assert totals(cached()) == expected
    assert len(tally_queries(first)) == 1
    assert tally_queries(again) == []  # every ward's tallies from the cache
    assert len(again.captured_queries) == len(first.captured_queries) - 1


def test_tallies_do_not_depend_on_the_day_they_were_counted(sessions):
    cached(today=TODAY)
    later = dt.date(2026, 6, 1)  # every week over and past the grace days: unrecorded is now unconfirmed
    with CaptureQueriesContext(connection) as ctx:
        assert totals(cached(today=later)) == totals(detailed(today=later))
    assert tally_queries(ctx) == []


@pytest.mark.parametrize(
    "ranges",
    [
        [WEEKS[:3], WEEKS],  # a longer range: the weeks outside the first are counted then
        [WEEKS, WEEKS[4:6], WEEKS[:2]],  # shorter ranges inside it: no count
        [WEEKS[5:], WEEKS[:5], WEEKS],  # two halves, then the whole from what they stored
    ],
)
def test_ranges_across_blocks_agree_with_full_detail(sessions, ranges):
    for weeks in ranges:
        assert totals(cached(weeks)) == totals(detailed(weeks))


def test_a_longer_range_counts_only_the_weeks_it_lacks_then_reads_the_cache(sessions):
    cached(WEEKS[:3])
    with CaptureQueriesContext(connection) as ctx:
        cached(WEEKS)
    assert len(tally_queries(ctx)) == 1
    with CaptureQueriesContext(connection) as ctx:
        cached(WEEKS[1:])
    assert tally_queries(ctx) == []


def test_a_session_written_in_one_ward_recounts_that_ward_alone(sessions, make_session):
    ward, other_ward = sessions["ward"], sessions["other_ward"]
    cached()
    make_session(london(2025, 11, 11, 9), ward=other_ward, status=SessionStatus.APPROVED)
    with CaptureQueriesContext(connection) as ctx:
        assert totals(cached()) == totals(detailed())
    [query] = tally_queries(ctx)
    assert f'"ward_id" IN ({other_ward.pk})' in query  # that ward alone
    assert ward.pk != other_ward.pk


def test_an_outcome_recorded_late_for_an_old_week_shows_at_once(sessions, make_session, officer):
    session = make_session(london(2025, 11, 4, 10), ward=sessions["other_ward"])
    before = cached()
    SessionOutcome.objects.create(session=session, held=True, attendance=2, recorded_by=officer)
    after = cached()
    assert totals(after) == totals(detailed())
    assert after.total.standard_met == before.total.standard_met + 1


def test_a_session_recorded_as_not_held_stops_counting(sessions, officer):
    before = cached()
    outcome = SessionOutcome.objects.filter(session__ward=sessions["ward"]).first()
    outcome.held = False
    outcome.not_held_category = "other"
    outcome.not_held_reason = "Venue closed"
    outcome.save()
    after = cached()
    assert totals(after) == totals(detailed())
    assert after.total.standard_met == before.total.standard_met - 1


def test_exemptions_are_applied_to_cached_tallies(sessions, officer, monitor):
    before = cached()
    WeekExemption.objects.create(
        ward=sessions["ward"], week_start=WEEKS[1], reason="Event", status=ExemptionStatus.AGREED, proposed_by=officer
    )
    assert cached().total.exempt == before.total.exempt + 1
    LondonExemptPeriod.objects.create(reason="Carnival", first_week=WEEKS[3], last_week=WEEKS[3], declared_by=monitor)
    with CaptureQueriesContext(connection) as ctx:
        after = cached()
    assert tally_queries(ctx) == []  # a London-wide period changes no tally
    assert totals(after) == totals(detailed())


def test_a_ward_made_enhanced_is_checked_in_detail(sessions, venue):
    cached()
    EnhancedDesignation.objects.create(
        community="Somers Town", ward=sessions["ward"], venue=venue, in_force_from=dt.date(2025, 1, 1)
    )
    report = cached()
    assert [w.ward_id for w in report.wards] == [sessions["ward"].pk]
    assert totals(report) == totals(detailed())


def test_a_bump_of_everything_or_a_lost_token_counts_again(sessions):
    cached()
    public_cache_bump()  # update()s and reloads bump the token of everything
    with CaptureQueriesContext(connection) as ctx:
        cached()
    assert len(tally_queries(ctx)) == 1
    cache.delete_many([f"public-cache:scope:{ward_scope(sessions['ward'].pk)}"])  # evicted
    with CaptureQueriesContext(connection) as ctx:
        assert totals(cached()) == totals(detailed())
    assert len(tally_queries(ctx)) == 1


def test_weeks_not_consecutive_are_counted_without_the_cache(sessions):
    wards = list(compliance.wards_in_use(WEEKS))
    spread = tally_cache.week_tallies(wards, [WEEKS[0], WEEKS[2]])
    assert spread[sessions["ward"].pk][0] == rules.WeekTally(approved=1, held=1)
    assert cache.get(tally_cache.entry_key(sessions["ward"].borough_id, tally_cache.block_of(WEEKS[0]))) is None


def test_dashboard_shows_a_write_in_one_ward_at_once_and_counts_only_it(client, monitor, sessions, make_session):
    client.force_login(monitor)
    url = reverse("monitoring:london") + f"?start={WEEKS[0]}&end={WEEKS[-1]}"
    first = client.get(url).context["report"]
    make_session(london(2025, 11, 18, 18), ward=sessions["other_ward"])  # approved, over, no outcome yet
    with CaptureQueriesContext(connection) as ctx:
        report = client.get(url).context["report"]
    assert report.total.unconfirmed == first.total.unconfirmed + 1
    [query] = tally_queries(ctx)
    assert f'"ward_id" IN ({sessions["other_ward"].pk})' in query
    public_cache_bump(LONDON)  # the London summary forgotten, no ward written: no tally counted
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).context["report"].total == report.total
    assert tally_queries(warm) == []
    # Every borough's part from the cache (london_figures): no ward, requirement or session read.
    assert len(warm.captured_queries) < len(ctx.captured_queries) - 5


# --- London's figures kept per borough (london_figures) ---------------------------------------


def london_totals(week_starts=WEEKS, today=TODAY):
    from contactsessions import london_figures

    return totals(london_figures.london_report(week_starts=week_starts, today=today))


def test_london_figures_added_up_from_boroughs_equal_full_detail(sessions, far_ward, far_officer):
    from contactsessions import london_figures

    report = london_figures.london_report(week_starts=WEEKS, today=TODAY)
    assert report == compliance.compute_compliance(week_starts=WEEKS, today=TODAY, standard_detail=False)
    assert [b.name for b in report.boroughs] == ["Camden", "Hackney"]
    assert london_totals() == totals(detailed())  # now read back from the cache
    assert london_totals(today=dt.date(2026, 6, 1)) == totals(detailed(today=dt.date(2026, 6, 1)))


def test_a_write_in_one_borough_recomputes_that_borough_alone(sessions, far_ward, make_session, far_officer):
    london_totals()
    make_session(london(2025, 11, 12, 18), ward=far_ward, created_by=far_officer)
    with CaptureQueriesContext(connection) as ctx:
        assert london_totals() == totals(detailed())
    queries = " ".join(q["sql"] for q in ctx.captured_queries)
    assert f'"borough_id" IN ({far_ward.borough_id})' in queries
    assert f'"borough_id" IN ({sessions["ward"].borough_id}' not in queries  # Camden's part from the cache


@pytest.mark.parametrize("kind", ["session", "outcome", "exemption", "london period", "designation", "borough"])
def test_every_kind_of_write_shows_in_the_london_figures_at_once(
    kind, sessions, make_session, officer, monitor, venue, camden
):
    london_totals()
    ward = sessions["ward"]
    if kind == "session":
        make_session(london(2025, 11, 11, 9))
    elif kind == "outcome":
        SessionOutcome.objects.filter(session__ward=ward).delete()
    elif kind == "exemption":
        WeekExemption.objects.create(
            ward=ward, week_start=WEEKS[2], reason="Event", status=ExemptionStatus.AGREED, proposed_by=officer
        )
    elif kind == "london period":
        LondonExemptPeriod.objects.create(
            reason="Carnival", first_week=WEEKS[4], last_week=WEEKS[5], declared_by=monitor
        )
    elif kind == "designation":
        EnhancedDesignation.objects.create(community="Somers Town", ward=ward, venue=venue, in_force_from=FIRST)
    else:
        camden.name = "Camden Town"
        camden.save()
    assert london_totals() == totals(detailed())


def test_a_ward_moved_to_another_borough_counts_in_that_borough_only(sessions, hackney, far_ward):
    london_totals()
    moved = sessions["other_ward"]
    moved.borough = hackney  # bumps the ward and its new borough only
    moved.save()
    assert london_totals() == totals(detailed())


def test_with_each_process_its_own_cache_kept_figures_expire_within_five_minutes(sessions, monkeypatch):
    """Without Redis a bump in another gunicorn worker never reaches this one: only the expiry
    bounds how stale this worker's kept tallies and borough figures can be."""
    timeouts = []
    real_set_many = cache.set_many

    def set_many(data, timeout=None, **kwargs):
        if any(str(key).startswith(("compliance:tallies:", "compliance:borough-part:")) for key in data):
            timeouts.append(timeout)
        return real_set_many(data, timeout, **kwargs)

    monkeypatch.setattr(cache, "set_many", set_many)
    compliance.london_summary(week_starts=WEEKS, today=TODAY)
    assert timeouts and all(timeout <= 300 for timeout in timeouts)


def test_a_new_day_reuses_every_boroughs_part_until_what_today_decides_changes(
    sessions, far_ward, far_officer, monkeypatch
):
    london_totals()
    thursday = TODAY + dt.timedelta(days=1)  # no week ends, no outcome falls overdue
    assert [rules.week_phase(w, today=thursday, grace_days=7) for w in WEEKS] == [
        rules.week_phase(w, today=TODAY, grace_days=7) for w in WEEKS
    ]
    expected = totals(detailed(today=thursday))

    def recompute(**kwargs):
        raise AssertionError("a borough's part was computed again")

    monkeypatch.setattr(compliance, "compute_compliance", recompute)
    assert london_totals(today=thursday) == expected


def test_a_posting_ending_is_counted_on_the_next_day_without_any_write(sessions, officer):
    from wards.models import WardAssignment

    ward = sessions["ward"]
    ending = make_officer("dwo-leaving", ward).officer.assignments.get()  # two in post until today
    WardAssignment.objects.filter(pk=ending.pk).update(end=TODAY)  # no signal: only the date makes it count
    thursday = TODAY + dt.timedelta(days=1)
    before = london_totals()
    after = totals(detailed(today=thursday))
    assert after[2].too_few_officers != before[2].too_few_officers  # the ward falls below the minimum
    assert london_totals(today=thursday) == after


def test_a_designation_deleted_shows_in_the_london_figures_at_once(sessions, venue):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=sessions["ward"], venue=venue, in_force_from=FIRST
    )
    assert london_totals() == totals(detailed())
    designation.delete()  # its rows are gone when the delete signal runs: the ward is read before
    assert london_totals() == totals(detailed())
