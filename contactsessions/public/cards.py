"""The ward page's session cards, prepared once per session in Python (issue 19, round four).

A card printed by the template cost about 0.4 ms: a ``{% url %}``, a ``{% blocktranslate %}``
with two ``date``/``time`` filters, the venue's access facts translated and joined, a nested
``{% include %}``, each value resolved and escaped through Django's lazy-aware wrappers.
Here the strings are made once per page (the session address reversed once and filled in
with each id, as the SNB queue does; each label translated once) and the template only
prints them. What they print is what the template printed, byte for byte, in every language:
the same messages (``"%(day)s, %(start)s to %(end)s"`` and the day's format ``"l j F"``),
the values escaped as ``blocktranslate`` escapes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from contactsessions.models import ContactSession, SessionFormat, SessionStatus
from venues.models import Venue


@dataclass(frozen=True)
class SessionCard:
    """What ``public/includes/_session_summary.html`` prints of one session."""

    pk: int
    url: str
    when: SafeString  # "Monday 3 November, 10:00 to 11:00", translated
    cancelled: bool
    cancellation_reason: str
    change_under_review: bool
    venue: Venue | None
    online: bool  # an online part: online only, or in person and online
    joining_link: str  # only an approved session's (ContactSession.public_joining_link)
    distance: str | None  # "0.6 km" from the postcode searched
    format_label: str
    enhanced: bool
    access_facts: str  # the venue's facts, joined with ", "
    access_notes: str


class _Labels:
    """The texts every card of a page shares, each translated or reversed once a page."""

    MARK = "2147483647"  # an id no session has, to find where the id goes in the address

    def __init__(self) -> None:
        self.link = reverse("public:session", args=[self.MARK]).split(self.MARK)
        self.when = gettext("%(day)s, %(start)s to %(end)s")
        self.day_format = gettext("l j F")
        self.formats = {value: str(label) for value, label in SessionFormat.choices}
        self.zone = timezone.get_current_timezone()  # the date filter's, looked up once

    def url(self, pk: int) -> str:
        return f"{self.link[0]}{pk}{self.link[1]}"

    def when_text(self, session: ContactSession) -> SafeString:
        start, end = session.start.astimezone(self.zone), session.end.astimezone(self.zone)
        data = {
            "day": conditional_escape(dateformat.format(start, self.day_format)),
            "start": f"{start:%H:%M}",  # the time filter's "H:i"
            "end": f"{end:%H:%M}",
        }
        # The message is trusted as the template's text is; only the values are escaped.
        return mark_safe(self.when % data)  # noqa: S308  # nosec B308 B703: values escaped above


def session_cards(sessions: Sequence[ContactSession], distances: dict[int, str | None]) -> list[SessionCard]:
    """A card for each session (no queries: each session's venue is already read).
    ``distances`` are the labels of the venues' distances from a postcode, by venue id."""
    labels = _Labels()
    cards = []
    for session in sessions:
        venue = session.venue
        cards.append(
            SessionCard(
                pk=session.pk,
                url=labels.url(session.pk),
                when=labels.when_text(session),
                cancelled=session.status == SessionStatus.CANCELLED,
                cancellation_reason=session.cancellation_reason,
                change_under_review=session.has_pending_change and session.status == SessionStatus.APPROVED,
                venue=venue,
                online=session.has_online_part,
                joining_link=session.public_joining_link,
                distance=distances.get(session.venue_id) if session.venue_id else None,
                format_label=labels.formats.get(session.format, session.format),
                enhanced=session.kind == "enhanced",
                access_facts=", ".join(venue.accessibility_facts) if venue is not None else "",
                access_notes=venue.accessibility_notes if venue is not None else "",
            )
        )
    return cards
