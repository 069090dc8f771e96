"""The DWO roster: who serves where, and ending an assignment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from contactsessions import permissions, rules
from contactsessions.lib.csvexport import csv_response
from contactsessions.monitoring.forms import AssignmentEndForm
from contactsessions.monitoring.views.common import export_url
from contactsessions.services.monitoring import (
    MonitoringError,
    assignment_end,
)
from wards.models import WardAssignment


@permissions.monitoring_required
def roster(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    assignments = WardAssignment.objects.select_related("officer").order_by("-end", "start")
    wards = (
        permissions.monitored_wards(request.user)
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
                "can_end": permissions.can_end_assignment(request.user, w.borough),
            }
        )
    if request.GET.get("export") == "roster":
        return csv_response(
            "dwo-roster",
            ["borough", "ward_code", "ward", "officer", "start", "end", "ward_has_fewer_than_two_dwos"],
            (
                [
                    r["ward"].borough.name,
                    r["ward"].code,
                    r["ward"].name,
                    str(a.officer),
                    a.start,
                    a.end or "",
                    r["flagged"],
                ]
                for r in rows
                for a in r["assignments"]
            ),
        )
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
            flagged = assignment_end(assignment=assignment, end_date=form.cleaned_data["end_date"], by=request.user)
        except MonitoringError as error:
            form.add_error(None, str(error))
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
