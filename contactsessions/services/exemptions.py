"""Exempt weeks: a DWO asks for a week a ward need not hold a session; the borough's SNB
agrees or refuses. Only agreed exemptions count in compliance."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from contactsessions import permissions, rules
from contactsessions.models import ExemptionStatus, LondonExemptPeriod, WeekExemption
from contactsessions.services.errors import ServiceError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wards.models import Ward


def _already_has_one(week_start: dt.date, status: str = "") -> ServiceError:
    return ServiceError(
        "exemption.exists",
        f"The week of {week_start:%d %b %Y} already has an exemption{f' {status}' if status else ''}.",
    )


def _past_week(week_start: dt.date) -> ServiceError:
    return ServiceError(
        "exemption.past_week",
        f"The week of {week_start:%d %b %Y} is over, so it cannot be made exempt after the fact. "
        "Ask for this week or a later one.",
        field="week",
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
        raise _past_week(week_start)
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


def london_period_declare(
    *, reason: str, first_day: dt.date, last_day: dt.date, by: User, today: dt.date | None = None
) -> LondonExemptPeriod:
    """Monitoring staff declare the weeks touching [first_day, last_day] exempt in every ward
    (Notting Hill Carnival, New Year's Eve), once rather than ward by ward.

    Raises ``ServiceError``: ``permission.denied`` unless ``by`` is monitoring staff,
    ``period.no_reason`` for a blank reason, ``period.reversed`` when the last day is before
    the first, ``exemption.past_week`` when the first week is already over (``today``
    defaults to London's), ``period.overlaps`` when any of its weeks is already in a
    London-wide period. Nothing is saved when it raises. (Monitoring staff declare a
    handful a year, so two declared in the same instant are not guarded against.)
    """
    if not permissions.is_monitoring(by):
        raise ServiceError("permission.denied", "Only monitoring staff can declare a London-wide exempt period.")
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            "period.no_reason", "Say what the period is for, e.g. Notting Hill Carnival.", field="reason"
        )
    if last_day < first_day:
        raise ServiceError("period.reversed", "The last day is before the first day.", field="last_day")
    first_week, last_week = rules.week_start_of(first_day), rules.week_start_of(last_day)
    today = today or timezone.localdate()
    if rules.week_phase(first_week, today=today, grace_days=0) is not rules.WeekPhase.AHEAD:
        problem = _past_week(first_week).problems[0]
        raise ServiceError(problem.code, problem.message, field="first_day")
    with transaction.atomic():
        clash = (
            LondonExemptPeriod.objects.select_for_update()
            .filter(first_week__lte=last_week, last_week__gte=first_week)
            .order_by("first_week")
            .first()
        )
        if clash is not None:
            raise ServiceError(
                "period.overlaps",
                f'These weeks overlap "{clash.reason}" (weeks of {clash.first_week:%d %b %Y} to '
                f"{clash.last_week:%d %b %Y}), which is already exempt across London.",
                field="first_day",
            )
        period = LondonExemptPeriod(reason=reason, first_week=first_week, last_week=last_week, declared_by=by)
        period.full_clean()
        period.save()
    return period
