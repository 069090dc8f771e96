"""The rules for online and hybrid sessions: only meeting face to face counts. No database."""

from __future__ import annotations

import datetime as dt

from contactsessions import rules
from contactsessions.rules import (
    HYBRID,
    IN_PERSON,
    LONDON,
    ONLINE,
    Code,
    FixedSlot,
    Slot,
    WardRequirement,
    WeekStatus,
    check_enhanced_mode,
    check_week,
    counts,
    online_only_notice,
    tally,
)

WARD = 1
VENUE = 10
MONDAY = dt.date(2026, 11, 23)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def slot(mode: str, *, day: int = 2, hour: int = 18, status: str = rules.APPROVED, venue_id=VENUE, **extra) -> Slot:
    start = at(MONDAY + dt.timedelta(days=day), hour)
    return Slot(
        WARD, start, start + dt.timedelta(hours=1), status, None if mode == ONLINE else venue_id, mode=mode, **extra
    )


STANDARD = WardRequirement(ward_id=WARD)
ENHANCED = WardRequirement(
    ward_id=WARD,
    enhanced=True,
    fixed_venue_id=VENUE,
    fixed_slots=(FixedSlot(1, dt.time(10), dt.time(11)), FixedSlot(3, dt.time(10), dt.time(11))),
)


def test_an_online_only_session_does_not_count_towards_the_week():
    result = check_week(ward=STANDARD, slots=[slot(ONLINE)], week_start=MONDAY)
    assert result.status is WeekStatus.GAP
    assert result.approved_count == 0
    assert {v.code for v in result.violations} == {Code.SESSION_ONLINE_ONLY, Code.STANDARD_NO_SESSION}
    assert not counts(slot(ONLINE))


def test_a_hybrid_session_counts_like_one_in_person():
    for mode in (HYBRID, IN_PERSON):
        result = check_week(ward=STANDARD, slots=[slot(mode)], week_start=MONDAY)
        assert result.status is WeekStatus.MET, mode
        assert result.violations == ()
        assert counts(slot(mode))


def test_an_online_session_beside_one_in_person_leaves_the_week_met_and_says_it_did_not_count():
    result = check_week(ward=STANDARD, slots=[slot(ONLINE, day=1), slot(IN_PERSON)], week_start=MONDAY)
    assert result.status is WeekStatus.MET
    assert [v.code for v in result.violations] == [Code.SESSION_ONLINE_ONLY]
    assert result.approved_count == 1


def test_tally_counts_only_face_to_face_sessions_whatever_their_status():
    slots = [slot(m, status=s) for m in rules.ATTENDANCE_MODES for s in (rules.APPROVED, rules.PROPOSED)]
    assert tally(slots) == rules.WeekTally(approved=2, planned=2, held=0, unrecorded=2)


def test_online_only_notice_speaks_only_of_online_sessions():
    assert online_only_notice(at(MONDAY, 18), IN_PERSON) is None
    assert online_only_notice(at(MONDAY, 18), HYBRID) is None
    assert "does not count towards the ward's weekly commitment" in online_only_notice(at(MONDAY, 18), ONLINE)


def test_an_enhanced_site_refuses_online_only_sessions_but_takes_hybrid_ones_at_its_venue():
    online = slot(ONLINE, day=1, hour=10)
    assert [v.code for v in check_enhanced_mode(online, ENHANCED)] == [Code.ENHANCED_ONLINE]
    assert check_enhanced_mode(slot(HYBRID, day=1, hour=10), ENHANCED) == []
    assert check_enhanced_mode(online, STANDARD) == []
    hybrid_pair = [slot(HYBRID, day=1, hour=10), slot(HYBRID, day=3, hour=10)]
    assert check_week(ward=ENHANCED, slots=hybrid_pair, week_start=MONDAY).status is WeekStatus.MET
    with_online = [slot(HYBRID, day=1, hour=10), slot(ONLINE, day=3, hour=10)]
    result = check_week(ward=ENHANCED, slots=with_online, week_start=MONDAY)
    assert result.status is WeekStatus.GAP
    assert {v.code for v in result.violations} == {Code.ENHANCED_ONLINE, Code.ENHANCED_TOO_FEW}


def test_an_enhanced_site_takes_online_sessions_before_its_designation_is_in_force():
    later = WardRequirement(ward_id=WARD, enhanced=True, fixed_venue_id=VENUE, enhanced_from=MONDAY + dt.timedelta(21))
    assert check_enhanced_mode(slot(ONLINE), later) == []


def test_modes_and_their_sets_are_stated_once():
    assert set(rules.ATTENDANCE_MODES) == {IN_PERSON, ONLINE, HYBRID}
    assert {IN_PERSON, HYBRID} == rules.COUNTED_MODES
    assert {ONLINE, HYBRID} == rules.ONLINE_MODES
    assert Slot(WARD, at(MONDAY, 10), at(MONDAY, 11)).mode == IN_PERSON  # the default, as before modes
