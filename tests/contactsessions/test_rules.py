"""Unit tests of the scheme's rules: plain data in, statuses and violations out. No database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contactsessions.rules import (
    LONDON,
    Code,
    FixedSlot,
    Slot,
    WardRequirement,
    WeekStatus,
    check_officer_overlaps,
    check_series_length,
    check_session,
    check_week,
    check_weeks,
    elapsed,
    minutes,
    series_dates,
    week_bounds,
    week_start_of,
)

WARD = 1
VENUE = 10
OTHER_VENUE = 11
MONDAY = dt.date(2026, 11, 23)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def slot(start: dt.datetime, length: int = 60, status: str = "approved", **extra) -> Slot:
    fields = {"ward_id": WARD, "venue_id": VENUE, "start": start, "end": start + dt.timedelta(minutes=length)}
    fields.update(extra)
    return Slot(status=status, **fields)


def codes(result) -> set[str]:
    return {v.code for v in result.violations}


STANDARD = WardRequirement(ward_id=WARD)
ENHANCED = WardRequirement(
    ward_id=WARD,
    enhanced=True,
    fixed_venue_id=VENUE,
    fixed_slots=(FixedSlot(1, dt.time(10), dt.time(11)), FixedSlot(5, dt.time(11), dt.time(12))),
)
TUESDAY = MONDAY + dt.timedelta(days=1)
SATURDAY = MONDAY + dt.timedelta(days=5)


def test_standard_week_with_one_hour_session_is_met():
    result = check_week(ward=STANDARD, slots=[slot(at(TUESDAY, 10))], week_start=MONDAY)
    assert result.status is WeekStatus.MET
    assert result.violations == ()


def test_empty_ward_has_a_gap():
    result = check_week(ward=STANDARD, slots=[], week_start=MONDAY)
    assert result.status is WeekStatus.GAP
    assert codes(result) == {Code.STANDARD_NO_SESSION}


def test_exactly_sixty_minutes_counts_and_fifty_nine_does_not():
    assert check_week(ward=STANDARD, slots=[slot(at(TUESDAY, 10), 60)], week_start=MONDAY).status is WeekStatus.MET
    short = check_week(ward=STANDARD, slots=[slot(at(TUESDAY, 10), 59)], week_start=MONDAY)
    assert short.status is WeekStatus.GAP
    assert codes(short) == {Code.STANDARD_NO_SESSION, Code.SESSION_TOO_SHORT}


def test_proposed_session_makes_the_week_planned_not_met():
    result = check_week(ward=STANDARD, slots=[slot(at(TUESDAY, 10), status="proposed")], week_start=MONDAY)
    assert result.status is WeekStatus.PLANNED
    assert result.planned_count == 1
    assert Code.STANDARD_NO_SESSION in codes(result)


def test_cancelled_and_rejected_sessions_do_not_count():
    slots = [slot(at(TUESDAY, 10), status="cancelled"), slot(at(TUESDAY, 14), status="rejected")]
    assert check_week(ward=STANDARD, slots=slots, week_start=MONDAY).status is WeekStatus.GAP


def test_sunday_2330_belongs_to_the_week_it_starts_in():
    sunday = MONDAY + dt.timedelta(days=6)
    late = slot(at(sunday, 23, 30), 60)  # ends Monday 00:30
    assert check_week(ward=STANDARD, slots=[late], week_start=MONDAY).status is WeekStatus.MET
    next_week = MONDAY + dt.timedelta(weeks=1)
    assert check_week(ward=STANDARD, slots=[late], week_start=next_week).status is WeekStatus.GAP


def test_monday_midnight_starts_the_new_week():
    next_week = MONDAY + dt.timedelta(weeks=1)
    midnight = slot(at(next_week, 0, 0))
    assert check_week(ward=STANDARD, slots=[midnight], week_start=MONDAY).status is WeekStatus.GAP
    assert check_week(ward=STANDARD, slots=[midnight], week_start=next_week).status is WeekStatus.MET


def test_week_bounds_are_london_midnights():
    start, end = week_bounds(MONDAY)
    assert (start.hour, start.weekday(), end - start) == (0, 0, dt.timedelta(days=7))
    with pytest.raises(ValueError):
        week_bounds(TUESDAY)


def test_week_start_uses_london_time_not_utc():
    # 23:30 UTC on Sunday 28 June 2026 is 00:30 on Monday in London (BST).
    moment = dt.datetime(2026, 6, 28, 23, 30, tzinfo=dt.UTC)
    assert week_start_of(moment) == dt.date(2026, 6, 29)


def test_autumn_clock_change_session_lasts_real_elapsed_minutes():
    # Clocks go back at 02:00 BST on Sunday 25 October 2026: 00:30 to 02:30 lasts three hours.
    start = dt.datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    end = dt.datetime(2026, 10, 25, 2, 30, tzinfo=LONDON)
    assert minutes(elapsed(start, end)) == 180


def test_spring_clock_change_session_lasts_real_elapsed_minutes():
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026: 00:30 to 02:30 lasts one hour.
    start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    end = dt.datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)
    assert minutes(elapsed(start, end)) == 60
    week = week_start_of(start)
    result = check_week(ward=STANDARD, slots=[Slot(WARD, start, end)], week_start=week)
    assert result.status is WeekStatus.MET


def test_spring_clock_change_can_make_a_session_too_short():
    # 00:30 to 01:50 on the wall clock is only 20 minutes when the clocks jump at 01:00.
    start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    end = dt.datetime(2026, 3, 29, 2, 20, tzinfo=LONDON)  # 01:00-02:00 does not exist
    result = check_week(ward=STANDARD, slots=[Slot(WARD, start, end)], week_start=week_start_of(start))
    assert minutes(elapsed(start, end)) == 50
    assert Code.SESSION_TOO_SHORT in codes(result)
    assert result.status is WeekStatus.GAP


def test_session_ending_before_it_starts_is_a_violation():
    start = at(TUESDAY, 10)
    result = check_session(Slot(WARD, start, start - dt.timedelta(minutes=30)))
    assert [v.code for v in result] == [Code.SESSION_ENDS_BEFORE_START]


def test_session_checks_for_scheduling():
    now = at(TUESDAY, 12)
    assert check_session(slot(at(TUESDAY, 14), 90), now=now) == []
    assert {v.code for v in check_session(slot(at(TUESDAY, 9)), now=now)} == {Code.SESSION_IN_PAST}
    assert {v.code for v in check_session(slot(at(TUESDAY, 9), 9 * 60))} == {Code.SESSION_TOO_LONG}
    assert {v.code for v in check_session(slot(at(TUESDAY, 23), 120))} == {Code.SESSION_NOT_SAME_DAY}


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        ([], WeekStatus.GAP),
        ([(TUESDAY, 10)], WeekStatus.GAP),
        ([(TUESDAY, 10), (SATURDAY, 11)], WeekStatus.MET),
        ([(TUESDAY, 10), (SATURDAY, 11), (SATURDAY, 14)], WeekStatus.MET),
    ],
    ids=["none", "one", "two", "three"],
)
def test_enhanced_ward_needs_two_sessions_a_week(sessions, expected):
    slots = [slot(at(day, hour)) for day, hour in sessions]
    result = check_week(ward=ENHANCED, slots=slots, week_start=MONDAY)
    assert result.status is expected
    assert (Code.ENHANCED_TOO_FEW in codes(result)) is (expected is not WeekStatus.MET)


def test_enhanced_third_session_off_the_fixed_slots_is_flagged():
    slots = [slot(at(TUESDAY, 10)), slot(at(SATURDAY, 11)), slot(at(SATURDAY, 14))]
    result = check_week(ward=ENHANCED, slots=slots, week_start=MONDAY)
    assert codes(result) == {Code.ENHANCED_OFF_SLOT}


def test_enhanced_session_at_the_wrong_venue_does_not_count():
    slots = [slot(at(TUESDAY, 10)), slot(at(SATURDAY, 11), venue_id=OTHER_VENUE)]
    result = check_week(ward=ENHANCED, slots=slots, week_start=MONDAY)
    assert result.status is WeekStatus.GAP
    assert codes(result) == {Code.ENHANCED_OFF_VENUE, Code.ENHANCED_TOO_FEW}


def test_enhanced_rules_apply_only_from_the_designation_date():
    later = WardRequirement(**{**ENHANCED.__dict__, "enhanced_from": MONDAY + dt.timedelta(weeks=2)})
    result = check_week(ward=later, slots=[slot(at(TUESDAY, 15))], week_start=MONDAY)
    assert result.status is WeekStatus.MET


def test_enhanced_one_approved_one_proposed_is_planned():
    slots = [slot(at(TUESDAY, 10)), slot(at(SATURDAY, 11), status="proposed")]
    assert check_week(ward=ENHANCED, slots=slots, week_start=MONDAY).status is WeekStatus.PLANNED


def test_exempt_week_is_exempt_never_met():
    ward = WardRequirement(ward_id=WARD, exempt_weeks=frozenset({MONDAY}))
    assert check_week(ward=ward, slots=[], week_start=MONDAY).status is WeekStatus.EXEMPT
    assert check_week(ward=ward, slots=[slot(at(TUESDAY, 10))], week_start=MONDAY).status is WeekStatus.EXEMPT


def test_ward_with_fewer_than_two_officers_is_flagged():
    ward = WardRequirement(ward_id=WARD, officer_count=1)
    result = check_week(ward=ward, slots=[slot(at(TUESDAY, 10))], week_start=MONDAY)
    assert result.status is WeekStatus.MET
    assert codes(result) == {Code.WARD_TOO_FEW_OFFICERS}


def test_other_wards_sessions_are_ignored():
    result = check_week(ward=STANDARD, slots=[slot(at(TUESDAY, 10), ward_id=2)], week_start=MONDAY)
    assert result.status is WeekStatus.GAP


def test_overlapping_sessions_of_one_officer_are_flagged():
    a = slot(at(TUESDAY, 10), 60, session_id=1, officer_ids=frozenset({7}))
    b = slot(at(TUESDAY, 10, 30), 60, session_id=2, officer_ids=frozenset({7, 8}), ward_id=2)
    c = slot(at(TUESDAY, 11), 60, session_id=3, officer_ids=frozenset({7}))  # starts as a ends: fine
    found = check_officer_overlaps([a, b, c])
    assert [(v.code, v.session_id) for v in found] == [(Code.OFFICER_OVERLAP, 2), (Code.OFFICER_OVERLAP, 3)]


def test_back_to_back_sessions_do_not_overlap():
    a = slot(at(TUESDAY, 10), 60, session_id=1, officer_ids=frozenset({7}))
    b = slot(at(TUESDAY, 11), 60, session_id=2, officer_ids=frozenset({7}))
    assert check_officer_overlaps([a, b]) == []


def test_check_weeks_gives_one_result_per_week():
    weeks = [MONDAY + dt.timedelta(weeks=i) for i in range(3)]
    results = check_weeks(ward=STANDARD, slots=[slot(at(TUESDAY + dt.timedelta(weeks=1), 10))], week_starts=weeks)
    assert [r.status for r in results] == [WeekStatus.GAP, WeekStatus.MET, WeekStatus.GAP]


def test_series_dates_until_and_count():
    assert series_dates(first=MONDAY, weekday=2, count=3) == [
        dt.date(2026, 11, 25),
        dt.date(2026, 12, 2),
        dt.date(2026, 12, 9),
    ]
    assert series_dates(first=MONDAY, weekday=0, until=dt.date(2026, 12, 7)) == [
        MONDAY,
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 7),
    ]


def test_series_longer_than_a_year_is_refused():
    year = series_dates(first=MONDAY, weekday=0, count=53)
    assert check_series_length(year, WARD) == []
    too_long = series_dates(first=MONDAY, weekday=0, count=60)
    assert [v.code for v in check_series_length(too_long, WARD)] == [Code.SERIES_TOO_LONG]
    huge = series_dates(first=MONDAY, weekday=0, count=100_000)
    assert len(huge) < 60 and check_series_length(huge, WARD)


# --- times the clocks skip ---


@pytest.mark.parametrize(
    ("day", "time", "exists"),
    [
        (dt.date(2027, 3, 28), dt.time(0, 59), True),
        (dt.date(2027, 3, 28), dt.time(1, 0), False),
        (dt.date(2027, 3, 28), dt.time(1, 59), False),
        (dt.date(2027, 3, 28), dt.time(2, 0), True),
        (dt.date(2027, 10, 31), dt.time(1, 30), True),
        (dt.date(2027, 3, 21), dt.time(1, 30), True),
    ],
)
def test_exists_in_london(day, time, exists):
    from contactsessions.rules import exists_in_london

    assert exists_in_london(day, time) is exists


# --- statuses, stated once in rules ---


def test_status_sets():
    from contactsessions import rules

    assert set(rules.PUBLIC_STATUSES) == {"approved", "cancelled"}
    assert set(rules.OPEN_STATUSES) == {"draft", "proposed", "returned"}
    assert set(rules.PLANNED_STATUSES) == {"draft", "proposed", "returned"}
    assert set(rules.COUNTED_STATUSES) == {"approved", "draft", "proposed", "returned"}
    assert set(rules.BOOKED_STATUSES) == {"approved", "draft", "proposed", "returned"}
    every = set(rules.STATUSES)
    for subset in (rules.PUBLIC_STATUSES, rules.OPEN_STATUSES, rules.COUNTED_STATUSES, rules.BOOKED_STATUSES):
        assert subset <= every


@pytest.mark.parametrize("status", ["draft", "proposed", "approved", "returned", "rejected", "cancelled", "withdrawn"])
@pytest.mark.parametrize("pending", [False, True])
def test_awaiting_decision(status, pending):
    from contactsessions.rules import awaiting_decision

    expected = status == "proposed" or (status == "approved" and pending)
    assert awaiting_decision(status, pending) is expected


# --- which sessions count, and the Standard week decided from the tally ---


@pytest.mark.parametrize(
    ("length", "status", "expected"),
    [
        (59, "approved", (0, 0)),
        (60, "approved", (1, 0)),
        (61, "approved", (1, 0)),
        (59, "proposed", (0, 0)),
        (60, "proposed", (0, 1)),
        (60, "draft", (0, 1)),
        (60, "returned", (0, 1)),
        (60, "cancelled", (0, 0)),
        (60, "rejected", (0, 0)),
        (60, "withdrawn", (0, 0)),
    ],
)
def test_tally_counts_sessions_of_an_hour_by_status(length, status, expected):
    from contactsessions.rules import WeekTally, tally

    assert tally([slot(at(TUESDAY, 10), length, status)])[:2] == WeekTally(*expected)[:2]


@pytest.mark.parametrize(
    ("counts", "exempt", "expected"),
    [
        ((0, 0), False, WeekStatus.GAP),
        ((0, 1), False, WeekStatus.PLANNED),
        ((1, 0), False, WeekStatus.MET),
        ((2, 3), False, WeekStatus.MET),
        ((0, 0), True, WeekStatus.EXEMPT),
        ((1, 0), True, WeekStatus.EXEMPT),
    ],
)
def test_standard_week_status(counts, exempt, expected):
    from contactsessions.rules import WeekTally, standard_week_status

    assert standard_week_status(WeekTally(*counts), exempt=exempt) is expected


# Sessions in the week of the spring clock change (Sunday 29 March 2026) and the week
# after: every status, lengths either side of an hour, times around midnight and the
# skipped hour.
SPRING = dt.date(2026, 3, 23)
_slots = st.lists(
    st.builds(
        lambda day, hm, length, status, sid, held: Slot(
            WARD,
            dt.datetime.combine(SPRING + dt.timedelta(days=day), dt.time(*hm), tzinfo=LONDON),
            dt.datetime.combine(SPRING + dt.timedelta(days=day), dt.time(*hm), tzinfo=LONDON)
            + dt.timedelta(minutes=length),
            status,
            VENUE,
            sid,
            frozenset(),
            held,
        ),
        st.integers(0, 13),
        st.sampled_from([(0, 0), (0, 30), (1, 30), (10, 0), (23, 0)]),
        st.sampled_from([59, 60, 61, 90]),
        st.sampled_from(["approved", "draft", "proposed", "returned", "rejected", "cancelled", "withdrawn"]),
        st.integers(1, 1000),
        st.sampled_from([None, True, False]),
    ),
    max_size=6,
)


@given(
    slots=_slots,
    officers=st.sampled_from([1, 2, 3]),
    exempt=st.booleans(),
    week=st.sampled_from([SPRING, SPRING + dt.timedelta(weeks=1)]),
)
def test_fast_path_gives_the_full_checks_answer(slots, officers, exempt, week):
    from contactsessions.rules import _checked_week, _quiet_week, standard_week_status, tally

    ward = WardRequirement(ward_id=WARD, officer_count=officers, exempt_weeks=frozenset({week} if exempt else ()))
    in_week = [s for s in slots if s.week == week]
    full = _checked_week(ward, in_week, week)
    quiet = _quiet_week(ward, in_week, week)
    assert quiet is None or quiet == full
    assert check_week(ward=ward, slots=slots, week_start=week) == full
    assert check_weeks(ward=ward, slots=slots, week_starts=[week]) == [full]
    # A Standard week is decided from its tally alone.
    assert full.status is standard_week_status(tally(in_week), exempt=exempt)
    assert full.tally == tally(in_week)


# --- delivery: a week that is over is met only by sessions held -----------------------------

from contactsessions.rules import (  # noqa: E402
    WeekPhase,
    WeekState,
    WeekTally,
    standard_week_state,
    tally,
    week_phase,
    week_state,
)

OVER = WeekPhase.DUE


def state(slots, ward=STANDARD, phase=OVER, week=MONDAY):
    return check_week(ward=ward, slots=slots, week_start=week).state(phase)


@pytest.mark.parametrize(
    ("today", "grace", "phase"),
    [
        (MONDAY + dt.timedelta(days=6), 7, WeekPhase.AHEAD),  # Sunday: the week is not over
        (MONDAY + dt.timedelta(days=7), 7, WeekPhase.DUE),  # next Monday: over, outcomes due
        (MONDAY + dt.timedelta(days=13), 7, WeekPhase.DUE),  # the last day of grace
        (MONDAY + dt.timedelta(days=14), 7, WeekPhase.OVERDUE),
        (MONDAY + dt.timedelta(days=7), 0, WeekPhase.OVERDUE),  # no grace at all
        (MONDAY - dt.timedelta(days=1), 7, WeekPhase.AHEAD),
    ],
)
def test_week_phase_at_its_boundaries(today, grace, phase):
    assert week_phase(MONDAY, today=today, grace_days=grace) is phase


def test_past_week_is_met_only_by_a_session_held():
    assert state([slot(at(TUESDAY, 18), held=True)]) is WeekState.MET


def test_past_week_whose_only_session_was_not_held_is_missed():
    result = check_week(ward=STANDARD, slots=[slot(at(TUESDAY, 18), held=False, session_id=5)], week_start=MONDAY)
    assert result.state(OVER) is WeekState.MISSED
    assert result.state(WeekPhase.OVERDUE) is WeekState.MISSED
    assert {Code.SESSION_NOT_HELD, Code.STANDARD_NO_SESSION} <= codes(result)
    # Not held counts for nothing, even while the week is still ahead: it needs another session.
    assert result.state(WeekPhase.AHEAD) is WeekState.GAP_AHEAD
    assert result.status is WeekStatus.GAP


def test_past_week_with_no_outcome_yet_awaits_it_then_is_unconfirmed():
    slots = [slot(at(TUESDAY, 18))]
    assert state(slots) is WeekState.AWAITING_OUTCOME
    assert state(slots, phase=WeekPhase.OVERDUE) is WeekState.UNCONFIRMED
    # Before the week is over the approved session is still to come.
    assert state(slots, phase=WeekPhase.AHEAD) is WeekState.SCHEDULED


def test_held_session_shorter_than_an_hour_does_not_meet_the_week():
    assert state([slot(at(TUESDAY, 18), length=59, held=True)]) is WeekState.MISSED
    assert state([slot(at(TUESDAY, 18), length=60, held=True)]) is WeekState.MET


def test_one_held_session_is_enough_beside_one_not_held():
    assert state([slot(at(TUESDAY, 18), held=False), slot(at(SATURDAY, 18), held=True)]) is WeekState.MET


def test_past_week_with_only_proposals_is_missed_and_ahead_is_planned():
    slots = [slot(at(TUESDAY, 18), status="proposed")]
    assert state(slots) is WeekState.MISSED
    assert state(slots, phase=WeekPhase.AHEAD) is WeekState.PLANNED
    assert state([], phase=WeekPhase.AHEAD) is WeekState.GAP_AHEAD
    assert state([]) is WeekState.MISSED


def test_week_already_held_is_met_before_it_is_over():
    assert state([slot(at(TUESDAY, 18), held=True)], phase=WeekPhase.AHEAD) is WeekState.MET


def test_exempt_week_stays_exempt_whatever_happened():
    ward = WardRequirement(ward_id=WARD, exempt_weeks=frozenset({MONDAY}))
    assert state([slot(at(TUESDAY, 18), held=False)], ward=ward) is WeekState.EXEMPT
    assert state([], ward=ward, phase=WeekPhase.OVERDUE) is WeekState.EXEMPT


def test_enhanced_week_needs_two_held_at_the_fixed_venue():
    on_slots = [slot(at(TUESDAY, 10), held=True), slot(at(SATURDAY, 11), held=True)]
    assert state(on_slots, ward=ENHANCED) is WeekState.MET
    one_unrecorded = [slot(at(TUESDAY, 10), held=True), slot(at(SATURDAY, 11))]
    assert state(one_unrecorded, ward=ENHANCED) is WeekState.AWAITING_OUTCOME
    one_not_held = [slot(at(TUESDAY, 10), held=True), slot(at(SATURDAY, 11), held=False)]
    assert state(one_not_held, ward=ENHANCED) is WeekState.MISSED
    elsewhere = [slot(at(TUESDAY, 10), held=True), slot(at(SATURDAY, 11), held=True, venue_id=OTHER_VENUE)]
    assert state(elsewhere, ward=ENHANCED) is WeekState.MISSED


def test_tally_counts_held_and_unrecorded_among_the_approved():
    slots = [
        slot(at(TUESDAY, 18), held=True),
        slot(at(TUESDAY, 20)),
        slot(at(SATURDAY, 10), held=False),  # not held: not counted at all
        slot(at(SATURDAY, 12), status="proposed"),
        slot(at(SATURDAY, 14), length=59, held=True),  # too short
    ]
    assert tally(slots) == WeekTally(approved=2, planned=1, held=1, unrecorded=1)


@pytest.mark.parametrize(
    ("counts", "phase", "expected"),
    [
        (WeekTally(1, 0, 1, 0), WeekPhase.DUE, WeekState.MET),
        (WeekTally(1, 0, 0, 1), WeekPhase.DUE, WeekState.AWAITING_OUTCOME),
        (WeekTally(1, 0, 0, 1), WeekPhase.OVERDUE, WeekState.UNCONFIRMED),
        (WeekTally(0, 1, 0, 0), WeekPhase.OVERDUE, WeekState.MISSED),
        (WeekTally(1, 0, 0, 1), WeekPhase.AHEAD, WeekState.SCHEDULED),
        (WeekTally(0, 1, 0, 0), WeekPhase.AHEAD, WeekState.PLANNED),
        (WeekTally(), WeekPhase.AHEAD, WeekState.GAP_AHEAD),
        (WeekTally(), WeekPhase.DUE, WeekState.MISSED),
    ],
)
def test_standard_week_state_from_a_tally(counts, phase, expected):
    assert standard_week_state(counts, exempt=False, phase=phase) is expected
    assert week_state(counts, needed=1, exempt=True, phase=phase) is WeekState.EXEMPT


@given(slots=_slots, exempt=st.booleans(), phase=st.sampled_from(list(WeekPhase)))
def test_a_standard_weeks_state_is_decided_by_its_tally(slots, exempt, phase):
    ward = WardRequirement(ward_id=WARD, exempt_weeks=frozenset({SPRING} if exempt else ()))
    in_week = [s for s in slots if s.week == SPRING]
    result = check_week(ward=ward, slots=slots, week_start=SPRING)
    assert result.state(phase) is standard_week_state(tally(in_week), exempt=exempt, phase=phase)


@pytest.mark.parametrize("grace", [0, 3, 7, 10])
@pytest.mark.parametrize("days", range(0, 30, 3))
def test_outcomes_are_overdue_before_the_first_week_not_yet_overdue(grace, days):
    from contactsessions.rules import outcomes_overdue_before

    today = MONDAY + dt.timedelta(days=days)
    before = outcomes_overdue_before(today=today, grace_days=grace)
    assert before.astimezone(LONDON).time() == dt.time(0) and before.weekday() == 0
    previous = week_start_of(before - dt.timedelta(hours=1))
    assert week_phase(previous, today=today, grace_days=grace) is WeekPhase.OVERDUE
    assert week_phase(before.date(), today=today, grace_days=grace) is not WeekPhase.OVERDUE


@pytest.mark.parametrize(
    ("pcs", "pcsos", "expected"),
    [
        (2, 1, set()),
        (3, 2, set()),
        (1, 1, {Code.WARD_TOO_FEW_PCS}),
        (2, 0, {Code.WARD_NO_PCSO}),
        (0, 0, {Code.WARD_TOO_FEW_PCS, Code.WARD_NO_PCSO}),
    ],
)
def test_roster_shortfalls_against_two_pcs_and_a_pcso(pcs, pcsos, expected):
    from contactsessions.rules import roster_shortfalls

    assert {v.code for v in roster_shortfalls(ward_id=WARD, pcs=pcs, pcsos=pcsos)} == expected
