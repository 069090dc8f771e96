"""The Enhanced designations' fixed weekly pattern: the borough's SNB confirms it before the
public sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from contactsessions import permissions
from contactsessions.models import EnhancedDesignation
from contactsessions.services.errors import ServiceError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def designation_confirm_pattern(*, designation: EnhancedDesignation, by: User) -> EnhancedDesignation:
    """An SNB member of the designation's borough confirms its fixed weekly times.

    From then on the public pages, feeds and poster show the times (with the days they
    are not held); until then only approved sessions. Raises ``ServiceError``:
    ``permission.denied`` (not on the borough's SNB), ``enhanced.no_slots`` (no times to
    confirm). Confirming again records the new date and member.
    """
    with transaction.atomic():
        locked = (
            EnhancedDesignation.objects.select_for_update(of=("self",))
            .select_related("ward__borough")
            .get(pk=designation.pk)
        )
        if not permissions.is_board_member_for(by, locked.ward.borough):
            raise ServiceError(
                "permission.denied",
                "Only members of the borough's Safer Neighbourhood Board can confirm the fixed weekly times.",
            )
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
        locked = (
            EnhancedDesignation.objects.select_for_update(of=("self",))
            .select_related("ward__borough")
            .get(pk=designation.pk)
        )
        if not permissions.is_board_member_for(by, locked.ward.borough):
            raise ServiceError(
                "permission.denied",
                "Only members of the borough's Safer Neighbourhood Board can change the fixed weekly times.",
            )
        locked.pattern_confirmed_on = None
        locked.pattern_confirmed_by = None
        locked.save(update_fields=["pattern_confirmed_on", "pattern_confirmed_by"])
    return locked


__all__ = ["designation_confirm_pattern", "designation_unconfirm_pattern"]
