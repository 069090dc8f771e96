"""Old links keep working after a boundary change.

A redrawn ward's page, feed, poster, QR code, share texts and API answers are wrapped
(``follow``, in ``urls.py``): when the view answers 404 for a code that was a ward before a
boundary change, the answer becomes

- the ward page: a permanent redirect (301) to the successor holding most of the old
  ward's postcodes when that one holds at least :data:`REDIRECT_SHARE` of them, else a
  page listing the new wards it was split into, for the resident to choose;
- the feed (``sessions.ics``): the calendar itself, 200, with the sessions of the old
  ward and of every new ward holding at least :data:`AREA_SHARE` of it, so a subscribed
  calendar keeps receiving its area's sessions whether or not its client follows
  redirects (sessions keep their UIDs, so entries update rather than duplicate);
- everything else (poster, QR code, share texts, the API): 301 to the same page of the
  main successor, keeping the query string.

Only a 404 is looked at again, so a current ward's pages cost nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import gettext as _

from contactsessions.public import ical
from contactsessions.public import selectors as public_selectors
from contactsessions.public.views.api import cors
from wards.models import Ward, WardSuccession

REDIRECT_SHARE = 2 / 3  # a ward page redirects when one new ward holds this much of the old one
AREA_SHARE = 0.1  # the new wards whose sessions an old ward's feed carries
MAX_HOPS = 4  # 2014 -> 2018 -> 2022 -> ... : links older than one change still land


def successors(ward: Ward) -> list[tuple[Ward, float]]:
    """The current wards holding the old ``ward``'s area, with their share, largest first
    (through every change since, so a 2014 link lands in a 2022 ward)."""
    found: dict[int, float] = defaultdict(float)
    wards: dict[int, Ward] = {}
    frontier = [(ward.pk, 1.0)]
    for _hop in range(MAX_HOPS):
        if not frontier:
            break
        shares = dict(frontier)
        rows = WardSuccession.objects.filter(predecessor_id__in=shares).select_related("successor__borough")
        frontier = []
        for row in rows:
            share = shares[row.predecessor_id] * row.share
            if row.successor.is_current:
                found[row.successor_id] += share
                wards[row.successor_id] = row.successor
            else:
                frontier.append((row.successor_id, share))
    return sorted(((wards[pk], share) for pk, share in found.items()), key=lambda item: (-item[1], item[0].name))


def _redrawn(ward_code: str) -> tuple[Ward, list[tuple[Ward, float]]] | None:
    ward = Ward.objects.filter(code=ward_code, is_current=False).select_related("borough").first()
    if ward is None:
        return None
    found = successors(ward)
    return (ward, found) if found else None


def _moved(request: HttpRequest, url_name: str, ward: Ward) -> HttpResponse:
    url = reverse(url_name, args=[ward.code])
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(url)
    response["Cache-Control"] = "public, max-age=86400"
    if url_name.startswith("api:"):
        # The API is open to any origin: its redirects too, or a browser drops them.
        cors(response)
    return response


def answer(request: HttpRequest, url_name: str, ward_code: str) -> HttpResponse | None:
    """What an old ward's URL answers now, or None when the code never was a ward."""
    redrawn = _redrawn(ward_code)
    if redrawn is None:
        return None
    old, found = redrawn
    main, share = found[0]
    if url_name == "public:ward-ical":
        return _area_feed(request, old, [w for w, s in found if s >= AREA_SHARE or w == main])
    if url_name == "public:ward" and share < REDIRECT_SHARE:
        choices = [(w, round(s * 100)) for w, s in found if s >= AREA_SHARE or w == main]
        context = {"old": old, "choices": choices}
        return render(request, "public/ward_successors.html", context)
    return _moved(request, url_name, main)


def _area_feed(request: HttpRequest, old: Ward, wards: list[Ward]) -> HttpResponse:
    now = timezone.now()
    sessions = list(
        public_selectors.published_sessions()
        .filter(ward__in=[old, *wards], end__gte=now - public_selectors.FEED_HISTORY)
        .order_by("start")
    )
    names = ", ".join(w.name for w in wards)
    name = _("%(old)s (now %(new)s): Community Contact Sessions") % {"old": old.name, "new": names}
    response = HttpResponse(ical.sessions_to_ical(sessions, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{old.code}-sessions.ics"'
    response["Cache-Control"] = "public, max-age=300"
    # Calendar apps poll it as they polled the old ward's feed: an ETag, and 304 while unchanged.
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def follow(view, url_name: str):
    """Wrap a ward view so that a redrawn ward's code answers as above instead of 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, ward_code: str, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, ward_code, *args, **kwargs)
        except Http404:
            if request.method not in ("GET", "HEAD") or (found := answer(request, url_name, ward_code)) is None:
                raise
            return found
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            found = answer(request, url_name, ward_code)
            if found is not None:
                return found
        return response

    return wrapped
