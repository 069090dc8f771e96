"""Published sessions as an RFC 5545 calendar.

UIDs are built from the session's primary key and our host, so calendar apps
update an entry when it changes (SEQUENCE goes up) instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from contactsessions.models import ContactSession, SessionStatus
from contactsessions.public import sharing
from contactsessions.rules import LONDON

PRODID = "-//Contact Sessions//Community Contact Sessions//EN"

# RFC 5545 TEXT holds no control character but HTAB (3.3.11; line breaks are escaped). What
# people type or paste may: Word's manual line break (VT) and a form feed read as new lines,
# any other control is dropped, so the feed stays valid whatever a description holds.
_CONTROLS = dict.fromkeys((*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)) | {0x0B: "\n", 0x0C: "\n"}


def _text(value: str) -> str:
    return value.translate(_CONTROLS)


def session_uid(session: ContactSession) -> str:
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    return f"contactsession-{session.pk}@{host}"


def _event(session: ContactSession, notice: str | None = None) -> icalendar.Event:
    # DTSTAMP is the last change, not "now", so an unchanged feed is byte-identical
    # and its ETag lets calendar apps poll cheaply.
    changed = session.updated_at.astimezone(dt.UTC).replace(microsecond=0)
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", changed)
    event.add("dtstart", session.start.astimezone(LONDON))
    event.add("dtend", session.end.astimezone(LONDON))
    event.add("summary", _text(sharing.title(session)))
    event.add("location", _text(sharing.location(session)))
    description = sharing.description(session)
    event.add("description", _text(f"{notice}\n\n{description}" if notice else description))
    event.add("url", sharing.public_session_url(session))
    event.add("sequence", session.sequence)
    event.add("last-modified", changed)
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    venue = session.venue
    if venue is not None and venue.latitude is not None and venue.longitude is not None:
        event.add("geo", (float(venue.latitude), float(venue.longitude)))
    link = session.public_joining_link
    if link:
        # RFC 7986 CONFERENCE: calendar apps show a "join" button. FEATURE is a list of two
        # values (a string would be quoted, one value "AUDIO,VIDEO"). Only an approved
        # session's link is ever published (ContactSession.public_joining_link).
        parameters: dict[str, Any] = {"VALUE": "URI", "FEATURE": ["AUDIO", "VIDEO"], "LABEL": gettext("Join online")}
        event.add("conference", icalendar.vUri(link), parameters=parameters)
    return event


def sessions_to_ical(
    sessions: Iterable[ContactSession],
    *,
    name: str = "Community Contact Sessions",
    notices: Mapping[tuple[int, int], str] | None = None,
) -> bytes:
    """Serialise published sessions (venue and ward loaded) to iCalendar bytes.

    ``notices``: text to put first in the description of the sessions of a (ward id,
    venue id), such as an Enhanced site's announced move; also the calendar's description.
    """
    notices = notices or {}
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _text(name))
    cal.add("x-wr-timezone", "Europe/London")
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    if notices:
        cal.add("x-wr-caldesc", _text("\n".join(dict.fromkeys(notices.values()))))
    # Belt and braces: callers pass published() sessions only.
    public = [session for session in sessions if session.is_public]
    for session in public:
        notice = notices.get((session.ward_id, session.venue_id)) if session.venue_id is not None else None
        cal.add_component(_event(session, notice))
    # The VTIMEZONE must cover every event; cover today too so an empty feed has one.
    years = [timezone.localdate().year] + [timezone.localtime(s.start).year for s in public]
    first, last = dt.date(min(years) - 1, 1, 1), dt.date(max(years) + 2, 1, 1)
    cal.add_missing_timezones(first_date=first, last_date=last)
    if not cal.walk("VTIMEZONE"):
        # An empty feed still says which zone it is in.
        cal.add_component(icalendar.Timezone.from_tzid("Europe/London", first_date=first, last_date=last))
    return cal.to_ical()
