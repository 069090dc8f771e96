"""Pages for the public. They read sessions only through ``published()``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from wards.models import Borough


def home(request: HttpRequest) -> HttpResponse:
    boroughs = Borough.objects.all()
    return render(request, "contactsessions/public/home.html", {"boroughs": boroughs})


def borough_detail(request: HttpRequest, borough_code: str) -> HttpResponse:
    borough = get_object_or_404(Borough, code=borough_code)
    wards = borough.wards.current().order_by("name")
    counters = borough.front_counters.filter(open_24_7=True)
    return render(
        request,
        "contactsessions/public/borough_detail.html",
        {"borough": borough, "wards": wards, "front_counters": counters},
    )
