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
from contactsessions.monitoring.views.common import export_url, range_query
from contactsessions.services import ServiceError
from wards.models import Rank, WardAssignment


def _names(assignments: list[WardAssignment]) -> str:
    return "; ".join(str(a.officer) for a in assignments)


# One CSV row per ward, every ward in scope, flagged or not.
ROSTER_COLUMNS = [
    Column("borough", lambda r: r["ward"].borough.name),
    Column("ward_code", lambda r: r["ward"].code),
    Column("ward", lambda r: r["ward"].name),
    Column("dwos_now", lambda r: r["current"]),
    Column("pcs", lambda r: r["pcs"]),
    Column("pcsos", lambda r: r["pcsos"]),
    Column("ward_has_fewer_than_two_dwos", lambda r: r["flagged"]),
    Column("shortfalls", lambda r: " ".join(v.code for v in r["shortfalls"])),
    Column("shortfall_text", lambda r: " ".join(v.message for v in r["shortfalls"])),
    Column("officers_now", lambda r: _names(r["current_assignments"])),
]


def roster_rows(user: permissions.AnyUser, today: dt.date) -> list[dict[str, Any]]:
    """One row per ward the user may read: its assignments, how many DWOs serve it today,
    how many of them are PCs and PCSOs, what that falls short of (two PCs and a PCSO),
    and whether the user may end an assignment there."""
    assignments = WardAssignment.objects.select_related("officer").order_by("-end", "start")
    wards = (
        permissions.monitored_wards(user)
        .select_related("borough")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .order_by("borough__name", "name")
    )
    can_end = {}
    rows: list[dict[str, Any]] = []
    for w in wards:
        current = [a for a in w.assignments.all() if a.start <= today and (a.end is None or a.end >= today)]
        officers = {a.officer_id: a.officer for a in current}
        pcs = sum(1 for o in officers.values() if o.rank == Rank.PC)
        pcsos = sum(1 for o in officers.values() if o.rank == Rank.PCSO)
        if w.borough_id not in can_end:
            can_end[w.borough_id] = permissions.can_end_assignment(user, w.borough)
        rows.append(
            {
                "ward": w,
                "assignments": list(w.assignments.all()),
                "current_assignments": current,
                "current": len(officers),
                "pcs": pcs,
                "pcsos": pcsos,
                "flagged": len(officers) < rules.MIN_OFFICERS_PER_WARD,
                "shortfalls": rules.roster_shortfalls(ward_id=w.pk, pcs=pcs, pcsos=pcsos),
                "can_end": can_end[w.borough_id],
            }
        )
    return rows


@permissions.monitoring_required
def roster(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = roster_rows(request.user, today)
    if request.GET.get("export") == "roster":
        return export_response("dwo-roster", ROSTER_COLUMNS, rows)
    context = {
        "rows": rows,
        "today": today,
        "export": export_url(request, "roster"),
        "short": sum(1 for r in rows if r["shortfalls"]),
        "range_query": range_query(request),
    }
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
