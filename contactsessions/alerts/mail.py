"""The alert e-mails, sent through :func:`contactsessions.notify.send` by the tasks.

Every message to a subscriber carries a one-click unsubscribe (RFC 8058): the
``List-Unsubscribe`` header with the https link, ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` (a mail program POSTs to the link, no log-in, no CSRF
token), and the same link in the body.

Each is rendered in the active language: the tasks activate the subscriber's
(``translation.override``), so the links (``/pl/...``), the words and the dates follow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contactsessions import notify
from contactsessions.alerts import tokens
from contactsessions.events import PublicChange
from contactsessions.lib.links import absolute
from contactsessions.models import ContactSession
from wards.models import Ward


def unsubscribe_url(*, subscriber_id: int, ward_ids: list[int] | None) -> str:
    token = tokens.unsubscribe_token(subscriber_id=subscriber_id, ward_ids=ward_ids)
    return absolute(reverse("alerts:unsubscribe", args=[token]))


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _common() -> dict:
    return {"privacy_url": absolute(reverse("alerts:privacy")), "leave_url": absolute(reverse("alerts:leave"))}


def _ward_url(ward: Ward) -> str:
    return absolute(reverse("public:ward", args=[ward.code]))


def confirmation(*, email: str, ward: Ward, frequency: str, language: str | None = None, connection=None) -> None:
    token = tokens.confirm_token(email=email, ward_id=ward.pk, frequency=frequency, language=language)
    notify.send(
        to=[email],
        subject=_("Confirm e-mail alerts for %(ward)s") % {"ward": ward.name},
        template="alerts/confirm",
        context={
            **_common(),
            "ward": ward,
            "weekly": frequency == "weekly",
            "link": absolute(reverse("alerts:confirm", args=[token])),
            "days": tokens.CONFIRM_MAX_AGE.days,
        },
        connection=connection,
    )


@dataclass(frozen=True)
class Item:
    session: ContactSession
    change: str
    url: str

    @property
    def heading(self) -> str:
        return {
            PublicChange.PUBLISHED: _("New session"),
            PublicChange.MOVED: _("Session moved: new date, time or place"),
            PublicChange.CANCELLED: _("Session cancelled"),
        }[PublicChange(self.change)]


def session_changes(
    *, email: str, subscriber_id: int, ward: Ward, changes: Sequence[tuple[ContactSession, str]], connection=None
) -> None:
    """One message about ``ward``: each session published, moved or cancelled."""
    url = unsubscribe_url(subscriber_id=subscriber_id, ward_ids=[ward.pk])
    items = [Item(s, change, absolute(reverse("public:session", args=[s.pk]))) for s, change in changes]
    if len(items) == 1:
        start = timezone.localtime(items[0].session.start)
        when = f"{date_format(start, _('D j M'))} {start:%H:%M}"  # the day in the language's order
        subject = f"{items[0].heading}: {ward.name}, {when}"
    else:
        subject = ngettext(
            "%(count)d session changed in %(ward)s", "%(count)d sessions changed in %(ward)s", len(items)
        ) % {"count": len(items), "ward": ward.name}
    notify.send(
        to=[email],
        subject=subject,
        template="alerts/changes",
        context={**_common(), "ward": ward, "ward_url": _ward_url(ward), "items": items, "unsubscribe_url": url},
        connection=connection,
        headers=unsubscribe_headers(url),
    )


def weekly_summary(
    *,
    email: str,
    subscriber_id: int,
    wards: Sequence[tuple[Ward, Sequence[ContactSession]]],
    week_from: dt.date,
    connection=None,
) -> None:
    """The coming week's sessions of each ward the address follows weekly."""
    url = unsubscribe_url(subscriber_id=subscriber_id, ward_ids=[ward.pk for ward, _sessions in wards])
    names = ", ".join(ward.name for ward, _sessions in wards)
    notify.send(
        to=[email],
        subject=_("This week's contact sessions: %(wards)s") % {"wards": names},
        template="alerts/summary",
        context={
            **_common(),
            "wards": [
                (ward, _ward_url(ward), [(s, absolute(reverse("public:session", args=[s.pk]))) for s in sessions])
                for ward, sessions in wards
            ],
            "week_from": week_from,
            "unsubscribe_url": url,
        },
        connection=connection,
        headers=unsubscribe_headers(url),
    )


def leave_link(*, email: str, subscriber_id: int, wards: Sequence[Ward]) -> None:
    url = unsubscribe_url(subscriber_id=subscriber_id, ward_ids=None)
    notify.send(
        to=[email],
        subject=_("Stop your e-mail alerts about contact sessions"),
        template="alerts/leave",
        context={**_common(), "wards": wards, "unsubscribe_url": url},
        headers=unsubscribe_headers(url),
    )
