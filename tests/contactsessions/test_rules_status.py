"""``rules.week_status_of``, the status-only week check the SNB's review queue uses, gives
``check_week``'s status for any week of any ward (issue 19, round five)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contactsessions.rules import (
    ATTENDANCE_MODES,
    LONDON,
    MIN_OFFICERS_PER_WARD,
    STATUSES,
    FixedSlot,
    Slot,
    WardRequirement,
    check_week,
    week_status_of,
)

WARD = 1
VENUE = 10
# The week of the spring clock change (Sunday 29 March 2026) and the week after.
SPRING = dt.date(2026, 3, 23)
WEEKS = [SPRING, SPRING + dt.timedelta(weeks=1)]

# Weighted towards sessions that count, so that weeks with two or more of them (an Enhanced
# week's two, on and off its venue) come up often: the test then fails if week_status_of
# counts off-venue sessions, needs one session of an Enhanced week, or ignores when the
# designation comes into force (each tried).
_slots = st.lists(
    st.builds(
        lambda ward, day, hm, length, status, venue, sid, held, mode: Slot(
            ward,
            dt.datetime.combine(SPRING + dt.timedelta(days=day), dt.time(*hm), tzinfo=LONDON),
            dt.datetime.combine(SPRING + dt.timedelta(days=day), dt.time(*hm), tzinfo=LONDON)
            + dt.timedelta(minutes=length),
            status,
            venue,
            sid,
            frozenset(),
            held,
            mode,
        ),
        st.sampled_from([WARD, WARD, WARD, 2]),  # now and then another ward's session
        st.one_of(st.integers(0, 6), st.integers(-1, 14)),  # mostly in the first week
        st.sampled_from([(0, 0), (1, 30), (10, 0), (11, 0), (23, 0)]),
        st.sampled_from([-5, 0, 59, 60, 61, 60, 90]),
        st.sampled_from((*STATUSES, "approved", "approved", "approved", "proposed")),  # mostly ones that count
        st.sampled_from([VENUE, VENUE + 1, None]),
        st.one_of(st.none(), st.integers(1, 1000)),
        st.sampled_from([None, True, False, None]),
        st.sampled_from((*ATTENDANCE_MODES, "in_person")),
    ),
    min_size=1,
    max_size=8,
)

_wards = st.builds(
    lambda enhanced, venue, fixed, start, officers, exempt: WardRequirement(
        ward_id=WARD,
        enhanced=enhanced,
        fixed_venue_id=venue,
        fixed_slots=fixed,
        enhanced_from=start,
        officer_count=officers,
        exempt_weeks=frozenset(exempt),
    ),
    st.booleans(),
    st.sampled_from([VENUE, None]),
    st.sampled_from([(), (FixedSlot(1, dt.time(10), dt.time(11)), FixedSlot(5, dt.time(11), dt.time(12)))]),
    st.sampled_from([None, SPRING, SPRING + dt.timedelta(days=10)]),
    st.sampled_from([0, 1, 2, 3]),
    st.sampled_from([(), (SPRING,), tuple(WEEKS)]),
)


# Pure Python and quick: more examples than the suite's default, so the rarer mixes (an
# Enhanced week with sessions on and off its venue, online, short, not held) all come up.
@settings(max_examples=400)
@given(ward=_wards, slots=_slots, week=st.sampled_from([SPRING, SPRING, WEEKS[1]]))
def test_the_status_only_check_gives_the_full_checks_status(ward, slots, week):
    assert (
        week_status_of(ward=ward, slots=slots, week_start=week)
        is check_week(ward=ward, slots=slots, week_start=week).status
    )
    # Nor does it depend on the ward's officers, which the queue does not count.
    enough = dataclasses.replace(ward, officer_count=MIN_OFFICERS_PER_WARD)
    assert (
        check_week(ward=enough, slots=slots, week_start=week).status
        is check_week(ward=ward, slots=slots, week_start=week).status
    )


def test_the_status_only_check_refuses_a_week_not_starting_on_monday():
    with pytest.raises(ValueError, match="not a Monday"):
        week_status_of(ward=WardRequirement(ward_id=WARD), slots=[], week_start=SPRING + dt.timedelta(days=1))


def test_an_enhanced_weeks_session_away_from_its_venue_does_not_count():
    ward = WardRequirement(ward_id=WARD, enhanced=True, fixed_venue_id=VENUE)
    tuesday = dt.datetime.combine(SPRING + dt.timedelta(days=1), dt.time(10), tzinfo=LONDON)
    slots = [
        Slot(WARD, tuesday, tuesday + dt.timedelta(hours=1), "approved", VENUE, 1),
        Slot(WARD, tuesday + dt.timedelta(days=1), tuesday + dt.timedelta(days=1, hours=1), "approved", VENUE + 1, 2),
    ]
    status = week_status_of(ward=ward, slots=slots, week_start=SPRING)
    assert status == "gap"
    assert status is check_week(ward=ward, slots=slots, week_start=SPRING).status
