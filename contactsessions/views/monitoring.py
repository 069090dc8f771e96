"""Monitoring pages: compliance, exemptions, outcomes and the DWO roster.

Monitoring staff read all London, SNB members their borough and DWOs their
wards; scope comes from :mod:`contactsessions.permissions`. Every table can be
downloaded as CSV with ``?export=<table>``, built from the same objects as the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from contactsessions import compliance, permissions, rules
from contactsessions.chart import compliance_svg
from contactsessions.csvexport import csv_response
from contactsessions.forms_monitoring import AssignmentEndForm, ExemptionProposeForm, OutcomeForm, WeekRangeForm
from contactsessions.models import ContactSession, ExemptionStatus, SessionStatus, WeekExemption
from contactsessions.services_monitoring import (
    MonitoringError,
    assignment_end,
    exemption_decide,
    exemption_propose,
    outcome_record,
)
from wards.models import Borough, Ward, WardAssignment

# --- helpers ------------------------------------------------------------------------------


def week_range(request: HttpRequest) -> tuple[list[dt.date], WeekRangeForm]:
    """The weeks asked for in the query string, or the default range with a message if they are wrong."""
    form = WeekRangeForm(request.GET or None)
    today = timezone.localdate()
    weeks = compliance.default_weeks(today)
    if form.is_bound and form.is_valid():
        start: dt.date | None = form.cleaned_data.get("start")
        end: dt.date | None = form.cleaned_data.get("end")
        if start or end:
            end = end or max(start or today, today)
            start = start or end - dt.timedelta(weeks=compliance.DEFAULT_PAST_WEEKS)
            try:
                weeks = compliance.weeks_between(start, end)
            except ValueError as error:
                form.add_error(None, str(error))
    return weeks, form


def range_query(weeks: list[dt.date]) -> str:
    return urlencode({"start": weeks[0].isoformat(), "end": weeks[-1].isoformat()})


def export_url(request: HttpRequest, table: str) -> str:
    query = request.GET.copy()
    query["export"] = table
    return f"?{query.urlencode()}"


def weeks_csv(name: str, report: compliance.ComplianceReport) -> HttpResponse:
    return csv_response(name, compliance.WEEK_COLUMNS, (compliance.week_row(w) for w in report.weeks))


def grid_csv(name: str, report: compliance.ComplianceReport) -> HttpResponse:
    return csv_response(
        name,
        ["borough", "ward_code", "ward", "enhanced", "officers", "week_start", "status", "standard_met", "reason"],
        (
            [
                i.borough_name,
                i.code,
                i.name,
                i.enhanced,
                i.officer_count,
                w.week_start,
                w.label,
                w.standard_met,
                w.reason,
            ]
            for i in report.wards
            for w in i.weeks
        ),
    )


# --- compliance -------------------------------------------------------------------------------


@permissions.monitoring_required
def index(request: HttpRequest) -> HttpResponse:
    """Send each user to the widest view they may read."""
    user = request.user
    if permissions.is_monitoring(user):
        return redirect("monitoring:london")
    boroughs = Borough.objects.filter(pk__in=permissions.board_borough_ids(user))
    if len(boroughs) == 1:
        return redirect("monitoring:borough", code=boroughs[0].code)
    wards = permissions.monitored_wards(user).select_related("borough")
    return render(request, "contactsessions/monitoring/index.html", {"boroughs": boroughs, "wards": wards})


BOROUGH_COLUMNS = [
    ("name", "Borough"),
    ("wards", "Wards"),
    ("share", "Weeks meeting the Standard minimum"),
    ("missed", "Weeks missed"),
    ("exempt", "Weeks exempt"),
    ("officers", "Wards with fewer than two DWOs"),
]


def sort_headers(request: HttpRequest, current: str) -> list[dict]:
    headers = []
    for key, label in BOROUGH_COLUMNS:
        ascending = current == key
        descending = current == f"-{key}"
        query = request.GET.copy()
        query.pop("export", None)
        query["sort"] = f"-{key}" if ascending else key
        headers.append(
            {
                "key": key,
                "label": label,
                "url": f"?{query.urlencode()}",
                "aria_sort": "ascending" if ascending else "descending" if descending else "none",
            }
        )
    return headers


@permissions.monitoring_required
def london(request: HttpRequest) -> HttpResponse:
    if not permissions.is_monitoring(request.user):
        raise PermissionDenied
    weeks, form = week_range(request)
    report = compliance.london_summary(week_starts=weeks)
    boroughs, sort = compliance.sort_areas(report.boroughs, request.GET.get("sort", "name"))
    export = request.GET.get("export")
    if export == "weeks":
        return weeks_csv("london-weeks", report)
    if export == "boroughs":
        return csv_response(
            "london-boroughs",
            [
                "borough_code",
                "borough",
                "wards",
                "enhanced_wards",
                "ward_weeks",
                "exempt",
                "standard_met",
                "standard_share",
                "met",
                "missed",
                "too_few_officers",
            ],
            (
                [
                    a.code,
                    a.name,
                    a.wards,
                    a.enhanced_wards,
                    a.ward_weeks,
                    a.exempt,
                    a.standard_met,
                    a.standard_percent,
                    a.met,
                    a.missed,
                    a.too_few_officers,
                ]
                for a in boroughs
            ),
        )
    if export == "enhanced":
        return grid_csv(
            "london-enhanced",
            compliance.ComplianceReport(report.week_starts, report.today, report.enhanced_wards, [], [], report.total),
        )
    context = {
        "report": report,
        "boroughs": boroughs,
        "headers": sort_headers(request, sort),
        "form": form,
        "range_query": range_query(weeks),
        "chart": compliance_svg(report.weeks, title="Share of London wards meeting the Standard minimum each week"),
        "exports": {t: export_url(request, t) for t in ("weeks", "boroughs", "enhanced")},
    }
    return render(request, "contactsessions/monitoring/london.html", context)


@permissions.monitoring_required
def borough(request: HttpRequest, code: str) -> HttpResponse:
    borough = permissions.get_borough_for_monitoring(request, code)
    weeks, form = week_range(request)
    report = compliance.compute_compliance(wards=borough.wards.current(), week_starts=weeks)
    export = request.GET.get("export")
    if export == "weeks":
        return weeks_csv(f"{borough.slug}-weeks", report)
    if export == "grid":
        return grid_csv(f"{borough.slug}-wards", report)
    context = {
        "borough": borough,
        "report": report,
        "form": form,
        "chart": compliance_svg(
            report.weeks, title=f"Share of {borough.name} wards meeting the Standard minimum each week"
        ),
        "exports": {t: export_url(request, t) for t in ("weeks", "grid")},
        "is_monitoring": permissions.is_monitoring(request.user),
    }
    return render(request, "contactsessions/monitoring/borough.html", context)


@permissions.monitoring_required
def ward(request: HttpRequest, code: str) -> HttpResponse:
    ward = permissions.get_ward_for_monitoring(request, code)
    weeks, form = week_range(request)
    chosen_week = None
    if request.GET.get("week"):
        try:
            chosen_week = rules.week_start_of(dt.date.fromisoformat(request.GET["week"]))
        except ValueError:
            messages.error(request, "That week is not a date; showing every week.")
        else:
            if chosen_week not in weeks:
                weeks = rules.weeks(chosen_week, 1)
    report = compliance.compute_compliance(wards=Ward.objects.filter(pk=ward.pk), week_starts=weeks)
    item = report.wards[0]
    if chosen_week:
        start, end = rules.week_bounds(chosen_week)
    else:
        start, end = rules.week_bounds(weeks[0])[0], rules.week_bounds(weeks[-1])[1]
    sessions = (
        ContactSession.objects.filter(ward=ward)
        .between(start, end)
        .select_related("venue", "outcome")
        .order_by("start")
    )
    if request.GET.get("export") == "weeks":
        return grid_csv(f"{ward.code}-weeks", report)
    if request.GET.get("export") == "sessions":
        return csv_response(
            f"{ward.code}-sessions",
            ["start", "end", "venue", "format", "status", "held", "attendance"],
            (
                [
                    timezone.localtime(s.start),
                    timezone.localtime(s.end),
                    s.venue.name,
                    s.get_format_display(),
                    s.get_status_display(),
                    getattr(getattr(s, "outcome", None), "held", ""),
                    getattr(getattr(s, "outcome", None), "attendance", ""),
                ]
                for s in sessions
            ),
        )
    context = {
        "ward": ward,
        "item": item,
        "report": report,
        "sessions": sessions,
        "chosen_week": chosen_week,
        "form": form,
        "exports": {t: export_url(request, t) for t in ("weeks", "sessions")},
        "can_record": permissions.is_officer_for(request.user, ward),
        "now": timezone.now(),
    }
    return render(request, "contactsessions/monitoring/ward.html", context)


@permissions.monitoring_required
def looking_ahead(request: HttpRequest) -> HttpResponse:
    rows = compliance.wards_without_sessions_ahead(wards=permissions.monitored_wards(request.user))
    if request.GET.get("export") == "wards":
        return csv_response(
            "looking-ahead",
            ["ward_code", "ward", "borough", "weeks_without_approved_session", "proposals_waiting"],
            (
                [r.code, r.name, r.borough_name, " ".join(w.isoformat() for w in r.weeks_without), r.planned]
                for r in rows
            ),
        )
    return render(
        request, "contactsessions/monitoring/looking_ahead.html", {"rows": rows, "export": export_url(request, "wards")}
    )


# --- exemptions ---------------------------------------------------------------------------------


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
    return render(request, "contactsessions/monitoring/exemptions.html", context)


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
    return render(request, "contactsessions/monitoring/exemption_propose.html", {"form": form}, status=400)


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


# --- outcomes -----------------------------------------------------------------------------------


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
        "contactsessions/monitoring/outcome_reminders.html",
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
        "contactsessions/monitoring/outcome_record.html",
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
    return render(request, "contactsessions/monitoring/outcome_summary.html", context)


# --- the DWO roster ----------------------------------------------------------------------------------


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
    return render(request, "contactsessions/monitoring/roster.html", context)


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
        "contactsessions/monitoring/assignment_end.html",
        {"assignment": assignment, "form": form},
        status=status,
    )
