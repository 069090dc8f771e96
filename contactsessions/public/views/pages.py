"""Pages for the public. They read sessions only through ``public_selectors``,
which starts every query from ``published()``."""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import wraps
from urllib.parse import urlencode

import segno
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from contactsessions.attendance import AttendanceMode
from contactsessions.lib.forms import planning_date_or_none
from contactsessions.lib.headers import conditional_page
from contactsessions.lib.public_cache import borough_scope, borough_wards_scope, cached_public, depends_on, ward_scope
from contactsessions.lib.ratelimits import rate_limited
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.public import cards, ical, sharing, ward_parts
from contactsessions.public import enhanced as public_enhanced
from contactsessions.public import selectors as public_selectors
from contactsessions.public import team as public_team
from contactsessions.public.delivery import ward_delivery
from contactsessions.rules import week_start_of
from venues import geo
from wards.models import Borough, Ward

PUBLIC_MAX_AGE = 300  # five minutes: changes reach residents quickly, bursts are absorbed
POSTER_ROWS = 10  # sessions in the poster's table: with 12 pt text, one A4 page holds this many


def public_page(view=None, *, params: tuple[str, ...] = (), limit: str = "pages"):
    """GET/HEAD only, cacheable by anyone for a few minutes, with ETag and 304 answers.

    Anonymous requests are answered from the server-side cache (``public_cache``)
    until something shown changes. ``params`` names the query parameters the view reads:
    the only ones the cache keys on and the view is given. Requests that reach the view are
    counted against the client's rate limit for ``limit`` (``lib.ratelimits``).

    The ETag hashes the body, so it changes with anything the page shows (a renamed
    venue, a new officer). We send no Last-Modified: session timestamps alone would
    miss those changes and let a cache keep a stale page.
    """

    def decorate(view):
        @require_safe
        @rate_limited(limit)
        @conditional_page
        @cache_control(public=True, max_age=PUBLIC_MAX_AGE)
        @cached_public(params=params)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        return wrapped

    return decorate if view is None else decorate(view)


def _get_ward(request: HttpRequest, ward_code: str, wards: QuerySet[Ward] | None = None) -> Ward:
    """The current ward of that code; the page is cached while the ward and its borough are unchanged."""
    # With the team's contact details (a one-to-one the ward page shows), saving it a query.
    wards = Ward.objects.current() if wards is None else wards
    ward = get_object_or_404(wards.select_related("borough", "team_contact"), code=ward_code)
    depends_on(request, ward_scope(ward.pk), borough_scope(ward.borough_id))
    return ward


def _get_borough(request: HttpRequest, borough_code: str) -> Borough:
    """The borough of that code; its page and feed list every ward's sessions, so they are
    cached while the borough and all its wards are unchanged."""
    borough = get_object_or_404(Borough, code=borough_code)
    depends_on(request, borough_scope(borough.pk), borough_wards_scope(borough.pk))
    return borough


def _get_session(request: HttpRequest, pk: int) -> ContactSession:
    session = get_object_or_404(public_selectors.published_sessions(), pk=pk)
    depends_on(request, ward_scope(session.ward_id), borough_scope(session.ward.borough_id))
    return session


def _calendar(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page(params=("q",), limit="search")
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    search = public_selectors.search_places(query) if query else None
    if search is not None and search.postcode and not search.venues:
        # Somebody's home postcode, not a venue's: find their ward instead of saying "nothing here".
        return redirect(f"{reverse('locate:postcode')}?{urlencode({'q': search.postcode})}")
    context = {
        "boroughs": Borough.objects.all(),
        "search": search,
        "query": query,
    }
    return render(request, "public/home.html", context)


@public_page
def borough_detail(request: HttpRequest, borough_code: str) -> HttpResponse:
    borough = _get_borough(request, borough_code)
    now = timezone.now()
    feed = request.build_absolute_uri(reverse("public:borough-ical", args=[borough.code]))
    wards = public_selectors.wards_with_next_session(borough, now=now)
    next_sessions = [s for _ward, s in wards if s is not None]
    context = {
        "borough": borough,
        "wards": wards,
        "json_ld": _event_list(
            _("Next Community Contact Sessions in %(borough)s") % {"borough": borough.name},
            request.build_absolute_uri(reverse("public:borough", args=[borough.code])),
            next_sessions,
        ),
        "front_counters": public_selectors.front_counters(borough),
        "webcal_url": sharing.webcal(feed),
    }
    return render(request, "public/borough_detail.html", context)


@public_page(limit="feeds")
def borough_ical(request: HttpRequest, borough_code: str) -> HttpResponse:
    borough = _get_borough(request, borough_code)
    sessions = public_selectors.feed_sessions(now=timezone.now(), borough=borough)
    notices = public_selectors.venue_move_notices(borough=borough)
    body = ical.sessions_to_ical(sessions, name=f"{borough.name}: Community Contact Sessions", notices=notices)
    return _calendar(body, f"{borough.slug}-sessions.ics")


@public_page(params=("postcode",))
def ward_detail(request: HttpRequest, ward_code: str) -> HttpResponse:
    # Whether an Enhanced site serves the ward comes with it: most have none, and no query asks.
    wards = Ward.objects.current().annotate(has_enhanced_sites=public_enhanced.has_sites())
    ward = _get_ward(request, ward_code, wards)
    now = timezone.now()
    sessions, cancellations = public_selectors.ward_page_sessions(ward, now=now)
    feed = request.build_absolute_uri(reverse("public:ward-ical", args=[ward.code]))
    # Came by postcode (?postcode=): how far each venue is from it.
    searched = request.GET.get("postcode", "")
    venues = [s.venue for s in sessions if s.venue is not None]
    found = public_selectors.from_postcode(ward, searched, venues) if searched.strip() else None
    distances = found.distances if found else {}
    point = None
    if found and found.answer.latitude is not None and found.answer.longitude is not None:
        point = (found.answer.latitude, found.answer.longitude)
    team = ward_parts.ward_team(request, ward)  # officers with profiles and languages, contact, priorities
    context = {
        "ward": ward,
        "team": team,
        "sessions": sessions,
        "session_cards": cards.session_cards(sessions, {pk: _distance(metres) for pk, metres in distances.items()}),
        "from_postcode": found,
        "cancellations": cancellations,
        "enhanced_offers": _enhanced_offers(ward, now=now, point=point),
        "delivery": ward_delivery(ward, now=now),
        "json_ld": _event_list(
            _("Community Contact Sessions in %(ward)s") % {"ward": ward.name},
            sharing.ward_url(ward),
            sessions,
            public_selectors.officer_names(sessions),
        ),
        "front_counters": ward_parts.front_counters(request, ward.borough),
        "webcal_url": sharing.webcal(feed),
        "feed_url": feed,
    }
    return render(request, "public/ward_detail.html", context)


def _enhanced_offers(ward: Ward, *, now: dt.datetime, point: tuple[float, float] | None) -> list:
    # django-stubs types the ward as a plain Ward, without the annotation _get_ward's query added.
    has_sites: bool = ward.has_enhanced_sites  # type: ignore[attr-defined]
    return public_enhanced.enhanced_offers(ward, now=now, point=point) if has_sites else []


def _distance(metres: float | None) -> str | None:
    return None if metres is None else geo.distance_label(metres)


@public_page(limit="feeds")
def ward_ical(request: HttpRequest, ward_code: str) -> HttpResponse:
    ward = _get_ward(request, ward_code)
    sessions = public_selectors.feed_sessions(now=timezone.now(), ward=ward)
    notices = public_selectors.venue_move_notices(ward=ward)
    body = ical.sessions_to_ical(sessions, name=f"{ward.name}: Community Contact Sessions", notices=notices)
    return _calendar(body, f"{ward.code}-sessions.ics")


@public_page
def ward_poster(request: HttpRequest, ward_code: str) -> HttpResponse:
    ward = _get_ward(request, ward_code)
    now = timezone.now()
    sessions = public_selectors.poster_sessions(ward, now=now)
    context = {
        "ward": ward,
        "venues": list({s.venue_id: s.venue for s in sessions[:POSTER_ROWS] if s.venue is not None}.values()),
        "poster_rows": sessions[:POSTER_ROWS],
        "more_sessions": len(sessions) > POSTER_ROWS,
        "officers": public_selectors.current_officers(ward),
        "sessions": sessions,
        "enhanced_offers": public_enhanced.enhanced_offers(ward, now=now),
        "front_counters": public_selectors.front_counters(ward.borough),
        "ward_url": sharing.ward_url(ward),
        "weeks": public_selectors.POSTER_WEEKS,
    }
    return render(request, "public/ward_poster.html", context)


@public_page
def ward_qr(request: HttpRequest, ward_code: str) -> HttpResponse:
    ward = _get_ward(request, ward_code)
    buffer = io.BytesIO()
    qr = segno.make(sharing.ward_url(ward), error="m")
    title = _("Link to the %(ward)s ward page") % {"ward": ward.name}
    qr.save(buffer, kind="svg", scale=4, border=2, xmldecl=False, title=title)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _week_from(request: HttpRequest) -> dt.date:
    """The Monday of the week asked for in ?week=YYYY-MM-DD, or of this week."""
    this_week = public_selectors.this_week_start(timezone.now())
    asked = planning_date_or_none(request.GET.get("week"))  # 9999-12-31 plus a week overflows
    return this_week if asked is None else week_start_of(asked)


@public_page(params=("week",))
def ward_share(request: HttpRequest, ward_code: str) -> HttpResponse:
    ward = _get_ward(request, ward_code)
    week_start = _week_from(request)
    sessions = public_selectors.week_sessions(ward, week_start)
    # The posts invite people: a session already over is no invitation.
    now = timezone.now()
    to_come = [s for s in sessions if s.end >= now]
    context = {
        "ward": ward,
        "week_start": week_start,
        "week_end": week_start + dt.timedelta(days=6),
        "previous_week": week_start - dt.timedelta(weeks=1),
        "next_week": week_start + dt.timedelta(weeks=1),
        "sessions": sessions,
        "post_short": sharing.week_post_short(ward, to_come),
        "post_long": sharing.week_post_long(ward, to_come),
    }
    return render(request, "public/ward_share.html", context)


# schema.org's eventAttendanceMode for each of our modes.
ATTENDANCE_MODES: dict[str, str] = {
    AttendanceMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    AttendanceMode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _locations(session: ContactSession) -> dict | list[dict]:
    """The venue as a schema.org Place, the online part as a VirtualLocation, or both (hybrid).
    The VirtualLocation's url is the joining link once the session is approved, else its page."""
    found = []
    venue = session.venue
    if venue is not None:
        place: dict = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "postalCode": venue.postcode,
                "addressLocality": "London",
                "addressCountry": "GB",
            },
        }
        if venue.latitude is not None and venue.longitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.latitude, "longitude": venue.longitude}
        found.append(place)
    if session.has_online_part:
        found.append(
            {"@type": "VirtualLocation", "url": session.public_joining_link or sharing.public_session_url(session)}
        )
    return found[0] if len(found) == 1 else found


def _event(
    session: ContactSession, previous_start: dt.datetime | None = None, *, performers: list[str] | None = None
) -> dict:
    """A session as a schema.org Event; its officers' names read from it unless given (``performers``)."""
    if performers is None:
        performers = [o.display_name for o in session.officers.all()]
    if session.status == SessionStatus.CANCELLED:
        status = "https://schema.org/EventCancelled"
    elif previous_start:
        status = "https://schema.org/EventRescheduled"
    else:
        status = "https://schema.org/EventScheduled"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": sharing.title(session),
        "description": sharing.what_you_can_do(session),
        "startDate": timezone.localtime(session.start).isoformat(),
        "endDate": timezone.localtime(session.end).isoformat(),
        "eventStatus": status,
        "eventAttendanceMode": ATTENDANCE_MODES[session.attendance_mode],
        "isAccessibleForFree": True,
        "location": _locations(session),
        "url": sharing.public_session_url(session),
        "organizer": {
            "@type": "GovernmentOrganization",
            "name": "Metropolitan Police Service",
            "url": "https://www.met.police.uk/",
        },
        "performer": [{"@type": "Person", "name": name} for name in performers],
    }
    if previous_start:
        data["previousStartDate"] = timezone.localtime(previous_start).isoformat()
    return data


def _json_ld(data: dict | list) -> str:
    """schema.org data, escaped like ``json_script`` so no text can close the script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    escaped = text.translate({ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"})
    # Safe: <, > and & are escaped above, as django.utils.html.json_script does (which cannot set ld+json).
    return mark_safe(escaped)  # noqa: S308  # nosec B308 B703


def _event_list(
    name: str, url: str, sessions: list[ContactSession], performers: dict[int, list[str]] | None = None
) -> str:
    """A page's upcoming sessions as a schema.org ItemList of Events (``performers``: the
    officers' names by session id, when the sessions were read without their officers)."""
    performers = performers or {}
    return _json_ld(
        {
            "@context": "https://schema.org",
            "@type": "ItemList",
            "name": name,
            "url": url,
            "itemListElement": [
                {"@type": "ListItem", "position": i, "item": _event(s, performers=performers.get(s.pk))}
                for i, s in enumerate(sessions, start=1)
            ],
        }
    )


@public_page
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    previous_start = public_selectors.previous_start(session)
    context = {
        "session": session,
        "ward": session.ward,
        "previous_start": previous_start,
        "json_ld": _json_ld(_event(session, previous_start)),
        "what_you_can_do": sharing.what_you_can_do(session),
        "google_link": sharing.google_calendar_link(session),
        "outlook_link": sharing.outlook_calendar_link(session),
        "outlook_com_link": sharing.outlook_calendar_link(session, personal=True),
        "post_short": sharing.session_post_short(session),
        "post_long": sharing.session_post_long(session),
        "front_counters": public_selectors.front_counters(session.ward.borough),
        "is_past": session.end < timezone.now(),
        "session_team": public_team.session_team(session),
    }
    return render(request, "public/session_detail.html", context)


@public_page(limit="feeds")
def session_ical(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    response = _calendar(ical.sessions_to_ical([session], name=sharing.title(session)), f"session-{session.pk}.ics")
    response["Content-Disposition"] = f'attachment; filename="contact-session-{session.pk}.ics"'
    return response
