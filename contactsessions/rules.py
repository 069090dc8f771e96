"""The scheme's rules as plain Python: sessions in, week statuses and violations out.

Nothing here touches the database or reads the clock. Callers pass in the
sessions (as :class:`Slot`), what a ward must hold (:class:`WardRequirement`)
and which weeks to check, so every rule can be tested with plain data.

Definitions used throughout, each stated once:

* A week runs Monday 00:00 to the next Monday 00:00, London time.
* A session belongs to the week in which it starts, in London time.
* Durations are real elapsed time, so they stay right across the clock changes.
* A session counts towards its week when it lasts at least :data:`MIN_SESSION`,
  meets people face to face (in person or hybrid, :data:`COUNTED_MODES`; an online-only
  session is welcome but does not count: the scheme is about meeting face to face)
  and is approved (or, as planned, is still one of :data:`PLANNED_STATUSES`), unless
  its outcome says it was not held: :func:`tally` counts them, :func:`standard_week_status`
  decides a Standard week from the count, and ``week_selectors.week_tallies`` counts
  the same in SQL.
* The commitment is to *hold* sessions. A week that is over is met only by sessions
  whose outcome says they were held (:func:`week_state`); approved sessions with no
  outcome yet leave it awaiting outcome, and unconfirmed once the outcomes are overdue
  (:func:`week_phase`: a number of grace days after the week ended, which the caller
  passes in with today's date).
* Which statuses the public sees, which are still open, which hold an officer's
  time and which await a board's decision (:func:`awaiting_decision`) are the
  status sets below; ``models`` and the services take them from here.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

MIN_SESSION = dt.timedelta(hours=1)
MAX_SESSION = dt.timedelta(hours=8)
STANDARD_SESSIONS_PER_WEEK = 1
ENHANCED_SESSIONS_PER_WEEK = 2
MIN_OFFICERS_PER_WARD = 2
# The Mayor's commitment: "at least two PCs and one PCSO" dedicated to every ward.
MIN_PCS_PER_WARD = 2
MIN_PCSOS_PER_WARD = 1
MAX_SERIES_LENGTH = dt.timedelta(days=366)
# An Enhanced site's fixed venue moves only with this much notice to the public.
MIN_VENUE_MOVE_NOTICE = dt.timedelta(days=14)

# Session statuses as rules see them: plain strings, which ``models.SessionStatus`` takes
# for its values, so each is spelt once.
DRAFT = "draft"
PROPOSED = "proposed"
APPROVED = "approved"
RETURNED = "returned"
REJECTED = "rejected"
CANCELLED = "cancelled"
WITHDRAWN = "withdrawn"
STATUSES = (DRAFT, PROPOSED, APPROVED, RETURNED, REJECTED, CANCELLED, WITHDRAWN)

# The only statuses the public may ever see.
PUBLIC_STATUSES = frozenset({APPROVED, CANCELLED})
# Statuses a DWO may still change before a decision.
OPEN_STATUSES = frozenset({DRAFT, PROPOSED, RETURNED})
# Sessions still open count towards their week as planned: they would count once approved.
PLANNED_STATUSES = OPEN_STATUSES
# The sessions a week's tally looks at: approved and planned (never rejected, cancelled, withdrawn).
COUNTED_STATUSES = PLANNED_STATUSES | {APPROVED}
# Sessions that hold their officers' time, for the overlap check: every session not called off.
BOOKED_STATUSES = OPEN_STATUSES | {APPROVED}

# How people attend a session: plain strings, which ``models.AttendanceMode`` takes for its values.
IN_PERSON = "in_person"
ONLINE = "online"
HYBRID = "hybrid"  # in person at a venue, and online through a joining link
ATTENDANCE_MODES = (IN_PERSON, ONLINE, HYBRID)
# Modes that meet people face to face: they are held at a venue, and only they count
# towards the weekly commitment (and an Enhanced site's two sessions).
COUNTED_MODES = frozenset({IN_PERSON, HYBRID})
# Modes with an online part: they need a joining link (and only they may have one).
ONLINE_MODES = frozenset({ONLINE, HYBRID})
# The only scheme a joining link may use.
JOINING_LINK_SCHEME = "https"


class WeekStatus(enum.StrEnum):
    """A week as planned: what is approved and proposed in it (the DWO's and SNB's view).
    What was delivered, once the week is over, is its :class:`WeekState`."""

    MET = "met"
    PLANNED = "planned"  # would be met once the proposals in it are approved
    GAP = "gap"  # nothing approved or planned: missed, once the week is over
    EXEMPT = "exempt"
    NOT_REQUIRED = "not_required"  # e.g. before an Enhanced designation came into force

    @property
    def label(self) -> str:
        return WEEK_STATUS_LABELS[self]


WEEK_STATUS_LABELS = {
    WeekStatus.MET: "Met",
    WeekStatus.PLANNED: "Planned, not yet approved",
    WeekStatus.GAP: "Gap",
    WeekStatus.EXEMPT: "Exempt",
    WeekStatus.NOT_REQUIRED: "Not required",
}


class WeekPhase(enum.StrEnum):
    """Where a week stands against today (:func:`week_phase`)."""

    AHEAD = "ahead"  # this week or later: sessions may still happen
    DUE = "due"  # over; outcomes may still come within the grace days
    OVERDUE = "overdue"  # over, and the grace days for outcomes have passed


class WeekState(enum.StrEnum):
    """What a ward's week shows in monitoring: delivery once it is over, the plan before.

    The values are the monitoring figures' state names (``week_figures``) and CSV columns.
    """

    MET = "met"  # enough sessions held (an hour or more; Enhanced: two at the fixed venue)
    AWAITING_OUTCOME = "awaiting_outcome"  # over; would be met, but outcomes are still to come
    UNCONFIRMED = "unconfirmed"  # as awaiting, past the grace days: nobody said it happened
    MISSED = "missed"  # over; not enough held (not held, or nothing approved)
    SCHEDULED = "scheduled"  # not over; enough approved, still to be held
    PLANNED = "planned"  # not over; would be scheduled once proposals are approved
    GAP_AHEAD = "gap_ahead"  # not over; not enough approved or proposed
    EXEMPT = "exempt"
    NOT_REQUIRED = "not_required"


class Code(enum.StrEnum):
    """Stable violation codes. Tests and exports rely on them; never rename one."""

    STANDARD_NO_SESSION = "standard.no_session"
    ENHANCED_TOO_FEW = "enhanced.too_few_sessions"
    ENHANCED_OFF_VENUE = "enhanced.off_venue"
    ENHANCED_OFF_SLOT = "enhanced.off_slot"
    SESSION_TOO_SHORT = "session.too_short"
    SESSION_TOO_LONG = "session.too_long"
    SESSION_ENDS_BEFORE_START = "session.ends_before_start"
    SESSION_NOT_SAME_DAY = "session.not_same_day"
    SESSION_IN_PAST = "session.in_past"
    SESSION_NOT_HELD = "session.not_held"
    SESSION_ONLINE_ONLY = "session.online_only"
    ENHANCED_ONLINE = "enhanced.online_only"
    OFFICER_OVERLAP = "officer.overlap"
    WARD_TOO_FEW_OFFICERS = "ward.too_few_officers"
    WARD_TOO_FEW_PCS = "ward.too_few_pcs"
    WARD_NO_PCSO = "ward.no_pcso"
    SERIES_TOO_LONG = "series.too_long"


class _SlotFields(NamedTuple):
    ward_id: int
    start: dt.datetime
    end: dt.datetime
    status: str
    venue_id: int | None
    session_id: int | None
    officer_ids: frozenset[int]
    held: bool | None  # the outcome: None while none is recorded
    mode: str  # one of ATTENDANCE_MODES
    # Derived once per slot: checking a year of London touches each slot many times.
    local_start: dt.datetime
    length: dt.timedelta
    week: dt.date


class Slot(_SlotFields):
    """A session as the rules see it. ``start`` and ``end`` are aware datetimes.

    Immutable, like the other inputs, but a named tuple rather than a frozen dataclass:
    London's 52-week dashboard builds 30,000 of them and a frozen dataclass costs
    four times as much to make.
    """

    __slots__ = ()

    def __new__(
        cls,
        ward_id: int,
        start: dt.datetime,
        end: dt.datetime,
        status: str = APPROVED,
        venue_id: int | None = None,
        session_id: int | None = None,
        officer_ids: frozenset[int] = frozenset(),
        held: bool | None = None,
        mode: str = IN_PERSON,
    ) -> Slot:
        local = start.astimezone(LONDON)
        day = local.date()
        # Datetimes from the database are already in UTC, where subtraction is exact.
        if start.tzinfo is UTC and end.tzinfo is UTC:
            length = end - start
        else:
            length = end.astimezone(UTC) - start.astimezone(UTC)
        week = day - dt.timedelta(days=day.weekday())
        return super().__new__(
            cls, ward_id, start, end, status, venue_id, session_id, officer_ids, held, mode, local, length, week
        )


@dataclass(frozen=True)
class FixedSlot:
    """One of an Enhanced ward's fixed weekly times (``weekday`` 0 is Monday)."""

    weekday: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class WardRequirement:
    ward_id: int
    enhanced: bool = False
    fixed_venue_id: int | None = None
    fixed_slots: tuple[FixedSlot, ...] = ()
    enhanced_from: dt.date | None = None
    officer_count: int = MIN_OFFICERS_PER_WARD
    exempt_weeks: frozenset[dt.date] = frozenset()

    def is_enhanced_in(self, week_start: dt.date) -> bool:
        if not self.enhanced:
            return False
        return self.enhanced_from is None or week_start + dt.timedelta(days=6) >= self.enhanced_from


@dataclass(frozen=True)
class Violation:
    ward_id: int
    week_start: dt.date | None
    code: Code
    message: str
    session_id: int | None = None


class WeekResult(NamedTuple):
    """One ward's week. A named tuple: London's 52-week view builds 33,000 of them."""

    ward_id: int
    week_start: dt.date
    status: WeekStatus
    violations: tuple[Violation, ...]
    approved_count: int
    planned_count: int
    session_ids: tuple[int, ...]
    held_count: int = 0
    unrecorded_count: int = 0
    needed: int = STANDARD_SESSIONS_PER_WEEK

    @property
    def tally(self) -> WeekTally:
        return WeekTally(self.approved_count, self.planned_count, self.held_count, self.unrecorded_count)

    def state(self, phase: WeekPhase) -> WeekState:
        """What the week shows in monitoring (:func:`week_state`)."""
        return week_state(self.tally, needed=self.needed, exempt=self.status is WeekStatus.EXEMPT, phase=phase)

    @property
    def reason(self) -> str:
        if self.status is WeekStatus.MET:
            return "The weekly commitment is met."
        if self.status is WeekStatus.EXEMPT:
            return "This week is exempt."
        return " ".join(v.message for v in self.violations) or self.status.label


class WeekTally(NamedTuple):
    """A week reduced to what decides its status: of the sessions starting in it that
    count (:func:`counts`), how many are approved and how many still planned, and of
    the approved how many were held and how many have no outcome yet.
    :func:`tally` counts them in Python and ``week_selectors.week_tallies`` in the
    database for all London at once; :func:`standard_week_status` turns one into a status."""

    approved: int = 0
    planned: int = 0
    held: int = 0  # of the approved: outcome recorded as held
    unrecorded: int = 0  # of the approved: no outcome yet


NO_SESSIONS = WeekTally()


# --- statuses -------------------------------------------------------------------------


def awaiting_decision(status: str, has_pending_change: bool) -> bool:
    """Whether a session waits for a board's decision: a proposal, or an approved session
    with a change waiting for review (the public keeps seeing the approved version).
    ``ContactSession.objects.awaiting_decision()`` is built from this function."""
    return status == PROPOSED or (status == APPROVED and has_pending_change)


# --- time helpers -------------------------------------------------------------------


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Real elapsed time. Subtracting in UTC keeps it right across clock changes."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def exists_in_london(day: dt.date, time: dt.time) -> bool:
    """False for a wall-clock time that London skips: 01:00-01:59 on the last Sunday of
    March, when the clocks go forward. (October's repeated hour exists; it means the first.)"""
    moment = dt.datetime.combine(day, time, tzinfo=LONDON)
    return moment.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == moment.replace(tzinfo=None)


def week_start_of(moment: dt.datetime | dt.date) -> dt.date:
    """The Monday of the London week that ``moment`` falls in."""
    day = moment.astimezone(LONDON).date() if isinstance(moment, dt.datetime) else moment
    return day - dt.timedelta(days=day.weekday())


def week_bounds(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware London datetimes [Monday 00:00, next Monday 00:00) for the week."""
    if week_start.weekday() != 0:
        raise ValueError(f"{week_start} is not a Monday")
    monday = dt.datetime.combine(week_start, dt.time(0), tzinfo=LONDON)
    return monday, dt.datetime.combine(week_start + dt.timedelta(days=7), dt.time(0), tzinfo=LONDON)


def weeks(first_week: dt.date, count: int) -> list[dt.date]:
    return [week_start_of(first_week) + dt.timedelta(weeks=i) for i in range(count)]


def _when(moment: dt.datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local:%a %d %b %H:%M}"


# --- checks of one session ------------------------------------------------------------


def check_session(slot: Slot, *, now: dt.datetime | None = None) -> list[Violation]:
    """Checks any single session must pass before it can be proposed.

    A session shorter than :data:`MIN_SESSION` passes: it may be held, but it does not
    count towards its week (:func:`counts`; :func:`short_session_notice` says so).

    ``now`` is given when the session is being scheduled: a new session may not
    start in the past.
    """
    week = week_start_of(slot.start)
    found: list[Violation] = []

    def add(code: Code, message: str) -> None:
        found.append(Violation(slot.ward_id, week, code, message, slot.session_id))

    length = elapsed(slot.start, slot.end)
    if length <= dt.timedelta(0):
        add(Code.SESSION_ENDS_BEFORE_START, f"The session on {_when(slot.start)} ends before it starts.")
        return found
    # A session shorter than MIN_SESSION may be held (a street briefing of half an hour):
    # it is not refused, it just does not count towards its week (see counts()).
    if length > MAX_SESSION:
        add(
            Code.SESSION_TOO_LONG,
            f"The session on {_when(slot.start)} lasts more than {minutes(MAX_SESSION) // 60} hours.",
        )
    if slot.start.astimezone(LONDON).date() != slot.end.astimezone(LONDON).date():
        add(Code.SESSION_NOT_SAME_DAY, f"The session on {_when(slot.start)} must end on the day it starts.")
    if now is not None and slot.start < now:
        add(Code.SESSION_IN_PAST, f"The session on {_when(slot.start)} is in the past.")
    return found


def short_session_notice(start: dt.datetime, end: dt.datetime) -> str | None:
    """What to tell people about a session shorter than :data:`MIN_SESSION` (None if it is
    not): it may be held, but it does not count towards the ward's weekly hour."""
    length = elapsed(start, end)
    if length <= dt.timedelta(0) or length >= MIN_SESSION:
        return None
    return (
        f"The session on {_when(start)} lasts {minutes(length)} minutes, less than an hour, so it does not "
        "count towards the ward's weekly hour."
    )


def online_only_notice(start: dt.datetime, mode: str) -> str | None:
    """What to tell people about an online-only session (None for one that meets face to
    face): it may be held, but it does not count towards the ward's weekly commitment."""
    if mode in COUNTED_MODES:
        return None
    return (
        f"The session on {_when(start)} is online only, so it does not count towards the ward's weekly "
        "commitment: the scheme is about meeting face to face. Make it in person or hybrid to count."
    )


def check_enhanced_mode(slot: Slot, ward: WardRequirement) -> list[Violation]:
    """An Enhanced site's sessions meet people at its fixed venue: in the weeks the
    designation is in force, an online-only session is refused (in person or hybrid only)."""
    week = week_start_of(slot.start)
    if slot.mode in COUNTED_MODES or not ward.is_enhanced_in(week):
        return []
    return [
        Violation(
            slot.ward_id,
            week,
            Code.ENHANCED_ONLINE,
            f"The session on {_when(slot.start)} is online only; an Enhanced ward's sessions must be held in "
            "person or hybrid at the fixed venue.",
            slot.session_id,
        )
    ]


def on_fixed_pattern(slot: Slot, ward: WardRequirement) -> tuple[bool, bool]:
    """(at the fixed venue, on one of the fixed slots) for an Enhanced ward's session."""
    at_venue = ward.fixed_venue_id is None or slot.venue_id == ward.fixed_venue_id
    start = slot.local_start
    end = slot.end.astimezone(LONDON)
    on_slot = any(
        start.weekday() == fixed.weekday and start.time() == fixed.start and end.time() == fixed.end
        for fixed in ward.fixed_slots
    )
    return at_venue, on_slot or not ward.fixed_slots


def check_officer_overlaps(slots: Iterable[Slot]) -> list[Violation]:
    """One officer cannot be at two sessions at once (across all wards)."""
    by_officer: dict[int, list[Slot]] = {}
    for slot in slots:
        for officer_id in slot.officer_ids:
            by_officer.setdefault(officer_id, []).append(slot)
    found: list[Violation] = []
    seen: set[tuple[int | None, int | None]] = set()
    for own in by_officer.values():
        own.sort(key=lambda s: s.start.astimezone(UTC))
        for i, first in enumerate(own):
            for second in own[i + 1 :]:
                if second.start.astimezone(UTC) >= first.end.astimezone(UTC):
                    break
                pair = (first.session_id, second.session_id)
                if pair in seen:
                    continue
                seen.add(pair)
                found.append(
                    Violation(
                        second.ward_id,
                        week_start_of(second.start),
                        Code.OFFICER_OVERLAP,
                        f"An officer is booked at two sessions at once: {_when(first.start)} "
                        f"and {_when(second.start)}.",
                        second.session_id,
                    )
                )
    return found


# --- checks of a ward's week ------------------------------------------------------------

# The statuses of a week short of sessions; each carries a violation saying so.
_SHORTFALL = (WeekStatus.PLANNED, WeekStatus.GAP)


def counts(slot: Slot) -> bool:
    """Whether a session counts towards its week: it lasts at least :data:`MIN_SESSION`,
    meets people face to face (its mode is one of :data:`COUNTED_MODES`), its status is
    one of :data:`COUNTED_STATUSES` and its outcome does not say it was not held. Shorter
    and online-only sessions never count, whatever their status or outcome.
    ``week_selectors.week_tallies`` counts the same sessions in SQL from these
    constants; tests hold the two equal."""
    return (
        slot.length >= MIN_SESSION
        and slot.mode in COUNTED_MODES
        and slot.status in COUNTED_STATUSES
        and slot.held is not False
    )


def tally(slots: Iterable[Slot]) -> WeekTally:
    """The :class:`WeekTally` of one week's ``slots``: of the sessions that :func:`counts`,
    how many are approved and how many still planned; of the approved, how many were
    held and how many have no outcome yet."""
    approved = planned = held = unrecorded = 0
    for slot in slots:
        if counts(slot):
            if slot.status == APPROVED:
                approved += 1
                if slot.held is None:
                    unrecorded += 1
                else:
                    held += 1
            else:
                planned += 1
    return WeekTally(approved, planned, held, unrecorded)


def week_phase(week_start: dt.date, *, today: dt.date, grace_days: int) -> WeekPhase:
    """Whether the week is still ahead (this week or later), over with outcomes still due,
    or over by more than ``grace_days``: outcomes are due within ``grace_days`` of the
    Sunday the week ends, so on the Monday ``grace_days`` after the week's last Monday
    its missing outcomes are overdue."""
    over_on = week_start + dt.timedelta(days=7)
    if today < over_on:
        return WeekPhase.AHEAD
    if today < over_on + dt.timedelta(days=grace_days):
        return WeekPhase.DUE
    return WeekPhase.OVERDUE


def outcomes_overdue_before(*, today: dt.date, grace_days: int) -> dt.datetime:
    """Sessions starting before this moment (London's Monday 00:00) are in weeks whose
    outcomes are overdue (:func:`week_phase` is OVERDUE): one with no outcome leaves its
    week unconfirmed, and its DWOs and SNB are reminded."""
    last_overdue = week_start_of(today - dt.timedelta(days=7 + grace_days))
    return week_bounds(last_overdue)[1]


def week_state(counts: WeekTally, *, needed: int, exempt: bool, phase: WeekPhase) -> WeekState:
    """What a week shows in monitoring: the one statement of "the commitment is to hold".

    A week that is over is met only by ``needed`` sessions held; if held and not yet
    recorded sessions would make ``needed``, it awaits their outcomes (unconfirmed once
    they are overdue); otherwise it was missed, whatever was proposed or approved and not
    held. A week not over is met once enough are held already, else scheduled, planned or
    a gap ahead by what is approved and proposed. Exempt weeks are exempt whatever they hold.
    """
    if exempt:
        return WeekState.EXEMPT
    if counts.held >= needed:
        return WeekState.MET
    if phase is WeekPhase.AHEAD:
        if counts.approved >= needed:
            return WeekState.SCHEDULED
        if counts.approved + counts.planned >= needed:
            return WeekState.PLANNED
        return WeekState.GAP_AHEAD
    if counts.held + counts.unrecorded >= needed:
        return WeekState.AWAITING_OUTCOME if phase is WeekPhase.DUE else WeekState.UNCONFIRMED
    return WeekState.MISSED


def standard_week_state(counts: WeekTally, *, exempt: bool, phase: WeekPhase) -> WeekState:
    """:func:`week_state` for a Standard week (or the Standard minimum of an Enhanced one)."""
    return week_state(counts, needed=STANDARD_SESSIONS_PER_WEEK, exempt=exempt, phase=phase)


def week_status(counts: WeekTally, *, needed: int, exempt: bool) -> WeekStatus:
    """A week's status from the sessions that count towards it.

    ``counts`` tallies the sessions that count (for an Enhanced week only those at the
    fixed venue); ``needed`` is :data:`STANDARD_SESSIONS_PER_WEEK` or
    :data:`ENHANCED_SESSIONS_PER_WEEK`. An exempt week is exempt whatever it holds.
    """
    if exempt:
        return WeekStatus.EXEMPT
    if counts.approved >= needed:
        return WeekStatus.MET
    if counts.approved + counts.planned >= needed:
        return WeekStatus.PLANNED
    return WeekStatus.GAP


def standard_week_status(counts: WeekTally, *, exempt: bool) -> WeekStatus:
    """The status of a Standard week from its :class:`WeekTally`: the one statement of
    the Standard rule (at least one approved session of an hour a week). :func:`check_week`,
    its fast path and the London view's database tallies all decide through it."""
    return week_status(counts, needed=STANDARD_SESSIONS_PER_WEEK, exempt=exempt)


def check_week(*, ward: WardRequirement, slots: Sequence[Slot], week_start: dt.date) -> WeekResult:
    """The status of one ward's week and what is wrong with it.

    ``slots`` may hold any of the ward's sessions; only those starting in the
    week are looked at. Cancelled, rejected and withdrawn sessions should not be
    passed in, or are ignored by status.
    """
    if week_start.weekday() != 0:
        raise ValueError(f"{week_start} is not a Monday")
    in_week = [s for s in slots if s.ward_id == ward.ward_id and s.week == week_start]
    return _quiet_week(ward, in_week, week_start) or _checked_week(ward, in_week, week_start)


def week_status_of(*, ward: WardRequirement, slots: Sequence[Slot], week_start: dt.date) -> WeekStatus:
    """``check_week(...).status`` alone, without building a violation or its sentence: for
    pages that show only a week's status (the SNB's review queue checks a hundred weeks a
    page). Tests hold it equal to :func:`check_week`'s for Standard and Enhanced wards."""
    if week_start.weekday() != 0:
        raise ValueError(f"{week_start} is not a Monday")
    in_week = [s for s in slots if s.ward_id == ward.ward_id and s.week == week_start]
    exempt = week_start in ward.exempt_weeks
    if ward.is_enhanced_in(week_start):
        # Only sessions at the fixed venue count towards the Enhanced two (as _checked_week).
        at_venue = [s for s in in_week if counts(s) and on_fixed_pattern(s, ward)[0]]
        return week_status(tally(at_venue), needed=ENHANCED_SESSIONS_PER_WEEK, exempt=exempt)
    return standard_week_status(tally(in_week), exempt=exempt)


def check_weeks(*, ward: WardRequirement, slots: Sequence[Slot], week_starts: Iterable[dt.date]) -> list[WeekResult]:
    """:func:`check_week` for each week, grouping the slots by week once."""
    by_week: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        if slot.ward_id == ward.ward_id:
            by_week.setdefault(slot.week, []).append(slot)
    results = []
    for week_start in week_starts:
        in_week = by_week.get(week_start, [])
        results.append(_quiet_week(ward, in_week, week_start) or _checked_week(ward, in_week, week_start))
    return results


def _quiet_week(ward: WardRequirement, in_week: Sequence[Slot], week_start: dt.date) -> WeekResult | None:
    """:func:`_checked_week`'s result when it would hold no violation, found without building
    any message: a Standard ward with enough officers, no session too short to count, and
    a week that is met or exempt. None when the full check is needed. (London's dashboard
    in detail checks 33,000 ward-weeks; most are quiet.)"""
    if ward.enhanced or ward.officer_count < MIN_OFFICERS_PER_WARD:
        return None
    session_ids = []
    for slot in in_week:
        if slot.length < MIN_SESSION or slot.held is False or slot.mode not in COUNTED_MODES:
            return None  # the full check says why it does not count
        if slot.session_id is not None:
            session_ids.append(slot.session_id)
    tallied = tally(in_week)
    status = standard_week_status(tallied, exempt=week_start in ward.exempt_weeks)
    if status in _SHORTFALL:
        return None
    return WeekResult(
        ward.ward_id,
        week_start,
        status,
        (),
        tallied.approved,
        tallied.planned,
        tuple(session_ids),
        tallied.held,
        tallied.unrecorded,
    )


def _checked_week(ward: WardRequirement, in_week: Sequence[Slot], week_start: dt.date) -> WeekResult:
    """The full check of a week, with a violation for everything wrong in it."""
    violations: list[Violation] = []

    def add(code: Code, message: str, session_id: int | None = None) -> None:
        violations.append(Violation(ward.ward_id, week_start, code, message, session_id))

    for slot in in_week:
        length = slot.length
        if length <= dt.timedelta(0):
            add(
                Code.SESSION_ENDS_BEFORE_START,
                f"The session on {_when(slot.start)} ends before it starts.",
                slot.session_id,
            )
        elif length < MIN_SESSION:
            add(Code.SESSION_TOO_SHORT, short_session_notice(slot.start, slot.end) or "", slot.session_id)
        elif slot.held is False and slot.status == APPROVED:
            add(Code.SESSION_NOT_HELD, f"The session on {_when(slot.start)} was not held.", slot.session_id)
        if slot.mode not in COUNTED_MODES and slot.status in COUNTED_STATUSES:
            if ward.is_enhanced_in(week_start):
                violations.extend(check_enhanced_mode(slot, ward))
            else:
                add(Code.SESSION_ONLINE_ONLY, online_only_notice(slot.start, slot.mode) or "", slot.session_id)

    exempt = week_start in ward.exempt_weeks
    enhanced = ward.is_enhanced_in(week_start)
    if enhanced:
        at_venue = []
        for slot in filter(counts, in_week):
            fixed_venue, on_slot = on_fixed_pattern(slot, ward)
            if fixed_venue:
                # Sessions away from the fixed venue do not count towards the Enhanced two.
                at_venue.append(slot)
            else:
                add(
                    Code.ENHANCED_OFF_VENUE,
                    f"The session on {_when(slot.start)} is not at the ward's fixed Enhanced venue.",
                    slot.session_id,
                )
            if not on_slot:
                add(
                    Code.ENHANCED_OFF_SLOT,
                    f"The session on {_when(slot.start)} is not at one of the ward's fixed days and times.",
                    slot.session_id,
                )
        tallied = tally(at_venue)
        status = week_status(tallied, needed=ENHANCED_SESSIONS_PER_WEEK, exempt=exempt)
    else:
        tallied = tally(in_week)
        status = standard_week_status(tallied, exempt=exempt)

    if ward.officer_count < MIN_OFFICERS_PER_WARD:
        add(
            Code.WARD_TOO_FEW_OFFICERS,
            f"The ward has {ward.officer_count} Dedicated Ward Officer"
            f"{'' if ward.officer_count == 1 else 's'}; it should have at least {MIN_OFFICERS_PER_WARD}.",
        )

    if status in _SHORTFALL:
        if enhanced:
            add(
                Code.ENHANCED_TOO_FEW,
                f"Enhanced wards need {ENHANCED_SESSIONS_PER_WEEK} approved sessions of at least an hour "
                f"at the fixed venue each week; this week has {tallied.approved}.",
            )
        else:
            add(Code.STANDARD_NO_SESSION, "No approved session of at least an hour this week.")

    return WeekResult(
        ward_id=ward.ward_id,
        week_start=week_start,
        status=status,
        violations=tuple(violations),
        approved_count=tallied.approved,
        planned_count=tallied.planned,
        session_ids=tuple(s.session_id for s in in_week if s.session_id is not None),
        held_count=tallied.held,
        unrecorded_count=tallied.unrecorded,
        needed=ENHANCED_SESSIONS_PER_WEEK if enhanced else STANDARD_SESSIONS_PER_WEEK,
    )


def roster_shortfalls(*, ward_id: int, pcs: int, pcsos: int) -> list[Violation]:
    """What a ward's current DWOs fall short of the commitment of two PCs and one PCSO."""
    found = []
    if pcs < MIN_PCS_PER_WARD:
        found.append(
            Violation(
                ward_id,
                None,
                Code.WARD_TOO_FEW_PCS,
                f"{pcs} PC{'' if pcs == 1 else 's'} serve{'s' if pcs == 1 else ''} the ward; "
                f"the commitment is at least {MIN_PCS_PER_WARD}.",
            )
        )
    if pcsos < MIN_PCSOS_PER_WARD:
        found.append(Violation(ward_id, None, Code.WARD_NO_PCSO, "No PCSO serves the ward; the commitment is one."))
    return found


def series_dates(
    *, first: dt.date, weekday: int, until: dt.date | None = None, count: int | None = None
) -> list[dt.date]:
    """The dates of a weekly series on ``weekday`` from ``first``, until a date or for ``count`` weeks."""
    if (until is None) == (count is None):
        raise ValueError("give exactly one of until and count")
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    dates: list[dt.date] = []
    while (count is None or len(dates) < count) and (until is None or day <= until):
        dates.append(day)
        day += dt.timedelta(weeks=1)
        if day - first > MAX_SERIES_LENGTH + dt.timedelta(weeks=1):
            dates.append(day)  # one past the limit, so the caller's length check fails
            break
    return dates


def check_series_length(dates: Sequence[dt.date], ward_id: int) -> list[Violation]:
    if dates and dates[-1] - dates[0] > MAX_SERIES_LENGTH - dt.timedelta(days=1):
        return [
            Violation(
                ward_id,
                None,
                Code.SERIES_TOO_LONG,
                "A series may cover at most a year; propose a shorter one.",
            )
        ]
    return []


def fixed_pattern_gaps(
    *, weekdays: Iterable[int], held: Iterable[dt.date], first: dt.date, last: dt.date
) -> list[dt.date]:
    """The days from ``first`` to ``last`` (inclusive) on which a confirmed weekly pattern
    falls (``weekdays``, 0 is Monday) but no approved session is ``held``.

    The public sees the pattern only with these exceptions ("Not on Tuesday 22 December"),
    so nobody goes by the pattern to a session that was rejected, cancelled or never approved.
    """
    days = set(weekdays)
    held_days = set(held)
    gaps = []
    day = first
    while day <= last:
        if day.weekday() in days and day not in held_days:
            gaps.append(day)
        day += dt.timedelta(days=1)
    return gaps
