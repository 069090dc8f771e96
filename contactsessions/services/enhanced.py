"""The Enhanced designations' fixed weekly pattern and venue: the borough's SNB confirms the
times before the public sees them, and moves the venue from a date announced ahead."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from contactsessions import permissions, rules
from contactsessions.models import EnhancedDesignation
from contactsessions.services.details import venue_problems
from contactsessions.services.errors import ServiceError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from venues.models import Venue


def designation_confirm_pattern(*, designation: EnhancedDesignation, by: User) -> EnhancedDesignation:
    """An SNB member of the designation's borough confirms its fixed weekly times.

    From then on the public pages, feeds and poster show the times (with the days they
    are not held); until then only approved sessions. Raises ``ServiceError``:
    ``permission.denied`` (not on the borough's SNB), ``enhanced.no_slots`` (no times to
    confirm). Confirming again records the new date and member.
    """
    with transaction.atomic():
        locked = _lock_for_board(designation, by, to="confirm the fixed weekly times")
        if not locked.slots.exists():
            raise ServiceError("enhanced.no_slots", f"{locked.community} has no weekly times to confirm.")
        locked.pattern_confirmed_on = timezone.localdate()
        locked.pattern_confirmed_by = by
        locked.full_clean()
        locked.save(update_fields=["pattern_confirmed_on", "pattern_confirmed_by"])
    return locked


def designation_unconfirm_pattern(*, designation: EnhancedDesignation, by: User) -> EnhancedDesignation:
    """Take the confirmation back (the times are changing): the public sees only approved
    sessions again. Same permission as confirming."""
    with transaction.atomic():
        locked = _lock_for_board(designation, by, to="change the fixed weekly times")
        locked.pattern_confirmed_on = None
        locked.pattern_confirmed_by = None
        locked.save(update_fields=["pattern_confirmed_on", "pattern_confirmed_by"])
    return locked


def designation_move_venue(
    *, designation: EnhancedDesignation, venue: Venue, moves_on: dt.date, by: User
) -> EnhancedDesignation:
    """An SNB member of the borough moves the site's fixed venue from ``moves_on``, announced ahead.

    Until that day the public pages and poster say "From <date> these sessions move to
    <venue>"; on the day ``designation_apply_venue_moves`` (cron) makes it the fixed venue.
    The weekly times stay confirmed. Raises ``ServiceError``: ``permission.denied``,
    ``enhanced.move_too_soon`` (less than ``rules.MIN_VENUE_MOVE_NOTICE`` ahead),
    ``enhanced.same_venue``, and the venue problems (``venue.inactive``,
    ``venue.other_borough``).
    """
    with transaction.atomic():
        locked = _lock_for_board(designation, by, to="move the fixed venue")
        earliest = timezone.localdate() + rules.MIN_VENUE_MOVE_NOTICE
        if moves_on < earliest:
            raise ServiceError(
                "enhanced.move_too_soon",
                f"Give the public notice: move the venue from {earliest:%-d %B %Y} or later.",
                field="moves_on",
            )
        if venue.pk == locked.venue_id:
            raise ServiceError("enhanced.same_venue", f"The sessions are already at {venue.name}.", field="venue")
        problems = venue_problems(locked.ward, venue)
        if problems:
            raise ServiceError(problems=problems)
        locked.next_venue, locked.venue_moves_on = venue, moves_on
        locked.full_clean()
        locked.save(update_fields=["next_venue", "venue_moves_on"])
    return locked


def designation_apply_venue_moves(*, today: dt.date | None = None) -> list[EnhancedDesignation]:
    """Make each announced move the fixed venue once its day has come (cron, daily)."""
    today = today or timezone.localdate()
    moved = []
    with transaction.atomic():
        due = (
            EnhancedDesignation.objects.filter(ward__is_current=True)
            .select_for_update(of=("self",))
            .filter(venue_moves_on__lte=today)
        )
        for designation in due:
            if designation.next_venue_id is None:  # never: the check constraint pairs the two
                continue
            designation.venue_id = designation.next_venue_id
            designation.next_venue, designation.venue_moves_on = None, None
            designation.save(update_fields=["venue", "next_venue", "venue_moves_on"])
            moved.append(designation)
    return moved


__all__ = [
    "designation_apply_venue_moves",
    "designation_confirm_pattern",
    "designation_move_venue",
    "designation_unconfirm_pattern",
]


def _lock_for_board(designation: EnhancedDesignation, by: User, *, to: str) -> EnhancedDesignation:
    """The designation locked for a change by a member of its borough's SNB (call inside a
    transaction); else ``permission.denied``, saying what only they can do (``to``)."""
    locked = (
        EnhancedDesignation.objects.select_for_update(of=("self",))
        .select_related("ward__borough")
        .get(pk=designation.pk)
    )
    if not permissions.is_board_member_for(by, locked.ward.borough):
        raise ServiceError("permission.denied", f"Only members of the borough's Safer Neighbourhood Board can {to}.")
    return locked
