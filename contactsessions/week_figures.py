"""What a compliance report holds: each ward-week's state, the totals by week, borough and
London, and the columns of the week-by-week tables.

:mod:`contactsessions.compliance` computes them; the monitoring pages, their CSV exports
and the ``compliance_report`` command read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from contactsessions import rules

# What a cell of the grid shows: ``rules.WeekState``, decided by ``rules.week_state``.
# A week that is over is met only by sessions held; gaps still ahead can be filled.
MET = rules.WeekState.MET
AWAITING_OUTCOME = rules.WeekState.AWAITING_OUTCOME
UNCONFIRMED = rules.WeekState.UNCONFIRMED
MISSED = rules.WeekState.MISSED
SCHEDULED = rules.WeekState.SCHEDULED
PLANNED = rules.WeekState.PLANNED
GAP_AHEAD = rules.WeekState.GAP_AHEAD
EXEMPT = rules.WeekState.EXEMPT
NOT_REQUIRED = rules.WeekState.NOT_REQUIRED
# A week in which the app did not run on the ward: before a boundary change made it, or after
# one redrew it. Not counted anywhere, so London's and the boroughs' totals run on unbroken.
NOT_IN_USE = "not_in_use"

DISPLAY: dict[str, tuple[str, str]] = {
    MET: ("✓", "Met"),
    AWAITING_OUTCOME: ("?", "Awaiting outcome"),
    UNCONFIRMED: ("??", "Unconfirmed: outcome overdue"),
    MISSED: ("✗", "Missed"),
    SCHEDULED: ("○", "Approved, to come"),
    PLANNED: ("…", "Planned, not yet approved"),
    GAP_AHEAD: ("!", "Gap ahead"),
    EXEMPT: ("E", "Exempt"),
    NOT_REQUIRED: ("–", "Not required"),
    NOT_IN_USE: ("·", "Ward not in use (boundaries changed)"),
}

# --- result types shared by views, exports and the management command ----------------


class WardWeek:
    """One ward's week: its state, and the rules' result it came from.

    A plain class with ``__slots__``: a 52-week London view builds 33,000 of them,
    and the reason text is only put together when a page or export asks for it.
    """

    __slots__ = ("result", "state", "standard_met")

    def __init__(self, result: rules.WeekResult, state: str, standard_met: bool) -> None:
        self.result = result
        self.state = state  # a rules.WeekState
        self.standard_met = standard_met  # at least one hour held, even in an Enhanced ward

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
    def held_count(self) -> int:
        return self.result.held_count

    @property
    def unrecorded_count(self) -> int:
        return self.result.unrecorded_count

    @property
    def reason(self) -> str:
        result = self.result
        needed = f"{result.needed} session{'s' if result.needed != 1 else ''}"
        if self.state == MET:
            return f"{result.held_count} held of the {needed} needed."
        if self.state == EXEMPT:
            return "This week is exempt: no session was needed."
        if self.state in (AWAITING_OUTCOME, UNCONFIRMED):
            waiting = (
                f"{result.held_count} of the {needed} needed recorded as held; "
                f"{result.unrecorded_count} approved session{'s' if result.unrecorded_count != 1 else ''} "
                "still without an outcome."
            )
            if self.state == UNCONFIRMED:
                return f"{waiting} The outcome is overdue, so nobody has confirmed the week was delivered."
            return waiting
        if self.state == MISSED:
            held = f"{result.held_count} of the {needed} needed held."
            details = " ".join(v.message for v in result.violations)
            return f"The week is over and the commitment was not met: {held} {details}".strip()
        if self.state == SCHEDULED:
            return "Approved; still to be held."
        if self.state == NOT_IN_USE:
            return "The ward was not in use this week: the ward boundaries changed."
        return result.reason

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

    @property
    def awaiting_outcome(self) -> int:
        return self.count(AWAITING_OUTCOME) + self.count(UNCONFIRMED)


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
    awaiting_outcome: int = 0
    unconfirmed: int = 0
    scheduled: int = 0

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
    awaiting_outcome: int = 0
    unconfirmed: int = 0

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
    borough_weeks: dict[str, list[WeekSummary]] = field(default_factory=dict)  # by borough code, when asked

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
# "met" counts weeks held; the states after it were added with outcomes, at the end so
# readers of the older columns keep finding them where they were.
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
    "awaiting_outcome",
    "unconfirmed",
    "scheduled",
]


def week_row(week: WeekSummary) -> list:
    return [getattr(week, column) for column in WEEK_COLUMNS]


def percent(share: float | None) -> str:
    return "n/a" if share is None else f"{round(share * 100)}%"


# --- sorting ---------------------------------------------------------------------------------


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
