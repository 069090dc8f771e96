"""Exemptions: weeks a ward need not hold a session, proposed by DWOs and decided by the SNB."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from contactsessions import permissions
from contactsessions.lib.csvexport import csv_response
from contactsessions.models import ExemptionStatus, WeekExemption
from contactsessions.monitoring.forms import ExemptionProposeForm
from contactsessions.monitoring.views.common import export_url
from contactsessions.services.monitoring import (
    MonitoringError,
    exemption_decide,
    exemption_propose,
)
from wards.models import Ward


@permissions.monitoring_required
def exemptions(request: HttpRequest) -> HttpResponse:
    user = request.user
    exemptions = (
        WeekExemption.objects.filter(ward__in=permissions.monitored_wards(user))
        .select_related("ward__borough", "proposed_by", "decided_by")
        .order_by("-week_start", "ward__name")
    )
    if request.GET.get("export") == "exemptions":
        return csv_response(
            "exemptions",
            ["ward_code", "ward", "borough", "week_start", "status", "reason"],
            (
                [e.ward.code, e.ward.name, e.ward.borough.name, e.week_start, e.get_status_display(), e.reason]
                for e in exemptions
            ),
        )
    own_wards = Ward.objects.filter(pk__in=permissions.officer_ward_ids(user))
    rows = [
        (e, e.status == ExemptionStatus.PROPOSED and permissions.is_board_member_for(user, e.ward.borough))
        for e in exemptions
    ]
    context = {
        "rows": rows,
        "form": ExemptionProposeForm(wards=own_wards) if own_wards else None,
        "export": export_url(request, "exemptions"),
    }
    return render(request, "monitoring/exemptions.html", context)


@require_POST
@permissions.monitoring_required
def exemption_propose_view(request: permissions.AuthenticatedHttpRequest) -> HttpResponse:
    own_wards = Ward.objects.filter(pk__in=permissions.officer_ward_ids(request.user))
    if not own_wards:
        raise PermissionDenied
    form = ExemptionProposeForm(request.POST, wards=own_wards)
    if form.is_valid():
        try:
            exemption = exemption_propose(
                ward=form.cleaned_data["ward"],
                week_start=form.cleaned_data["week"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except MonitoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Exemption for the week of {exemption.week_start:%d %b %Y} sent to the SNB.")
            return redirect("monitoring:exemptions")
    return render(request, "monitoring/exemption_propose.html", {"form": form}, status=400)


@require_POST
@permissions.monitoring_required
def exemption_decide_view(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    exemption = get_object_or_404(
        WeekExemption.objects.select_related("ward__borough").filter(
            ward__in=permissions.monitored_wards(request.user)
        ),
        pk=pk,
    )
    if not permissions.is_board_member_for(request.user, exemption.ward.borough):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("agree", "refuse"):
        messages.error(request, "Choose to agree or refuse.")
        return redirect("monitoring:exemptions")
    try:
        exemption_decide(exemption=exemption, agree=decision == "agree", by=request.user)
    except MonitoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Exemption {exemption.get_status_display().lower()}.")
    return redirect("monitoring:exemptions")
