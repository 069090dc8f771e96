"""Writes for monitoring: exemptions, session outcomes and the end of a DWO's assignment.

Kept apart from ``services.py`` (the scheduling back office) so the two areas can
grow independently; the conventions are the same: keyword-only arguments, state
checked first, writes in one transaction, e-mails queued with ``on_commit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from contactsessions import rules
from contactsessions.lib.public_cache import public_cache_bump
from contactsessions.models import ContactSession, ExemptionStatus, SessionOutcome, SessionStatus, WeekExemption
from wards.models import BoardMembership, Ward, WardAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class MonitoringError(Exception):
    """A monitoring write that cannot be made; the message is for the user."""


# --- exemptions ------------------------------------------------------------------------


def exemption_propose(*, ward: Ward, week_start: dt.date, reason: str, by: User) -> WeekExemption:
    """A DWO asks for ``week_start``'s week to be exempt. Raises MonitoringError if one already exists."""
    reason = reason.strip()
    if not reason:
        raise MonitoringError("Give the reason the week should be exempt.")
    week_start = rules.week_start_of(week_start)
    existing = WeekExemption.objects.filter(ward=ward, week_start=week_start).first()
    if existing and existing.status != ExemptionStatus.REFUSED:
        raise MonitoringError(f"The week of {week_start:%d %b %Y} already has an exemption {existing.status}.")
    with transaction.atomic():
        if existing:  # a refused request may be asked again with a better reason
            existing.reason, existing.status, existing.proposed_by = reason, ExemptionStatus.PROPOSED, by
            existing.decided_by = existing.decided_at = None
            existing.full_clean()
            existing.save()
            return existing
        exemption = WeekExemption(ward=ward, week_start=week_start, reason=reason, proposed_by=by)
        exemption.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                exemption.save()
        except IntegrityError as error:  # proposed at the same moment by another DWO
            raise MonitoringError(f"The week of {week_start:%d %b %Y} already has an exemption.") from error
    return exemption


def exemption_decide(*, exemption: WeekExemption, agree: bool, by: User) -> WeekExemption:
    """The SNB agrees or refuses a proposed exemption. Only agreed exemptions count in compliance."""
    if exemption.status != ExemptionStatus.PROPOSED:
        raise MonitoringError("This exemption has already been decided.")
    with transaction.atomic():
        exemption.status = ExemptionStatus.AGREED if agree else ExemptionStatus.REFUSED
        exemption.decided_by = by
        exemption.decided_at = timezone.now()
        exemption.save(update_fields=["status", "decided_by", "decided_at"])
    return exemption


# --- outcomes ---------------------------------------------------------------------------

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

    Raises MonitoringError when the session has not ended, was not approved, a
    count is negative, or a session not held has no reason. A session not held
    has all its counts set to nought.
    """
    now = now or timezone.now()
    if session.status != SessionStatus.APPROVED:
        raise MonitoringError("Outcomes are recorded only for approved sessions.")
    if session.end > now:
        raise MonitoringError("You can record the outcome once the session has ended.")
    counts = {
        "attendance": attendance,
        "crimes_reported": crimes_reported,
        "advice_given": advice_given,
        "property_marked": property_marked,
        "signposted": signposted,
    }
    if any(value is None or value < 0 for value in counts.values()):
        raise MonitoringError("Counts cannot be negative.")
    if any(value > OUTCOME_MAX_COUNT for value in counts.values()):
        raise MonitoringError(f"Counts above {OUTCOME_MAX_COUNT:,} cannot be right; check the numbers.")
    not_held_reason = (not_held_reason or "").strip()
    if not held:
        if not not_held_reason:
            raise MonitoringError("Say why the session was not held.")
        counts = dict.fromkeys(counts, 0)
    else:
        not_held_reason = ""
    with transaction.atomic():
        outcome, _ = SessionOutcome.objects.update_or_create(
            session=session,
            defaults={
                "held": held,
                "not_held_reason": not_held_reason,
                "note": note.strip(),
                "recorded_by": by,
                **counts,
            },
        )
    return outcome


def outcome_reminder_send(*, user: User, sessions: Sequence[ContactSession]) -> bool:
    """E-mail ``user`` (text and HTML) about ``sessions`` that ended without an outcome."""
    if not user.email or not sessions:
        return False
    context = {"user": user, "sessions": sessions, "SITE_URL": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=f"Record the outcome of {len(sessions)} contact session{'s' if len(sessions) != 1 else ''}",
        body=render_to_string("emails/outcome_reminder.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/outcome_reminder.html", context), "text/html")
    message.send()
    return True


# --- the DWO roster ------------------------------------------------------------------------


def assignment_end(*, assignment: WardAssignment, end_date: dt.date, by: User) -> int:
    """End an officer's posting to a ward on ``end_date`` (their last day).

    Their sessions in that ward starting after ``end_date`` that are still live
    are flagged ``needs_reassignment``, and the borough's SNB members are told
    by e-mail once the change is committed. Returns how many sessions were flagged.
    """
    if assignment.end is not None and assignment.end < end_date:
        raise MonitoringError("This assignment has already ended.")
    if end_date < assignment.start:
        raise MonitoringError("The last day cannot be before the assignment started.")
    after = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time(0), tzinfo=rules.LONDON)
    with transaction.atomic():
        assignment.end = end_date
        assignment.full_clean()
        assignment.save(update_fields=["end"])
        sessions = list(
            ContactSession.objects.filter(
                ward=assignment.ward,
                officers=assignment.officer,
                start__gte=after,
                status__in=[SessionStatus.APPROVED, *rules.PLANNED_STATUSES],
            ).order_by("start")
        )
        ContactSession.objects.filter(pk__in=[s.pk for s in sessions]).update(needs_reassignment=True)
        public_cache_bump()  # update() sends no signals
        recipients = list(
            BoardMembership.objects.filter(borough=assignment.ward.borough_id)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        transaction.on_commit(lambda: _tell_board(assignment, sessions, recipients, by), robust=True)
    return len(sessions)


def _tell_board(assignment: WardAssignment, sessions: list[ContactSession], recipients: list[str], by: User) -> None:
    if not recipients:
        return
    context = {"assignment": assignment, "sessions": sessions, "by": by, "SITE_URL": settings.SITE_URL}
    body = render_to_string("emails/assignment_ended.txt", context)
    html = render_to_string("emails/assignment_ended.html", context)
    # One message each, so board members' addresses are not shared with one another.
    for email in recipients:
        message = EmailMultiAlternatives(
            subject=f"{assignment.officer} has left {assignment.ward.name}", body=body, to=[email]
        )
        message.attach_alternative(html, "text/html")
        message.send()
