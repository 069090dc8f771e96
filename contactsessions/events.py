"""Changes to what the public sees of a session, announced after the commit.

The services say when a session is published (approved), moved (an approved session's new
date, time or venue applied) or cancelled; apps above the core listen (the e-mail alerts
of :mod:`contactsessions.alerts`), so the core never imports them. The signal is sent
only after the transaction commits, and ``robust``: a listener that fails is logged and
never undoes or fails the write.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from django.db import transaction
from django.dispatch import Signal


class PublicChange(StrEnum):
    PUBLISHED = "published"
    MOVED = "moved"
    CANCELLED = "cancelled"


# Sent with ``changes``: a list of (session pk, PublicChange value) pairs, in the order made.
sessions_changed = Signal()


def announce_on_commit(changes: Sequence[tuple[int, PublicChange]]) -> None:
    """Send ``sessions_changed`` once the current transaction commits (at once outside one)."""
    if not changes:
        return
    pairs = [(pk, str(change)) for pk, change in changes]
    transaction.on_commit(lambda: sessions_changed.send(sender=PublicChange, changes=pairs), robust=True)
