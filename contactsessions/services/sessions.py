"""DWOs' writes to sessions: propose one or a weekly series, change, withdraw, cancel.

Each state change follows the same steps: lock the row (``select_for_update``),
refuse a stale ``version`` (someone else changed the session since the form was
shown), check the current state, check the rules (``rules.py``), save, record
the step as a :class:`SessionComment`, then queue e-mails with
``transaction.on_commit`` so nobody is told about a write that was rolled back.
The e-mails are ``robust``: a mail server that is down is logged, and never turns a
saved write into a server error that invites the user to try again.

Refusals raise :class:`~contactsessions.services.errors.ServiceError`; nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contactsessions import notify, permissions, rules
from contactsessions.events import PublicChange, announce_on_commit
from contactsessions.models import (
    CommentKind,
    ContactSession,
    SessionFormat,
    SessionSeries,
    SessionStatus,
)
from contactsessions.services.common import (
    PENDING_FIELDS,
    bump_version,
    clear_pending,
    lock_session,
    london_datetime,
    record_step,
)
from contactsessions.services.details import (
    SessionDetails,
    check_details,
    lock_officers,
    new_venue_problems,
    officer_problems,
    rule_problems,
    venue_for,
    ward_requirement,
)
from contactsessions.services.errors import Problem, ServiceError
from contactsessions.services.links import normalise_joining_link
from venues.models import Venue
from wards.models import Ward

# --- proposing ---------------------------------------------------------------------------

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def clean_session(session: ContactSession) -> None:
    """The model's own checks (fields, constraints) as a refusal with coded problems, never
    an uncaught ``ValidationError``: the services' checks should have found everything, but a
    rule the database states must not become a 500."""
    try:
        session.full_clean(exclude=["officers"])
    except ValidationError as exc:
        problems = [
            Problem("session.invalid", message, None if field == "__all__" else field)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        raise ServiceError(problems=problems) from exc


def session_propose(
    *,
    by: User,
    ward: Ward,
    details: SessionDetails,
    now: dt.datetime | None = None,
    series: SessionSeries | None = None,
) -> ContactSession:
    """Propose one session in ``ward``; it waits for the SNB's decision.

    Refuses (``ServiceError``, nothing saved) when ``by`` is not a DWO of the
    ward, the joining link does not fit the mode (required and https for online and
    hybrid, none in person), an online-only session names a venue or one meeting in
    person names none, an Enhanced ward's session is online only, the venue is inactive
    or in another borough, a new venue's postcode
    is unknown or in another borough (a new venue's coordinates come from its
    postcode), the times break
    ``rules.check_session``, an officer is booked elsewhere at the time, or an
    Enhanced ward's session leaves the fixed pattern without a reason.
    """
    if not permissions.is_officer_for(by, ward):
        raise ServiceError("permission.denied", "You can propose sessions only in the wards you serve.")
    now = now or timezone.now()
    with transaction.atomic():
        lock_officers(details.officers)
        problems = new_venue_problems(ward, None if details.online_only else details.new_venue)
        problems += check_details(ward=ward, details=details, venue=details.venue, now=now)
        problems += officer_problems(ward, details.officers)
        if problems:
            raise ServiceError(problems=problems)
        venue = venue_for(ward, details, by)
        session = _create(by=by, ward=ward, details=details, venue=venue, now=now, series=series)
    transaction.on_commit(lambda: notify.proposals_waiting([session]), robust=True)
    return session


def _create(
    *,
    by: User,
    ward: Ward,
    details: SessionDetails,
    venue: Venue | None,
    now: dt.datetime,
    series: SessionSeries | None,
) -> ContactSession:
    session = ContactSession(
        ward=ward,
        venue=venue,
        attendance_mode=details.attendance_mode,
        joining_link=normalise_joining_link(details.joining_link),
        start=details.start,
        end=details.end,
        format=details.format,
        description=details.description,
        off_pattern_reason=details.off_pattern_reason,
        status=SessionStatus.PROPOSED,
        series=series,
        created_by=by,
        last_changed_by=by,
        proposed_at=now,
    )
    clean_session(session)
    session.save()
    session.officers.set(details.officers)
    record_step(session, by, CommentKind.PROPOSED)
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
        raise ServiceError("permission.denied", "You can propose sessions only in the wards you serve.")
    now = now or timezone.now()
    first = timezone.localtime(details.start, rules.LONDON).date()
    start_time = timezone.localtime(details.start, rules.LONDON).time()
    end_time = timezone.localtime(details.end, rules.LONDON).time()
    try:
        dates = rules.series_dates(first=first, weekday=weekday, until=until, count=count)
    except ValueError as exc:
        raise ServiceError("series.no_end", "Give either an end date or a number of weeks.") from exc
    if not dates:
        raise ServiceError("series.no_dates", "The series has no dates: check the first date and the end date.")
    too_long = rules.check_series_length(dates, ward.pk)
    if too_long:
        raise ServiceError(problems=rule_problems(too_long))
    requirement = ward_requirement(ward)
    week_details = [
        SessionDetails(
            **{**details.__dict__, "start": london_datetime(d, start_time), "end": london_datetime(d, end_time)}
        )
        for d in dates
    ]
    with transaction.atomic():
        lock_officers(details.officers)
        problems = new_venue_problems(ward, None if details.online_only else details.new_venue)
        for item in week_details:
            problems += check_details(ward=ward, details=item, venue=details.venue, now=now, requirement=requirement)
        problems += officer_problems(ward, details.officers)
        if problems:
            raise ServiceError(problems=problems)  # said once each, not once a week
        venue = venue_for(ward, details, by)
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

ENDED_MESSAGE = "This session has ended, so it can no longer be {action}. Record its outcome: held, or why not."


def session_update(
    *, session: ContactSession, by: User, version: int, details: SessionDetails, now: dt.datetime | None = None
) -> ContactSession:
    """Change a session.

    Before a decision (draft, proposed, returned) the change applies at once and
    the session is proposed again. For an approved session, a new date, time,
    venue, attendance mode or joining link waits in ``pending_*`` for the SNB while the public keeps the approved
    version; the other fields (description, format, officers, the off-pattern
    reason) apply at once, and when only those changed the borough's SNB is told
    after the commit (``notify.approved_session_changed``) rather than asked: a text
    correction should not wait days for a board to meet. ``by`` becomes
    ``last_changed_by``, so they cannot decide the session (four eyes). Changing an approved
    session back to its approved date, time and venue takes back the change waiting for the
    board. Refused when stale, decided otherwise, approved and ended (``session.ended``), or
    when the new details break the rules.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session, version)
        if not permissions.can_edit(by, session):
            raise ServiceError("permission.denied", "You can change sessions only in the wards you serve.")
        if not (session.is_open or session.status == SessionStatus.APPROVED):
            raise ServiceError(
                "session.state", f"This session is {session.get_status_display().lower()}; it can no longer be changed."
            )
        if session.status == SessionStatus.APPROVED and session.end <= now:
            raise ServiceError("session.ended", ENDED_MESSAGE.format(action="changed"))
        ward = session.ward
        lock_officers(details.officers)
        problems = new_venue_problems(ward, None if details.online_only else details.new_venue)
        problems += check_details(ward=ward, details=details, venue=details.venue, now=now, exclude_pk=session.pk)
        problems += officer_problems(ward, details.officers)
        if problems:
            raise ServiceError(problems=problems)
        venue = venue_for(ward, details, by)
        link = normalise_joining_link(details.joining_link)
        moved = (details.start, details.end, venue.pk if venue else None, details.attendance_mode, link) != (
            session.start,
            session.end,
            session.venue_id,
            session.attendance_mode,
            session.joining_link,
        )
        public_text_changed = (details.description, details.format) != (session.description, session.format)
        applied = _applied_at_once(session, details) if session.status == SessionStatus.APPROVED else []
        session.description = details.description
        session.format = details.format
        session.off_pattern_reason = details.off_pattern_reason
        session.last_changed_by = by
        fields = ["description", "format", "off_pattern_reason", "last_changed_by"]
        if session.status == SessionStatus.APPROVED:
            if moved:
                session.pending_start, session.pending_end, session.pending_venue = details.start, details.end, venue
                session.pending_attendance_mode, session.pending_joining_link = details.attendance_mode, link
                session.has_pending_change = True
                fields += PENDING_FIELDS
            elif session.has_pending_change:
                # Put back as approved: the change waiting for the board is taken back, not left to be approved.
                clear_pending(session)
                fields += PENDING_FIELDS
            fields += bump_version(session, public=public_text_changed)
        else:
            session.start, session.end, session.venue = details.start, details.end, venue
            session.attendance_mode, session.joining_link = details.attendance_mode, link
            session.status = SessionStatus.PROPOSED
            session.proposed_at = now
            fields += ["start", "end", "venue", "attendance_mode", "joining_link", "status", "proposed_at"]
            fields += bump_version(session)
        clean_session(session)
        session.save(update_fields=fields)
        session.officers.set(details.officers)
        kind = CommentKind.CHANGE_REQUESTED if session.status == SessionStatus.APPROVED else CommentKind.PROPOSED
        if session.status != SessionStatus.APPROVED or moved:
            record_step(session, by, kind, "Changed and proposed again.")
    if session.status != SessionStatus.APPROVED or moved:
        transaction.on_commit(lambda: notify.proposals_waiting([session]), robust=True)
    elif applied:
        transaction.on_commit(lambda: notify.approved_session_changed(session, applied, by=by), robust=True)
    return session


def _applied_at_once(session: ContactSession, details: SessionDetails) -> list[str]:
    """What of ``details`` differs from ``session`` among the fields an approved session
    takes at once, in words for the SNB's notice."""
    changed = []
    if details.description != session.description:
        changed.append(f"Public description: {details.description or '(none)'}")
    if details.format != session.format:
        changed.append(f"Format: {dict(SessionFormat.choices).get(details.format, details.format)}")
    if {o.pk for o in details.officers} != set(session.officers.values_list("pk", flat=True)):
        changed.append("Officers: " + ", ".join(o.display_name for o in details.officers))
    if details.off_pattern_reason != session.off_pattern_reason:
        changed.append(f"Reason for leaving the fixed pattern: {details.off_pattern_reason or '(none)'}")
    return changed


def session_withdraw(*, session: ContactSession, by: User, version: int) -> ContactSession:
    """Withdraw a proposal that has not been decided yet."""
    with transaction.atomic():
        session = lock_session(session, version)
        if not permissions.can_edit(by, session):
            raise ServiceError("permission.denied", "You can withdraw sessions only in the wards you serve.")
        if not session.is_open:
            raise ServiceError(
                "session.state",
                f"This session is already {session.get_status_display().lower()}; only undecided proposals "
                "can be withdrawn. Cancel an approved session instead.",
            )
        session.status = SessionStatus.WITHDRAWN
        session.save(update_fields=["status", *bump_version(session)])
        record_step(session, by, CommentKind.WITHDRAWN)
    return session


def session_cancel(
    *, session: ContactSession, by: User, version: int, reason: str, now: dt.datetime | None = None
) -> ContactSession:
    """Cancel an approved session; ``reason`` is shown to the public and ``sequence`` rises
    so calendar subscribers see the cancellation. Refused once it has ended: its outcome says what happened."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            "session.no_reason", "Give a reason for the cancellation; it is shown to the public.", field="reason"
        )
    with transaction.atomic():
        session = lock_session(session, version)
        if not permissions.can_edit(by, session):
            raise ServiceError("permission.denied", "You can cancel sessions only in the wards you serve.")
        if session.status != SessionStatus.APPROVED:
            raise ServiceError(
                "session.state", "Only an approved session can be cancelled; withdraw a proposal instead."
            )
        if session.end <= now:
            raise ServiceError("session.ended", ENDED_MESSAGE.format(action="cancelled"))
        session.status = SessionStatus.CANCELLED
        session.cancellation_reason = reason
        clear_pending(session)
        session.save(
            update_fields=["status", "cancellation_reason", *PENDING_FIELDS, *bump_version(session, public=True)]
        )
        record_step(session, by, CommentKind.CANCELLED, reason)
        announce_on_commit([(session.pk, PublicChange.CANCELLED)])
    transaction.on_commit(lambda: notify.session_cancelled(session), robust=True)
    return session


# --- staff corrections in the admin -------------------------------------------------------

# What staff may correct in the admin. Status, times, venue, ward and officers change only
# through the services above, which check the rules and keep the trail.
TEXT_FIELDS = ("format", "description", "off_pattern_reason", "cancellation_reason", "needs_reassignment")
# Of those, what the public sees (pages, feeds, calendars).
PUBLIC_TEXT_FIELDS = frozenset({"format", "description", "cancellation_reason"})


def session_text_edit(
    *, session: ContactSession, by: User, version: int | None, changes: Mapping[str, str | bool]
) -> ContactSession:
    """Staff correct a session's texts or flags (``TEXT_FIELDS`` only) without changing its state.

    ``version`` rises, so a DWO's or SNB member's form shown before the correction is
    refused as stale instead of silently overwriting it; ``sequence`` rises too when a
    field the public sees changed, so calendar subscribers fetch the new text. Refused
    (``session.workflow_field``) for any other field, and for users without the
    admin's change permission. ``version`` None skips the stale check.
    """
    workflow = sorted(set(changes) - set(TEXT_FIELDS))
    if workflow:
        raise ServiceError(
            "session.workflow_field",
            f"{', '.join(workflow)} can change only through proposing, changing and deciding the session.",
        )
    if not by.has_perm("contactsessions.change_contactsession"):
        raise ServiceError("permission.denied", "You cannot correct sessions.")
    with transaction.atomic():
        session = lock_session(session, version)
        changed = [name for name, value in changes.items() if getattr(session, name) != value]
        if not changed:
            return session
        for name in changed:
            setattr(session, name, changes[name])
        clean_session(session)
        public = not PUBLIC_TEXT_FIELDS.isdisjoint(changed)
        session.save(update_fields=[*changed, *bump_version(session, public=public)])
    return session
