"""Compliance with the weekly commitment for many wards at once.

Every figure on the monitoring pages, in their CSV exports and in the
``compliance_report`` command comes from :func:`compute_compliance` (what the
figures hold is in :mod:`contactsessions.week_figures`) and, for outcomes,
:func:`contactsessions.outcome_figures.summarise_outcomes`, so the numbers are
the same wherever they are read.

The database is read in a fixed number of set-based queries (wards, sessions,
agreed exemptions, Enhanced designations with their slots, officer counts),
however many wards and weeks are asked for; the rules themselves are applied
by :mod:`contactsessions.rules`, which is the only place they live.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from contactsessions import rules, tally_cache, week_selectors
from contactsessions.models import ContactSession, EnhancedDesignation, ExemptionStatus, WeekExemption
from contactsessions.week_figures import (
    AWAITING_OUTCOME,
    EXEMPT,
    GAP_AHEAD,
    MET,
    MISSED,
    NOT_IN_USE,
    PLANNED,
    SCHEDULED,
    UNCONFIRMED,
    AreaSummary,
    ComplianceReport,
    WardCompliance,
    WardWeek,
    WeekSummary,
)
from wards.models import Ward, WardQuerySet

DEFAULT_PAST_WEEKS = 12  # complete weeks shown before this week by default
MAX_WEEKS = 104
LOOK_AHEAD_WEEKS = 2


# --- weeks -------------------------------------------------------------------------------


def default_weeks(today: dt.date) -> list[dt.date]:
    """The last :data:`DEFAULT_PAST_WEEKS` complete weeks and this week."""
    this_week = rules.week_start_of(today)
    return rules.weeks(this_week - dt.timedelta(weeks=DEFAULT_PAST_WEEKS), DEFAULT_PAST_WEEKS + 1)


def wards_in_use(week_starts: Sequence[dt.date], wards: WardQuerySet | None = None) -> WardQuerySet:
    """The wards (of ``wards``, default all London's) the app ran on in any of the weeks: across
    a boundary change, the old wards before it and the new ones after it."""
    first, last = min(week_starts), max(week_starts) + dt.timedelta(days=6)
    return (wards if wards is not None else Ward.objects.all()).in_use_between(first, last)


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
    changes are served from the cache. Afresh means from each borough's part
    (:mod:`contactsessions.london_figures`): after a write, only the borough written to.
    """
    from contactsessions import london_figures
    from contactsessions.lib.public_cache import current_generation

    today = today or timezone.localdate()
    week_starts = sorted(week_starts)
    grace = settings.OUTCOME_GRACE_DAYS
    key = f"compliance:london:{current_generation()}:{today}:{grace}:{week_starts[0]}:{len(week_starts)}"
    report = cache.get(key)
    if report is None:
        report = london_figures.london_report(week_starts=week_starts, today=today)
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
    cached_tallies: bool = False,
    per_borough: bool = False,
    london_wide: frozenset[dt.date] | None = None,
) -> ComplianceReport:
    """Each ward's status in each week, with per-week and per-borough totals.

    ``wards`` defaults to every ward in London in use in the weeks (:func:`wards_in_use`);
    a ward counts only in the weeks it was in use (``NOT_IN_USE`` otherwise). ``today`` decides which
    weeks are over, and so judged by the sessions held, and which of those have
    outcomes overdue (``settings.OUTCOME_GRACE_DAYS``); it defaults to today in London.

    With ``standard_detail=False`` the Standard wards' weeks are decided from the
    database's week tallies (:func:`week_selectors.week_tallies` and
    :func:`rules.standard_week_status`) and only counted: the report's ``wards`` then
    hold just the Enhanced wards, with every week's detail, and the totals are the same
    as with full detail (tested). That is how the London view checks 33,000 ward-weeks;
    with ``cached_tallies`` the tallies come from :mod:`contactsessions.tally_cache`, which
    counts in the database only the wards written to since they were last counted.
    ``per_borough`` adds each borough's weeks (``borough_weeks``), for ``london_figures``, which
    passes the London-wide exempt weeks it has read (``london_wide``).
    """
    today = today or timezone.localdate()
    week_starts = sorted(week_starts)
    scope = wards if wards is not None else wards_in_use(week_starts)
    ward_list = list(scope.select_related("borough").order_by("borough__name", "name"))
    scope_ids = scope.values("pk")
    requirements = week_selectors.requirements_for(ward_list, today=today, ward_ids=scope_ids, london_wide=london_wide)
    communities = dict(EnhancedDesignation.objects.filter(ward__in=scope_ids).values_list("ward_id", "community"))
    if standard_detail:
        detailed_ids: QuerySet | list[int] = scope_ids
        tallies: dict[int, list[rules.WeekTally]] = {}
    else:
        detailed_ids = [pk for pk, requirement in requirements.items() if requirement.enhanced]
        tallies = _tallies(ward_list, requirements, scope_ids, week_starts, cached=cached_tallies)
    no_sessions = [rules.NO_SESSIONS] * len(week_starts)
    exempt_flags: dict[frozenset[dt.date], list[bool]] = {}

    # The London view details only the few Enhanced wards: their outcomes are looked up one by one.
    slots_by_ward = week_selectors.counted_slots(detailed_ids, week_starts, few=not standard_detail)

    results: list[WardCompliance] = []
    counted: list[_WardStates] = []
    grace = settings.OUTCOME_GRACE_DAYS
    phases = [rules.week_phase(week, today=today, grace_days=grace) for week in week_starts]
    for ward in ward_list:
        requirement = requirements[ward.pk]
        too_few = requirement.officer_count < rules.MIN_OFFICERS_PER_WARD
        if standard_detail or requirement.enhanced:
            item = _ward_compliance(
                ward, requirement, slots_by_ward.get(ward.pk, []), week_starts, phases, communities.get(ward.pk, "")
            )
            results.append(item)
            states = [w.state for w in item.weeks]
            standard_met = [w.standard_met for w in item.weeks]
        else:
            # 33,000 ward-weeks a London year: map() over the cached cell function, and each
            # set of exempt weeks (most wards share London's) turned into flags once.
            flags = exempt_flags.get(requirement.exempt_weeks)
            if flags is None:
                flags = exempt_flags[requirement.exempt_weeks] = [w in requirement.exempt_weeks for w in week_starts]
            states = list(map(_standard_state, tallies.get(ward.pk, no_sessions), flags, phases))
            standard_met = list(map(MET.__eq__, states))
        if ward.in_use_from is not None or ward.in_use_until is not None:
            states, standard_met = _mask_unused(ward, week_starts, states, standard_met, results, standard_detail)
        counted.append(
            _WardStates(ward.borough.code, ward.borough.name, requirement.enhanced, too_few, states, standard_met)
        )

    by_borough: dict[str, list[_WardStates]] = defaultdict(list)
    for ward_states in counted:
        by_borough[ward_states.borough_code].append(ward_states)
    boroughs = [_area(code, items[0].borough_name, items) for code, items in by_borough.items()]
    return ComplianceReport(
        week_starts=list(week_starts),
        today=today,
        wards=results,
        weeks=_weeks(week_starts, counted),
        boroughs=boroughs,
        total=_area("", "London", counted),
        borough_weeks={code: _weeks(week_starts, items) for code, items in by_borough.items()} if per_borough else {},
    )


def _weeks(week_starts: list[dt.date], counted: list[_WardStates]) -> list[WeekSummary]:
    by_week = list(zip(*(c.states for c in counted), strict=True)) or [()] * len(week_starts)
    met_by_week = list(zip(*(c.standard_met for c in counted), strict=True)) or [()] * len(week_starts)
    return [
        _week_summary(week, states, standard_met)
        for week, states, standard_met in zip(week_starts, by_week, met_by_week, strict=True)
    ]


def _tallies(
    ward_list: list[Ward],
    requirements: dict[int, rules.WardRequirement],
    scope_ids: QuerySet,
    week_starts: list[dt.date],
    *,
    cached: bool,
) -> dict[int, list[rules.WeekTally]]:
    """The Standard wards' tallies of each week, in the order of ``week_starts``."""
    if cached:
        standard = [ward for ward in ward_list if not requirements[ward.pk].enhanced]
        return tally_cache.week_tallies(standard, week_starts, ward_ids=scope_ids)
    counted = week_selectors.week_tallies(scope_ids, week_starts)
    return {pk: [weeks.get(week, rules.NO_SESSIONS) for week in week_starts] for pk, weeks in counted.items()}


def _mask_unused(
    ward: Ward,
    week_starts: Sequence[dt.date],
    states: list[str],
    standard_met: list[bool],
    results: list[WardCompliance],
    detailed: bool,
) -> tuple[list[str], list[bool]]:
    """Mark the weeks a redrawn (or new) ward was not in use, so no total counts them."""
    unused = [not ward.in_use_on(week) for week in week_starts]
    states = [NOT_IN_USE if off else state for state, off in zip(states, unused, strict=True)]
    standard_met = [met and not off for met, off in zip(standard_met, unused, strict=True)]
    if results and results[-1].ward_id == ward.pk:
        item = results[-1]
        item.weeks = [
            WardWeek(w.result, NOT_IN_USE, False) if off else w for w, off in zip(item.weeks, unused, strict=True)
        ]
    return states, standard_met


@functools.cache
def _standard_state(tally: rules.WeekTally, exempt: bool, phase: rules.WeekPhase) -> str:
    """A Standard ward-week's cell from its tally. Cached: a London year asks 33,000
    times, and a week holds only a handful of different tallies."""
    return rules.standard_week_state(tally, exempt=exempt, phase=phase)


def _ward_compliance(
    ward: Ward,
    requirement: rules.WardRequirement,
    slots: list[rules.Slot],
    week_starts: list[dt.date],
    phases: list[rules.WeekPhase],
    community: str,
) -> WardCompliance:
    full = rules.check_weeks(ward=requirement, slots=slots, week_starts=week_starts)
    if requirement.enhanced:
        # The Standard minimum (one hour held anywhere) applies to Enhanced wards too.
        plain = rules.WardRequirement(ward_id=ward.pk, officer_count=requirement.officer_count)
        plain_results = rules.check_weeks(ward=plain, slots=slots, week_starts=week_starts)
        standard = [r.state(phase) is rules.WeekState.MET for r, phase in zip(plain_results, phases, strict=True)]
    else:
        standard = [r.state(phase) is rules.WeekState.MET for r, phase in zip(full, phases, strict=True)]
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
    for result, standard_met, phase in zip(full, standard, phases, strict=True):
        state = result.state(phase)
        append(WardWeek(result, state, standard_met and state != EXEMPT))
    return item


def _week_summary(week: dt.date, states: Sequence[str], standard_met: Sequence[bool]) -> WeekSummary:
    """One week across wards, from each ward's state and Standard result that week."""
    counts = Counter(states)
    return WeekSummary(
        week_start=week,
        wards=len(states) - counts[NOT_IN_USE],
        exempt=counts[EXEMPT],
        standard_met=sum(standard_met),
        met=counts[MET],
        planned=counts[PLANNED],
        missed=counts[MISSED],
        gap_ahead=counts[GAP_AHEAD],
        awaiting_outcome=counts[AWAITING_OUTCOME],
        unconfirmed=counts[UNCONFIRMED],
        scheduled=counts[SCHEDULED],
    )


def _area(code: str, name: str, items: Sequence[_WardStates]) -> AreaSummary:
    counts: Counter[str] = Counter()
    ward_weeks = standard_met = 0
    for item in items:
        ward_weeks += len(item.states) - item.states.count(NOT_IN_USE)
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
        awaiting_outcome=counts[AWAITING_OUTCOME],
        unconfirmed=counts[UNCONFIRMED],
        too_few_officers=sum(1 for i in items if i.too_few_officers),
    )


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
    ward_list = list(wards.select_related("borough").order_by("borough__name", "name"))
    slots: dict[tuple[int, dt.date], list[rules.Slot]] = defaultdict(list)
    rows = ContactSession.objects.filter(ward__in=[w.pk for w in ward_list], status__in=rules.COUNTED_STATUSES).between(
        this_week_start, end
    )
    for pk, ward_id, start, finish, status, held, mode in rows.values_list(
        "pk", "ward_id", "start", "end", "status", "outcome__held", "attendance_mode"
    ):
        # A session this week recorded as not held covers nothing: the week needs another.
        slot = rules.Slot(ward_id, start, finish, status, None, pk, frozenset(), held, mode)
        slots[ward_id, slot.week].append(slot)
    london_wide = week_selectors.london_exempt_weeks()
    exempt: defaultdict[int, set[dt.date]] = defaultdict(lambda: set(london_wide))
    for ward_id, week in WeekExemption.objects.filter(
        ward__in=[w.pk for w in ward_list], status=ExemptionStatus.AGREED, week_start__in=week_starts
    ).values_list("ward_id", "week_start"):
        exempt[ward_id].add(week)
    found = []
    for ward in ward_list:
        # The Standard minimum, whatever the ward: a week without one approved hour.
        missing = tuple(
            week
            for week in week_starts
            if rules.standard_week_status(rules.tally(slots[ward.pk, week]), exempt=week in exempt[ward.pk])
            not in (rules.WeekStatus.MET, rules.WeekStatus.EXEMPT)
        )
        if missing:
            ahead = [s for week in week_starts for s in slots[ward.pk, week] if s.end >= now]
            planned = rules.tally(ahead).planned
            found.append(LookAheadRow(ward.pk, ward.code, ward.name, ward.borough.name, missing, planned))
    return found
