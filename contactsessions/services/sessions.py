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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contactsessions import notify, permissions, rules
from contactsessions.models import (
    OPEN_STATUSES,
    CommentKind,
    ContactSession,
    SessionSeries,
    SessionStatus,
)
from venues import geo
from venues.models import Venue
from wards.models import Officer, Ward

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
from contactsessions.services.errors import Problem, ServiceError

# Sessions that hold an officer's time, for the overlap check.
BOOKED_STATUSES = (SessionStatus.DRAFT, SessionStatus.PROPOSED, SessionStatus.APPROVED, SessionStatus.RETURNED)


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


def ward_requirement(ward: Ward) -> rules.WardRequirement:
    """What ``ward`` must hold, as the rules see it."""
    from contactsessions.selectors import requirements_for

    return requirements_for([ward])[ward.pk]


NO_VENUE = Problem("session.no_venue", "Choose a venue or add a new one.", "venue")


def _venue_problems(ward: Ward, venue: Venue | None) -> list[Problem]:
    if venue is None:
        return [NO_VENUE]
    problems = []
    if not venue.is_active:
        problems.append(
            Problem("venue.inactive", f"{venue.name} is no longer in use as a venue; choose another.", "venue")
        )
    if venue.ward.borough_id != ward.borough_id:
        problems.append(
            Problem(
                "venue.other_borough",
                f"{venue.name} is not in {ward.borough.name}; choose a venue in the borough.",
                "venue",
            )
        )
    return problems


RULE_FIELDS: dict[str, str] = {
    rules.Code.SESSION_IN_PAST: "start",
    rules.Code.SESSION_TOO_SHORT: "end",
    rules.Code.SESSION_TOO_LONG: "end",
    rules.Code.SESSION_ENDS_BEFORE_START: "end",
    rules.Code.SESSION_NOT_SAME_DAY: "end",
    rules.Code.OFFICER_OVERLAP: "officers",
}


def _rule_problems(violations: Sequence[rules.Violation]) -> list[Problem]:
    """The rules' violations as problems, keeping their codes, each by the input it is about."""
    return [Problem(v.code, v.message, RULE_FIELDS.get(v.code)) for v in violations]


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
) -> list[Problem]:
    """Problems for any other booked session of these officers that overlaps [start, end)."""
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
    problems: list[Problem] = []
    for other in others:
        slot = rules.Slot(
            ward_id=other.ward_id,
            start=other.start,
            end=other.end,
            session_id=other.pk,
            officer_ids=frozenset(o.pk for o in other.officers.all()),
        )
        problems += _rule_problems(rules.check_officer_overlaps([new, slot]))
    return problems


def _check_details(
    *,
    ward: Ward,
    details: SessionDetails,
    venue: Venue | None,
    now: dt.datetime,
    exclude_pk: int | None = None,
    requirement: rules.WardRequirement | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    if details.new_venue is None:
        problems += _venue_problems(ward, venue)
    slot = rules.Slot(ward_id=ward.pk, start=details.start, end=details.end, venue_id=venue.pk if venue else None)
    problems += _rule_problems(rules.check_session(slot, now=now))
    if not details.officers:
        problems.append(Problem("officer.none_chosen", "Choose at least one officer who will attend.", "officers"))
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
                Problem(
                    "enhanced.no_reason",
                    "This is an Enhanced ward: the session is away from the fixed venue or times, "
                    "so give a reason for moving off them.",
                    "off_pattern_reason",
                )
            )
    return problems


def _officer_problems(ward: Ward, officers: Sequence[Officer]) -> list[Problem]:
    serving = set(
        Officer.objects.filter(
            assignments__in=ward.assignments.active_on(timezone.localdate()), pk__in=[o.pk for o in officers]
        ).values_list("pk", flat=True)
    )
    missing = [o for o in officers if o.pk not in serving]
    return [Problem("officer.not_serving", f"{o} does not serve in {ward.name}.", "officers") for o in missing]


def _new_venue_problems(ward: Ward, new: NewVenue | None) -> list[Problem]:
    """Why a new venue's postcode cannot place it in the ward's borough (unknown, or elsewhere)."""
    if new is None:
        return []
    try:
        geo.locate_venue(new.postcode, ward.borough)
    except ValidationError as exc:
        return [Problem("venue.postcode", m, "new_venue_postcode") for m in exc.messages]
    return []


def _create_venue(ward: Ward, new: NewVenue, by: User) -> Venue:
    """Save a DWO's new venue, on the map where its postcode is (nobody types coordinates)."""
    try:
        latitude, longitude = geo.locate_venue(new.postcode, ward.borough)
    except ValidationError as exc:
        raise ServiceError(problems=[Problem("venue.postcode", m, "new_venue_postcode") for m in exc.messages]) from exc
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
        raise ServiceError(problems=[Problem("venue.invalid", m) for m in exc.messages]) from exc
    venue.save()
    return venue


def _venue_for(ward: Ward, details: SessionDetails, by: User) -> Venue:
    """The session's venue: the DWO's new one (saved now) or the one chosen.

    Call after ``_check_details``, which refuses details with neither.
    """
    if details.new_venue is not None:
        return _create_venue(ward, details.new_venue, by)
    if details.venue is None:
        raise ServiceError(problems=[NO_VENUE])
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

    Refuses (``ServiceError``, nothing saved) when ``by`` is not a DWO of the
    ward, the venue is inactive or in another borough, a new venue's postcode
    is unknown or in another borough (a new venue's coordinates come from its
    postcode), the times break
    ``rules.check_session``, an officer is booked elsewhere at the time, or an
    Enhanced ward's session leaves the fixed pattern without a reason.
    """
    if not permissions.is_officer_for(by, ward):
        raise ServiceError("permission.denied", "You can propose sessions only in the wards you serve.")
    now = now or timezone.now()
    with transaction.atomic():
        _lock_officers(details.officers)
        problems = _new_venue_problems(ward, details.new_venue)
        problems += _check_details(ward=ward, details=details, venue=details.venue, now=now)
        problems += _officer_problems(ward, details.officers)
        if problems:
            raise ServiceError(problems=problems)
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
        raise ServiceError(problems=_rule_problems(too_long))
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
            raise ServiceError(problems=problems)  # said once each, not once a week
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
        session = lock_session(session, version)
        if not permissions.can_edit(by, session):
            raise ServiceError("permission.denied", "You can change sessions only in the wards you serve.")
        if session.status not in (*OPEN_STATUSES, SessionStatus.APPROVED):
            raise ServiceError(
                "session.state", f"This session is {session.get_status_display().lower()}; it can no longer be changed."
            )
        ward = session.ward
        _lock_officers(details.officers)
        problems = _new_venue_problems(ward, details.new_venue)
        problems += _check_details(ward=ward, details=details, venue=details.venue, now=now, exclude_pk=session.pk)
        problems += _officer_problems(ward, details.officers)
        if problems:
            raise ServiceError(problems=problems)
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
            fields += bump_version(session, public=public_text_changed)
        else:
            session.start, session.end, session.venue = details.start, details.end, venue
            session.status = SessionStatus.PROPOSED
            session.proposed_at = now
            fields += ["start", "end", "venue", "status", "proposed_at"] + bump_version(session)
        session.full_clean(exclude=["officers"])
        session.save(update_fields=fields)
        session.officers.set(details.officers)
        kind = CommentKind.CHANGE_REQUESTED if session.status == SessionStatus.APPROVED else CommentKind.PROPOSED
        if session.status != SessionStatus.APPROVED or moved:
            record_step(session, by, kind, "Changed and proposed again.")
    if session.status != SessionStatus.APPROVED or moved:
        transaction.on_commit(lambda: notify.proposals_waiting([session]), robust=True)
    return session


def session_withdraw(*, session: ContactSession, by: User, version: int) -> ContactSession:
    """Withdraw a proposal that has not been decided yet."""
    with transaction.atomic():
        session = lock_session(session, version)
        if not permissions.can_edit(by, session):
            raise ServiceError("permission.denied", "You can withdraw sessions only in the wards you serve.")
        if session.status not in OPEN_STATUSES:
            raise ServiceError(
                "session.state",
                f"This session is already {session.get_status_display().lower()}; only undecided proposals "
                "can be withdrawn. Cancel an approved session instead.",
            )
        session.status = SessionStatus.WITHDRAWN
        session.save(update_fields=["status", *bump_version(session)])
        record_step(session, by, CommentKind.WITHDRAWN)
    return session


def session_cancel(*, session: ContactSession, by: User, version: int, reason: str) -> ContactSession:
    """Cancel an approved session; ``reason`` is shown to the public and ``sequence`` rises
    so calendar subscribers see the cancellation."""
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
        session.status = SessionStatus.CANCELLED
        session.cancellation_reason = reason
        clear_pending(session)
        session.save(
            update_fields=["status", "cancellation_reason", *PENDING_FIELDS, *bump_version(session, public=True)]
        )
        record_step(session, by, CommentKind.CANCELLED, reason)
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
        session.full_clean(exclude=["officers"])
        public = not PUBLIC_TEXT_FIELDS.isdisjoint(changed)
        session.save(update_fields=[*changed, *bump_version(session, public=public)])
    return session
