"""Reads for the public side: pages, feeds, posters and the open-data API.

Every session read here starts from ``ContactSession.objects.published()``, so
drafts, proposals, returned, rejected and withdrawn sessions never reach the
public. Each function costs a fixed number of queries, whatever the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from contactsessions.models import ContactSession, ContactSessionQuerySet, EnhancedDesignation, SessionStatus
from contactsessions.public import search
from contactsessions.rules import week_bounds, week_start_of
from venues import geo
from venues.models import Venue
from wards import postcodes
from wards.models import Borough, FrontCounter, Officer, Ward
from wards.postcodes import normalise_postcode

# How far back the ward page and feeds look for cancellations and past sessions.
RECENT_CANCELLATIONS = dt.timedelta(days=14)
FEED_HISTORY = dt.timedelta(days=30)
POSTER_WEEKS = 6
WARD_PAGE_SESSIONS = 8
# What the ward page reads of its sessions and their venues (cards, cancellations, schema.org
# list, distances from a postcode): 22 columns of 47, a quarter less to compile and build
# (issue 19, round six). A field read that is not here costs a query per session, which
# test_ward_page_costs_a_fixed_number_of_queries would count.
WARD_PAGE_FIELDS = (
    *("ward", "venue", "start", "end", "status", "format", "kind", "attendance_mode", "joining_link"),
    *("cancellation_reason", "has_pending_change"),
    *("venue__name", "venue__address", "venue__postcode", "venue__latitude", "venue__longitude"),
    *("venue__step_free", "venue__hearing_loop", "venue__accessible_toilet", "venue__accessibility_notes"),
)


def published_sessions() -> ContactSessionQuerySet:
    """The public base query: published sessions with what every page shows."""
    return (
        ContactSession.objects.published()
        .select_related("venue", "ward", "ward__borough")
        .prefetch_related(Prefetch("officers", queryset=Officer.objects.order_by("public_name")))
    )


def previous_start(session: ContactSession) -> dt.datetime | None:
    """When an approved session has been moved, the start it was approved with before."""
    if session.status != SessionStatus.APPROVED or session.sequence == 0:
        return None
    return (
        session.history.filter(status=SessionStatus.APPROVED)
        .exclude(start=session.start)
        .order_by("-history_date")
        .values_list("start", flat=True)
        .first()
    )


def current_officers(ward: Ward, today: dt.date | None = None) -> list[Officer]:
    """The ward's Dedicated Ward Officers today, by name."""
    today = today or timezone.localdate()
    return list(
        Officer.objects.filter(assignments__in=ward.assignments.active_on(today)).distinct().order_by("public_name")
    )


def front_counters(borough: Borough) -> list[FrontCounter]:
    """The borough's 24/7 front counters, by name (the model's order, whose first key, the
    borough's name, is the same for all: without it the query joins no borough)."""
    return list(borough.front_counters.filter(open_24_7=True).order_by("name"))


def venue_move_notices(*, ward: Ward | None = None, borough: Borough | None = None) -> dict[tuple[int, int], str]:
    """Announced moves of Enhanced sites' venues, for feeds: the text by (ward id, old venue id)."""
    moves = (
        EnhancedDesignation.objects.filter(ward__is_current=True)
        .filter(next_venue__isnull=False)
        .select_related("next_venue")
    )
    if ward is not None:
        moves = moves.filter(ward=ward)
    if borough is not None:
        moves = moves.filter(ward__borough=borough)
    return {
        (d.ward_id, d.venue_id): (
            f"From {d.venue_moves_on:%A %-d %B %Y} these sessions move to {d.next_venue.name}, "
            f"{d.next_venue.address}, {d.next_venue.postcode}."
        )
        for d in moves
        if d.next_venue is not None and d.venue_moves_on is not None
    }


@dataclass
class PlaceSearch:
    """What the home page search found."""

    query: str
    wards: list[Ward] = field(default_factory=list)
    boroughs: list[Borough] = field(default_factory=list)
    venues: list[Venue] = field(default_factory=list)
    postcode: str | None = None
    corrected: bool = False  # found by forgiving a typo: the page says what it searched for
    suggested_wards: list[Ward] = field(default_factory=list)  # "Did you mean …?"
    suggested_boroughs: list[Borough] = field(default_factory=list)
    district: str | None = None  # a partial postcode ("NW1"): its wards, or ask for the rest
    city_of_london: bool = False  # typed the City's name, or a City district

    @property
    def found_anything(self) -> bool:
        return bool(self.wards or self.boroughs or self.venues)

    @property
    def has_suggestions(self) -> bool:
        return bool(self.suggested_wards or self.suggested_boroughs)


CITY_NAMES = frozenset({"city", "city of london", "square mile", "the city", "the city of london"})


def search_places(query: str, *, now: dt.datetime | None = None, limit: int = 30) -> PlaceSearch:
    """Find wards, areas and boroughs by name, venues with sessions by postcode, wards by district.

    Names compare through ``search.fold`` and forgive small typos (``search.match``).
    """
    now = now or timezone.now()
    result = PlaceSearch(query=query.strip()[: search.MAX_QUERY])
    postcode = normalise_postcode(result.query)
    if postcode:
        result.postcode = postcode
        result.venues = venues_with_sessions_at(postcode, now=now)
        return result
    district = postcodes.normalise_district(result.query)
    if district:
        found = postcodes.district_wards(district)
        result.district = district
        result.city_of_london = found.city_of_london
        result.wards = list(Ward.objects.current().filter(code__in=found.ward_codes).select_related("borough"))
        result.wards.sort(key=lambda w: (w.name, w.borough.name))
        return result
    if search.fold(result.query) in CITY_NAMES:
        result.city_of_london = True
        return result
    matches = search.match(result.query)
    result.corrected = not matches.exact and bool(matches.targets)
    result.wards, result.boroughs = _resolve(matches.targets, limit)
    result.suggested_wards, result.suggested_boroughs = _resolve(matches.suggestions, limit)
    return result


def _resolve(targets: list[search.Target], limit: int) -> tuple[list[Ward], list[Borough]]:
    """The wards and boroughs that search targets lead to, by name (two queries)."""
    ward_ids = list(dict.fromkeys(pk for t in targets for pk in t.ward_ids))[:limit]
    borough_ids = [t.borough_id for t in targets if t.borough_id is not None]
    wards = list(Ward.objects.filter(pk__in=ward_ids).select_related("borough")) if ward_ids else []
    wards.sort(key=lambda w: (w.name, w.borough.name))
    boroughs = list(Borough.objects.filter(pk__in=borough_ids)) if borough_ids else []
    return wards, boroughs


def venues_with_sessions_at(postcode: str, *, now: dt.datetime) -> list[Venue]:
    """Venues at this postcode where an approved session is coming up."""
    upcoming = ContactSession.objects.approved().upcoming(now)
    return list(
        Venue.objects.filter(postcode=postcode, sessions__in=upcoming)
        .select_related("ward", "ward__borough")
        .distinct()
        .order_by("name")
    )


def upcoming_sessions(ward: Ward, *, now: dt.datetime, limit: int = WARD_PAGE_SESSIONS) -> list[ContactSession]:
    """The ward's next approved sessions, soonest first."""
    return list(published_sessions().approved().filter(ward=ward).upcoming(now)[:limit])


def ward_page_sessions(
    ward: Ward, *, now: dt.datetime, limit: int = WARD_PAGE_SESSIONS
) -> tuple[list[ContactSession], list[ContactSession]]:
    """:func:`upcoming_sessions` and :func:`recent_cancellations` together, in one query,
    without their officers (:func:`officer_names` reads the names the page shows).

    The approved ones are bounded by the start of the ``limit``-th (a subquery; every one when
    there are fewer), so the rows stay few however far ahead a series runs; the start ties of
    that last one are trimmed here. Read through ``ward.sessions``, so each session's ward is
    the ward given, not joined again (a window function ranking the rows did the same but
    cost Django twice the time to compile: issue 19, round four). Only the columns the page
    reads (``WARD_PAGE_FIELDS``).
    """
    approved = ward.sessions.published().filter(status=SessionStatus.APPROVED, end__gte=now)
    last_start = approved.order_by("start", "pk").values("start")[limit - 1 : limit]
    rows = list(
        ward.sessions.published()
        .select_related("venue")
        .only(*WARD_PAGE_FIELDS)
        .filter(
            Q(status=SessionStatus.APPROVED, end__gte=now, start__lte=Coalesce(Subquery(last_start), F("start")))
            | Q(status=SessionStatus.CANCELLED, end__gte=now - RECENT_CANCELLATIONS)
        )
        .order_by("start", "pk")
    )
    upcoming = [s for s in rows if s.status == SessionStatus.APPROVED][:limit]
    cancelled = [s for s in rows if s.status == SessionStatus.CANCELLED]
    return upcoming, cancelled


def officer_names(sessions: Iterable[ContactSession]) -> dict[int, list[str]]:
    """Each session's officers' names ("PC Sam Patel"), by name, in one query of three columns
    (no ``Officer`` built: the ward page's schema.org list needs only the names)."""
    names: dict[int, list[str]] = {session.pk: [] for session in sessions}
    if not names:
        return names
    through = ContactSession.officers.through.objects.filter(contactsession_id__in=names)
    for session_id, rank, public_name in through.order_by("officer__public_name", "officer_id").values_list(
        "contactsession_id", "officer__rank", "officer__public_name"
    ):
        names[session_id].append(Officer.name_for(rank, public_name))
    return names


def recent_cancellations(ward: Ward, *, now: dt.datetime) -> list[ContactSession]:
    """Cancelled sessions of the last two weeks and still to come, so residents aren't caught out."""
    return list(
        published_sessions()
        .filter(ward=ward, status=SessionStatus.CANCELLED, end__gte=now - RECENT_CANCELLATIONS)
        .order_by("start")
    )


def poster_sessions(ward: Ward, *, now: dt.datetime, weeks: int = POSTER_WEEKS) -> list[ContactSession]:
    return list(
        published_sessions()
        .approved()
        .filter(ward=ward)
        .upcoming(now)
        .filter(start__lt=now + dt.timedelta(weeks=weeks))
    )


def week_sessions(ward: Ward, week_start: dt.date) -> list[ContactSession]:
    start, end = week_bounds(week_start)
    return list(published_sessions().approved().filter(ward=ward).between(start, end))


def this_week_start(now: dt.datetime) -> dt.date:
    return week_start_of(timezone.localtime(now))


def feed_sessions(
    *, now: dt.datetime, ward: Ward | None = None, borough: Borough | None = None
) -> list[ContactSession]:
    """Sessions for an iCal feed: the last month and everything to come, cancelled ones included."""
    sessions = published_sessions().filter(end__gte=now - FEED_HISTORY)
    if ward is not None:
        sessions = sessions.filter(ward=ward)
    if borough is not None:
        sessions = sessions.filter(ward__borough=borough)
    return list(sessions.order_by("start"))


def wards_with_next_session(borough: Borough, *, now: dt.datetime) -> list[tuple[Ward, ContactSession | None]]:
    """Each current ward of the borough with its next approved session (three queries in all)."""
    next_id = (
        ContactSession.objects.approved().filter(ward=OuterRef("pk"), end__gte=now).order_by("start").values("pk")[:1]
    )
    wards = list(borough.wards.current().annotate(next_session_id=Subquery(next_id)).order_by("name"))
    # django-stubs types the rows of a custom QuerySet as plain Wards, without the annotation.
    ids = [w.next_session_id for w in wards if w.next_session_id]  # type: ignore[attr-defined]
    # With what the page's schema.org events show (the ward, its officers): one more query.
    sessions = (
        ContactSession.objects.select_related("venue", "ward", "ward__borough")
        .prefetch_related(Prefetch("officers", queryset=Officer.objects.order_by("public_name")))
        .in_bulk(ids)
        if ids
        else {}
    )
    return [(w, sessions.get(w.next_session_id)) for w in wards]  # type: ignore[attr-defined]


def upcoming_london_sessions(*, now: dt.datetime) -> QuerySet[ContactSession]:
    """Every upcoming published session in London, for the CSV export."""
    return published_sessions().upcoming(now).order_by("start", "ward__name")


def locate(latitude: float, longitude: float) -> postcodes.Located:
    """Where a point is (as "Use my location" answers): the Met ward of the nearest postcode
    point, the City of London when that postcode is a City one, or outside."""
    return postcodes.locate(latitude, longitude)


@dataclass(frozen=True)
class FromPostcode:
    """What the ward page says to a visitor who came by postcode."""

    answer: postcodes.PostcodeAnswer
    in_this_ward: bool
    distances: dict[int, float]  # metres from the postcode, by venue id

    @property
    def postcode(self) -> str:
        return self.answer.postcode or ""


def from_postcode(ward: Ward, text: str, venues: Iterable[Venue]) -> FromPostcode | None:
    """How far each venue is from the postcode the visitor searched (two queries at most).

    None when the text is not a postcode we can place in a ward: the page then
    shows no distances rather than an error, since the text came from the URL.
    """
    answer = postcodes.lookup_postcode(text)
    if not answer.has_ward:
        return None
    return FromPostcode(
        answer=answer,
        in_this_ward=answer.ward_code == ward.code,
        distances=geo.distances_from_postcode(answer, venues),
    )


def as_decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")
