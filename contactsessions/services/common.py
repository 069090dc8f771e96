"""Steps every session write shares: lock the row, refuse a stale form, bump the
version, and record the step in the session's trail."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from contactsessions import rules
from contactsessions.models import (
    ContactSession,
    SessionComment,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from contactsessions.services.errors import ServiceError, StaleVersion


def london_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day`` in London. A time the clocks skip is refused (``time.skipped``) rather
    than silently moved an hour, so the session is never saved at a time nobody typed."""
    if not rules.exists_in_london(day, time):
        raise ServiceError(
            "time.skipped",
            f"{time:%H:%M} does not exist on {day:%A %-d %B %Y}: the clocks go forward from 01:00 to 02:00 "
            "that night. Choose another time.",
        )
    return dt.datetime.combine(day, time, tzinfo=rules.LONDON)


def lock_session(session: ContactSession, version: int | None) -> ContactSession:
    """Re-read the session under a row lock and refuse if its version moved on."""
    locked = (
        ContactSession.objects.select_for_update(of=("self",))
        .select_related("ward__borough", "venue")
        .get(pk=session.pk)
    )
    if version is not None and locked.version != version:
        raise StaleVersion()
    return locked


def bump_version(session: ContactSession, *, public: bool = False) -> list[str]:
    session.version += 1
    fields = ["version", "updated_at"]
    if public:
        session.sequence += 1
        fields.append("sequence")
    return fields


def record_step(session: ContactSession, by: User, kind: str, text: str = "") -> SessionComment:
    return SessionComment.objects.create(session=session, author=by, kind=kind, text=text)


PENDING_FIELDS = [
    "pending_start",
    "pending_end",
    "pending_venue",
    "pending_attendance_mode",
    "pending_joining_link",
    "has_pending_change",
]


def clear_pending(session: ContactSession) -> None:
    session.pending_start = session.pending_end = session.pending_venue = None
    session.pending_attendance_mode = session.pending_joining_link = ""
    session.has_pending_change = False
