"""The database read for the rules: sessions as ``rules.Slot``, what each ward must hold
(``rules.WardRequirement``), and the Standard weeks counted in SQL for all London at once.

Week statuses always come from ``rules``; this module only fetches, in one query per page.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from contactsessions import rules
from contactsessions.models import (
    ContactSession,
    EnhancedDesignation,
    ExemptionStatus,
    LondonExemptPeriod,
    SessionOutcome,
    WeekExemption,
)
from wards.models import Ward, WardAssignment

WEEKS_AHEAD = 8


_OUTCOME = ContactSession.outcome.related


def to_slot(session: ContactSession, *, status: str | None = None) -> rules.Slot:
    """The session as the rules see it. The approved version counts while a change is pending.

    Its outcome (held or not) is read only when the session was fetched with
    ``select_related("outcome")``; otherwise it counts as not yet recorded, which is
    right for the sessions still ahead that proposals and decisions check.
    """
    held = None
    if _OUTCOME.is_cached(session):
        outcome = cast("SessionOutcome | None", _OUTCOME.get_cached_value(session))
        held = None if outcome is None else outcome.held
    return rules.Slot(
        ward_id=session.ward_id,
        start=session.start,
        end=session.end,
        status=status or session.status,
        venue_id=session.venue_id,
        session_id=session.pk,
        held=held,
        mode=session.attendance_mode,
    )


def london_exempt_weeks() -> frozenset[dt.date]:
    """Every week a London-wide exempt period covers (one small query): exempt in every ward."""
    weeks: set[dt.date] = set()
    for period in LondonExemptPeriod.objects.only("first_week", "last_week"):
        weeks.update(period.week_starts)
    return frozenset(weeks)


class _Queries(NamedTuple):
    designations: QuerySet  # each Enhanced designation with its fixed slots, one row a slot
    agreed: QuerySet  # (ward, week, week) of each agreed exemption
    periods: QuerySet  # (None, first week, last week) of each London-wide exempt period


@functools.cache
def _queries() -> _Queries:
    """:func:`requirements_for`'s queries short of their wards, built once a process and never
    run themselves (each call filters a copy): setting up a query's joins costs about as much
    CPU as running one of these (issue 19, round six)."""
    return _Queries(
        designations=EnhancedDesignation.objects.order_by("ward_id", "slots__weekday", "slots__start_time").values_list(
            "ward_id", "venue_id", "in_force_from", "slots__weekday", "slots__start_time", "slots__end_time"
        ),
        agreed=WeekExemption.objects.filter(status=ExemptionStatus.AGREED)
        .order_by()
        .values_list("ward_id", "week_start", "week_start"),
        periods=LondonExemptPeriod.objects.order_by().values_list(
            Value(None, output_field=IntegerField()), "first_week", "last_week"
        ),
    )


def requirements_for(
    wards: Sequence[Ward] | Sequence[int],
    *,
    today: dt.date | None = None,
    ward_ids: QuerySet | Sequence[int] | None = None,
    london_wide: frozenset[dt.date] | None = None,
    officers: bool = True,
) -> dict[int, rules.WardRequirement]:
    """What each ward (a ``Ward`` or its id) must hold, in three queries for any number of
    wards. Its exempt weeks are its agreed exemptions and the London-wide exempt periods.

    ``officers=False`` leaves out counting each ward's officers (one query fewer), leaving
    ``officer_count`` at its default: only for :func:`rules.week_status_of`, which a week's
    status does not depend on (tests hold it so); never for ``check_week``'s violations.

    ``ward_ids``, a subquery selecting the same wards, saves binding hundreds of ids;
    ``london_wide``, :func:`london_exempt_weeks` if the caller has read them already.
    """
    today = today or timezone.localdate()
    pks = [w if isinstance(w, int) else w.pk for w in wards]
    ward_ids = ward_ids if ward_ids is not None else pks
    # Each Enhanced designation (one a ward at most) with its fixed slots, one row a slot.
    designations: dict[int, tuple[int | None, dt.date | None]] = {}
    fixed: dict[int, list[rules.FixedSlot]] = {}
    for ward_id, venue_id, in_force_from, weekday, start, end in _queries().designations.filter(ward_id__in=ward_ids):
        designations[ward_id] = (venue_id, in_force_from)
        if weekday is not None:
            fixed.setdefault(ward_id, []).append(rules.FixedSlot(weekday, start, end))
    exempt: dict[int, set[dt.date]] = {}
    agreed = _queries().agreed.filter(ward_id__in=ward_ids)
    if london_wide is None:
        # The London-wide periods come in the same query as the wards' agreed weeks, as rows
        # of no ward (one round trip fewer: issue 19, round six).
        weeks: set[dt.date] = set()
        for ward_id, first, last in agreed.union(_queries().periods, all=True):
            if ward_id is None:
                weeks.update(LondonExemptPeriod(first_week=first, last_week=last).week_starts)
            else:
                exempt.setdefault(ward_id, set()).add(first)
        london_wide = frozenset(weeks)
    else:
        for ward_id, week, _ in agreed:
            exempt.setdefault(ward_id, set()).add(week)
    counts = (
        dict(
            WardAssignment.objects.active_on(today)
            .filter(ward_id__in=ward_ids)
            .order_by()  # the default ordering's joins (to the ward's borough) are no use here
            .values("ward_id")
            .annotate(n=Count("officer", distinct=True))
            .values_list("ward_id", "n")
        )
        if officers
        else None
    )
    result = {}
    for pk in pks:
        fixed_venue_id, enhanced_from = designations.get(pk, (None, None))
        result[pk] = rules.WardRequirement(
            ward_id=pk,
            enhanced=pk in designations,
            fixed_venue_id=fixed_venue_id,
            fixed_slots=tuple(fixed.get(pk, ())),
            enhanced_from=enhanced_from,
            officer_count=counts.get(pk, 0) if counts is not None else rules.MIN_OFFICERS_PER_WARD,
            # One set shared by every ward with no exemption of its own.
            exempt_weeks=london_wide | exempt[pk] if pk in exempt else london_wide,
        )
    return result


def counted_slots(
    ward_ids: QuerySet | Sequence[int], week_starts: Sequence[dt.date], *, few: bool = False
) -> dict[int, list[rules.Slot]]:
    """Each ward's sessions in the weeks that may count (:data:`rules.COUNTED_STATUSES`), as
    slots with their outcome, in one query. ``few``: for a handful of wards, each session's
    outcome is looked up by its key; joining all outcomes made PostgreSQL read the whole
    outcomes table (87,000 rows, 20 ms) for the 500 sessions of London's Enhanced wards."""
    start, end = rules.week_bounds(min(week_starts))[0], rules.week_bounds(max(week_starts))[1]
    sessions = ContactSession.objects.filter(ward__in=ward_ids, status__in=rules.COUNTED_STATUSES).between(start, end)
    if few:
        held = SessionOutcome.objects.filter(session=OuterRef("pk")).values("held")
        sessions = sessions.annotate(outcome_held=Subquery(held, output_field=BooleanField()))
    else:
        sessions = sessions.annotate(outcome_held=F("outcome__held"))
    fields = ("pk", "ward_id", "venue_id", "start", "end", "status", "outcome_held", "attendance_mode")
    rows = sessions.values_list(*fields)
    slots: dict[int, list[rules.Slot]] = defaultdict(list)
    no_officers: frozenset[int] = frozenset()
    for pk, ward_id, venue_id, start, end, status, held, mode in rows:
        # Positional: this runs for every session in the range.
        slots[ward_id].append(rules.Slot(ward_id, start, end, status, venue_id, pk, no_officers, held, mode))
    return slots


def week_tallies(ward_ids: QuerySet | Sequence[int], week_starts: Sequence[dt.date]) -> dict[int, dict]:
    """Each ward's :class:`rules.WeekTally` for the weeks in ``week_starts`` that hold
    any session that counts, as ``{ward_id: {week_start: tally}}``, in one query
    (:func:`week_tally_rows`)."""
    week_starts = sorted(week_starts)
    tallies: dict[int, dict[dt.date, rules.WeekTally]] = {}
    for ward_id, week, approved, planned, held, unrecorded in week_tally_rows(ward_ids, week_starts):
        tallies.setdefault(ward_id, {})[week_starts[week]] = rules.WeekTally(approved, planned, held, unrecorded)
    return tallies


def week_tally_rows(ward_ids: QuerySet | Sequence[int], week_starts: Sequence[dt.date]) -> list[tuple[int, ...]]:
    """Each ward's tally of each of ``week_starts`` (sorted) that holds any session that
    counts, as rows of ``(ward_id, index of the week, approved, planned, held, unrecorded)``.

    :func:`rules.tally` in SQL: the database does the counting, so a London year is
    30,000 sessions summed where they are stored rather than read out one by one. Every
    part of it comes from :mod:`rules`: a session counts (:func:`rules.counts`) when its
    status is one of :data:`rules.COUNTED_STATUSES`, its mode one of
    :data:`rules.COUNTED_MODES` (online-only sessions never count) and it lasts at least
    :data:`rules.MIN_SESSION` of real time; it is tallied as approved when it is
    :data:`rules.APPROVED` and as planned when it is one of :data:`rules.PLANNED_STATUSES`;
    an approved one is tallied as held when its outcome says so and as unrecorded when it
    has no outcome, and a session whose outcome says it was not held does not count at all;
    it is placed in its week by comparing its start with the bounds :func:`rules.week_bounds`
    gives (London weeks, whatever the clocks do). Tests hold the tallies equal to
    :func:`rules.tally` and the statuses to :func:`rules.check_week`.
    """
    week_starts = sorted(week_starts)
    bounds = [rules.week_bounds(week) for week in week_starts]
    week_index = _week_index([end for _, end in bounds])
    query = (
        ContactSession.objects.filter(
            ward__in=ward_ids, status__in=rules.COUNTED_STATUSES, attendance_mode__in=rules.COUNTED_MODES
        )
        .between(bounds[0][0], bounds[-1][1])
        .alias(length=ExpressionWrapper(F("end") - F("start"), output_field=DurationField()))
        .filter(length__gte=rules.MIN_SESSION)
        # One outcome at most per session (a one-to-one), so the outer join adds no rows.
        .filter(Q(outcome__isnull=True) | Q(outcome__held=True))
        .annotate(week=week_index)
        .values("ward_id", "week")
        .annotate(
            approved=Count("pk", filter=Q(status=rules.APPROVED)),
            planned=Count("pk", filter=Q(status__in=rules.PLANNED_STATUSES)),
            held=Count("pk", filter=Q(status=rules.APPROVED, outcome__held=True)),
            unrecorded=Count("pk", filter=Q(status=rules.APPROVED, outcome__isnull=True)),
        )
        .values_list("ward_id", "week", "approved", "planned", "held", "unrecorded")
        .order_by()
        .query
    )
    # Every column is an integer on every database, so the rows are read as they come,
    # without the ORM's per-value converters (most of the cost for 30,000 rows).
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _week_index(ends: list[dt.datetime]) -> RawSQL:
    """The index of the week a session starts in (the first week whose end is after its start),
    given each week's end, sorted: a CASE that halves the weeks at each step, so a row is
    placed in log2(weeks) comparisons rather than up to one a week, and a single expression,
    which the ORM compiles in microseconds where 52 ``When`` clauses took milliseconds. The
    query's range filter keeps sessions outside the weeks out."""
    column = f"{connection.ops.quote_name(ContactSession._meta.db_table)}.{connection.ops.quote_name('start')}"
    start_field = ContactSession._meta.get_field("start")
    params: list = []

    def pick(first: int, last: int) -> str:  # the weeks first..last inclusive
        if first == last:
            return str(first)
        middle = (first + last) // 2
        params.append(start_field.get_db_prep_value(ends[middle], connection))
        return f"CASE WHEN {column} < %s THEN {pick(first, middle)} ELSE {pick(middle + 1, last)} END"

    # Only quoted names and integer literals are written into the SQL; the bounds are parameters.
    return RawSQL(pick(0, len(ends) - 1), params, output_field=IntegerField())  # noqa: S611  # nosec B611


def _window(first_week: dt.date, count: int) -> tuple[list[dt.date], dt.datetime, dt.datetime]:
    week_starts = rules.weeks(first_week, count)
    start, _ = rules.week_bounds(week_starts[0])
    _, end = rules.week_bounds(week_starts[-1])
    return week_starts, start, end


@dataclass
class WardWeeks:
    ward: Ward
    weeks: list[tuple[rules.WeekResult, list[ContactSession]]]


def ward_weeks(
    *, wards: Iterable[Ward], first_week: dt.date | None = None, count: int = WEEKS_AHEAD
) -> list[WardWeeks]:
    """Each ward's next ``count`` weeks with their rule status and sessions (one session query)."""
    wards = list(wards)
    if not wards:
        return []
    first_week = rules.week_start_of(first_week or timezone.localdate())
    week_starts, start, end = _window(first_week, count)
    sessions = list(
        ContactSession.objects.filter(ward__in=wards, status__in=rules.COUNTED_STATUSES)
        .between(start, end)
        .select_related("venue", "outcome")
        .order_by("start")
    )
    requirements = requirements_for(wards)
    by_pk = {s.pk: s for s in sessions}
    slots_by_ward: dict[int, list[rules.Slot]] = {}
    for session in sessions:
        slots_by_ward.setdefault(session.ward_id, []).append(to_slot(session))
    result = []
    for ward in wards:
        results = rules.check_weeks(
            ward=requirements[ward.pk], slots=slots_by_ward.get(ward.pk, []), week_starts=week_starts
        )
        weeks = [(week, [by_pk[pk] for pk in week.session_ids]) for week in results]
        result.append(WardWeeks(ward=ward, weeks=weeks))
    return result
