"""Compliance pages: London, a borough, a ward, and the weeks ahead.

Monitoring staff read all London, SNB members their borough and DWOs their
wards; scope comes from :mod:`contactsessions.permissions`. Every table can be
downloaded as CSV with ``?export=<table>``, built from the same objects as the page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from contactsessions import compliance, permissions, rules
from contactsessions.lib.csvexport import csv_response
from contactsessions.models import ContactSession
from contactsessions.monitoring.chart import compliance_svg
from contactsessions.monitoring.views.common import export_url, grid_csv, range_query, week_range, weeks_csv
from wards.models import Borough, Ward


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
    return render(request, "monitoring/index.html", {"boroughs": boroughs, "wards": wards})


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
    return render(request, "monitoring/london.html", context)


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
    return render(request, "monitoring/borough.html", context)


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
    return render(request, "monitoring/ward.html", context)


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
    return render(request, "monitoring/looking_ahead.html", {"rows": rows, "export": export_url(request, "wards")})
