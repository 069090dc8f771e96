"""SNB decisions on sessions: approve, return, reject, approve many at once, and the
light-touch approval of proposals nobody objected to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contactsessions import notify, permissions, rules
from contactsessions.events import PublicChange, announce_on_commit
from contactsessions.lib.forms import parse_id, parse_whole_number
from contactsessions.models import (
    CommentKind,
    ContactSession,
    SessionSeries,
    SessionStatus,
)
from wards.models import Borough

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from contactsessions.services.common import (
    PENDING_FIELDS,
    bump_version,
    clear_pending,
    lock_session,
    london_datetime,
    record_step,
)
from contactsessions.services.errors import ServiceError


def _check_decider(by: User, session: ContactSession) -> None:
    if not permissions.is_board_member_for(by, session.ward.borough):
        raise ServiceError(
            "permission.denied", "Only members of the borough's Safer Neighbourhood Board can decide this session."
        )
    conflict = permissions.four_eyes_conflict(by, session)
    if conflict:
        raise ServiceError(conflict, permissions.FOUR_EYES_REASONS[conflict])


def _ended_refusal(session: ContactSession, now: dt.datetime) -> str:
    """Why ``session`` can no longer be approved ("" if it can): approving it would publish
    a session, or move one, to a time that is already over."""
    if session.end <= now:
        return "This session has already ended, so there is nothing left to approve; reject it instead."
    if session.has_pending_change and session.pending_end is not None and session.pending_end <= now:
        return "The proposed new time has already passed, so it cannot be approved; reject the change instead."
    return ""


def _approve_locked(
    session: ContactSession, by: User | None, *, now: dt.datetime, text: str = ""
) -> tuple[ContactSession, PublicChange]:
    """Approve the locked ``session``; says whether that published it or moved it."""
    if session.status == SessionStatus.APPROVED and session.has_pending_change:
        change = PublicChange.MOVED
        start, end, venue_id = session.pending_start, session.pending_end, session.pending_venue_id
        # A blank pending mode (a change saved before modes existed) keeps the mode and link.
        mode = session.pending_attendance_mode or session.attendance_mode
        link = session.pending_joining_link if session.pending_attendance_mode else session.joining_link
        needs_venue = mode in rules.COUNTED_MODES
        if start is None or end is None or (venue_id is None) == needs_venue:  # possible only through the admin
            raise ServiceError(
                "change.incomplete", "The proposed change has no date, time or venue to apply; reject it instead."
            )
        session.start, session.end = start, end
        session.venue_id = venue_id
        session.attendance_mode, session.joining_link = mode, link
        clear_pending(session)
        fields = [
            "start",
            "end",
            "venue",
            "attendance_mode",
            "joining_link",
            *PENDING_FIELDS,
            *bump_version(session, public=True),
        ]
    else:
        change = PublicChange.PUBLISHED
        session.status = SessionStatus.APPROVED
        fields = ["status", *bump_version(session, public=True)]
    session.decided_by, session.decided_at = by, now
    if by is None:
        # django-simple-history reads this attribute into the history record.
        session._change_reason = "Approved automatically: nobody objected in time."  # type: ignore[attr-defined]
    session.save(update_fields=[*fields, "decided_by", "decided_at"])
    if by is not None:
        record_step(session, by, CommentKind.APPROVED, text)
    return session, change


def session_approve(
    *, session: ContactSession, by: User, version: int, comment: str = "", now: dt.datetime | None = None
) -> ContactSession:
    """Approve a proposal, or apply an approved session's pending change (raising ``sequence``).
    Refused (``session.ended``) once the session, or the change's new time, is over."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session, version)
        _check_decider(by, session)
        if not session.awaiting_decision:
            raise ServiceError(
                "session.state", f"This session is {session.get_status_display().lower()}; there is nothing to approve."
            )
        ended = _ended_refusal(session, now)
        if ended:
            raise ServiceError("session.ended", ended)
        session, change = _approve_locked(session, by, now=now, text=comment.strip())
        announce_on_commit([(session.pk, change)])
    transaction.on_commit(lambda: notify.decision_made(session, CommentKind.APPROVED, comment), robust=True)
    return session


def session_return(
    *, session: ContactSession, by: User, version: int, comment: str, now: dt.datetime | None = None
) -> ContactSession:
    """Send a proposal back to the DWO for changes, saying what should change."""
    comment = comment.strip()
    if not comment:
        raise ServiceError("session.no_reason", "Say what should change when returning a proposal.", field="comment")
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session, version)
        _check_decider(by, session)
        if session.status != SessionStatus.PROPOSED:
            raise ServiceError(
                "session.state",
                f"This session is {session.get_status_display().lower()}; only a proposal can be returned.",
            )
        session.status = SessionStatus.RETURNED
        session.decided_by, session.decided_at = by, now
        session.save(update_fields=["status", "decided_by", "decided_at", *bump_version(session)])
        record_step(session, by, CommentKind.RETURNED, comment)
    transaction.on_commit(lambda: notify.decision_made(session, CommentKind.RETURNED, comment), robust=True)
    return session


def session_reject(
    *, session: ContactSession, by: User, version: int, reason: str, now: dt.datetime | None = None
) -> ContactSession:
    """Reject a proposal, or discard an approved session's pending change (the approved
    version stands). A reason is required."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("session.no_reason", "Give a reason for the rejection.", field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session, version)
        _check_decider(by, session)
        if not session.awaiting_decision:
            raise ServiceError(
                "session.state", f"This session is {session.get_status_display().lower()}; there is nothing to reject."
            )
        if session.status == SessionStatus.APPROVED:
            clear_pending(session)
            fields = [*PENDING_FIELDS]
        else:
            session.status = SessionStatus.REJECTED
            fields = ["status"]
        session.decided_by, session.decided_at = by, now
        session.save(update_fields=[*fields, "decided_by", "decided_at", *bump_version(session)])
        record_step(session, by, CommentKind.REJECTED, reason)
    transaction.on_commit(lambda: notify.decision_made(session, CommentKind.REJECTED, reason), robust=True)
    return session


@dataclass
class BulkResult:
    approved: list[ContactSession]
    skipped: list[str]


def sessions_bulk_approve(
    *, by: User, expected: dict[int, int], scope: Q, now: dt.datetime | None = None
) -> BulkResult:
    """Approve in one action the sessions the SNB member saw (``expected``: pk to version).

    Only sessions matching ``scope`` and still awaiting a decision are touched.
    A session whose version moved on since the page was shown (changed by its
    DWO, or decided by someone else) is skipped and reported, never approved
    unseen; so are the sessions the member proposed or last changed (four eyes,
    ``permissions.can_decide``).
    """
    now = now or timezone.now()
    approved: list[ContactSession] = []
    changes: list[tuple[int, PublicChange]] = []
    skipped: list[str] = []
    with transaction.atomic():
        locked = (
            ContactSession.objects.select_for_update(of=("self",))
            .select_related("ward__borough")
            .filter(scope, pk__in=list(expected))
            .order_by("pk")
        )
        for session in locked:
            label = f"{session.ward.name}, {timezone.localtime(session.start):%a %d %b %H:%M}"
            if session.version != expected[session.pk] or not session.awaiting_decision:
                skipped.append(f"{label}: changed or decided by someone else since you looked; review it again.")
                continue
            if not permissions.is_board_member_for(by, session.ward.borough):
                skipped.append(f"{label}: it is outside your borough, so you cannot approve it.")
                continue
            if not permissions.can_decide(by, session):
                skipped.append(f"{label}: {permissions.decide_refusal(by, session)}")
                continue
            if ended := _ended_refusal(session, now):
                skipped.append(f"{label}: {ended}")
                continue
            approved_session, change = _approve_locked(session, by, now=now)
            approved.append(approved_session)
            changes.append((approved_session.pk, change))
        announce_on_commit(changes)
    if approved:
        transaction.on_commit(lambda: notify.bulk_approved(approved), robust=True)
    return BulkResult(approved=approved, skipped=skipped)


def series_approve(*, series: SessionSeries, by: User, expected: dict[int, int]) -> BulkResult:
    """Approve every waiting session of a ward's weekly series that the member saw."""
    if not permissions.is_board_member_for(by, series.ward.borough):
        raise ServiceError(
            "permission.denied", "Only members of the borough's Safer Neighbourhood Board can approve this series."
        )
    return sessions_bulk_approve(by=by, expected=expected, scope=Q(series=series))


def month_approve(*, borough: Borough, year: int, month: int, by: User, expected: dict[int, int]) -> BulkResult:
    """Approve every waiting session in ``borough`` starting in the month that the member saw."""
    if not permissions.is_board_member_for(by, borough):
        raise ServiceError(
            "permission.denied", "Only members of the borough's Safer Neighbourhood Board can approve these sessions."
        )
    first = london_datetime(dt.date(year, month, 1), dt.time(0))
    after = london_datetime(dt.date(year + month // 12, month % 12 + 1, 1), dt.time(0))
    return sessions_bulk_approve(
        by=by, expected=expected, scope=Q(ward__borough=borough, start__gte=first, start__lt=after)
    )


OBJECTION_KINDS = (CommentKind.COMMENT, CommentKind.RETURNED, CommentKind.REJECTED)


def auto_approve_due(*, now: dt.datetime | None = None) -> list[ContactSession]:
    """Light touch: approve proposals nobody objected to once their borough's
    ``auto_approve_after_days`` have passed since they were proposed.

    A comment from anybody but the proposer, or a return, counts as an objection
    and leaves the proposal for the board. Sessions already started are left alone.
    """
    now = now or timezone.now()
    approved: list[ContactSession] = []
    changes: list[tuple[int, PublicChange]] = []
    candidates = ContactSession.objects.filter(
        status=SessionStatus.PROPOSED,
        ward__borough__auto_approve_after_days__isnull=False,
        start__gt=now,
    ).select_related("ward__borough")
    for candidate in candidates:
        days = candidate.ward.borough.auto_approve_after_days
        if days is None or candidate.proposed_at is None or candidate.proposed_at > now - dt.timedelta(days=days):
            continue
        with transaction.atomic():
            session = ContactSession.objects.select_for_update().get(pk=candidate.pk)
            if session.status != SessionStatus.PROPOSED:
                continue
            objected = (
                session.comments.filter(kind__in=OBJECTION_KINDS, created_at__gte=session.proposed_at)
                .exclude(author_id=session.created_by_id)
                .exists()
            )
            if objected:
                continue
            approved_session, change = _approve_locked(session, None, now=now)
            approved.append(approved_session)
            changes.append((approved_session.pk, change))
    # Each approval committed on its own; one announcement for all, so one alert per ward.
    announce_on_commit(changes)
    if approved:
        transaction.on_commit(lambda: notify.bulk_approved(approved, automatic=True), robust=True)
    return approved


class Versioned(Protocol):
    """A session as a bulk action names it: a ``ContactSession``, or a review queue item."""

    @property
    def pk(self) -> int: ...
    @property
    def version(self) -> int: ...


def expected_versions(sessions: Iterable[Versioned]) -> str:
    """The hidden form value a bulk action carries: ``pk:version`` pairs."""
    return ",".join(f"{s.pk}:{s.version}" for s in sessions)


def parse_expected_versions(value: str) -> dict[int, int]:
    """The ``pk:version`` pairs of a bulk action's hidden value; anything else is skipped.

    The value comes back from the browser, so an id no row can have (beyond 64 bits, which
    SQLite cannot bind) or a non-ASCII digit is dropped here rather than reaching a query.
    """
    expected: dict[int, int] = {}
    for item in (value or "").split(","):
        pk_text, _, version_text = item.partition(":")
        pk, version = parse_id(pk_text), parse_whole_number(version_text)
        if pk is not None and version is not None:
            expected[pk] = version
    return expected
