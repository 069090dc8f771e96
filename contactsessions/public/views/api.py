"""Open data in the shape of the national police API (data.police.uk).

Same paths, field names and formats, so tools written for that API read ours:
force "metropolitan", neighbourhood id = ONS ward code, dates as
``YYYY-MM-DDTHH:MM:SS`` in London time. Only published sessions are served.
"""

from __future__ import annotations

from functools import wraps
from operator import attrgetter

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from contactsessions.lib.csvexport import Column, export_response
from contactsessions.lib.headers import conditional_page
from contactsessions.lib.links import absolute
from contactsessions.lib.public_cache import borough_scope, cached_public, depends_on, ward_scope
from contactsessions.lib.ratelimits import rate_limited
from contactsessions.public import enhanced as public_enhanced
from contactsessions.public import selectors as public_selectors
from contactsessions.public import sharing
from contactsessions.public import team as public_team
from contactsessions.public.delivery import ward_delivery
from wards.models import Ward
from wards.postcodes import Place

FORCE_ID = "metropolitan"
FORCE_NAME = "Metropolitan Police Service"
FORCE_URL = "https://www.met.police.uk/"
API_MAX_AGE = 300
# data.police.uk's id for the City of London Police, who police the Square Mile.
CITY_FORCE_ID = "city-of-london"
CITY_FORCE_URL = "https://www.cityoflondon.police.uk/"


CORS_PREFLIGHT_MAX_AGE = 86400


def cors(response: HttpResponse) -> HttpResponse:
    """The headers that open an API answer to any origin (also on redirects: ``successors``)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


def api_view(view=None, *, params: tuple[str, ...] = ()):
    """GET/HEAD only, open to any origin, cacheable (also server-side), with ETag and 304 answers.

    ``params`` names the query parameters the view reads (``public_cache.cached_public``);
    requests that reach the view count against the client's ``api`` rate limit. CORS
    headers go on every answer, 304s and errors included (a browser drops a 304 without
    them), and a CORS preflight (OPTIONS) is answered for GET. Other methods get a JSON 405.
    """

    def decorate(view):
        cached = require_safe(
            rate_limited("api", as_json=True)(
                conditional_page(cache_control(public=True, max_age=API_MAX_AGE)(cached_public(params=params)(view)))
            )
        )

        # wraps(cached) carries cached_public's declaration of the parameters up to the URL.
        @wraps(cached)
        def wrapped(request, *args, **kwargs):
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Allow"] = response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
                response["Access-Control-Max-Age"] = str(CORS_PREFLIGHT_MAX_AGE)
                return cors(response)
            response = cached(request, *args, **kwargs)
            if response.status_code == 405:
                response = _json({"error": "Only GET and HEAD are answered here."}, status=405)
                response["Allow"] = "GET, HEAD, OPTIONS"
            return cors(response)

        return wrapped

    return decorate if view is None else decorate(view)


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _not_found() -> JsonResponse:
    return _json({"error": "Not found"}, status=404)


def _london(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


def _ward(request: HttpRequest, ward_code: str) -> Ward | None:
    """The current ward of that code; the answer is cached while the ward and its borough are unchanged."""
    ward = Ward.objects.current().select_related("borough").filter(code=ward_code).first()
    if ward is not None:
        depends_on(request, ward_scope(ward.pk), borough_scope(ward.borough_id))
    return ward


def _contact_details() -> dict:
    return {"telephone": "101", "web": "https://www.met.police.uk/ro/report/"}


@api_view
def forces(request: HttpRequest) -> JsonResponse:
    return _json([{"id": FORCE_ID, "name": FORCE_NAME}])


def _force() -> dict:
    """The force, with the ways to reach it."""
    return {
        "id": FORCE_ID,
        "name": FORCE_NAME,
        "url": FORCE_URL,
        "telephone": "101",
        "description": "Community Contact Sessions: meet your Dedicated Ward Officers face to face.",
        "engagement_methods": [
            {
                "type": "website",
                "title": "Community Contact Sessions",
                "description": "Find when and where to meet your ward officers.",
                "url": absolute(reverse("public:home")),
            },
            {
                "type": "website",
                "title": "Report online",
                "description": "Report a crime or incident that is not an emergency.",
                "url": "https://www.met.police.uk/ro/report/",
            },
        ],
    }


@api_view
def force_detail(request: HttpRequest, force: str) -> JsonResponse:
    if force != FORCE_ID:
        return _not_found()
    return _json(_force())


@api_view
def neighbourhoods(request: HttpRequest) -> JsonResponse:
    wards = Ward.objects.current().order_by("name", "code").values_list("code", "name")
    return _json([{"id": code, "name": name} for code, name in wards])


def _enhanced_locations(ward: Ward) -> list[dict]:
    """The Enhanced sites serving the ward: fixed venues with two sessions a week."""
    return [
        {
            "name": offer.designation.venue.name,
            "type": "other",
            "address": offer.designation.venue.address,
            "postcode": offer.designation.venue.postcode,
            "latitude": None,
            "longitude": None,
            "description": f"Enhanced Community Contact Sessions for {offer.designation.community}, twice a week.",
        }
        for offer in public_enhanced.enhanced_offers(ward, now=timezone.now())
    ]


def _neighbourhood(ward: Ward) -> dict:
    """The ward as a police.uk neighbourhood: where it is, its links, its 24-hour front counters
    and the Enhanced sites that serve it, plus one key of ours, ``delivery``: the sessions
    the ward held out of those planned, and the people met, over the last three months."""
    return {
        "id": ward.code,
        "name": ward.name,
        "description": f"{ward.name} ward in the London Borough of {ward.borough.name}.",
        "url_force": sharing.ward_url(ward),
        # The ward team's own channels where it gives them; the force's 101 and online reporting else.
        "contact_details": {**_contact_details(), **public_team.team_contact(ward)},
        "centre": {
            "latitude": public_selectors.as_decimal_text(ward.latitude),
            "longitude": public_selectors.as_decimal_text(ward.longitude),
        },
        "links": [
            {
                "url": sharing.ward_url(ward),
                "title": "Community Contact Sessions",
                "description": "When and where to meet the ward's officers.",
            },
            {
                "url": absolute(reverse("public:ward-ical", args=[ward.code])),
                "title": "Calendar feed (iCal)",
                "description": None,
            },
        ],
        "locations": [
            {
                "name": counter.name,
                "type": "station",
                "address": counter.address,
                "postcode": None,
                "latitude": None,
                "longitude": None,
                "description": "Front counter open 24 hours a day, 7 days a week.",
            }
            for counter in public_selectors.front_counters(ward.borough)
        ]
        + _enhanced_locations(ward),
        "population": "0",
        "delivery": ward_delivery(ward, now=timezone.now()).as_json(),
    }


@api_view
def neighbourhood(request: HttpRequest, ward_code: str) -> JsonResponse:
    ward = _ward(request, ward_code)
    if ward is None:
        return _not_found()
    return _json(_neighbourhood(ward))


@api_view
def events(request: HttpRequest, ward_code: str) -> JsonResponse:
    ward = _ward(request, ward_code)
    if ward is None:
        return _not_found()
    now = timezone.now()
    # The ward's own sessions, then the sessions of Enhanced sites elsewhere that serve it.
    titled = [(sharing.title(s), s) for s in public_selectors.upcoming_sessions(ward, now=now, limit=100)]
    for offer in public_enhanced.enhanced_offers(ward, now=now):
        if not offer.own:
            community = offer.designation.community
            titled += [(f"Extra session for {community}: {sharing.title(s)}", s) for s in offer.sessions]
    issues = public_team.session_priority_issues(s for _, s in titled)  # "This session: burglary prevention"
    return _json(
        [
            {
                "title": title,
                # HTML, as data.police.uk's: our plain texts escaped, paragraphs as <br><br>.
                "description": _police_uk_html(
                    sharing.what_you_can_do(s)
                    + (f"\n\n{s.description}" if s.description else "")
                    + (f"\n\nThis session: {issues[s.pk]}" if s.pk in issues else "")
                ),
                "address": sharing.location(s),
                "type": "meeting",
                "start_date": _london(s.start),
                "end_date": _london(s.end),
                "contact_details": {**_contact_details(), "web": sharing.public_session_url(s)},
                # Ours, beside police.uk's keys: how people attend, and the link to join online.
                "attendance_mode": s.attendance_mode,
                "online_url": s.public_joining_link or None,
            }
            for title, s in titled
        ]
    )


@api_view
def people(request: HttpRequest, ward_code: str) -> JsonResponse:
    """The ward's DWOs today (data.police.uk's officers: name, rank, bio, contact_details).
    Their contact details are the ward team's: officers have no channels of their own here."""
    ward = _ward(request, ward_code)
    if ward is None:
        return _not_found()
    contact = public_team.team_contact(ward)
    return _json(
        [
            {
                "name": m.officer.public_name,
                "rank": m.rank_label,
                "bio": _police_uk_html(m.officer.bio),
                "contact_details": contact,
            }
            for m in public_team.current_team(ward)
        ]
    )


def _police_uk_html(text: str) -> str | None:
    """Plain text as data.police.uk's HTML fields carry it: escaped, line breaks as ``<br>``.
    Its clients insert ``bio``, ``issue`` and ``action`` as HTML, so text typed here must not
    become markup there."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>") if text else None


def _police_uk_date(day) -> str | None:
    """data.police.uk dates a priority ``YYYY-MM-DDT00:00:00``."""
    return None if day is None else f"{day.isoformat()}T00:00:00"


@api_view
def priorities(request: HttpRequest, ward_code: str) -> JsonResponse:
    """The ward's current priorities, newest first, as data.police.uk gives them. Its
    issue and action are HTML, so ours (plain text) go out escaped, line breaks as ``<br>``."""
    ward = _ward(request, ward_code)
    if ward is None:
        return _not_found()
    return _json(
        [
            {
                "issue": _police_uk_html(p.issue),
                "issue-date": _police_uk_date(p.issue_date),
                "action": _police_uk_html(p.action),
                "action-date": _police_uk_date(p.action_date),
            }
            for p in public_team.current_priorities(ward)
        ]
    )


def _parse_point(text: str) -> tuple[float, float] | None:
    try:
        lat_text, lng_text = text.split(",")
        point = float(lat_text), float(lng_text)
    except ValueError:
        return None
    if not all(-180 <= v <= 180 for v in point):
        return None
    return point


@api_view(params=("q",))
def locate_neighbourhood(request: HttpRequest) -> JsonResponse:
    point = _parse_point(request.GET.get("q", ""))
    if point is None:
        return _json({"error": "Give q=<latitude>,<longitude>, for example q=51.5007,-0.1246"}, status=400)
    located = public_selectors.locate(*point)
    if located.place == Place.CITY_OF_LONDON:
        # As data.police.uk answers: the force that polices the point. We hold none of its
        # neighbourhoods, so no neighbourhood id.
        return _json({"force": CITY_FORCE_ID, "neighbourhood": None, "url": CITY_FORCE_URL})
    if located.ward is None:
        return _not_found()
    return _json({"force": FORCE_ID, "neighbourhood": located.ward.code})


# /api/sessions.csv: every upcoming published session in London.
SESSIONS_CSV_COLUMNS = [
    Column("id", attrgetter("pk")),
    Column("status", attrgetter("status")),
    Column("start", lambda s: _london(s.start)),
    Column("end", lambda s: _london(s.end)),
    Column("format", lambda s: s.get_format_display()),
    Column("borough", attrgetter("ward.borough.name")),
    Column("ward_code", attrgetter("ward.code")),
    Column("ward", attrgetter("ward.name")),
    Column("venue", lambda s: _venue_fact(s, "name")),
    Column("address", lambda s: _venue_fact(s, "address")),
    Column("postcode", lambda s: _venue_fact(s, "postcode")),
    Column("step_free", lambda s: _venue_fact(s, "step_free")),
    Column("hearing_loop", lambda s: _venue_fact(s, "hearing_loop")),
    Column("accessible_toilet", lambda s: _venue_fact(s, "accessible_toilet")),
    Column("cancellation_reason", attrgetter("cancellation_reason")),
    Column("url", lambda s: sharing.public_session_url(s)),
    # Added at the end, so readers of the earlier columns by position keep working.
    Column("attendance_mode", attrgetter("attendance_mode")),
    Column("online_url", attrgetter("public_joining_link")),
]


def _venue_fact(session, name: str):
    """The venue's ``name`` attribute; empty for an online-only session, which has no venue."""
    return "" if session.venue is None else getattr(session.venue, name)


@api_view
def sessions_csv(request: HttpRequest) -> HttpResponse:
    sessions = public_selectors.upcoming_london_sessions(now=timezone.now())
    return export_response("london-contact-sessions", SESSIONS_CSV_COLUMNS, sessions)
