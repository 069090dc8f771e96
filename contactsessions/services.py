"""Every write to sessions goes through here.

Each state change follows the same steps: lock the row (``select_for_update``),
refuse a stale ``version`` (someone else changed the session since the form was
shown), check the current state, check the rules (``rules.py``), save, record
the step as a :class:`SessionComment`, then queue e-mails with
``transaction.on_commit`` so nobody is told about a write that was rolled back.
The e-mails are ``robust``: a mail server that is down is logged, and never turns a
saved write into a server error that invites the user to try again.

Refusals raise :class:`SessionError` carrying plain messages; nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contactsessions import notify, permissions, rules
from contactsessions.models import (
    OPEN_STATUSES,
    CommentKind,
    ContactSession,
    SessionComment,
    SessionSeries,
    SessionStatus,
)
from venues import geo
from venues.models import Venue
from wards.models import Borough, Officer, Ward

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Sessions that hold an officer's time, for the overlap check.
BOOKED_STATUSES = (SessionStatus.DRAFT, SessionStatus.PROPOSED, SessionStatus.APPROVED, SessionStatus.RETURNED)


class SessionError(Exception):
    """A write was refused. ``messages`` are plain sentences for the user."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class StaleVersion(SessionError):
    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this session while you were looking at it. "
            "Nothing was saved: check the session as it is now and try again."
        )


@dataclass(frozen=True)
class NewVenue:
    """Facts for a venue a DWO adds while proposing a session."""

    name: str
    address: str
    postcode: str
    kind: str = "other"
    step_free: bool = False
    hearing_loop: bool = False
    accessible_toilet: bool = False
    accessibility_notes: str = ""


@dataclass(frozen=True)
class SessionDetails:
    """What a DWO fills in for one session."""

    start: dt.datetime
    end: dt.datetime
    venue: Venue | None = None
    new_venue: NewVenue | None = None
    format: str = "surgery"
    officers: Sequence[Officer] = ()
    description: str = ""
    off_pattern_reason: str = ""


# --- helpers ----------------------------------------------------------------------------


def london_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day`` in London. A time the clocks skip is refused (``SessionError``) rather
    than silently moved an hour, so the session is never saved at a time nobody typed."""
    if not rules.exists_in_london(day, time):
        raise SessionError(
            f"{time:%H:%M} does not exist on {day:%A %-d %B %Y}: the clocks go forward from 01:00 to 02:00 "
            "that night. Choose another time."
        )
    return dt.datetime.combine(day, time, tzinfo=rules.LONDON)


def _lock(session: ContactSession, version: int | None) -> ContactSession:
    """Re-read the session under a row lock and refuse if its version moved on."""
    locked = (
        ContactSession.objects.select_for_update(of=("self",))
        .select_related("ward__borough", "venue")
        .get(pk=session.pk)
    )
    if version is not None and locked.version != version:
        raise StaleVersion()
    return locked


def _bump(session: ContactSession, *, public: bool = False) -> list[str]:
    session.version += 1
    fields = ["version", "updated_at"]
    if public:
        session.sequence += 1
        fields.append("sequence")
    return fields


def _comment(session: ContactSession, by: User, kind: str, text: str = "") -> SessionComment:
    return SessionComment.objects.create(session=session, author=by, kind=kind, text=text)


def ward_requirement(ward: Ward) -> rules.WardRequirement:
    """What ``ward`` must hold, as the rules see it."""
    from contactsessions.selectors import requirements_for

    return requirements_for([ward])[ward.pk]


def _venue_problems(ward: Ward, venue: Venue | None) -> list[str]:
    if venue is None:
        return ["Choose a venue or add a new one."]
    problems = []
    if not venue.is_active:
        problems.append(f"{venue.name} is no longer in use as a venue; choose another.")
    if venue.ward.borough_id != ward.borough_id:
        problems.append(f"{venue.name} is not in {ward.borough.name}; choose a venue in the borough.")
    return problems


def _lock_officers(officers: Sequence[Officer]) -> None:
    """Lock the officers' rows until the transaction ends, in pk order (no deadlocks).

    Two writes that book the same officer then run their overlap check one after the
    other, and the second sees the first's session: without this, both could pass the
    check at the same moment and the officer would be booked twice.
    """
    ids = sorted({o.pk for o in officers})
    if ids:
        list(Officer.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _overlap_problems(
    *, start: dt.datetime, end: dt.datetime, ward: Ward, officers: Sequence[Officer], exclude_pk: int | None
) -> list[str]:
    """Messages for any other booked session of these officers that overlaps [start, end)."""
    officer_ids = [o.pk for o in officers]
    if not officer_ids:
        return []
    others = (
        ContactSession.objects.filter(
            status__in=BOOKED_STATUSES, officers__in=officer_ids, start__lt=end, end__gt=start
        )
        .prefetch_related("officers")
        .distinct()
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    new = rules.Slot(
        ward_id=ward.pk, start=start, end=end, session_id=exclude_pk or 0, officer_ids=frozenset(officer_ids)
    )
    problems = []
    for other in others:
        slot = rules.Slot(
            ward_id=other.ward_id,
            start=other.start,
            end=other.end,
            session_id=other.pk,
            officer_ids=frozenset(o.pk for o in other.officers.all()),
        )
        problems += [v.message for v in rules.check_officer_overlaps([new, slot])]
    return problems


def _check_details(
    *,
    ward: Ward,
    details: SessionDetails,
    venue: Venue | None,
    now: dt.datetime,
    exclude_pk: int | None = None,
    requirement: rules.WardRequirement | None = None,
) -> list[str]:
    problems = []
    if details.new_venue is None:
        problems += _venue_problems(ward, venue)
    slot = rules.Slot(ward_id=ward.pk, start=details.start, end=details.end, venue_id=venue.pk if venue else None)
    problems += [v.message for v in rules.check_session(slot, now=now)]
    if not details.officers:
        problems.append("Choose at least one officer who will attend.")
    if problems:
        return problems
    problems += _overlap_problems(
        start=details.start, end=details.end, ward=ward, officers=details.officers, exclude_pk=exclude_pk
    )
    requirement = requirement or ward_requirement(ward)
    if requirement.is_enhanced_in(rules.week_start_of(details.start)) and not details.off_pattern_reason.strip():
        at_venue, on_slot = rules.on_fixed_pattern(slot, requirement)
        if details.new_venue is not None or not at_venue or not on_slot:
            problems.append(
                "This is an Enhanced ward: the session is away from the fixed venue or times, "
                "so give a reason for moving off them."
            )
    return problems


def _officer_problems(ward: Ward, officers: Sequence[Officer]) -> list[str]:
    serving = set(
        Officer.objects.filter(
            assignments__in=ward.assignments.active_on(timezone.localdate()), pk__in=[o.pk for o in officers]
        ).values_list("pk", flat=True)
    )
    missing = [o for o in officers if o.pk not in serving]
    return [f"{o} does not serve in {ward.name}." for o in missing]


def _new_venue_problems(ward: Ward, new: NewVenue | None) -> list[str]:
    """Why a new venue's postcode cannot place it in the ward's borough (unknown, or elsewhere)."""
    if new is None:
        return []
    try:
        geo.locate_venue(new.postcode, ward.borough)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _create_venue(ward: Ward, new: NewVenue, by: User) -> Venue:
    """Save a DWO's new venue, on the map where its postcode is (nobody types coordinates)."""
    try:
        latitude, longitude = geo.locate_venue(new.postcode, ward.borough)
    except ValidationError as exc:
        raise SessionError(*exc.messages) from exc
    venue = Venue(
        ward=ward,
        latitude=Decimal(f"{latitude:.6f}"),
        longitude=Decimal(f"{longitude:.6f}"),
        name=new.name,
        address=new.address,
        postcode=new.postcode,
        kind=new.kind,
        step_free=new.step_free,
        hearing_loop=new.hearing_loop,
        accessible_toilet=new.accessible_toilet,
        accessibility_notes=new.accessibility_notes,
        created_by=by,
    )
    try:
        venue.full_clean()
    except ValidationError as exc:  # e.g. the same name and postcode already in the ward
        raise SessionError(*exc.messages) from exc
    venue.save()
    return venue


def _venue_for(ward: Ward, details: SessionDetails, by: User) -> Venue:
    """The session's venue: the DWO's new one (saved now) or the one chosen.

    Call after ``_check_details``, which refuses details with neither.
    """
    if details.new_venue is not None:
        return _create_venue(ward, details.new_venue, by)
    if details.venue is None:
        raise SessionError("Choose a venue or add a new one.")
    return details.venue


# --- proposing ---------------------------------------------------------------------------


def session_propose(
    *,
    by: User,
    ward: Ward,
    details: SessionDetails,
    now: dt.datetime | None = None,
    series: SessionSeries | None = None,
) -> ContactSession:
    """Propose one session in ``ward``; it waits for the SNB's decision.

    Refuses (``SessionError``, nothing saved) when ``by`` is not a DWO of the
    ward, the venue is inactive or in another borough, a new venue's postcode
    is unknown or in another borough (a new venue's coordinates come from its
    postcode), the times break
    ``rules.check_session``, an officer is booked elsewhere at the time, or an
    Enhanced ward's session leaves the fixed pattern without a reason.
    """
    if not permissions.is_officer_for(by, ward):
        raise SessionError("You can propose sessions only in the wards you serve.")
    now = now or timezone.now()
    with transaction.atomic():
        _lock_officers(details.officers)
        problems = _new_venue_problems(ward, details.new_venue)
        problems += _check_details(ward=ward, details=details, venue=details.venue, now=now)
        problems += _officer_problems(ward, details.officers)
        if problems:
            raise SessionError(*problems)
        venue = _venue_for(ward, details, by)
        session = _create(by=by, ward=ward, details=details, venue=venue, now=now, series=series)
    transaction.on_commit(lambda: notify.proposals_waiting([session]), robust=True)
    return session


def _create(
    *, by: User, ward: Ward, details: SessionDetails, venue: Venue, now: dt.datetime, series: SessionSeries | None
) -> ContactSession:
    session = ContactSession(
        ward=ward,
        venue=venue,
        start=details.start,
        end=details.end,
        format=details.format,
        description=details.description,
        off_pattern_reason=details.off_pattern_reason,
        status=SessionStatus.PROPOSED,
        series=series,
        created_by=by,
        proposed_at=now,
    )
    session.full_clean(exclude=["officers"])
    session.save()
    session.officers.set(details.officers)
    _comment(session, by, CommentKind.PROPOSED)
    return session


def series_propose(
    *,
    by: User,
    ward: Ward,
    details: SessionDetails,
    weekday: int,
    until: dt.date | None = None,
    count: int | None = None,
    now: dt.datetime | None = None,
) -> list[ContactSession]:
    """Propose a weekly series: one session per week on ``weekday`` from ``details.start``'s
    date, at the same times and venue, until a date or for ``count`` weeks.

    All or nothing: if any week is refused, or the series would cover more than
    a year, nothing is saved. Each session is afterwards handled on its own.
    """
    if not permissions.is_officer_for(by, ward):
        raise SessionError("You can propose sessions only in the wards you serve.")
    now = now or timezone.now()
    first = timezone.localtime(details.start, rules.LONDON).date()
    start_time = timezone.localtime(details.start, rules.LONDON).time()
    end_time = timezone.localtime(details.end, rules.LONDON).time()
    try:
        dates = rules.series_dates(first=first, weekday=weekday, until=until, count=count)
    except ValueError as exc:
        raise SessionError("Give either an end date or a number of weeks.") from exc
    if not dates:
        raise SessionError("The series has no dates: check the first date and the end date.")
    too_long = rules.check_series_length(dates, ward.pk)
    if too_long:
        raise SessionError(*(v.message for v in too_long))
    requirement = ward_requirement(ward)
    week_details = [
        SessionDetails(
            **{**details.__dict__, "start": london_datetime(d, start_time), "end": london_datetime(d, end_time)}
        )
        for d in dates
    ]
    with transaction.atomic():
        _lock_officers(details.officers)
        problems = _new_venue_problems(ward, details.new_venue)
        for item in week_details:
            problems += _check_details(ward=ward, details=item, venue=details.venue, now=now, requirement=requirement)
        problems += _officer_problems(ward, details.officers)
        if problems:
            raise SessionError(*dict.fromkeys(problems))
        venue = _venue_for(ward, details, by)
        series = SessionSeries.objects.create(
            ward=ward,
            venue=venue,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            first_date=dates[0],
            last_date=dates[-1],
            created_by=by,
        )
        sessions = [_create(by=by, ward=ward, details=i, venue=venue, now=now, series=series) for i in week_details]
    transaction.on_commit(lambda: notify.proposals_waiting(sessions), robust=True)
    return sessions


# --- a DWO changing their mind ----------------------------------------------------------


def session_update(
    *, session: ContactSession, by: User, version: int, details: SessionDetails, now: dt.datetime | None = None
) -> ContactSession:
    """Change a session.

    Before a decision (draft, proposed, returned) the change applies at once and
    the session is proposed again. For an approved session, a new date, time or
    venue waits in ``pending_*`` for the SNB while the public keeps the approved
    version; the other fields apply at once. Refused when stale, decided
    otherwise, or when the new details break the rules.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session, version)
        if not permissions.can_edit(by, session):
            raise SessionError("You can change sessions only in the wards you serve.")
        if session.status not in (*OPEN_STATUSES, SessionStatus.APPROVED):
            raise SessionError(f"This session is {session.get_status_display().lower()}; it can no longer be changed.")
        ward = session.ward
        _lock_officers(details.officers)
        problems = _new_venue_problems(ward, details.new_venue)
        problems += _check_details(ward=ward, details=details, venue=details.venue, now=now, exclude_pk=session.pk)
        problems += _officer_problems(ward, details.officers)
        if problems:
            raise SessionError(*problems)
        venue = _venue_for(ward, details, by)
        moved = (details.start, details.end, venue.pk) != (session.start, session.end, session.venue_id)
        public_text_changed = (details.description, details.format) != (session.description, session.format)
        session.description = details.description
        session.format = details.format
        session.off_pattern_reason = details.off_pattern_reason
        fields = ["description", "format", "off_pattern_reason"]
        if session.status == SessionStatus.APPROVED:
            if moved:
                session.pending_start, session.pending_end, session.pending_venue = details.start, details.end, venue
                session.has_pending_change = True
                fields += ["pending_start", "pending_end", "pending_venue", "has_pending_change"]
            fields += _bump(session, public=public_text_changed)
        else:
            session.start, session.end, session.venue = details.start, details.end, venue
            session.status = SessionStatus.PROPOSED
            session.proposed_at = now
            fields += ["start", "end", "venue", "status", "proposed_at"] + _bump(session)
        session.full_clean(exclude=["officers"])
        session.save(update_fields=fields)
        session.officers.set(details.officers)
        kind = CommentKind.CHANGE_REQUESTED if session.status == SessionStatus.APPROVED else CommentKind.PROPOSED
        if session.status != SessionStatus.APPROVED or moved:
            _comment(session, by, kind, "Changed and proposed again.")
    if session.status != SessionStatus.APPROVED or moved:
        transaction.on_commit(lambda: notify.proposals_waiting([session]), robust=True)
    return session


def session_withdraw(*, session: ContactSession, by: User, version: int) -> ContactSession:
    """Withdraw a proposal that has not been decided yet."""
    with transaction.atomic():
        session = _lock(session, version)
        if not permissions.can_edit(by, session):
            raise SessionError("You can withdraw sessions only in the wards you serve.")
        if session.status not in OPEN_STATUSES:
            raise SessionError(
                f"This session is already {session.get_status_display().lower()}; only undecided proposals "
                "can be withdrawn. Cancel an approved session instead."
            )
        session.status = SessionStatus.WITHDRAWN
        session.save(update_fields=["status", *_bump(session)])
        _comment(session, by, CommentKind.WITHDRAWN)
    return session


def session_cancel(*, session: ContactSession, by: User, version: int, reason: str) -> ContactSession:
    """Cancel an approved session; ``reason`` is shown to the public and ``sequence`` rises
    so calendar subscribers see the cancellation."""
    reason = reason.strip()
    if not reason:
        raise SessionError("Give a reason for the cancellation; it is shown to the public.")
    with transaction.atomic():
        session = _lock(session, version)
        if not permissions.can_edit(by, session):
            raise SessionError("You can cancel sessions only in the wards you serve.")
        if session.status != SessionStatus.APPROVED:
            raise SessionError("Only an approved session can be cancelled; withdraw a proposal instead.")
        session.status = SessionStatus.CANCELLED
        session.cancellation_reason = reason
        _clear_pending(session)
        session.save(update_fields=["status", "cancellation_reason", *PENDING_FIELDS, *_bump(session, public=True)])
        _comment(session, by, CommentKind.CANCELLED, reason)
    transaction.on_commit(lambda: notify.session_cancelled(session), robust=True)
    return session


PENDING_FIELDS = ["pending_start", "pending_end", "pending_venue", "has_pending_change"]


def _clear_pending(session: ContactSession) -> None:
    session.pending_start = session.pending_end = session.pending_venue = None
    session.has_pending_change = False


# --- SNB decisions ---------------------------------------------------------------------------


def _check_decider(by: User, session: ContactSession) -> None:
    if not permissions.is_board_member_for(by, session.ward.borough):
        raise SessionError("Only members of the borough's Safer Neighbourhood Board can decide this session.")
    if session.created_by_id == by.pk:
        raise SessionError("You proposed this session, so somebody else on the board must decide it.")


def _is_awaiting(session: ContactSession) -> bool:
    return session.status == SessionStatus.PROPOSED or (
        session.status == SessionStatus.APPROVED and session.has_pending_change
    )


def _approve_locked(session: ContactSession, by: User | None, *, now: dt.datetime, text: str = "") -> ContactSession:
    if session.status == SessionStatus.APPROVED and session.has_pending_change:
        start, end, venue_id = session.pending_start, session.pending_end, session.pending_venue_id
        if start is None or end is None or venue_id is None:  # possible only through the admin
            raise SessionError("The proposed change has no date, time or venue to apply; reject it instead.")
        session.start, session.end = start, end
        session.venue_id = venue_id
        _clear_pending(session)
        fields = ["start", "end", "venue", *PENDING_FIELDS, *_bump(session, public=True)]
    else:
        session.status = SessionStatus.APPROVED
        fields = ["status", *_bump(session, public=True)]
    session.decided_by, session.decided_at = by, now
    if by is None:
        # django-simple-history reads this attribute into the history record.
        session._change_reason = "Approved automatically: nobody objected in time."  # type: ignore[attr-defined]
    session.save(update_fields=[*fields, "decided_by", "decided_at"])
    if by is not None:
        _comment(session, by, CommentKind.APPROVED, text)
    return session


def session_approve(
    *, session: ContactSession, by: User, version: int, comment: str = "", now: dt.datetime | None = None
) -> ContactSession:
    """Approve a proposal, or apply an approved session's pending change (raising ``sequence``)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session, version)
        _check_decider(by, session)
        if not _is_awaiting(session):
            raise SessionError(f"This session is {session.get_status_display().lower()}; there is nothing to approve.")
        _approve_locked(session, by, now=now, text=comment.strip())
    transaction.on_commit(lambda: notify.decision_made(session, CommentKind.APPROVED, comment), robust=True)
    return session


def session_return(
    *, session: ContactSession, by: User, version: int, comment: str, now: dt.datetime | None = None
) -> ContactSession:
    """Send a proposal back to the DWO for changes, saying what should change."""
    comment = comment.strip()
    if not comment:
        raise SessionError("Say what should change when returning a proposal.")
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session, version)
        _check_decider(by, session)
        if session.status != SessionStatus.PROPOSED:
            raise SessionError(
                f"This session is {session.get_status_display().lower()}; only a proposal can be returned."
            )
        session.status = SessionStatus.RETURNED
        session.decided_by, session.decided_at = by, now
        session.save(update_fields=["status", "decided_by", "decided_at", *_bump(session)])
        _comment(session, by, CommentKind.RETURNED, comment)
    transaction.on_commit(lambda: notify.decision_made(session, CommentKind.RETURNED, comment), robust=True)
    return session


def session_reject(
    *, session: ContactSession, by: User, version: int, reason: str, now: dt.datetime | None = None
) -> ContactSession:
    """Reject a proposal, or discard an approved session's pending change (the approved
    version stands). A reason is required."""
    reason = reason.strip()
    if not reason:
        raise SessionError("Give a reason for the rejection.")
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session, version)
        _check_decider(by, session)
        if not _is_awaiting(session):
            raise SessionError(f"This session is {session.get_status_display().lower()}; there is nothing to reject.")
        if session.status == SessionStatus.APPROVED:
            _clear_pending(session)
            fields = [*PENDING_FIELDS]
        else:
            session.status = SessionStatus.REJECTED
            fields = ["status"]
        session.decided_by, session.decided_at = by, now
        session.save(update_fields=[*fields, "decided_by", "decided_at", *_bump(session)])
        _comment(session, by, CommentKind.REJECTED, reason)
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
    unseen; so are the member's own proposals.
    """
    now = now or timezone.now()
    approved: list[ContactSession] = []
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
            if session.version != expected[session.pk] or not _is_awaiting(session):
                skipped.append(f"{label}: changed or decided by someone else since you looked; review it again.")
                continue
            if not permissions.can_decide(by, session):
                skipped.append(f"{label}: you proposed it (or it is outside your borough), so you cannot approve it.")
                continue
            approved.append(_approve_locked(session, by, now=now))
    if approved:
        transaction.on_commit(lambda: notify.bulk_approved(approved), robust=True)
    return BulkResult(approved=approved, skipped=skipped)


def series_approve(*, series: SessionSeries, by: User, expected: dict[int, int]) -> BulkResult:
    """Approve every waiting session of a ward's weekly series that the member saw."""
    if not permissions.is_board_member_for(by, series.ward.borough):
        raise SessionError("Only members of the borough's Safer Neighbourhood Board can approve this series.")
    return sessions_bulk_approve(by=by, expected=expected, scope=Q(series=series))


def month_approve(*, borough: Borough, year: int, month: int, by: User, expected: dict[int, int]) -> BulkResult:
    """Approve every waiting session in ``borough`` starting in the month that the member saw."""
    if not permissions.is_board_member_for(by, borough):
        raise SessionError("Only members of the borough's Safer Neighbourhood Board can approve these sessions.")
    first = london_datetime(dt.date(year, month, 1), dt.time(0))
    after = london_datetime(dt.date(year + month // 12, month % 12 + 1, 1), dt.time(0))
    return sessions_bulk_approve(
        by=by, expected=expected, scope=Q(ward__borough=borough, start__gte=first, start__lt=after)
    )


# --- comments and light touch ----------------------------------------------------------------


def comment_add(*, session: ContactSession, by: User, text: str) -> SessionComment:
    """A Ward Panel, DWO or SNB comment; the others who follow the session are told."""
    text = text.strip()
    if not text:
        raise SessionError("Write a comment first.")
    if not permissions.can_comment(by, session):
        raise SessionError("You can comment only on sessions in your ward or borough.")
    with transaction.atomic():
        comment = _comment(session, by, CommentKind.COMMENT, text)
    transaction.on_commit(lambda: notify.comment_added(comment), robust=True)
    return comment


OBJECTION_KINDS = (CommentKind.COMMENT, CommentKind.RETURNED, CommentKind.REJECTED)


def auto_approve_due(*, now: dt.datetime | None = None) -> list[ContactSession]:
    """Light touch: approve proposals nobody objected to once their borough's
    ``auto_approve_after_days`` have passed since they were proposed.

    A comment from anybody but the proposer, or a return, counts as an objection
    and leaves the proposal for the board. Sessions already started are left alone.
    """
    now = now or timezone.now()
    approved: list[ContactSession] = []
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
            approved.append(_approve_locked(session, None, now=now))
    if approved:
        transaction.on_commit(lambda: notify.bulk_approved(approved, automatic=True), robust=True)
    return approved


def expected_versions(sessions: Iterable[ContactSession]) -> str:
    """The hidden form value a bulk action carries: ``pk:version`` pairs."""
    return ",".join(f"{s.pk}:{s.version}" for s in sessions)


def parse_expected_versions(value: str) -> dict[int, int]:
    expected: dict[int, int] = {}
    for item in (value or "").split(","):
        pk, _, version = item.partition(":")
        if pk.strip().isdigit() and version.strip().isdigit():
            expected[int(pk)] = int(version)
    return expected
