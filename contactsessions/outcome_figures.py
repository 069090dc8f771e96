"""What happened at sessions: which ended with no outcome recorded, and the outcome
figures (held, people met, nobody came, crimes reported, advice given, property marked,
people signposted) by format, venue kind, day of week and time of day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.db.models.lookups import LessThan
from django.utils import timezone

from contactsessions.models import (
    ABSTRACTIONS,
    ContactSession,
    EnhancedDesignation,
    NotHeldCategory,
    SessionFormat,
    SessionOutcome,
)
from contactsessions.rules import LONDON
from venues.models import VenueKind
from wards.models import Ward


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


def sessions_outcome_overdue(*, today: dt.date | None = None) -> QuerySet[ContactSession]:
    """Approved sessions with no outcome in weeks whose outcomes are overdue
    (``settings.OUTCOME_GRACE_DAYS`` after the week ended): each leaves its week
    unconfirmed. All London, oldest first."""
    from django.conf import settings

    from contactsessions import rules

    today = today or timezone.localdate()
    before = rules.outcomes_overdue_before(today=today, grace_days=settings.OUTCOME_GRACE_DAYS)
    return (
        ContactSession.objects.approved()
        .filter(start__lt=before, outcome__isnull=True)
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
    advice_given: int = 0
    property_marked: int = 0
    signposted: int = 0

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
    by_day: list[OutcomeRow]
    by_time: list[OutcomeRow]


_HELD = Q(held=True)

# Days as ISO numbers them (Monday 1 to Sunday 7), and the parts of a day by the hour a
# session starts, London time: morning before noon, afternoon before 5 pm, then evening.
DAYS = [
    (str(n), name)
    for n, name in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), 1)
]
TIMES_OF_DAY = [
    ("morning", "Morning (before 12 noon)"),
    ("afternoon", "Afternoon (12 noon to 5 pm)"),
    ("evening", "Evening (from 5 pm)"),
]
AFTERNOON_FROM, EVENING_FROM = 12, 17


def _day_and_time() -> dict:
    """Annotations naming the London day of week and time of day each session starts."""
    hour = ExtractHour("session__start", tzinfo=LONDON)
    return {
        "day": ExtractIsoWeekDay("session__start", tzinfo=LONDON),
        "time": Case(
            When(LessThan(hour, AFTERNOON_FROM), then=Value("morning")),
            When(LessThan(hour, EVENING_FROM), then=Value("afternoon")),
            default=Value("evening"),
        ),
    }


def _outcome_aggregates() -> dict:
    return {
        "recorded": Count("pk"),
        "held_n": Count("pk", filter=_HELD),
        "attendance_sum": Sum("attendance", filter=_HELD, default=0),
        "average": Avg("attendance", filter=_HELD),
        "nobody": Count("pk", filter=_HELD & Q(attendance=0)),
        "crimes": Sum("crimes_reported", default=0),
        "advice": Sum("advice_given", default=0),
        "marked": Sum("property_marked", default=0),
        "signposted": Sum("signposted", default=0),
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
        advice_given=data.get("advice", 0) or 0,
        property_marked=data.get("marked", 0) or 0,
        signposted=data.get("signposted", 0) or 0,
    )


def _grouped(outcomes: QuerySet[SessionOutcome], key: str) -> dict:
    """The aggregates of ``outcomes`` for each value of ``key``, keyed by it as text."""
    return {str(r[key]): r for r in outcomes.values(key).annotate(**_outcome_aggregates())}


def summarise_outcomes(*, wards: QuerySet[Ward], start: dt.datetime, end: dt.datetime) -> OutcomeSummary:
    """Sessions held, people met and what they came for, overall, by format, by venue kind,
    by day of week and by time of day (both London time): five grouped queries.

    Covers outcomes of sessions starting in [start, end) in ``wards``. Averages are over held sessions.
    """
    outcomes = SessionOutcome.objects.filter(
        session__ward__in=wards, session__start__gte=start, session__start__lt=end
    ).annotate(**_day_and_time())
    total = outcomes.aggregate(**_outcome_aggregates())
    groups = {k: _grouped(outcomes, k) for k in ("session__format", "session__venue__kind", "day", "time")}

    def rows(key: str, choices) -> list[OutcomeRow]:
        return [_row(v, label, groups[key][v]) for v, label in choices if v in groups[key]]

    # Online-only sessions have no venue, so no kind: their row is keyed "online".
    by_venue_kind = rows("session__venue__kind", VenueKind.choices)
    if "None" in groups["session__venue__kind"]:
        by_venue_kind.append(_row("online", "Online only (no venue)", groups["session__venue__kind"]["None"]))

    return OutcomeSummary(
        total=_row("all", "All sessions", total),
        by_format=rows("session__format", SessionFormat.choices),
        by_venue_kind=by_venue_kind,
        by_day=rows("day", DAYS),
        by_time=rows("time", TIMES_OF_DAY),
    )


# --- the abstraction log: sessions not held, by why -------------------------------------


@dataclass(frozen=True)
class NotHeldRow:
    """An area (a borough, or a ward within one) and its sessions not held by category."""

    code: str
    name: str
    by_category: tuple[int, ...]  # in the order of NotHeldCategory

    @property
    def total(self) -> int:
        return sum(self.by_category)

    @property
    def abstracted(self) -> int:
        """Sessions lost because the DWOs were taken away from the ward."""
        return sum(n for n, c in zip(self.by_category, NotHeldCategory.values, strict=True) if c in ABSTRACTIONS)


@dataclass
class AbstractionLog:
    categories: list[tuple[str, str]]  # (value, label) in column order
    total: NotHeldRow
    areas: list[NotHeldRow]
    sessions: QuerySet[ContactSession]  # every session not held, newest first


def abstraction_log(
    *, wards: QuerySet[Ward], start: dt.datetime, end: dt.datetime, by_ward: bool = False
) -> AbstractionLog:
    """Sessions recorded as not held in ``wards`` that started in [start, end), counted by
    category for each borough (or, ``by_ward``, each ward) and in all: one grouped query.
    Outcomes recorded before categories existed are filed as "other" by the migration."""
    outcomes = SessionOutcome.objects.filter(
        held=False, session__ward__in=wards, session__start__gte=start, session__start__lt=end
    )
    key = ("session__ward__code", "session__ward__name") if by_ward else (
        "session__ward__borough__code",
        "session__ward__borough__name",
    )  # fmt: skip
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for code, name, category, n in (
        outcomes.values(*key, "not_held_category").annotate(n=Count("pk")).values_list(*key, "not_held_category", "n")
    ):
        counts.setdefault((code, name), {})[category] = n
    values = NotHeldCategory.values

    def row(code: str, name: str, found: dict[str, int]) -> NotHeldRow:
        return NotHeldRow(code, name, tuple(found.get(v, 0) for v in values))

    areas = [row(code, name, found) for (code, name), found in sorted(counts.items(), key=lambda i: i[0][1])]
    total = {v: sum(a.get(v, 0) for a in counts.values()) for v in values}
    sessions = (
        ContactSession.objects.filter(outcome__in=outcomes)
        .select_related("ward__borough", "venue", "outcome")
        .order_by("-start")
    )
    return AbstractionLog(
        categories=list(NotHeldCategory.choices), total=row("", "All", total), areas=areas, sessions=sessions
    )


# --- the Enhanced trial: each site against the Standard wards of its borough ------------

TRIAL_MONTHS = 6  # "we will trial this enhancement for six months to ascertain community interest"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (earlier if negative), or the month's
    last day when it has fewer days."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    first = dt.date(year, month + 1, 1)
    last = ((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)).day
    return first.replace(day=min(day.day, last))


def trial_period(designation: EnhancedDesignation) -> tuple[dt.date, dt.date]:
    """The trial's start and review dates: as recorded, else from coming into force for six months."""
    start = designation.trial_starts_on or designation.in_force_from
    return start, designation.trial_review_on or add_months(start, TRIAL_MONTHS)


@dataclass(frozen=True)
class TrialFigures:
    """Sessions planned (approved and ended) and held, people met and what they came for;
    for the Standard wards, the average per ward."""

    planned: float
    held: float
    people_met: float
    crimes_reported: float
    advice_given: float
    property_marked: float
    signposted: float

    @classmethod
    def of(cls, data: dict, *, per: int = 1) -> TrialFigures:
        return cls(*(round((data.get(f) or 0) / per, 1) if per else 0.0 for f in TRIAL_FIELDS))


TRIAL_FIELDS = ("planned", "held", "people_met", "crimes_reported", "advice_given", "property_marked", "signposted")


@dataclass(frozen=True)
class TrialComparison:
    designation: EnhancedDesignation
    starts_on: dt.date
    review_on: dt.date
    until: dt.date  # counted up to: the review date, or today while the trial runs
    site: TrialFigures
    standard: TrialFigures  # per Standard ward
    standard_wards: int


def _trial_aggregates(on: Q) -> dict:
    held = on & Q(outcome__held=True)
    return {
        "planned": Count("pk", filter=on),
        "held": Count("pk", filter=held),
        "people_met": Sum("outcome__attendance", filter=held, default=0),
        **{f: Sum(f"outcome__{f}", filter=held, default=0) for f in TRIAL_FIELDS[3:]},
    }


def enhanced_trial(*, boroughs=None, now: dt.datetime | None = None) -> list[TrialComparison]:
    """Each Enhanced site (in ``boroughs``, ids, if given) against the Standard wards of its
    borough (current wards with no designation) over its trial, up to now: one aggregate
    query per site for the site and its Standard wards side by side, and one counting those wards.
    Planned means approved sessions that have ended; held, those whose outcome says so."""
    now = now or timezone.now()
    designations = EnhancedDesignation.objects.filter(ward__is_current=True).select_related("ward__borough", "venue")
    if boroughs is not None:
        designations = designations.filter(ward__borough__in=boroughs)
    comparisons = []
    for designation in designations:
        starts_on, review_on = trial_period(designation)
        start = dt.datetime.combine(starts_on, dt.time(0), tzinfo=LONDON)
        end = min(now, dt.datetime.combine(review_on, dt.time(0), tzinfo=LONDON))
        standard = Ward.objects.current().filter(borough=designation.ward.borough_id, enhanced_designation__isnull=True)
        site_q, standard_q = Q(ward=designation.ward_id), Q(ward__in=standard)
        figures = (
            ContactSession.objects.approved()
            .filter(start__gte=start, end__lte=end)
            .aggregate(
                **{f"site_{k}": v for k, v in _trial_aggregates(site_q).items()},
                **{f"std_{k}": v for k, v in _trial_aggregates(standard_q).items()},
            )
        )
        n = standard.count()
        comparisons.append(
            TrialComparison(
                designation=designation,
                starts_on=starts_on,
                review_on=review_on,
                until=min(review_on, timezone.localtime(now).date()),
                site=TrialFigures.of({f: figures[f"site_{f}"] for f in TRIAL_FIELDS}),
                standard=TrialFigures.of({f: figures[f"std_{f}"] for f in TRIAL_FIELDS}, per=n),
                standard_wards=n,
            )
        )
    return comparisons
