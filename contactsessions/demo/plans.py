"""Each ward's demo weeks: which sessions, in which states, with which outcomes and comments."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from contactsessions.attendance import AttendanceMode
from contactsessions.demo.catalogue import (
    CANCELLED,
    COMMENTS,
    DESCRIPTION,
    ENHANCED_WARD,
    EXEMPTIONS,
    FORMATS,
    MAIN_WARD,
    NOT_HELD,
    NOTES,
    REJECTED,
    RETURNED,
    Size,
)
from contactsessions.models import (
    CommentKind,
    ContactSession,
    EnhancedDesignation,
    ExemptionStatus,
    SessionComment,
    SessionFormat,
    SessionKind,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from contactsessions.rules import LONDON
from venues.models import Venue
from wards.models import Officer, Ward


@dataclass
class Plan:
    """One session to make, with what goes with it."""

    session: ContactSession
    officers: list[Officer]
    outcome: SessionOutcome | None = None
    comments: list[SessionComment] = field(default_factory=list)


@dataclass(frozen=True)
class Character:
    """How a ward's team works: how reliably it holds its session, records outcomes, draws a crowd."""

    reliability: float
    recording: float
    crowd: float
    weekday: int
    hour: int
    venue: int


def _character(rng: random.Random, venues: int) -> Character:
    return Character(
        reliability=rng.choices([0.99, 0.95, 0.85, 0.65], weights=[55, 28, 12, 5])[0],
        recording=rng.choices([0.97, 0.85, 0.6], weights=[60, 30, 10])[0],
        crowd=rng.uniform(2, 12),
        weekday=rng.randrange(6),
        hour=rng.choice([10, 11, 14, 15, 18]),
        venue=rng.randrange(max(venues, 1)),
    )


def plan_ward(
    rng: random.Random,
    *,
    ward: Ward,
    officers: list[Officer],
    snb: Any,
    panel: Any,
    venues: list[Venue],
    designation: EnhancedDesignation | None,
    this_week: dt.date,
    size: Size,
    now: dt.datetime,
) -> tuple[list[Plan], list[WeekExemption]]:
    who = _character(rng, len(venues))
    plans: list[Plan] = []
    exemptions: list[WeekExemption] = []
    slots = list(designation.slots.all()) if designation else []
    for offset in range(-size.weeks, size.ahead):
        week = this_week + dt.timedelta(weeks=offset)
        author = officers[0].user if ward.code in (MAIN_WARD, ENHANCED_WARD) else rng.choice(officers[:2]).user
        story = _story(ward.code, offset)
        if designation and week >= designation.in_force_from:
            for slot in slots:
                start = dt.datetime.combine(week + dt.timedelta(days=slot.weekday), slot.start_time, tzinfo=LONDON)
                end = dt.datetime.combine(start.date(), slot.end_time, tzinfo=LONDON)
                status = story or _status(rng, offset, (1 + who.reliability) / 2)
                plans.append(
                    _session(rng, ward, designation.venue, start, end, SessionFormat.SURGERY, SessionKind.ENHANCED,
                             status, author, officers, snb, panel, who, offset, now)
                )  # fmt: skip
            continue
        if story is None and offset < 0 and rng.random() > who.reliability:
            # A missed week: nothing at all, or a session called off; now and then an exemption.
            if rng.random() < 0.4:
                start, end = _slot(rng, who, week)
                plans.append(
                    _session(rng, ward, venues[who.venue], start, end, rng.choice(FORMATS), SessionKind.STANDARD,
                             SessionStatus.CANCELLED, author, officers, snb, panel, who, offset, now)
                )  # fmt: skip
            elif rng.random() < 0.35:
                exemptions.append(_exemption(rng, ward, week, author, snb, now))
            continue
        if story is None and offset >= 0 and rng.random() < _gap_ahead(offset):
            continue  # not planned yet: a proposal still to make
        if story == "":
            continue
        start, end = _slot(rng, who, week)
        venue = venues[who.venue] if rng.random() < 0.8 else rng.choice(venues)
        status = story or _status(rng, offset, who.reliability)
        fmt = rng.choice(FORMATS)
        plans.append(
            _session(rng, ward, venue, start, end, fmt, SessionKind.STANDARD, status, author, officers, snb, panel,
                     who, offset, now)
        )  # fmt: skip
        if story is None and rng.random() < 0.03:
            # A second proposal the same week, turned down: one session is what the ward needs.
            start, end = _slot(rng, who, week, other=True)
            plans.append(
                _session(rng, ward, rng.choice(venues), start, end, rng.choice(FORMATS), SessionKind.STANDARD,
                         SessionStatus.REJECTED, author, officers, snb, panel, who, offset, now)
            )  # fmt: skip
    if ward.code == MAIN_WARD:
        # The demo DWO has outcomes to record: the last two weeks' sessions have none yet.
        for plan in plans:
            if plan.session.start >= dt.datetime.combine(this_week - dt.timedelta(weeks=2), dt.time(), tzinfo=LONDON):
                plan.outcome = None
        plans += _online_and_hybrid(plans, ward=ward, officers=officers, snb=snb, this_week=this_week, now=now)
    return plans, exemptions


DEMO_JOINING_LINK = "https://meet.demo.invalid/st-pancras-ward-officers"


def _online_and_hybrid(
    plans: list[Plan], *, ward: Ward, officers: list[Officer], snb: Any, this_week: dt.date, now: dt.datetime
) -> list[Plan]:
    """The demo ward's online side, drawing no random numbers (the rest of London stays as it
    was): its sessions next week and the week after are hybrid (an approved one the public can
    join, a proposal the SNB sees), and next week has an extra online-only surgery, which does
    not count towards the week. Returns the extra session's plan."""
    first = dt.datetime.combine(this_week + dt.timedelta(weeks=1), dt.time(), tzinfo=LONDON)
    last = first + dt.timedelta(weeks=2)
    for plan in plans:
        session = plan.session
        if first <= session.start < last and session.status in (SessionStatus.APPROVED, SessionStatus.PROPOSED):
            session.attendance_mode, session.joining_link = AttendanceMode.HYBRID, DEMO_JOINING_LINK
    start = dt.datetime.combine(first.date() + dt.timedelta(days=1), dt.time(19, 30), tzinfo=LONDON)
    online = ContactSession(
        ward=ward,
        venue=None,
        attendance_mode=AttendanceMode.ONLINE,
        joining_link=DEMO_JOINING_LINK,
        start=start,
        end=start + dt.timedelta(hours=1),
        format=SessionFormat.SURGERY,
        kind=SessionKind.STANDARD,
        status=SessionStatus.APPROVED,
        description="An online surgery for anyone who cannot come in person: ask your ward officers anything.",
        created_by=officers[0].user,
        proposed_at=now - dt.timedelta(days=5),
        decided_by=snb,
        decided_at=now - dt.timedelta(days=3),
        version=2,
    )
    return [Plan(session=online, officers=officers[:2])]


def _story(ward_code: str, offset: int) -> str | None:
    """The fixed states of the named demo wards' weeks (None: draw at random; "": no session)."""
    if ward_code == MAIN_WARD:
        if offset < 0:
            return SessionStatus.APPROVED
        return {
            0: SessionStatus.APPROVED,
            1: SessionStatus.APPROVED,
            2: SessionStatus.PROPOSED,
            3: SessionStatus.RETURNED,
            4: SessionStatus.PROPOSED,
            5: SessionStatus.DRAFT,
        }.get(offset, "")
    if ward_code == ENHANCED_WARD and offset >= 0:
        return SessionStatus.APPROVED if offset < 2 else SessionStatus.PROPOSED
    return None


def _gap_ahead(offset: int) -> float:
    """Chance that a week ahead has nothing planned yet: rare this week, common two months out."""
    return 0.01 if offset < 2 else 0.04 if offset < 4 else 0.08 * (offset - 2)


def _status(rng: random.Random, offset: int, reliability: float) -> str:
    roll = rng.random()
    if offset < 0:
        return SessionStatus.APPROVED if roll < 0.985 - (1 - reliability) / 3 else SessionStatus.CANCELLED
    if offset < 2:
        return (
            SessionStatus.APPROVED
            if roll < 0.95
            else SessionStatus.PROPOSED
            if roll < 0.98
            else SessionStatus.CANCELLED
        )
    if offset < 4:
        return (
            SessionStatus.APPROVED if roll < 0.7 else SessionStatus.PROPOSED if roll < 0.92 else SessionStatus.RETURNED
        )
    return (
        SessionStatus.APPROVED
        if roll < 0.3
        else SessionStatus.PROPOSED
        if roll < 0.72
        else SessionStatus.DRAFT
        if roll < 0.86
        else SessionStatus.RETURNED
        if roll < 0.95
        else SessionStatus.REJECTED
    )


def _slot(rng: random.Random, who: Character, week: dt.date, other: bool = False) -> tuple[dt.datetime, dt.datetime]:
    regular = not other and rng.random() < 0.8  # most teams keep a regular slot
    day = week + dt.timedelta(days=who.weekday if regular else rng.randrange(6))
    hour = who.hour if regular else rng.choice([10, 11, 14, 15, 18])
    start = dt.datetime.combine(day, dt.time(hour, 0 if regular else rng.choice([0, 30])), tzinfo=LONDON)
    minutes = rng.choice([60, 60, 60, 90, 120])
    return start, dt.datetime.combine(day, (start + dt.timedelta(minutes=minutes)).time(), tzinfo=LONDON)


def _session(
    rng: random.Random,
    ward: Ward,
    venue: Venue | None,
    start: dt.datetime,
    end: dt.datetime,
    fmt: str,
    kind: str,
    status: str,
    author: Any,
    officers: list[Officer],
    snb: Any,
    panel: Any,
    who: Character,
    offset: int,
    now: dt.datetime,
) -> Plan:
    proposed_at = decided_at = None
    if status != SessionStatus.DRAFT:
        proposed_at = min(
            start - dt.timedelta(days=rng.randrange(14, 36)), now - dt.timedelta(days=rng.randrange(2, 6))
        )
    decided = status in (
        SessionStatus.APPROVED,
        SessionStatus.RETURNED,
        SessionStatus.REJECTED,
        SessionStatus.CANCELLED,
    )
    if decided and proposed_at:
        decided_at = min(proposed_at + dt.timedelta(days=rng.randrange(1, 5), hours=rng.randrange(8)), now)
    session = ContactSession(
        ward=ward,
        venue=venue,
        start=start,
        end=end,
        format=fmt,
        kind=kind,
        status=status,
        description=DESCRIPTION,
        cancellation_reason=rng.choice(CANCELLED) if status == SessionStatus.CANCELLED else "",
        created_by=author,
        proposed_at=proposed_at,
        decided_by=snb if decided else None,
        decided_at=decided_at,
        version=2 if decided else 1,
    )
    plan = Plan(session=session, officers=officers[:2])
    if status == SessionStatus.RETURNED:
        plan.comments.append(
            SessionComment(session=session, author=snb, kind=CommentKind.RETURNED, text=rng.choice(RETURNED))
        )
    elif status == SessionStatus.REJECTED:
        plan.comments.append(
            SessionComment(session=session, author=snb, kind=CommentKind.REJECTED, text=rng.choice(REJECTED))
        )
    elif status == SessionStatus.CANCELLED:
        plan.comments.append(
            SessionComment(session=session, author=author, kind=CommentKind.CANCELLED, text=session.cancellation_reason)
        )
    if status in (SessionStatus.PROPOSED, SessionStatus.RETURNED) and (panel or rng.random() < 0.12):
        plan.comments.append(SessionComment(session=session, author=panel or snb, text=rng.choice(COMMENTS)))
    if status == SessionStatus.APPROVED and end < now and rng.random() < (who.recording if offset < -1 else 0.5):
        plan.outcome = _outcome(rng, session, author, who)
    return plan


def _outcome(rng: random.Random, session: ContactSession, author: Any, who: Character) -> SessionOutcome:
    if rng.random() > 0.94:
        category, reason = rng.choice(NOT_HELD)
        return SessionOutcome(
            session=session, held=False, not_held_category=category, not_held_reason=reason, recorded_by=author
        )
    crowd = who.crowd * (1.6 if session.format in (SessionFormat.CUPPA, SessionFormat.COMMUNITY_EVENT) else 1)
    came = max(0, round(rng.gauss(crowd, crowd / 2)))
    marking = 0.6 if session.format == SessionFormat.PROPERTY_MARKING else 0.15
    return SessionOutcome(
        session=session,
        held=True,
        attendance=came,
        crimes_reported=_binomial(rng, came, 0.12),
        advice_given=_binomial(rng, came, 0.5),
        property_marked=_binomial(rng, came, marking),
        signposted=_binomial(rng, came, 0.15),
        note=rng.choice(NOTES) if rng.random() < 0.1 else "",
        recorded_by=author,
    )


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """Roughly Binomial(n, p), from one normal draw (random.binomialvariate is Python 3.12)."""
    if n <= 0:
        return 0
    return max(0, min(n, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))


def _exemption(rng: random.Random, ward: Ward, week: dt.date, author: Any, snb: Any, now: dt.datetime) -> WeekExemption:
    status = rng.choices([ExemptionStatus.AGREED, ExemptionStatus.PROPOSED, ExemptionStatus.REFUSED], [7, 2, 1])[0]
    decided = status != ExemptionStatus.PROPOSED
    return WeekExemption(
        ward=ward,
        week_start=week,
        reason=rng.choice(EXEMPTIONS),
        status=status,
        proposed_by=author,
        decided_by=snb if decided else None,
        decided_at=min(dt.datetime.combine(week, dt.time(9), tzinfo=LONDON), now) if decided else None,
    )
