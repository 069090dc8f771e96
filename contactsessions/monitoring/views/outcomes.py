"""Outcomes: what happened at each session, the reminders, and the summaries."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from contactsessions import outcome_figures, permissions, rules, services
from contactsessions.lib.csvexport import Column, export_response
from contactsessions.models import ContactSession, SessionOutcome, SessionStatus
from contactsessions.monitoring.forms import OutcomeForm
from contactsessions.monitoring.views.common import export_url, range_query, week_range
from contactsessions.services import ServiceError
from contactsessions.services.outcomes import OUTCOME_COUNTS

OVERSEEN_LIMIT = 200

# The outcome summary's CSV columns after the first, which names the format, venue kind,
# day of week or time of day.
SUMMARY_COLUMNS = [
    Column("outcomes_recorded", lambda r: r.recorded),
    Column("held", lambda r: r.held),
    Column("total_attendance", lambda r: r.attendance),
    Column("average_attendance", lambda r: r.average_display),
    Column("nobody_came", lambda r: r.nobody_came),
    Column("crimes_reported", lambda r: r.crimes_reported),
    Column("advice_given", lambda r: r.advice_given),
    Column("property_marked", lambda r: r.property_marked),
    Column("people_signposted", lambda r: r.signposted),
]
# ?export= on the summary: the breakdown each names (the CSV's first column is the name).
SUMMARY_EXPORTS = {"format": "by_format", "venue": "by_venue_kind", "day": "by_day", "time": "by_time"}


@permissions.monitoring_required
def outcome_reminders(request: HttpRequest) -> HttpResponse:
    """A DWO's own sessions waiting for an outcome, and, for SNB members and monitoring
    staff, those still owed in the wards they oversee (read-only: only DWOs record)."""
    user = request.user
    own = outcome_figures.sessions_missing_outcome(user)
    overseen = None
    if permissions.is_monitoring(user) or permissions.is_board_member(user):
        wards = permissions.monitored_wards(user).exclude(pk__in=permissions.officer_ward_ids(user))
        overseen = outcome_figures.sessions_missing_outcome(user, wards=wards.values("pk"))[:OVERSEEN_LIMIT]
    return render(
        request,
        "monitoring/outcome_reminders.html",
        {
            "missing_outcomes": own,
            "overseen": overseen,
            "overseen_limit": OVERSEEN_LIMIT,
            "range_query": range_query(request),
        },
    )


def _initial(existing: SessionOutcome | None) -> dict[str, object] | None:
    """The form's starting values when correcting an outcome already recorded."""
    if existing is None:
        return None
    fields = ("not_held_category", "not_held_reason", *OUTCOME_COUNTS, "note")
    return {**{f: getattr(existing, f) for f in fields}, "held": "yes" if existing.held else "no"}


@permissions.monitoring_required
def outcome_record_view(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        ContactSession.objects.select_related("ward__borough", "venue").filter(
            ward__in=permissions.officer_ward_ids(request.user), status=SessionStatus.APPROVED
        ),
        pk=pk,
    )
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.outcome_record(session=session, by=request.user, **form.cleaned_data)
            except ServiceError as error:
                for problem in error.problems:
                    form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            else:
                messages.success(request, "Outcome recorded. Thank you.")
                return redirect("monitoring:ward", code=session.ward.code)
    else:
        form = OutcomeForm(initial=_initial(getattr(session, "outcome", None)))
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
    weeks, form, query = week_range(request)
    start, end = rules.week_bounds(weeks[0])[0], rules.week_bounds(weeks[-1])[1]
    summary = outcome_figures.summarise_outcomes(wards=wards, start=start, end=end)
    export = request.GET.get("export")
    if export in SUMMARY_EXPORTS:
        rows = getattr(summary, SUMMARY_EXPORTS[export])
        columns = [Column(export, lambda r: r.label), *SUMMARY_COLUMNS]
        return export_response(f"outcomes-by-{export}", columns, [*rows, summary.total])
    context = {
        "summary": summary,
        "scope": scope,
        "form": form,
        "report_weeks": weeks,
        "range_query": query,
        "exports": {t: export_url(request, t) for t in SUMMARY_EXPORTS},
    }
    return render(request, "monitoring/outcome_summary.html", context)
