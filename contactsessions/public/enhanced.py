"""The Enhanced sites a ward's public pages show: its own and those serving its community,
with their next sessions, confirmed weekly pattern and the days it is not kept.

A fixed number of queries however many sites serve a ward (issue 19, round three).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from contactsessions import rules
from contactsessions.models import ContactSession, EnhancedDesignation
from contactsessions.public.selectors import published_sessions
from venues import geo
from venues.models import Venue
from wards.models import Ward

ENHANCED_SESSIONS_SHOWN = 4
PATTERN_LOOKAHEAD = dt.timedelta(weeks=4)  # the days a confirmed pattern is checked against approved sessions


@dataclass
class EnhancedOffer:
    """An Enhanced site as one ward's page shows it: its own site, or one that serves it."""

    designation: EnhancedDesignation
    own: bool  # the page's ward is the site's ward
    serves_this_ward: bool
    sessions: list[ContactSession]  # the site's next approved sessions at its fixed venue
    pattern_confirmed: bool
    not_on: list[dt.date]  # confirmed pattern days in the next weeks with no approved session
    served_wards: list[Ward]  # the other wards of the communities it serves
    distance_m: float | None = None  # from the searched postcode, else from the ward's centre

    @property
    def move_to(self) -> Venue | None:
        """The venue the sessions move to from ``moves_on``, when a move is announced."""
        return self.designation.next_venue

    @property
    def moves_on(self) -> dt.date | None:
        return self.designation.venue_moves_on

    @property
    def distance(self) -> str | None:
        return None if self.distance_m is None else geo.distance_label(self.distance_m)

    @property
    def slots(self) -> list:
        """The fixed weekly times, only once the SNB has confirmed them."""
        return list(self.designation.slots.all()) if self.pattern_confirmed else []


def has_sites() -> Exists:
    """For a ward query (``.annotate(has_enhanced_sites=has_sites())``): whether an Enhanced site
    is the ward's own or serves it, so the ward page asks :func:`enhanced_offers` only then
    (most wards have none, and that question cost a query of its own)."""
    return Exists(EnhancedDesignation.objects.filter(Q(ward=OuterRef("pk")) | Q(served_wards=OuterRef("pk"))))


def enhanced_offers(ward: Ward, *, now: dt.datetime, point: tuple[float, float] | None = None) -> list[EnhancedOffer]:
    """The Enhanced sites of this ward and of the communities it belongs to.

    A fixed number of queries however many sites serve the ward: the designations (with
    their slots and served wards), every site's next sessions together, and the confirmed
    patterns' sessions together. ``point``: where distances are measured from (the
    searched postcode); the ward's centre when not given. A fixed pattern comes only with
    its SNB's confirmation.
    """
    served_here = EnhancedDesignation.served_wards.through.objects.filter(ward=ward).values("enhanceddesignation_id")
    designations = list(
        EnhancedDesignation.objects.filter(Q(ward=ward) | Q(pk__in=served_here))
        .select_related("venue", "next_venue", "ward", "ward__borough")
        .prefetch_related("slots", Prefetch("served_wards", queryset=Ward.objects.select_related("borough")))
    )
    if not designations:
        return []
    if point is None and ward.latitude is not None and ward.longitude is not None:
        point = (float(ward.latitude), float(ward.longitude))
    today = timezone.localdate(now)
    # Before and after an announced move: the sessions at either venue are the site's.
    sites = {d.pk: (d.ward_id, {v for v in (d.venue_id, d.next_venue_id) if v is not None}) for d in designations}
    coming = _site_sessions(sites.values(), now=now)
    confirmed = [d for d in designations if d.pattern_confirmed_on is not None]
    held: dict[tuple[int, int], list[dt.date]] = {}
    if confirmed:
        rows = (
            ContactSession.objects.published()
            .approved()
            .filter(_at_sites(sites[d.pk] for d in confirmed))
            .between(*_day_bounds(today, today + PATTERN_LOOKAHEAD))
            .values_list("ward_id", "venue_id", "start")
        )
        for ward_id, venue_id, start in rows:
            held.setdefault((ward_id, venue_id), []).append(timezone.localtime(start).date())
    distances = geo.distances_from_point(point, [d.venue for d in designations]) if point is not None else {}
    offers = []
    for designation in designations:
        site_ward, site_venues = sites[designation.pk]
        sessions = sorted(
            (s for venue_id in site_venues for s in coming.get((site_ward, venue_id), [])),
            key=lambda s: (s.start, s.pk),
        )[:ENHANCED_SESSIONS_SHOWN]
        is_confirmed = designation.pattern_confirmed_on is not None
        not_on: list[dt.date] = []
        if is_confirmed:
            not_on = rules.fixed_pattern_gaps(
                weekdays=[slot.weekday for slot in designation.slots.all()],
                held=[day for venue_id in site_venues for day in held.get((site_ward, venue_id), [])],
                first=today,
                last=today + PATTERN_LOOKAHEAD,
            )
        served = [w for w in designation.served_wards.all() if w.pk != ward.pk and w.is_current]
        offers.append(
            EnhancedOffer(
                designation=designation,
                own=designation.ward_id == ward.pk,
                serves_this_ward=any(w.pk == ward.pk for w in designation.served_wards.all()),
                sessions=sessions,
                pattern_confirmed=is_confirmed,
                not_on=not_on,
                served_wards=sorted(served, key=lambda w: w.name),
                distance_m=distances.get(designation.venue_id),
            )
        )
    offers.sort(key=lambda o: (not o.own, o.designation.community))
    return offers


def _at_sites(sites: Iterable[tuple[int, set[int]]]) -> Q:
    """Sessions in a site's ward at one of its venues, for any of ``sites``."""
    condition = Q(pk__in=[])
    for ward_id, venue_ids in sites:
        condition |= Q(ward_id=ward_id, venue_id__in=sorted(venue_ids))
    return condition


def _site_sessions(
    sites: Iterable[tuple[int, set[int]]], *, now: dt.datetime
) -> dict[tuple[int, int], list[ContactSession]]:
    """The next ``ENHANCED_SESSIONS_SHOWN`` approved sessions at each (ward, venue) of the
    sites, in one query (ranked per ward and venue by a window function), by (ward, venue)."""
    ranked = (
        published_sessions()
        .approved()
        .filter(_at_sites(sites), end__gte=now)
        .annotate(
            site_rank=Window(RowNumber(), partition_by=[F("ward_id"), F("venue_id")], order_by=[F("start"), F("pk")])
        )
        .filter(site_rank__lte=ENHANCED_SESSIONS_SHOWN)
        .order_by("start", "pk")
    )
    found: dict[tuple[int, int], list[ContactSession]] = {}
    for session in ranked:
        found.setdefault((session.ward_id, session.venue_id), []).append(session)  # type: ignore[arg-type]
    return found


def _day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``first`` to the end of ``last``, London time."""
    start = dt.datetime.combine(first, dt.time.min, tzinfo=rules.LONDON)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=rules.LONDON)
    return start, end
