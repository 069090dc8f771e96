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

from contactsessions.services.common import record_step
from contactsessions.services.errors import ServiceError


def comment_add(*, session: ContactSession, by: User, text: str) -> SessionComment:
    """A Ward Panel, DWO or SNB comment; the others who follow the session are told."""
    text = text.strip()
    if not text:
        raise ServiceError("comment.empty", "Write a comment first.", field="text")
    if not permissions.can_comment(by, session):
        raise ServiceError("permission.denied", "You can comment only on sessions in your ward or borough.")
    with transaction.atomic():
        comment = record_step(session, by, CommentKind.COMMENT, text)
    transaction.on_commit(lambda: notify.comment_added(comment), robust=True)
    return comment
