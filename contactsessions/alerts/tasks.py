"""The alerts' background work (django-tasks): every alert e-mail is sent here, by the
worker (``manage.py db_worker``) in production, never in the request that caused it.

Each message is written in the subscriber's language (``Subscriber.language``, the language
of the page where they signed up; a link asked for is written in the asking page's).

Each task reads the database afresh, so what it sends is the state when it runs: a
session cancelled before its "new session" alert went out is not announced as new.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from contactsessions.alerts import mail, tokens
from contactsessions.alerts.models import Frequency, Subscriber, Subscription
from contactsessions.events import PublicChange
from contactsessions.models import ContactSession, SessionStatus
from wards.models import Ward

logger = logging.getLogger(__name__)

# A second run of the weekly job within this time sends nothing more to the same address.
SUMMARY_INTERVAL = dt.timedelta(days=6)
SUMMARY_DAYS = 7
# The status a session must still have for its alert to be true when sent.
_STATUS_FOR = {
    PublicChange.PUBLISHED: SessionStatus.APPROVED,
    PublicChange.MOVED: SessionStatus.APPROVED,
    PublicChange.CANCELLED: SessionStatus.CANCELLED,
}


@task()
def send_confirmation(*, email: str, ward_id: int, frequency: str, language: str | None = None) -> None:
    ward = Ward.objects.filter(pk=ward_id).first()
    if ward is not None:
        language = tokens.known_language(language)
        with translation.override(language):
            mail.confirmation(email=email, ward=ward, frequency=frequency, language=language)


@task()
def send_leave_link(*, email: str, language: str | None = None) -> None:
    """The link that stops every alert, if the address follows any ward; nothing otherwise."""
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        return
    wards = list(Ward.objects.filter(pk__in=subscriber.subscriptions.values("ward_id")).order_by("name"))
    with translation.override(tokens.known_language(language or subscriber.language)):
        mail.leave_link(email=subscriber.email, subscriber_id=subscriber.pk, wards=wards)


@task()
def send_session_alerts(*, changes: list[list]) -> int:
    """Tell each address following a session's ward "for each change" what changed; one
    message per address and ward. Returns how many were sent."""
    wanted = {int(pk): PublicChange(change) for pk, change in changes}
    sessions = ContactSession.objects.published().filter(pk__in=wanted).select_related("ward", "venue")
    by_ward: dict[int, list[tuple[ContactSession, str]]] = {}
    wards: dict[int, Ward] = {}
    for session in sessions:
        change = wanted[session.pk]
        if session.status != _STATUS_FOR[change]:
            continue  # changed again since: a later alert tells the truth
        by_ward.setdefault(session.ward_id, []).append((session, change))
        wards[session.ward_id] = session.ward
    sent = 0
    with get_connection() as connection:
        for ward_id, items in by_ward.items():
            subscriptions = Subscription.objects.filter(ward_id=ward_id, frequency=Frequency.EACH).select_related(
                "subscriber"
            )
            for subscription in subscriptions:
                try:
                    with translation.override(tokens.known_language(subscription.subscriber.language)):
                        mail.session_changes(
                            email=subscription.subscriber.email,
                            subscriber_id=subscription.subscriber_id,
                            ward=wards[ward_id],
                            changes=sorted(items, key=lambda item: item[0].start),
                            connection=connection,
                        )
                    sent += 1
                except Exception:  # one refused address must not stop the others
                    logger.exception("Alert to subscriber %s not sent", subscription.subscriber_id)
    return sent


@task()
def send_weekly_summary(*, subscriber_id: int) -> bool:
    """The coming week's sessions of every ward the address follows weekly. Sent at most
    once in ``SUMMARY_INTERVAL``, so the cron job is safe to run again. True if sent."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:
            return False
        if subscriber.summary_sent_at is not None and subscriber.summary_sent_at > now - SUMMARY_INTERVAL:
            return False
        ward_ids = subscriber.subscriptions.filter(frequency=Frequency.WEEKLY).values("ward_id")
        wards = list(Ward.objects.filter(pk__in=ward_ids).order_by("name"))
        if not wards:
            return False
        until = now + dt.timedelta(days=SUMMARY_DAYS)
        coming = [
            (
                ward,
                list(
                    ContactSession.objects.published()
                    .filter(ward=ward, end__gte=now, start__lt=until)
                    .select_related("venue")
                    .order_by("start")
                ),
            )
            for ward in wards
        ]
        subscriber.summary_sent_at = now
        subscriber.save(update_fields=["summary_sent_at"])
        # Sent inside the transaction: if the mail server refuses, the time is not recorded
        # and the next run tries again.
        with translation.override(tokens.known_language(subscriber.language)):
            mail.weekly_summary(
                email=subscriber.email, subscriber_id=subscriber.pk, wards=coming, week_from=timezone.localdate(now)
            )
    return True
