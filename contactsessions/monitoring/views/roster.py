"""The DWO roster: who serves where, and ending an assignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from contactsessions import permissions, rules, services
from contactsessions.lib.csvexport import Column, export_response
from contactsessions.monitoring.forms import AssignmentEndForm
from contactsessions.monitoring.views.common import export_url
from contactsessions.services import ServiceError
from wards.models import WardAssignment

# One CSV row per (roster row, assignment) pair.
ROSTER_COLUMNS = [
    Column("borough", lambda ra: ra[0]["ward"].borough.name),
    Column("ward_code", lambda ra: ra[0]["ward"].code),
    Column("ward", lambda ra: ra[0]["ward"].name),
    Column("officer", lambda ra: str(ra[1].officer)),
    Column("start", lambda ra: ra[1].start),
    Column("end", lambda ra: ra[1].end or ""),
    Column("ward_has_fewer_than_two_dwos", lambda ra: ra[0]["flagged"]),
]


def roster_rows(user: permissions.AnyUser, today: dt.date) -> list[dict[str, Any]]:
    """One row per ward the user may read: its assignments, how many DWOs serve it today,
    whether that is too few, and whether the user may end an assignment there."""
    assignments = WardAssignment.objects.select_related("officer").order_by("-end", "start")
    wards = (
        permissions.monitored_wards(user)
        .select_related("borough")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .order_by("borough__name", "name")
    )
    rows: list[dict[str, Any]] = []
    for w in wards:
        current = [a for a in w.assignments.all() if a.start <= today and (a.end is None or a.end >= today)]
        rows.append(
            {
                "ward": w,
                "assignments": list(w.assignments.all()),
                "current": len({a.officer_id for a in current}),
                "flagged": len({a.officer_id for a in current}) < rules.MIN_OFFICERS_PER_WARD,
                "can_end": permissions.can_end_assignment(user, w.borough),
            }
        )
    return rows


@permissions.monitoring_required
def roster(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = roster_rows(request.user, today)
    if request.GET.get("export") == "roster":
        return export_response("dwo-roster", ROSTER_COLUMNS, ((r, a) for r in rows for a in r["assignments"]))
    context = {"rows": rows, "today": today, "export": export_url(request, "roster")}
    return render(request, "monitoring/roster.html", context)


@permissions.monitoring_required
def assignment_end_view(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        WardAssignment.objects.select_related("officer", "ward__borough").filter(
            ward__in=permissions.monitored_wards(request.user)
        ),
        pk=pk,
    )
    if not permissions.can_end_assignment(request.user, assignment.ward.borough):
        raise PermissionDenied
    form = AssignmentEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            flagged = services.assignment_end(
                assignment=assignment, end_date=form.cleaned_data["end_date"], by=request.user
            )
        except ServiceError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Assignment ended. {flagged} future session(s) flagged for reassignment; the SNB has been told.",
            )
            return redirect("monitoring:roster")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "monitoring/assignment_end.html",
        {"assignment": assignment, "form": form},
        status=status,
    )
