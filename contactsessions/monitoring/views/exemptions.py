"""Exemptions: weeks a ward need not hold a session, proposed by DWOs and decided by the SNB."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from contactsessions import permissions, services
from contactsessions.lib.csvexport import Column, export_response
from contactsessions.models import ExemptionStatus, LondonExemptPeriod, WeekExemption
from contactsessions.monitoring.forms import ExemptionProposeForm, LondonPeriodForm
from contactsessions.monitoring.views.common import export_url, range_query
from contactsessions.services import ServiceError
from wards.models import Ward

EXEMPTION_COLUMNS = [
    Column("ward_code", lambda e: e.ward.code),
    Column("ward", lambda e: e.ward.name),
    Column("borough", lambda e: e.ward.borough.name),
    Column("week_start", lambda e: e.week_start),
    Column("status", lambda e: e.get_status_display()),
    Column("reason", lambda e: e.reason),
]


def _can_decide(user: permissions.AnyUser, exemption: WeekExemption) -> bool:
    """What the page offers; ``services.exemption_decide`` checks it again, under a lock."""
    return (
        exemption.status == ExemptionStatus.PROPOSED
        and permissions.is_board_member_for(user, exemption.ward.borough)
        and exemption.proposed_by_id != user.pk  # four eyes: the proposer cannot decide
    )


@permissions.monitoring_required
def exemptions(request: HttpRequest) -> HttpResponse:
    user = request.user
    exemptions = (
        WeekExemption.objects.filter(ward__in=permissions.monitored_wards(user))
        .select_related("ward__borough", "proposed_by", "decided_by")
        .order_by("-week_start", "ward__name")
    )
    if request.GET.get("export") == "exemptions":
        return export_response("exemptions", EXEMPTION_COLUMNS, exemptions)
    own_wards = Ward.objects.filter(pk__in=permissions.officer_ward_ids(user))
    context = {
        "rows": [(e, _can_decide(user, e)) for e in exemptions],
        "form": ExemptionProposeForm(wards=own_wards) if own_wards else None,
        "export": export_url(request, "exemptions"),
        "periods": LondonExemptPeriod.objects.all(),
        "period_form": LondonPeriodForm() if permissions.is_monitoring(user) else None,
        "range_query": range_query(request),
    }
    return render(request, "monitoring/exemptions.html", context)


@require_POST
@permissions.monitoring_required
def london_period_declare_view(request: permissions.AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.is_monitoring(request.user):
        raise PermissionDenied
    form = LondonPeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.london_period_declare(by=request.user, **form.cleaned_data)
        except ServiceError as error:
            for problem in error.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, f"{period.reason}: exempt in every London ward.")
            return redirect("monitoring:exemptions")
    return render(request, "monitoring/london_period_declare.html", {"form": form}, status=400)


@require_POST
@permissions.monitoring_required
def exemption_propose_view(request: permissions.AuthenticatedHttpRequest) -> HttpResponse:
    own_wards = Ward.objects.filter(pk__in=permissions.officer_ward_ids(request.user))
    if not own_wards:
        raise PermissionDenied
    form = ExemptionProposeForm(request.POST, wards=own_wards)
    if form.is_valid():
        try:
            exemption = services.exemption_propose(
                ward=form.cleaned_data["ward"],
                week_start=form.cleaned_data["week"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ServiceError as error:
            for problem in error.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
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
        exemption = services.exemption_decide(exemption=exemption, agree=decision == "agree", by=request.user)
    except ServiceError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Exemption {exemption.get_status_display().lower()}.")
    return redirect("monitoring:exemptions")
