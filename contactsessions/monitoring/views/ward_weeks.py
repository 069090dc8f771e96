"""A ward's weeks as its monitoring page shows them: approved, held and counted apart.

The rules count a session towards its week only if it lasts an hour, was not recorded as
not held and, in an Enhanced ward, is at the fixed venue (``rules.counts`` and
``rules.check_week``). So an approved session can be approved, even held, and still not
count; its week's violations say why. The London page's SQL tallies are not touched:
only the ward page, which has every session of its weeks, shows them apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from contactsessions import rules, week_figures
from contactsessions.lib.csvexport import Column
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.monitoring.views.common import GRID_COLUMNS

# The rules' codes for a session that is in the week but does not count towards it.
NOT_COUNTED_CODES = frozenset(
    {
        rules.Code.SESSION_TOO_SHORT,
        rules.Code.SESSION_NOT_HELD,
        rules.Code.SESSION_ENDS_BEFORE_START,
        rules.Code.ENHANCED_OFF_VENUE,
        rules.Code.SESSION_ONLINE_ONLY,
        rules.Code.ENHANCED_ONLINE,
    }
)


class WardWeekRow(NamedTuple):
    """One week of the ward page. Has ``ward`` and ``week`` like ``common.GridRow``, so
    the grid's CSV columns read it too."""

    ward: week_figures.WardCompliance
    week: week_figures.WardWeek
    approved: int  # approved sessions starting in the week, whether they count or not
    held: int  # of those, recorded as held
    not_counted: tuple[str, ...]  # why approved sessions do not count, in the rules' words

    @property
    def counted(self) -> int:
        """Approved sessions that count towards the week: held, or with no outcome yet."""
        return self.week.approved_count


def not_counted_reasons(item: week_figures.WardCompliance) -> dict[int, str]:
    """Each session that does not count towards its week, by id, with the rules' reasons."""
    found: dict[int, list[str]] = defaultdict(list)
    for week in item.weeks:
        for violation in week.violations:
            if violation.code in NOT_COUNTED_CODES and violation.session_id is not None:
                found[violation.session_id].append(violation.message)
    return {pk: " ".join(messages) for pk, messages in found.items()}


def _held(session: ContactSession) -> bool:
    return bool(getattr(getattr(session, "outcome", None), "held", False))


def ward_week_rows(
    item: week_figures.WardCompliance, sessions: Iterable[ContactSession], reasons: dict[int, str]
) -> list[WardWeekRow]:
    """The ward's weeks with their approved and held sessions counted from ``sessions``
    (any state, every week shown) and the reasons approved ones do not count."""
    approved: Counter[dt.date] = Counter()
    held: Counter[dt.date] = Counter()
    why: dict[dt.date, list[str]] = defaultdict(list)
    for session in sessions:
        if session.status != SessionStatus.APPROVED:
            continue
        week = rules.week_start_of(session.start)
        approved[week] += 1
        held[week] += _held(session)
        if session.pk in reasons:
            why[week].append(reasons[session.pk])
    return [
        WardWeekRow(item, w, approved[w.week_start], held[w.week_start], tuple(why[w.week_start])) for w in item.weeks
    ]


# ?export=weeks on a ward's page: the grid's columns, then (added later, at the end) the
# approved sessions whether or not they count, those held, those counted, and why not.
WARD_WEEK_COLUMNS = [
    *GRID_COLUMNS,
    Column("approved_sessions", lambda r: r.approved),
    Column("approved_held", lambda r: r.held),
    Column("counted", lambda r: r.counted),
    Column("not_counted_reason", lambda r: " ".join(r.not_counted)),
]
