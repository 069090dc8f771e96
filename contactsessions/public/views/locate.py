"""Find your ward: by postcode, or by the browser's location ("Use my location")."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from contactsessions.lib.ratelimits import rate_limited
from wards.postcodes import Outcome, Place, lookup_postcode
from wards.postcodes import locate as locate_point


def ward_page_url(ward_code: str, postcode: str | None = None) -> str:
    """Where a ward's public page lives; the searched postcode rides along for distances."""
    url = reverse("public:ward", args=[ward_code])
    return f"{url}?{urlencode({'postcode': postcode})}" if postcode else url


@rate_limited("search")
def postcode(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    if not query.strip():
        return render(request, "public/locate/postcode.html", {"query": ""})
    answer = lookup_postcode(query)
    if answer.outcome == Outcome.FOUND and answer.ward_code:
        return HttpResponseRedirect(ward_page_url(answer.ward_code, answer.postcode))
    context = {"query": answer.postcode or query, "answer": answer}
    if answer.has_ward and answer.ward_code:  # approximate: say so before sending them on
        context["ward_url"] = ward_page_url(answer.ward_code, answer.postcode)
    return render(request, "public/locate/postcode.html", context)


@rate_limited("search")
def locate(request: HttpRequest) -> HttpResponse:
    """Answer "Use my location": the ward of the nearest postcode point."""
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
        if not (math.isfinite(lat) and math.isfinite(lng)):
            raise ValueError
    except (KeyError, ValueError):
        return render(request, "public/locate/locate.html", {"problem": "invalid"}, status=400)
    located = locate_point(lat, lng)
    if located.place == Place.CITY_OF_LONDON:
        # Not a Met ward across the boundary: the City has its own police.
        return render(request, "public/locate/locate.html", {"problem": "city_of_london"})
    if located.ward_code is None:
        return render(request, "public/locate/locate.html", {"problem": "outside"}, status=404)
    return HttpResponseRedirect(ward_page_url(located.ward_code))
