"""Session outcomes: what happened at a session, recorded by one of its ward's DWOs once it ended."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from contactsessions import permissions
from contactsessions.models import ContactSession, SessionOutcome, SessionStatus
from contactsessions.services.errors import ServiceError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OUTCOME_COUNTS = ("attendance", "crimes_reported", "advice_given", "property_marked", "signposted")
# Far above any real session, far below the database's integer limit.
OUTCOME_MAX_COUNT = 100_000


def outcome_record(
    *,
    session: ContactSession,
    by: User,
    held: bool,
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

    A session not held has all its counts set to nought. The session is locked and
    re-read, so its state is checked as it is at the moment of writing. Raises
    ``ServiceError``: ``outcome.negative``, ``outcome.too_large`` (a count),
    ``outcome.no_reason`` (not held, no reason), ``permission.denied`` (``by`` is not a
    DWO of the session's ward), ``outcome.not_approved``, ``outcome.not_ended``.
    Nothing is saved when it raises.
    """
    now = now or timezone.now()
    counts = {
        "attendance": attendance,
        "crimes_reported": crimes_reported,
        "advice_given": advice_given,
        "property_marked": property_marked,
        "signposted": signposted,
    }
    if any(value is None or value < 0 for value in counts.values()):
        raise ServiceError("outcome.negative", "Counts cannot be negative.")
    if any(value > OUTCOME_MAX_COUNT for value in counts.values()):
        raise ServiceError(
            "outcome.too_large", f"Counts above {OUTCOME_MAX_COUNT:,} cannot be right; check the numbers."
        )
    not_held_reason = (not_held_reason or "").strip()
    if not held:
        if not not_held_reason:
            raise ServiceError("outcome.no_reason", "Say why the session was not held.", field="not_held_reason")
        counts = dict.fromkeys(counts, 0)
    else:
        not_held_reason = ""
    with transaction.atomic():
        # Locking the session serialises two DWOs recording at once: the second corrects the first.
        locked = ContactSession.objects.select_for_update(of=("self",)).select_related("ward").get(pk=session.pk)
        if not permissions.is_officer_for(by, locked.ward):
            raise ServiceError("permission.denied", "Only the ward's Dedicated Ward Officers can record outcomes.")
        if locked.status != SessionStatus.APPROVED:
            raise ServiceError("outcome.not_approved", "Outcomes are recorded only for approved sessions.")
        if locked.end > now:
            raise ServiceError("outcome.not_ended", "You can record the outcome once the session has ended.")
        outcome, _ = SessionOutcome.objects.update_or_create(
            session=locked,
            defaults={
                "held": held,
                "not_held_reason": not_held_reason,
                "note": note.strip(),
                "recorded_by": by,
                **counts,
            },
        )
    return outcome
