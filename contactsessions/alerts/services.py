"""Every write of the e-mail alerts: ask to follow a ward, confirm, unsubscribe, ask to leave.

The same contract as the core's services (:mod:`contactsessions.services`): keyword-only
arguments, ``ServiceError`` with stable codes when refused (nothing saved), mail queued
with django-tasks after the commit and sent by the worker, never in the request.

Nothing here tells anybody whether an address follows a ward: asking to follow and
asking to leave answer the same whatever the address, and mail goes only to the address
itself. Codes:

``alerts.disposable``     a throwaway address (``disposable_domains.txt``)
``alerts.frequency``      neither "each" nor "weekly"
``alerts.link_expired``   a confirmation or unsubscribe link past its age
``alerts.link_invalid``   a link altered or cut short
``alerts.ward_gone``      the ward of a confirmation link no longer exists
``alerts.ward_redrawn``   the ward of a confirmation link was redrawn by a boundary change
                          (``WardRedrawn``, carrying the current wards that hold its area)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from contactsessions.alerts import tasks, tokens
from contactsessions.alerts.models import ConfirmationSent, Frequency, Subscriber, Subscription
from contactsessions.services.errors import ServiceError
from wards.models import Ward, WardSuccession

# At most one link a purpose per address in this time, however often it is asked for.
LINK_INTERVAL = dt.timedelta(hours=1)
# Confirmation links: one an hour per address, ward and frequency, and at most this many an
# hour to one address in all (someone following several wards asks for several).
CONFIRMATIONS_PER_ADDRESS = 5
DISPOSABLE_DOMAINS_FILE = Path(__file__).with_name("disposable_domains.txt")


def normalise_email(email: str) -> str:
    return email.strip().lower()


@lru_cache(maxsize=1)
def _disposable_domains() -> frozenset[str]:
    lines = DISPOSABLE_DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_disposable(email: str) -> bool:
    """True when the address's domain, or a domain it is under, is a known throwaway one."""
    domain = email.rpartition("@")[2].lower().rstrip(".")
    parts = domain.split(".")
    return any(".".join(parts[i:]) in _disposable_domains() for i in range(len(parts) - 1))


def forget_old_link_records(*, now: dt.datetime | None = None) -> int:
    """Delete the digests older than ``LINK_INTERVAL``; they have done their work."""
    now = now or timezone.now()
    deleted, _by_model = ConfirmationSent.objects.filter(sent_at__lte=now - LINK_INTERVAL).delete()
    return deleted


class _Refused(Exception):
    """Undo a half-recorded link (``_link_allowed``)."""


def _digest(text: str) -> str:
    return salted_hmac("contactsessions.alerts.link-sent", text, algorithm="sha256").hexdigest()


def _link_allowed(purpose: str, email: str, now: dt.datetime, *, scope: str = "", cap: int = 0) -> bool:
    """Record that a link for ``purpose`` (and ``scope``, e.g. a ward and frequency) goes to
    ``email`` now, unless one went within the hour or, with ``cap``, ``cap`` links for the
    purpose went to the address within the hour whatever their scope.

    Only keyed digests of the address are kept, and only for ``LINK_INTERVAL``.
    """
    own = _digest(f"{purpose}:{email}:{scope}" if scope else f"{purpose}:{email}")
    try:
        with transaction.atomic():
            forget_old_link_records(now=now)
            row, created = ConfirmationSent.objects.select_for_update().get_or_create(
                digest=own, defaults={"sent_at": now}
            )
            if not created:
                if row.sent_at > now - LINK_INTERVAL:
                    return False
                row.sent_at = now
                row.save(update_fields=["sent_at"])
            if cap:
                # One row a link, in numbered slots: the address's count, without the address.
                slots = [_digest(f"{purpose}-slot-{n}:{email}") for n in range(cap)]
                taken = set(
                    ConfirmationSent.objects.select_for_update()
                    .filter(digest__in=slots)
                    .values_list("digest", flat=True)
                )
                free = [slot for slot in slots if slot not in taken]
                if not free:
                    raise _Refused
                ConfirmationSent.objects.create(digest=free[0], sent_at=now)
    except _Refused:
        return False
    return True


def alert_request(*, email: str, ward: Ward, frequency: str, now: dt.datetime | None = None) -> bool:
    """Ask to hear about ``ward``'s sessions at ``email``: queue a confirmation link to it.

    Nothing about the address is stored (the link carries it); nothing else is sent until
    the link is used. At most one link an hour per address, ward and frequency, and
    ``CONFIRMATIONS_PER_ADDRESS`` an hour per address: beyond that nothing is queued and
    it returns False (the caller may say a link went recently, nothing about a subscription). Raises
    ``alerts.disposable`` and ``alerts.frequency``.
    """
    email = normalise_email(email)
    if frequency not in Frequency.values:
        raise ServiceError("alerts.frequency", _("Choose how often you would like to hear from us."), field="frequency")
    if is_disposable(email):
        raise ServiceError(
            "alerts.disposable",
            _(
                "That looks like a temporary (disposable) e-mail address. Alerts go on for weeks: "
                "use an address you will still read."
            ),
            field="email",
        )
    now = now or timezone.now()
    if not _link_allowed("confirm", email, now, scope=f"{ward.pk}:{frequency}", cap=CONFIRMATIONS_PER_ADDRESS):
        return False
    ward_id = ward.pk
    language = tokens.known_language(translation.get_language())  # the sign-up page's language
    transaction.on_commit(
        lambda: tasks.send_confirmation.enqueue(email=email, ward_id=ward_id, frequency=frequency, language=language),
        robust=True,
    )
    return True


def _link_error(problem: tokens.LinkProblem) -> ServiceError:
    if problem is tokens.LinkProblem.EXPIRED:
        return ServiceError(
            "alerts.link_expired",
            _(
                "This link is too old to use. Nothing has changed. "
                "Ask again and use the new link soon after it arrives."
            ),
        )
    return ServiceError(
        "alerts.link_invalid",
        _(
            "This link is not complete or has been changed, so it cannot be used. Nothing has changed. "
            "Copy the whole link from the e-mail, or ask for a new one."
        ),
    )


class WardRedrawn(ServiceError):
    """A confirmation link names a ward redrawn since; ``wards`` are the current wards
    holding its area, for the resident to choose from."""

    def __init__(self, old: Ward, wards: list[Ward]) -> None:
        super().__init__(
            "alerts.ward_redrawn",
            _(
                "%(ward)s was redrawn when London's ward boundaries changed, so this link cannot start alerts "
                "for it. Nothing has changed. Choose the ward that covers your area now and ask again there."
            )
            % {"ward": old.name},
        )
        self.wards = wards


MAX_HOPS = 4  # 2014 -> 2018 -> 2022 -> ...


def current_successors(ward: Ward) -> list[Ward]:
    """The current wards that took over the old ``ward``'s area, through every change since."""
    found: dict[int, Ward] = {}
    frontier = {ward.pk}
    for _hop in range(MAX_HOPS):
        if not frontier:
            break
        rows = WardSuccession.objects.filter(predecessor_id__in=frontier).select_related("successor")
        frontier = set()
        for row in rows:
            if row.successor.is_current:
                found[row.successor_id] = row.successor
            else:
                frontier.add(row.successor_id)
    return sorted(found.values(), key=lambda w: w.name)


@dataclass(frozen=True)
class Confirmation:
    email: str
    ward: Ward
    frequency: str
    language: str


def read_confirmation(token: str) -> Confirmation:
    """What a confirmation link would confirm; raises ``ServiceError`` for a bad or old link."""
    try:
        asked = tokens.read_confirm_token(token)
    except tokens.BadLink as exc:
        raise _link_error(exc.problem) from exc
    if asked.frequency not in Frequency.values:
        raise _link_error(tokens.LinkProblem.INVALID)
    ward = Ward.objects.select_related("borough").filter(pk=asked.ward_id).first()
    if ward is None:
        raise ServiceError("alerts.ward_gone", _("That ward no longer exists, so there is nothing to follow."))
    if not ward.is_current:
        raise WardRedrawn(ward, current_successors(ward))
    return Confirmation(email=asked.email, ward=ward, frequency=asked.frequency, language=asked.language)


def alert_confirm(*, token: str, now: dt.datetime | None = None) -> Subscription:
    """Use a confirmation link: from now on ``ward``'s news goes to the address, as chosen.

    Using it again, or a newer link with another choice, updates the choice. Raises
    ``alerts.link_expired``, ``alerts.link_invalid``, ``alerts.ward_gone`` and
    ``alerts.ward_redrawn``.
    """
    confirmation = read_confirmation(token)
    now = now or timezone.now()
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.update_or_create(
            email=confirmation.email, defaults={"language": confirmation.language}
        )
        subscription, _created = Subscription.objects.update_or_create(
            subscriber=subscriber,
            ward=confirmation.ward,
            defaults={"frequency": confirmation.frequency, "confirmed_at": now},
        )
    return subscription


@dataclass(frozen=True)
class Unsubscribe:
    subscriber_id: int
    ward_ids: tuple[int, ...] | None
    wards: list[Ward]  # named in the link and still existing; empty for "all"


def read_unsubscribe(token: str) -> Unsubscribe:
    """What an unsubscribe link would stop; raises ``ServiceError`` for a bad or old link."""
    try:
        asked = tokens.read_unsubscribe_token(token)
    except tokens.BadLink as exc:
        raise _link_error(exc.problem) from exc
    wards = [] if asked.ward_ids is None else list(Ward.objects.filter(pk__in=asked.ward_ids).order_by("name"))
    return Unsubscribe(subscriber_id=asked.subscriber_id, ward_ids=asked.ward_ids, wards=wards)


def alert_unsubscribe(*, token: str) -> Unsubscribe:
    """Use an unsubscribe link: stop the wards it names (all, for a leaving link).

    Needs no log-in: the signed link is the proof. Using it twice is harmless. Once an
    address follows no ward it is deleted. Raises ``alerts.link_expired`` and
    ``alerts.link_invalid``.
    """
    asked = read_unsubscribe(token)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=asked.subscriber_id).first()
        if subscriber is not None:
            stopping = Subscription.objects.filter(subscriber=subscriber)
            if asked.ward_ids is not None:
                stopping = stopping.filter(ward_id__in=asked.ward_ids)
            stopping.delete()
            if not Subscription.objects.filter(subscriber=subscriber).exists():
                subscriber.delete()
    return asked


def alert_leave_request(*, email: str, now: dt.datetime | None = None) -> bool:
    """Ask for a link that stops every alert to ``email``; the worker sends it only if the
    address follows a ward. At most one an hour per address (False: none queued)."""
    email = normalise_email(email)
    if not _link_allowed("leave", email, now or timezone.now()):
        return False
    language = tokens.known_language(translation.get_language())
    transaction.on_commit(lambda: tasks.send_leave_link.enqueue(email=email, language=language), robust=True)
    return True
