"""Outcomes: what happened at each session, the reminders, and the summaries."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from contactsessions import compliance, permissions, rules
from contactsessions.lib.csvexport import csv_response
from contactsessions.models import ContactSession, SessionStatus
from contactsessions.monitoring.forms import OutcomeForm
from contactsessions.monitoring.views.common import export_url, week_range
from contactsessions.services.monitoring import (
    MonitoringError,
    outcome_record,
)

OVERSEEN_LIMIT = 200


@permissions.monitoring_required
def outcome_reminders(request: HttpRequest) -> HttpResponse:
    """A DWO's own sessions waiting for an outcome, and, for SNB members and monitoring
    staff, those still owed in the wards they oversee (read-only: only DWOs record)."""
    user = request.user
    own = compliance.sessions_missing_outcome(user)
    overseen = None
    if permissions.is_monitoring(user) or permissions.is_board_member(user):
        wards = permissions.monitored_wards(user).exclude(pk__in=permissions.officer_ward_ids(user))
        overseen = compliance.sessions_missing_outcome(user, wards=wards.values("pk"))[:OVERSEEN_LIMIT]
    return render(
        request,
        "monitoring/outcome_reminders.html",
        {"missing_outcomes": own, "overseen": overseen, "overseen_limit": OVERSEEN_LIMIT},
    )


@permissions.monitoring_required
def outcome_record_view(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        ContactSession.objects.select_related("ward__borough", "venue").filter(
            ward__in=permissions.officer_ward_ids(request.user), status=SessionStatus.APPROVED
        ),
        pk=pk,
    )
    existing = getattr(session, "outcome", None)
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                outcome_record(session=session, by=request.user, **form.cleaned_data)
            except MonitoringError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Outcome recorded. Thank you.")
                return redirect("monitoring:ward", code=session.ward.code)
    else:
        initial = None
        if existing:
            initial = {
                f: getattr(existing, f)
                for f in (
                    "not_held_reason",
                    "attendance",
                    "crimes_reported",
                    "advice_given",
                    "property_marked",
                    "signposted",
                    "note",
                )
            }
            initial["held"] = "yes" if existing.held else "no"
        form = OutcomeForm(initial=initial)
    ended = session.end <= timezone.now()
    return render(
        request,
        "monitoring/outcome_record.html",
        {"session": session, "form": form, "ended": ended},
        status=400 if request.method == "POST" else 200,
    )


@permissions.monitoring_required
def outcome_summary(request: HttpRequest) -> HttpResponse:
    """Summaries for London, a borough (?borough=CODE) or a ward (?ward=CODE), within the user's scope."""
    user = request.user
    wards = permissions.monitored_wards(user)
    scope = "All wards you can see" if not permissions.is_monitoring(user) else "London"
    if request.GET.get("ward"):
        ward = permissions.get_ward_for_monitoring(request, request.GET["ward"])
        wards, scope = wards.filter(pk=ward.pk), ward.name
    elif request.GET.get("borough"):
        borough = permissions.get_borough_for_monitoring(request, request.GET["borough"])
        wards, scope = wards.filter(borough=borough), borough.name
    weeks, form = week_range(request)
    start, end = rules.week_bounds(weeks[0])[0], rules.week_bounds(weeks[-1])[1]
    summary = compliance.summarise_outcomes(wards=wards, start=start, end=end)
    export = request.GET.get("export")
    if export in ("format", "venue"):
        rows = summary.by_format if export == "format" else summary.by_venue_kind
        return csv_response(
            f"outcomes-by-{export}",
            [
                export,
                "outcomes_recorded",
                "held",
                "total_attendance",
                "average_attendance",
                "nobody_came",
                "crimes_reported",
            ],
            (
                [r.label, r.recorded, r.held, r.attendance, r.average_display, r.nobody_came, r.crimes_reported]
                for r in [*rows, summary.total]
            ),
        )
    context = {
        "summary": summary,
        "scope": scope,
        "form": form,
        "report_weeks": weeks,
        "exports": {t: export_url(request, t) for t in ("format", "venue")},
    }
    return render(request, "monitoring/outcome_summary.html", context)
