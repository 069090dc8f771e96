"""Comments on a session by its Ward Panel, DWOs or SNB."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from contactsessions import notify, permissions
from contactsessions.models import (
    CommentKind,
    ContactSession,
    SessionComment,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Sessions that hold an officer's time, for the overlap check.

from contactsessions.services.common import record_step
from contactsessions.services.errors import SessionError


def comment_add(*, session: ContactSession, by: User, text: str) -> SessionComment:
    """A Ward Panel, DWO or SNB comment; the others who follow the session are told."""
    text = text.strip()
    if not text:
        raise SessionError("Write a comment first.")
    if not permissions.can_comment(by, session):
        raise SessionError("You can comment only on sessions in your ward or borough.")
    with transaction.atomic():
        comment = record_step(session, by, CommentKind.COMMENT, text)
    transaction.on_commit(lambda: notify.comment_added(comment), robust=True)
    return comment
