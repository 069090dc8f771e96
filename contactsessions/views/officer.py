"""Back-office pages for Dedicated Ward Officers and everybody who signs in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from contactsessions import permissions
from wards.models import Borough, Ward


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where everybody lands after signing in: what they can act on, by role."""
    user = request.user
    context = {
        "officer_wards": Ward.objects.filter(pk__in=permissions.officer_ward_ids(user)).select_related("borough"),
        "panel_wards": Ward.objects.filter(pk__in=permissions.panel_ward_ids(user)).select_related("borough"),
        "board_boroughs": Borough.objects.filter(pk__in=permissions.board_borough_ids(user)),
        "is_monitoring": permissions.is_monitoring(user),
    }
    return render(request, "contactsessions/officer/home.html", context)
