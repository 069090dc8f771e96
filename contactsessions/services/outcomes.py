"""Session outcomes: what happened at a session, recorded by one of its ward's DWOs once it ended."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from contactsessions import permissions
from contactsessions.models import ContactSession, NotHeldCategory, SessionOutcome, SessionStatus
from contactsessions.services.errors import Problem, ServiceError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OUTCOME_COUNTS = ("attendance", "crimes_reported", "advice_given", "property_marked", "signposted")
# Far above any real session, far below the database's integer limit.
OUTCOME_MAX_COUNT = 100_000


# Counts of people, or of what people brought to the session: none can be above the
# number who came. (Property marked counts items, and one person may bring several, so
# it is only refused when nobody came.)
COUNTS_OF_PEOPLE = {
    "crimes_reported": "crimes reported",
    "advice_given": "people given crime-prevention advice",
    "signposted": "people signposted",
}


def _count_problems(counts: dict[str, int]) -> list[Problem]:
    """What is wrong with the counts of a session that was held; empty when nothing is."""
    problems = []
    if any(value is None or value < 0 for value in counts.values()):
        problems.append(Problem("outcome.negative", "Counts cannot be negative."))
    elif any(value > OUTCOME_MAX_COUNT for value in counts.values()):
        problems.append(
            Problem("outcome.too_large", f"Counts above {OUTCOME_MAX_COUNT:,} cannot be right; check the numbers.")
        )
    else:
        attendance = counts["attendance"]
        for field, label in COUNTS_OF_PEOPLE.items():
            if counts[field] > attendance:
                problems.append(
                    Problem(
                        "outcome.exceeds_attendance",
                        f"{counts[field]} {label} is more than the {attendance} people who came; check both numbers.",
                        field=field,
                    )
                )
        if counts["property_marked"] and not attendance:
            problems.append(
                Problem(
                    "outcome.exceeds_attendance",
                    "Property was marked, so somebody came: enter how many people came.",
                    field="attendance",
                )
            )
    return problems


def outcome_record(
    *,
    session: ContactSession,
    by: User,
    held: bool,
    not_held_category: str = "",
    not_held_reason: str = "",
    attendance: int = 0,
    crimes_reported: int = 0,
    advice_given: int = 0,
    property_marked: int = 0,
    signposted: int = 0,
    note: str = "",
    now: dt.datetime | None = None,
) -> SessionOutcome:
    """Record (or correct) what happened at a session once it has ended.

    A session not held takes a :class:`NotHeldCategory` (and, for "other", a reason in
    words) and has all its counts set to nought. A session held has counts that make
    sense together: none negative or absurd, and crimes reported, people advised and
    people signposted each at most the people who came. The session is locked and
    re-read, so its state is checked as it is at the moment of writing. Raises
    ``ServiceError``: ``outcome.negative``, ``outcome.too_large`` (a count),
    ``outcome.exceeds_attendance`` (a count above the people who came),
    ``outcome.no_category`` (not held, no category), ``outcome.bad_category``,
    ``outcome.no_reason`` (not held for an "other" reason not given),
    ``permission.denied`` (``by`` is not a DWO of the session's ward),
    ``outcome.not_approved``, ``outcome.not_ended`` (a session still to come or under
    way). Nothing is saved when it raises.
    """
    now = now or timezone.now()
    counts = {
        "attendance": attendance,
        "crimes_reported": crimes_reported,
        "advice_given": advice_given,
        "property_marked": property_marked,
        "signposted": signposted,
    }
    not_held_reason = (not_held_reason or "").strip()
    not_held_category = not_held_category or ""
    if held:
        problems = _count_problems(counts)
        not_held_reason = not_held_category = ""
    else:
        problems = []
        if not not_held_category:
            problems.append(
                Problem("outcome.no_category", "Choose why the session was not held.", field="not_held_category")
            )
        elif not_held_category not in NotHeldCategory.values:
            problems.append(
                Problem("outcome.bad_category", "Choose one of the reasons listed.", field="not_held_category")
            )
        elif not_held_category == NotHeldCategory.OTHER and not not_held_reason:
            problems.append(Problem("outcome.no_reason", "Say why the session was not held.", field="not_held_reason"))
        counts = dict.fromkeys(counts, 0)
    if problems:
        raise ServiceError(problems=problems)
    with transaction.atomic():
        # Locking the session serialises two DWOs recording at once: the second corrects the first.
        locked = ContactSession.objects.select_for_update(of=("self",)).select_related("ward").get(pk=session.pk)
        if not permissions.is_officer_for(by, locked.ward):
            raise ServiceError("permission.denied", "Only the ward's Dedicated Ward Officers can record outcomes.")
        if locked.status != SessionStatus.APPROVED:
            raise ServiceError("outcome.not_approved", "Outcomes are recorded only for approved sessions.")
        if locked.end > now:
            raise ServiceError(
                "outcome.not_ended",
                "This session has not ended yet: you can record its outcome once the session has ended.",
            )
        outcome, _ = SessionOutcome.objects.update_or_create(
            session=locked,
            defaults={
                "held": held,
                "not_held_category": not_held_category,
                "not_held_reason": not_held_reason,
                "note": note.strip(),
                "recorded_by": by,
                **counts,
            },
        )
    return outcome
