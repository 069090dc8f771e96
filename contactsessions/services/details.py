"""What a DWO fills in for a session, and the checks those details must pass before any
session write saves them: the venue (or a new one, placed by its postcode), the times
(``rules.check_session``), the officers (serving in the ward, not booked elsewhere) and,
on an Enhanced ward, the fixed pattern or a reason to leave it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from contactsessions import rules
from contactsessions.models import (
    ContactSession,
)
from contactsessions.services.errors import Problem, ServiceError
from contactsessions.services.links import joining_link_problems, normalise_joining_link
from venues import geo
from venues.models import Venue
from wards.models import Officer, Ward
from wards.postcodes import normalise_postcode

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# Sessions that hold an officer's time, for the overlap check.
BOOKED_STATUSES = rules.BOOKED_STATUSES


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
    attendance_mode: str = rules.IN_PERSON
    joining_link: str = ""

    def __post_init__(self) -> None:
        # Scheme and host in lower case, as the database's check wants them, whoever builds it.
        object.__setattr__(self, "joining_link", normalise_joining_link(self.joining_link))

    @property
    def online_only(self) -> bool:
        return self.attendance_mode == rules.ONLINE


def ward_requirement(ward: Ward) -> rules.WardRequirement:
    """What ``ward`` must hold, as the rules see it."""
    from contactsessions.week_selectors import requirements_for

    return requirements_for([ward])[ward.pk]


NO_VENUE = Problem("session.no_venue", "Choose a venue or add a new one.", "venue")


def venue_problems(ward: Ward, venue: Venue | None) -> list[Problem]:
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


def attendance_problems(details: SessionDetails) -> list[Problem]:
    """Whether the mode is known, the joining link fits it (:func:`joining_link_problems`)
    and an online-only session comes without a venue."""
    mode = details.attendance_mode
    if mode not in rules.ATTENDANCE_MODES:
        return [Problem("session.mode", "Choose how people attend: in person, online, or both.", "attendance_mode")]
    problems = joining_link_problems(mode, details.joining_link)
    if mode == rules.ONLINE and (details.venue is not None or details.new_venue is not None):
        problems.append(
            Problem(
                "session.online_venue",
                "An online-only session has no venue: leave the venue empty, or choose hybrid.",
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


def rule_problems(violations: Sequence[rules.Violation]) -> list[Problem]:
    """The rules' violations as problems, keeping their codes, each by the input it is about."""
    return [Problem(v.code, v.message, RULE_FIELDS.get(v.code)) for v in violations]


def lock_officers(officers: Sequence[Officer]) -> None:
    """Lock the officers' rows until the transaction ends, in pk order (no deadlocks).

    Two writes that book the same officer then run their overlap check one after the
    other, and the second sees the first's session: without this, both could pass the
    check at the same moment and the officer would be booked twice.
    """
    ids = sorted({o.pk for o in officers})
    if ids:
        list(Officer.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def overlap_problems(
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
        .select_related("ward")
        .prefetch_related("officers")
        .distinct()
        .order_by("start")
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    problems: list[Problem] = []
    for other in others:
        booked = [o for o in officers if o.pk in {b.pk for b in other.officers.all()}]
        problems.append(Problem(rules.Code.OFFICER_OVERLAP, _overlap_message(booked, other), "officers"))
    return problems


def _overlap_message(booked: Sequence[Officer], other: ContactSession) -> str:
    """Who is double-booked and by which session, and how to fix it."""
    names = " and ".join(o.display_name for o in booked)
    start = timezone.localtime(other.start, rules.LONDON)
    end = timezone.localtime(other.end, rules.LONDON)
    verb = "is" if len(booked) == 1 else "are"
    return (
        f"{names} {verb} already booked at that time: the {other.get_status_display().lower()} session in "
        f"{other.ward.name} on {start:%a %-d %b}, {start:%H:%M} to {end:%H:%M}. "
        f"Choose another time, or untick {names}."
    )


def check_details(
    *,
    ward: Ward,
    details: SessionDetails,
    venue: Venue | None,
    now: dt.datetime,
    exclude_pk: int | None = None,
    requirement: rules.WardRequirement | None = None,
) -> list[Problem]:
    problems = attendance_problems(details)
    if details.new_venue is None and not details.online_only:
        problems += venue_problems(ward, venue)
    slot = rules.Slot(
        ward_id=ward.pk,
        start=details.start,
        end=details.end,
        venue_id=venue.pk if venue else None,
        mode=details.attendance_mode,
    )
    problems += rule_problems(rules.check_session(slot, now=now))
    if not details.officers:
        problems.append(Problem("officer.none_chosen", "Choose at least one officer who will attend.", "officers"))
    if problems:
        return problems
    problems += overlap_problems(
        start=details.start, end=details.end, ward=ward, officers=details.officers, exclude_pk=exclude_pk
    )
    requirement = requirement or ward_requirement(ward)
    online_refused = rules.check_enhanced_mode(slot, requirement)
    if online_refused:
        # No reason makes up for it: the Enhanced site exists to meet people at its venue.
        return problems + [Problem(v.code, v.message, "attendance_mode") for v in online_refused]
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


def officer_problems(ward: Ward, officers: Sequence[Officer]) -> list[Problem]:
    serving = set(
        Officer.objects.filter(
            assignments__in=ward.assignments.active_on(timezone.localdate()), pk__in=[o.pk for o in officers]
        ).values_list("pk", flat=True)
    )
    missing = [o for o in officers if o.pk not in serving]
    return [Problem("officer.not_serving", f"{o} does not serve in {ward.name}.", "officers") for o in missing]


def new_venue_problems(ward: Ward, new: NewVenue | None) -> list[Problem]:
    """Why a new venue's postcode cannot place it in the ward's borough (unknown, or elsewhere)."""
    if new is None:
        return []
    try:
        geo.locate_venue(new.postcode, ward.borough)
    except ValidationError as exc:
        return [Problem("venue.postcode", m, "new_venue_postcode") for m in exc.messages]
    return []


def create_venue(ward: Ward, new: NewVenue, by: User) -> Venue:
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
    postcode = normalise_postcode(new.postcode) or new.postcode
    existing = Venue.objects.filter(ward=ward, name__iexact=new.name.strip(), postcode=postcode).first()
    if existing is not None:
        raise ServiceError(
            "venue.exists",
            f"{existing.name}, {existing.postcode} already exists in {ward.name}: choose it from the venue list "
            "instead of adding it again.",
            field="venue",
        )
    try:
        venue.full_clean()
    except ValidationError as exc:  # e.g. the same name and postcode already in the ward
        raise ServiceError(problems=[Problem("venue.invalid", m) for m in exc.messages]) from exc
    venue.save()
    return venue


def venue_for(ward: Ward, details: SessionDetails, by: User) -> Venue | None:
    """The session's venue: the DWO's new one (saved now) or the one chosen; None for an
    online-only session.

    Call after ``check_details``, which refuses details with neither (or, online only, with one).
    """
    if details.online_only:
        return None
    if details.new_venue is not None:
        return create_venue(ward, details.new_venue, by)
    if details.venue is None:
        raise ServiceError(problems=[NO_VENUE])
    return details.venue
