"""The DWO roster: posting an officer to a ward, and ending that posting."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from contactsessions import notify, permissions, rules
from contactsessions.invalidation import bump_wards
from contactsessions.models import ContactSession
from contactsessions.services.errors import ServiceError
from wards.models import WardAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wards.models import Officer, Ward


def assignment_start(*, officer: Officer, ward: Ward, start: dt.date, by: User) -> WardAssignment:
    """Post ``officer`` to ``ward`` as a DWO from ``start``; the borough's SNB members are
    told by e-mail once it is committed, as they are when a DWO leaves.

    Raises ``ServiceError``: ``permission.denied`` (see :func:`permissions.can_end_assignment`:
    the borough's SNB and site administrators manage its roster), ``assignment.exists``
    (the officer already serves the ward on or after ``start``). Nothing is saved when it raises.
    """
    if not permissions.can_end_assignment(by, ward.borough):
        raise ServiceError(
            "permission.denied",
            "Only members of the borough's Safer Neighbourhood Board can assign a DWO to its wards.",
        )
    with transaction.atomic():
        current = (
            WardAssignment.objects.select_for_update()
            .filter(officer=officer, ward=ward)
            .exclude(end__lt=start)
            .exists()
        )
        if current:
            raise ServiceError("assignment.exists", f"{officer} already serves {ward.name} from that day.")
        assignment = WardAssignment(officer=officer, ward=ward, start=start)
        assignment.full_clean()
        assignment.save()
        bump_wards([ward.pk])  # the ward's public page lists its officers
        transaction.on_commit(lambda: notify.assignment_started(assignment, by=by), robust=True)
    return assignment


def assignment_end(*, assignment: WardAssignment, end_date: dt.date, by: User) -> int:
    """End an officer's posting to a ward on ``end_date`` (their last day).

    Their sessions in that ward starting after ``end_date`` that are still live are
    flagged ``needs_reassignment``, and the borough's SNB members are told by e-mail
    once the change is committed. Returns how many sessions were flagged. Raises
    ``ServiceError``: ``permission.denied`` (see :func:`permissions.can_end_assignment`),
    ``assignment.ended`` (it ended before ``end_date``), ``assignment.before_start``.
    Nothing is saved when it raises.
    """
    after = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time(0), tzinfo=rules.LONDON)
    with transaction.atomic():
        locked = (
            WardAssignment.objects.select_for_update(of=("self",))
            .select_related("officer", "ward__borough")
            .get(pk=assignment.pk)
        )
        if not permissions.can_end_assignment(by, locked.ward.borough):
            raise ServiceError(
                "permission.denied",
                "Only members of the borough's Safer Neighbourhood Board can end a DWO's assignment.",
            )
        if locked.end is not None and locked.end < end_date:
            raise ServiceError("assignment.ended", "This assignment has already ended.")
        if end_date < locked.start:
            raise ServiceError(
                "assignment.before_start", "The last day cannot be before the assignment started.", field="end_date"
            )
        locked.end = end_date
        locked.full_clean()
        locked.save(update_fields=["end"])
        sessions = list(
            ContactSession.objects.filter(
                ward=locked.ward,
                officers=locked.officer,
                start__gte=after,
                status__in=rules.COUNTED_STATUSES,
            )
            .select_for_update(of=("self",))
            .order_by("start")
        )
        ContactSession.objects.filter(pk__in=[s.pk for s in sessions]).update(needs_reassignment=True)
        bump_wards([locked.ward_id])  # update() sends no signals; the sessions are all in this ward
        transaction.on_commit(lambda: notify.assignment_ended(locked, sessions, by=by), robust=True)
    assignment.end = locked.end  # the caller's copy shows the change too
    return len(sessions)
