"""Listens to the core's :data:`contactsessions.events.sessions_changed` (sent after the
commit) and queues the alert e-mails for the worker; nothing is sent in the request."""

from __future__ import annotations

from typing import Any

from contactsessions.alerts import tasks
from contactsessions.alerts.models import Frequency, Subscription
from contactsessions.models import ContactSession


def queue_alerts(sender: Any, changes: list[tuple[int, str]], **kwargs: Any) -> None:
    """Queue one task for the changes, only if anybody follows one of their wards."""
    ward_ids = ContactSession.objects.filter(pk__in=[pk for pk, _change in changes]).values("ward_id")
    if Subscription.objects.filter(ward_id__in=ward_ids, frequency=Frequency.EACH).exists():
        tasks.send_session_alerts.enqueue(changes=[[pk, change] for pk, change in changes])
