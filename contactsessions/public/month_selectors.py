"""Reads for the borough's month in print (``public.views.printed``): every ward's approved
sessions in one month, grouped by ward and venue. Starts from ``published()`` like every
public read (``public.selectors``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from contactsessions import rules
from contactsessions.models import ContactSession
from venues.models import Venue
from wards.models import Borough, Ward


@dataclass
class VenueSessions:
    """One venue of a ward's month, with the sessions held there, soonest first (``venue`` None:
    the ward's online-only sessions)."""

    venue: Venue | None
    sessions: list[ContactSession] = field(default_factory=list)

    @property
    def lines(self) -> list[list[ContactSession]]:
        """The sessions in lines of one weekday, start, end and format, in order of their first
        date: a weekly series prints as one line ("Tue 5, 12, 19, 26 Jan 10:00–11:00")."""
        lines: dict[tuple, list[ContactSession]] = {}
        for session in self.sessions:
            start, end = timezone.localtime(session.start), timezone.localtime(session.end)
            lines.setdefault((start.weekday(), start.time(), end.time(), session.format), []).append(session)
        return list(lines.values())


@dataclass
class WardMonth:
    """A ward's approved sessions in one month, grouped by venue (in the order of their first session)."""

    ward: Ward
    venues: list[VenueSessions] = field(default_factory=list)

    @property
    def session_count(self) -> int:
        return sum(len(v.sessions) for v in self.venues)


def borough_month(borough: Borough, first: dt.date) -> list[WardMonth]:
    """Every current ward of the borough, by name, with its approved sessions starting in the
    month of ``first`` (London time), Enhanced ones included; cancelled ones left out (two queries)."""
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    wards = {w.pk: WardMonth(ward=w) for w in borough.wards.current().order_by("name")}
    sessions = (
        ContactSession.objects.published()
        .approved()
        .filter(ward__in=list(wards))
        .between(*_month_bounds(first, last))
        .select_related("venue")
        .order_by("start", "pk")
    )
    for session in sessions:
        month = wards[session.ward_id]
        group = next((v for v in month.venues if (v.venue and v.venue.pk) == session.venue_id), None)
        if group is None:
            group = VenueSessions(venue=session.venue)
            month.venues.append(group)
        group.sessions.append(session)
    return list(wards.values())


def _month_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``first`` to the end of ``last``, London time."""
    start = dt.datetime.combine(first, dt.time.min, tzinfo=rules.LONDON)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=rules.LONDON)
    return start, end
