"""Exempt weeks: a DWO asks for a week a ward need not hold a session; the borough's SNB
agrees or refuses. Only agreed exemptions count in compliance."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from contactsessions import permissions, rules
from contactsessions.models import ExemptionStatus, WeekExemption
from contactsessions.services.errors import ServiceError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wards.models import Ward


def _already_has_one(week_start: dt.date, status: str = "") -> ServiceError:
    return ServiceError(
        "exemption.exists",
        f"The week of {week_start:%d %b %Y} already has an exemption{f' {status}' if status else ''}.",
    )


def exemption_propose(
    *, ward: Ward, week_start: dt.date, reason: str, by: User, today: dt.date | None = None
) -> WeekExemption:
    """A DWO of ``ward`` asks for the week holding ``week_start`` (any day of it) to be exempt.

    Only a week not yet over (this week or later; ``today`` defaults to today in London)
    may be asked for: a week that is over is judged by what was held, and cannot be made
    exempt after the fact. A refused request may be asked again with a better reason; the
    same row is reused. Raises ``ServiceError``: ``permission.denied`` unless ``by`` is a
    DWO of the ward, ``exemption.no_reason`` for a blank reason, ``exemption.past_week``
    for a week already over, ``exemption.exists`` if the week already has an exemption
    proposed or agreed. Nothing is saved when it raises.
    """
    if not permissions.is_officer_for(by, ward):
        raise ServiceError("permission.denied", "Only the ward's Dedicated Ward Officers can ask for an exempt week.")
    reason = reason.strip()
    if not reason:
        raise ServiceError("exemption.no_reason", "Give the reason the week should be exempt.", field="reason")
    week_start = rules.week_start_of(week_start)
    today = today or timezone.localdate()
    if rules.week_phase(week_start, today=today, grace_days=0) is not rules.WeekPhase.AHEAD:
        raise ServiceError(
            "exemption.past_week",
            f"The week of {week_start:%d %b %Y} is over, so it cannot be made exempt after the fact. "
            "Ask for this week or a later one.",
            field="week",
        )
    with transaction.atomic():
        existing = WeekExemption.objects.select_for_update().filter(ward=ward, week_start=week_start).first()
        if existing is not None:
            if existing.status != ExemptionStatus.REFUSED:
                raise _already_has_one(week_start, existing.status)
            existing.reason, existing.status, existing.proposed_by = reason, ExemptionStatus.PROPOSED, by
            existing.decided_by = existing.decided_at = None
            existing.full_clean()
            existing.save(update_fields=["reason", "status", "proposed_by", "decided_by", "decided_at"])
            return existing
        exemption = WeekExemption(ward=ward, week_start=week_start, reason=reason, proposed_by=by)
        exemption.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                exemption.save()
        except IntegrityError as error:  # proposed at the same moment by another DWO
            raise _already_has_one(week_start) from error
    return exemption


def exemption_decide(*, exemption: WeekExemption, agree: bool, by: User) -> WeekExemption:
    """An SNB member of the ward's borough agrees or refuses a proposed exemption.

    Four eyes: whoever proposed it cannot decide it. The row is locked and its state
    re-read, so of two members deciding at once exactly one succeeds. Raises
    ``ServiceError``: ``permission.denied`` (not on the borough's SNB),
    ``exemption.own_proposal`` (``by`` proposed it), ``exemption.decided`` (no longer
    proposed). Returns the decided exemption.
    """
    with transaction.atomic():
        locked = (
            WeekExemption.objects.select_for_update(of=("self",)).select_related("ward__borough").get(pk=exemption.pk)
        )
        if not permissions.is_board_member_for(by, locked.ward.borough):
            raise ServiceError(
                "permission.denied", "Only members of the borough's Safer Neighbourhood Board can decide exemptions."
            )
        if locked.proposed_by_id == by.pk:
            raise ServiceError(
                "exemption.own_proposal",
                "You asked for this exemption, so somebody else on the board must decide it.",
            )
        if locked.status != ExemptionStatus.PROPOSED:
            raise ServiceError("exemption.decided", "This exemption has already been decided.")
        locked.status = ExemptionStatus.AGREED if agree else ExemptionStatus.REFUSED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked
