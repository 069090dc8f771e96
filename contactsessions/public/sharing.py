"""Words and links about published sessions for places outside the site.

Used by the iCal feed, the calendar links, the ready-to-post texts and the
open-data API, so a session is described the same way everywhere. The words are in the
active language (the page's, from its URL; English for the API and the English feeds),
and so are the links, which lead to the page in that language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from contactsessions.lib.links import absolute
from contactsessions.models import ContactSession, SessionFormat, SessionStatus
from wards.models import Ward

X_LIMIT = 280

WHAT_YOU_CAN_DO: dict[str, StrPromise] = {
    SessionFormat.STREET_BRIEFING: gettext_lazy(
        "On the street: report a crime, raise a local problem or ask for advice."
    ),
    SessionFormat.SURGERY: gettext_lazy(
        "Talk to your officers in private: report a crime, raise a local problem or get advice."
    ),
    SessionFormat.CUPPA: gettext_lazy(
        "A relaxed chat over a cup of tea: raise local problems, report a crime or get advice."
    ),
    SessionFormat.COMMUNITY_EVENT: gettext_lazy(
        "At a community event: ask your officers questions and get crime-prevention advice."
    ),
    SessionFormat.PROPERTY_MARKING: gettext_lazy(
        "Have bikes, phones and valuables marked, and get crime-prevention advice."
    ),
    SessionFormat.OTHER: gettext_lazy("Meet your officers: report a crime, raise a local problem or get advice."),
}
EMERGENCY = gettext_lazy("In an emergency call 999. For non-emergencies call 101 or report online at met.police.uk.")
EMERGENCY_ALWAYS = gettext_lazy(
    "In an emergency always call 999. For non-emergencies call 101 or report online at met.police.uk."
)


def public_session_url(session: ContactSession) -> str:
    return absolute(reverse("public:session", args=[session.pk]))


def ward_url(ward: Ward) -> str:
    return absolute(reverse("public:ward", args=[ward.code]))


def webcal(url: str) -> str:
    """The same feed URL with the webcal scheme, which opens a calendar app to subscribe."""
    return "webcal://" + url.split("://", 1)[-1]


def what_you_can_do(session: ContactSession) -> str:
    return str(WHAT_YOU_CAN_DO.get(session.format, WHAT_YOU_CAN_DO[SessionFormat.OTHER]))


def _day(moment: dt.datetime) -> str:
    """ "Wednesday 2 December" in the active language's order and grammar."""
    return date_format(timezone.localtime(moment), _("l j F"))


def _short_day(moment: dt.datetime) -> str:
    """ "Wed 2 Dec" in the active language."""
    return date_format(timezone.localtime(moment), _("D j M"))


def _time(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


_FORMAT_LABELS: dict[str, StrPromise] = dict(SessionFormat.choices)


def format_label(session: ContactSession) -> str:
    """``session.get_format_display()``, translating only its own format's name (Django's
    translates every format's to look one up: a third of the ward page's schema.org list)."""
    label = _FORMAT_LABELS.get(session.format)
    return session.format if label is None else str(label)


def title(session: ContactSession) -> str:
    text = _("%(format)s with your %(ward)s ward officers") % {
        "format": format_label(session),
        "ward": session.ward.name,
    }
    if session.status == SessionStatus.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": text}
    return text


def location(session: ContactSession) -> str:
    """Where: the venue's name and address; "Online" for an online-only session; a hybrid
    session's venue "and online". (The joining link itself is :func:`joining_line`.)"""
    venue = session.venue
    if venue is None:
        return gettext("Online")
    place = f"{venue.name}, {venue.address}, {venue.postcode}"
    return gettext("%(place)s, and online") % {"place": place} if session.has_online_part else place


def joining_line(session: ContactSession) -> str:
    """ "Join online: <link>" for an approved session with an online part; else empty."""
    link = session.public_joining_link
    return gettext("Join online: %(link)s") % {"link": link} if link else ""


def when(session: ContactSession) -> str:
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": _day(session.start),
        "start": _time(session.start),
        "end": _time(session.end),
    }


def description(session: ContactSession) -> str:
    parts = []
    if session.status == SessionStatus.CANCELLED:
        parts.append((_("This session is cancelled.") + " " + session.cancellation_reason).strip())
    parts.append(what_you_can_do(session))
    if session.description:
        parts.append(session.description)
    if session.venue is not None:
        facts = session.venue.accessibility_facts
        if facts:
            parts.append(_("Access: %(facts)s.") % {"facts": ", ".join(str(fact) for fact in facts)})
        if session.venue.accessibility_notes:
            parts.append(session.venue.accessibility_notes)
    if joining_line(session):
        parts.append(joining_line(session))
    parts.append(str(EMERGENCY))
    parts.append(public_session_url(session))
    return "\n\n".join(parts)


def _utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_link(session: ContactSession) -> str:
    query = {
        "action": "TEMPLATE",
        "text": title(session),
        "dates": f"{_utc_stamp(session.start)}/{_utc_stamp(session.end)}",
        "details": description(session),
        "location": location(session),
        "ctz": "Europe/London",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_link(session: ContactSession, *, personal: bool = False) -> str:
    """Outlook on the web: work and school accounts (Office 365), or ``personal`` Outlook.com ones."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title(session),
        "startdt": session.start.astimezone(dt.UTC).isoformat(),
        "enddt": session.end.astimezone(dt.UTC).isoformat(),
        "body": description(session),
        "location": location(session),
    }
    host = "outlook.live.com" if personal else "outlook.office.com"
    return f"https://{host}/calendar/0/deeplink/compose?" + urlencode(query)


def _fit(text: str, link: str, limit: int = X_LIMIT) -> str:
    """``text`` and ``link`` in at most ``limit`` characters, shortening the text, never the link."""
    room = limit - len(link) - 1
    if len(text) > room:
        text = text[: max(room - 1, 0)].rstrip() + "…"
    return f"{text} {link}"


def _at_place(session: ContactSession, *, postcode: bool = False) -> str:
    """ "at <venue>[, <postcode>]", "online", or "at <venue> and online", for one-line texts."""
    venue = session.venue
    if venue is None:
        return gettext("online")
    place = f"{venue.name}, {venue.postcode}" if postcode else venue.name
    if session.has_online_part:
        return gettext("at %(place)s and online") % {"place": place}
    return gettext("at %(place)s") % {"place": place}


def session_post_short(session: ContactSession) -> str:
    """For X: one line, at most 280 characters including the link."""
    text = _(
        "Meet your %(ward)s ward officers: %(format)s %(day)s %(start)s-%(end)s %(place)s. All welcome. %(hashtag)s"
    ) % {
        "ward": session.ward.name,
        "format": format_label(session).lower(),
        "day": _short_day(session.start),
        "start": _time(session.start),
        "end": _time(session.end),
        "place": _at_place(session, postcode=True),
        "hashtag": "#" + session.ward.borough.name.replace(" ", ""),
    }
    return _fit(text, public_session_url(session))


def session_post_long(session: ContactSession) -> str:
    """For Facebook and newsletters: a few short paragraphs."""
    return "\n\n".join(
        [
            _("Come and meet your %(ward)s Dedicated Ward Officers.") % {"ward": session.ward.name},
            "\n".join(
                [
                    _("When: %(when)s") % {"when": when(session)},
                    _("Where: %(where)s") % {"where": location(session)},
                    _("What: %(what)s") % {"what": format_label(session)},
                ]
            ),
            what_you_can_do(session),
            *([joining_line(session)] if joining_line(session) else []),
            _("Details and add to your calendar: %(url)s") % {"url": public_session_url(session)},
            str(EMERGENCY_ALWAYS),
        ]
    )


def week_post_short(ward: Ward, sessions: Sequence[ContactSession]) -> str:
    link = ward_url(ward)
    if not sessions:
        return _fit(_("Your %(ward)s ward officers: see when and where to meet them.") % {"ward": ward.name}, link)
    times = "; ".join(
        _("%(day)s %(time)s %(place)s")
        % {"day": date_format(timezone.localtime(s.start), "D"), "time": _time(s.start), "place": _at_place(s)}
        for s in sessions
    )
    return _fit(_("Meet your %(ward)s ward officers this week: %(times)s.") % {"ward": ward.name, "times": times}, link)


def week_post_long(ward: Ward, sessions: Sequence[ContactSession]) -> str:
    lines = [_("Meet your %(ward)s Dedicated Ward Officers this week.") % {"ward": ward.name}]
    if sessions:
        lines.append("\n".join(f"• {when(s)}: {location(s)}" for s in sessions))
    else:
        lines.append(_("No sessions are planned this week yet."))
    lines.append(_("All sessions and calendar subscription: %(url)s") % {"url": ward_url(ward)})
    lines.append(str(EMERGENCY_ALWAYS))
    return "\n\n".join(lines)
