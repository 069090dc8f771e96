"""Compliance with the weekly commitment, and outcome summaries, for many wards at once.

Every figure on the monitoring pages, in their CSV exports and in the
``compliance_report`` command comes from :func:`compute_compliance` and
:func:`summarise_outcomes`, so the numbers are the same wherever they are read.

The database is read in a fixed number of set-based queries (wards, sessions,
agreed exemptions, Enhanced designations with their slots, officer counts),
however many wards and weeks are asked for; the rules themselves are applied
in Python by :mod:`contactsessions.rules`, which is the only place they live.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from contactsessions import rules, selectors
from contactsessions.models import (
    ContactSession,
    EnhancedDesignation,
    ExemptionStatus,
    SessionFormat,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from venues.models import VenueKind
from wards.models import Ward

DEFAULT_PAST_WEEKS = 12  # complete weeks shown before this week by default
MAX_WEEKS = 104
LOOK_AHEAD_WEEKS = 2

# What a cell of the grid shows. Past gaps are "missed"; gaps still ahead can be filled.
MET = "met"
PLANNED = "planned"
MISSED = "missed"
GAP_AHEAD = "gap_ahead"
EXEMPT = "exempt"
NOT_REQUIRED = "not_required"

DISPLAY = {
    MET: ("✓", "Met"),
    PLANNED: ("…", "Planned, not yet approved"),
    MISSED: ("✗", "Missed"),
    GAP_AHEAD: ("!", "Gap ahead"),
    EXEMPT: ("E", "Exempt"),
    NOT_REQUIRED: ("–", "Not required"),
}

_COUNTED_STATUSES = [SessionStatus.APPROVED, *rules.PLANNED_STATUSES]
MET_STATUS = rules.WeekStatus.MET
EXEMPT_STATUS = rules.WeekStatus.EXEMPT
NOT_REQUIRED_STATUS = rules.WeekStatus.NOT_REQUIRED
PLANNED_STATUS = rules.WeekStatus.PLANNED


# --- result types shared by views, exports and the management command ----------------


class WardWeek:
    """One ward's week: its state, and the rules' result it came from.

    A plain class with ``__slots__``: a 52-week London view builds 33,000 of them,
    and the reason text is only put together when a page or export asks for it.
    """

    __slots__ = ("result", "state", "standard_met")

    def __init__(self, result: rules.WeekResult, state: str, standard_met: bool) -> None:
        self.result = result
        self.state = state  # one of MET, PLANNED, MISSED, GAP_AHEAD, EXEMPT, NOT_REQUIRED
        self.standard_met = standard_met  # at least one approved hour, even in an Enhanced ward

    @property
    def ward_id(self) -> int:
        return self.result.ward_id

    @property
    def week_start(self) -> dt.date:
        return self.result.week_start

    @property
    def approved_count(self) -> int:
        return self.result.approved_count

    @property
    def planned_count(self) -> int:
        return self.result.planned_count

    @property
    def session_ids(self) -> tuple[int, ...]:
        return self.result.session_ids

    @property
    def violations(self) -> tuple[rules.Violation, ...]:
        return self.result.violations

    @property
    def reason(self) -> str:
        if self.state == MISSED:
            return f"The week is over and the commitment was not met. {self.result.reason}"
        if self.state == EXEMPT:
            return "This week is exempt: no session was needed."
        return self.result.reason

    @property
    def symbol(self) -> str:
        return DISPLAY[self.state][0]

    @property
    def label(self) -> str:
        return DISPLAY[self.state][1]


@dataclass
class WardCompliance:
    ward_id: int
    code: str
    name: str
    borough_id: int
    borough_code: str
    borough_name: str
    enhanced: bool
    community: str
    officer_count: int
    weeks: list[WardWeek] = field(default_factory=list)

    @property
    def too_few_officers(self) -> bool:
        return self.officer_count < rules.MIN_OFFICERS_PER_WARD

    def count(self, state: str) -> int:
        return sum(1 for w in self.weeks if w.state == state)

    @property
    def met(self) -> int:
        return self.count(MET)

    @property
    def missed(self) -> int:
        return self.count(MISSED)

    @property
    def exempt(self) -> int:
        return self.count(EXEMPT)


class StandardShare:
    """The share of counted ward-weeks meeting the Standard minimum (exempt weeks not counted)."""

    standard_met: int

    @property
    def counted(self) -> int:
        raise NotImplementedError

    @property
    def standard_share(self) -> float | None:
        return self.standard_met / self.counted if self.counted else None

    @property
    def standard_percent(self) -> str:
        return percent(self.standard_share)


@dataclass(frozen=True)
class WeekSummary(StandardShare):
    """One week across a set of wards: the share meeting the Standard minimum."""

    week_start: dt.date
    wards: int
    exempt: int
    standard_met: int
    met: int
    planned: int
    missed: int
    gap_ahead: int

    @property
    def counted(self) -> int:
        """Wards the week counts for: exempt weeks are neither met nor missed."""
        return self.wards - self.exempt


@dataclass(frozen=True)
class AreaSummary(StandardShare):
    """A borough (or London) over the whole range of weeks."""

    code: str
    name: str
    wards: int
    enhanced_wards: int
    ward_weeks: int
    exempt: int
    standard_met: int
    met: int
    missed: int
    too_few_officers: int

    @property
    def counted(self) -> int:
        return self.ward_weeks - self.exempt


@dataclass
class ComplianceReport:
    week_starts: list[dt.date]
    today: dt.date
    wards: list[WardCompliance]
    weeks: list[WeekSummary]
    boroughs: list[AreaSummary]
    total: AreaSummary

    @property
    def enhanced_wards(self) -> list[WardCompliance]:
        return [w for w in self.wards if w.enhanced]

    @property
    def first_week(self) -> dt.date:
        return self.week_starts[0]

    @property
    def last_week(self) -> dt.date:
        return self.week_starts[-1]


# The columns of a week-by-week table, shared by the CSV exports and compliance_report.
WEEK_COLUMNS = [
    "week_start",
    "wards",
    "exempt",
    "counted",
    "standard_met",
    "standard_percent",
    "met",
    "planned",
    "missed",
    "gap_ahead",
]


def week_row(week: WeekSummary) -> list:
    return [getattr(week, column) for column in WEEK_COLUMNS]


def percent(share: float | None) -> str:
    return "n/a" if share is None else f"{round(share * 100)}%"


# --- weeks -------------------------------------------------------------------------------


def default_weeks(today: dt.date) -> list[dt.date]:
    """The last :data:`DEFAULT_PAST_WEEKS` complete weeks and this week."""
    this_week = rules.week_start_of(today)
    return rules.weeks(this_week - dt.timedelta(weeks=DEFAULT_PAST_WEEKS), DEFAULT_PAST_WEEKS + 1)


def weeks_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every week touching [start, end]; raises ValueError for a reversed or too long range."""
    first, last = rules.week_start_of(start), rules.week_start_of(end)
    if last < first:
        raise ValueError("The end of the range is before its start.")
    count = (last - first).days // 7 + 1
    if count > MAX_WEEKS:
        raise ValueError(f"Choose at most {MAX_WEEKS} weeks.")
    return rules.weeks(first, count)


# --- the computation -----------------------------------------------------------------------


LONDON_REPORT_TIMEOUT = 300  # seconds; the token below forgets it sooner on any change


def london_summary(*, week_starts: Sequence[dt.date], today: dt.date | None = None) -> ComplianceReport:
    """All London's figures, kept in the cache until the data changes.

    The report's week, borough and London totals cover every ward; its ``wards`` keep
    only the Enhanced wards, which is all the London view lists (the borough and ward
    views have the rest), so Standard wards are counted from the database's week
    tallies (``standard_detail=False``) and the cached copy stays small.

    The key holds the data generation token (bumped by every write to sessions, venues,
    officers, assignments, exemptions and designations), the range and today, so a
    change or a new day computes afresh; monitoring staff reopening the view between
    changes are served from the cache.
    """
    from contactsessions.lib.public_cache import current_generation

    today = today or timezone.localdate()
    week_starts = sorted(week_starts)
    key = f"compliance:london:{current_generation()}:{today}:{week_starts[0]}:{len(week_starts)}"
    report = cache.get(key)
    if report is None:
        report = compute_compliance(week_starts=week_starts, today=today, standard_detail=False)
        cache.set(key, report, LONDON_REPORT_TIMEOUT)
    return report


@dataclass
class _WardStates:
    """One ward's week states as the totals count them (detailed or tallied alike)."""

    borough_code: str
    borough_name: str
    enhanced: bool
    too_few_officers: bool
    states: list[str]
    standard_met: list[bool]


def compute_compliance(
    *,
    wards: QuerySet[Ward] | None = None,
    week_starts: Sequence[dt.date],
    today: dt.date | None = None,
    standard_detail: bool = True,
) -> ComplianceReport:
    """Each ward's status in each week, with per-week and per-borough totals.

    ``wards`` defaults to every current ward in London. ``today`` decides which
    gaps are already missed; it defaults to today in London.

    With ``standard_detail=False`` the Standard wards' weeks are decided from the
    database's week tallies (:func:`selectors.week_tallies` and
    :func:`rules.standard_week_status`) and only counted: the report's ``wards`` then
    hold just the Enhanced wards, with every week's detail, and the totals are the same
    as with full detail (tested). That is how the London view checks 33,000 ward-weeks.
    """
    today = today or timezone.localdate()
    week_starts = sorted(week_starts)
    scope = wards if wards is not None else Ward.objects.current()
    ward_list = list(scope.select_related("borough").order_by("borough__name", "name"))
    scope_ids = scope.values("pk")
    requirements = selectors.requirements_for(ward_list, today=today, ward_ids=scope_ids)
    communities = dict(EnhancedDesignation.objects.filter(ward__in=scope_ids).values_list("ward_id", "community"))
    if standard_detail:
        detailed_ids: QuerySet | list[int] = scope_ids
        tallies: dict[int, dict] = {}
    else:
        detailed_ids = [pk for pk, requirement in requirements.items() if requirement.enhanced]
        tallies = selectors.week_tallies(scope_ids, week_starts)

    range_start = rules.week_bounds(week_starts[0])[0]
    range_end = rules.week_bounds(week_starts[-1])[1]
    slots_by_ward: dict[int, list[rules.Slot]] = defaultdict(list)
    rows = (
        ContactSession.objects.filter(ward__in=detailed_ids, status__in=_COUNTED_STATUSES)
        .between(range_start, range_end)
        .values_list("pk", "ward_id", "venue_id", "start", "end", "status")
    )
    for pk, ward_id, venue_id, start, end, status in rows:
        slots_by_ward[ward_id].append(
            # Positional: this runs for every session in the range.
            rules.Slot(ward_id, start, end, status, venue_id, pk)
        )

    results: list[WardCompliance] = []
    counted: list[_WardStates] = []
    over = [week <= today - dt.timedelta(days=7) for week in week_starts]  # weeks that are over
    for ward in ward_list:
        requirement = requirements[ward.pk]
        too_few = requirement.officer_count < rules.MIN_OFFICERS_PER_WARD
        if standard_detail or requirement.enhanced:
            item = _ward_compliance(
                ward, requirement, slots_by_ward.get(ward.pk, []), week_starts, over, communities.get(ward.pk, "")
            )
            results.append(item)
            states = [w.state for w in item.weeks]
            standard_met = [w.standard_met for w in item.weeks]
        else:
            ward_tallies = tallies.get(ward.pk, {})
            exempt_weeks = requirement.exempt_weeks
            states = [
                _standard_state(ward_tallies.get(week, rules.NO_SESSIONS), week in exempt_weeks, is_over)
                for week, is_over in zip(week_starts, over, strict=True)
            ]
            standard_met = [state == MET for state in states]
        counted.append(
            _WardStates(ward.borough.code, ward.borough.name, requirement.enhanced, too_few, states, standard_met)
        )

    by_week = list(zip(*(c.states for c in counted), strict=True)) or [()] * len(week_starts)
    met_by_week = list(zip(*(c.standard_met for c in counted), strict=True)) or [()] * len(week_starts)
    weeks = [
        _week_summary(week, states, standard_met)
        for week, states, standard_met in zip(week_starts, by_week, met_by_week, strict=True)
    ]
    by_borough: dict[str, list[_WardStates]] = defaultdict(list)
    for ward_states in counted:
        by_borough[ward_states.borough_code].append(ward_states)
    boroughs = [_area(code, items[0].borough_name, items) for code, items in by_borough.items()]
    return ComplianceReport(
        week_starts=list(week_starts),
        today=today,
        wards=results,
        weeks=weeks,
        boroughs=boroughs,
        total=_area("", "London", counted),
    )


def _state(status: rules.WeekStatus, over: bool) -> str:
    """What a cell shows: the rules' status, and for a gap whether its week is over."""
    if status is MET_STATUS:
        return MET
    if status is EXEMPT_STATUS:
        return EXEMPT
    if status is NOT_REQUIRED_STATUS:
        return NOT_REQUIRED
    if over:
        # A week that is over with nothing approved was missed, whatever was still only proposed.
        return MISSED
    return PLANNED if status is PLANNED_STATUS else GAP_AHEAD


@functools.cache
def _standard_state(tally: rules.WeekTally, exempt: bool, over: bool) -> str:
    """A Standard ward-week's cell from its tally. Cached: a London year asks 33,000
    times, and a week holds only a handful of different tallies."""
    return _state(rules.standard_week_status(tally, exempt=exempt), over)


def _ward_compliance(
    ward: Ward,
    requirement: rules.WardRequirement,
    slots: list[rules.Slot],
    week_starts: list[dt.date],
    over: list[bool],
    community: str,
) -> WardCompliance:
    full = rules.check_weeks(ward=requirement, slots=slots, week_starts=week_starts)
    if requirement.enhanced:
        # The Standard minimum (one approved hour anywhere) applies to Enhanced wards too.
        plain = rules.WardRequirement(ward_id=ward.pk, officer_count=requirement.officer_count)
        standard = [
            r.status is rules.WeekStatus.MET
            for r in rules.check_weeks(ward=plain, slots=slots, week_starts=week_starts)
        ]
    else:
        standard = [r.status is rules.WeekStatus.MET for r in full]
    item = WardCompliance(
        ward_id=ward.pk,
        code=ward.code,
        name=ward.name,
        borough_id=ward.borough_id,
        borough_code=ward.borough.code,
        borough_name=ward.borough.name,
        enhanced=requirement.enhanced,
        community=community,
        officer_count=requirement.officer_count,
    )
    append = item.weeks.append
    for result, standard_met, is_over in zip(full, standard, over, strict=True):
        state = _state(result.status, is_over)
        append(WardWeek(result, state, standard_met and state != EXEMPT))
    return item


def _week_summary(week: dt.date, states: Sequence[str], standard_met: Sequence[bool]) -> WeekSummary:
    """One week across wards, from each ward's state and Standard result that week."""
    counts = Counter(states)
    return WeekSummary(
        week_start=week,
        wards=len(states),
        exempt=counts[EXEMPT],
        standard_met=sum(standard_met),
        met=counts[MET],
        planned=counts[PLANNED],
        missed=counts[MISSED],
        gap_ahead=counts[GAP_AHEAD],
    )


def _area(code: str, name: str, items: Sequence[_WardStates]) -> AreaSummary:
    counts: Counter[str] = Counter()
    ward_weeks = standard_met = 0
    for item in items:
        ward_weeks += len(item.states)
        counts.update(item.states)
        standard_met += sum(item.standard_met)
    return AreaSummary(
        code=code,
        name=name,
        wards=len(items),
        enhanced_wards=sum(1 for i in items if i.enhanced),
        ward_weeks=ward_weeks,
        exempt=counts[EXEMPT],
        standard_met=standard_met,
        met=counts[MET],
        missed=counts[MISSED],
        too_few_officers=sum(1 for i in items if i.too_few_officers),
    )


BOROUGH_SORTS = {
    "name": lambda a: a.name,
    "wards": lambda a: a.wards,
    "share": lambda a: -1 if a.standard_share is None else a.standard_share,
    "missed": lambda a: a.missed,
    "exempt": lambda a: a.exempt,
    "officers": lambda a: a.too_few_officers,
}


def sort_areas(areas: list[AreaSummary], sort: str) -> tuple[list[AreaSummary], str]:
    """Sort by a key of :data:`BOROUGH_SORTS`, descending with a leading '-'. Unknown keys sort by name."""
    key = sort.lstrip("-")
    if key not in BOROUGH_SORTS:
        sort, key = "name", "name"
    return sorted(areas, key=BOROUGH_SORTS[key], reverse=sort.startswith("-")), sort


# --- looking ahead -------------------------------------------------------------------------


@dataclass(frozen=True)
class LookAheadRow:
    ward_id: int
    code: str
    name: str
    borough_name: str
    weeks_without: tuple[dt.date, ...]
    planned: int


def wards_without_sessions_ahead(*, wards: QuerySet[Ward], now: dt.datetime | None = None) -> list[LookAheadRow]:
    """Wards with a week among this one and the next that has no approved session and is not exempt.

    An approved session earlier this week that is already over still covers this week.
    ``planned`` counts proposals still to come, which would fill a gap once approved.
    """
    now = now or timezone.now()
    week_starts = rules.weeks(rules.week_start_of(now), LOOK_AHEAD_WEEKS)
    end = rules.week_bounds(week_starts[-1])[1]
    this_week_start = rules.week_bounds(week_starts[0])[0]
    approved: dict[int, set[dt.date]] = defaultdict(set)
    planned: dict[int, int] = defaultdict(int)
    ward_list = list(wards.select_related("borough").order_by("borough__name", "name"))
    rows = ContactSession.objects.filter(ward__in=[w.pk for w in ward_list], status__in=_COUNTED_STATUSES).between(
        this_week_start, end
    )
    for ward_id, start, finish, status in rows.values_list("ward_id", "start", "end", "status"):
        if rules.elapsed(start, finish) < rules.MIN_SESSION:
            continue
        if status == SessionStatus.APPROVED:
            approved[ward_id].add(rules.week_start_of(start))
        elif finish >= now:
            planned[ward_id] += 1
    exempt = defaultdict(set)
    for ward_id, week in WeekExemption.objects.filter(
        ward__in=[w.pk for w in ward_list], status=ExemptionStatus.AGREED, week_start__in=week_starts
    ).values_list("ward_id", "week_start"):
        exempt[ward_id].add(week)
    found = []
    for ward in ward_list:
        missing = tuple(w for w in week_starts if w not in approved[ward.pk] and w not in exempt[ward.pk])
        if missing:
            found.append(LookAheadRow(ward.pk, ward.code, ward.name, ward.borough.name, missing, planned[ward.pk]))
    return found


# --- outcomes -------------------------------------------------------------------------------


def sessions_missing_outcome(user, *, wards=None, now: dt.datetime | None = None) -> QuerySet[ContactSession]:
    """Approved sessions that have ended with no outcome recorded, oldest first.

    ``wards`` (ids or a queryset) defaults to the wards the user serves as a DWO: the
    sessions they must record. Pass the wards a user may read to see what others owe.
    """
    from contactsessions.permissions import officer_ward_ids

    now = now or timezone.now()
    return (
        ContactSession.objects.approved()
        .filter(ward__in=officer_ward_ids(user) if wards is None else wards, end__lte=now, outcome__isnull=True)
        .select_related("ward__borough", "venue")
        .order_by("start")
    )


@dataclass(frozen=True)
class OutcomeRow:
    key: str
    label: str
    recorded: int
    held: int
    attendance: int
    average_attendance: float | None
    nobody_came: int
    crimes_reported: int

    @property
    def not_held(self) -> int:
        return self.recorded - self.held

    @property
    def average_display(self) -> str:
        return "n/a" if self.average_attendance is None else f"{self.average_attendance:.1f}"


@dataclass
class OutcomeSummary:
    total: OutcomeRow
    by_format: list[OutcomeRow]
    by_venue_kind: list[OutcomeRow]


_HELD = Q(held=True)


def _outcome_aggregates() -> dict:
    return {
        "recorded": Count("pk"),
        "held_n": Count("pk", filter=_HELD),
        "attendance_sum": Sum("attendance", filter=_HELD, default=0),
        "average": Avg("attendance", filter=_HELD),
        "nobody": Count("pk", filter=_HELD & Q(attendance=0)),
        "crimes": Sum("crimes_reported", default=0),
    }


def _row(key: str, label: str, data: dict) -> OutcomeRow:
    average = data.get("average")
    return OutcomeRow(
        key=key,
        label=label,
        recorded=data.get("recorded", 0),
        held=data.get("held_n", 0),
        attendance=data.get("attendance_sum", 0) or 0,
        average_attendance=float(average) if average is not None else None,
        nobody_came=data.get("nobody", 0),
        crimes_reported=data.get("crimes", 0) or 0,
    )


def summarise_outcomes(*, wards: QuerySet[Ward], start: dt.datetime, end: dt.datetime) -> OutcomeSummary:
    """Sessions held, average attendance and sessions nobody came to, overall, by format and by venue kind.

    Covers outcomes of sessions starting in [start, end) in ``wards``. Averages are over held sessions.
    """
    outcomes = SessionOutcome.objects.filter(session__ward__in=wards, session__start__gte=start, session__start__lt=end)
    total = outcomes.aggregate(**_outcome_aggregates())
    by_format = {r["session__format"]: r for r in outcomes.values("session__format").annotate(**_outcome_aggregates())}
    by_kind = {
        r["session__venue__kind"]: r for r in outcomes.values("session__venue__kind").annotate(**_outcome_aggregates())
    }
    return OutcomeSummary(
        total=_row("all", "All sessions", total),
        by_format=[_row(v, label, by_format[v]) for v, label in SessionFormat.choices if v in by_format],
        by_venue_kind=[_row(v, label, by_kind[v]) for v, label in VenueKind.choices if v in by_kind],
    )
