"""Compliance pages: London, a borough, a ward, and the weeks ahead.

Monitoring staff read all London, SNB members their borough and DWOs their
wards; scope comes from :mod:`contactsessions.permissions`. Every table can be
downloaded as CSV with ``?export=<table>``, built from the same objects as the page.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from contactsessions import compliance, permissions, rules, week_figures
from contactsessions.lib.csvexport import Column, export_response
from contactsessions.models import ContactSession
from contactsessions.monitoring.chart import compliance_svg
from contactsessions.monitoring.views import ward_weeks
from contactsessions.monitoring.views.common import (
    chosen_week,
    export_url,
    grid_csv,
    range_query,
    sessions_in_weeks,
    week_range,
    weeks_csv,
)
from wards.models import Borough, Ward


@permissions.monitoring_required
def index(request: HttpRequest) -> HttpResponse:
    """Send each user to the widest view they may read."""
    user = request.user
    query = range_query(request)  # only a valid start and end go on
    suffix = f"?{query}" if query else ""
    if permissions.is_monitoring(user):
        return redirect(reverse("monitoring:london") + suffix)
    boroughs = Borough.objects.filter(pk__in=permissions.board_borough_ids(user))
    if len(boroughs) == 1:
        return redirect(reverse("monitoring:borough", args=[boroughs[0].code]) + suffix)
    wards = permissions.monitored_wards(user).select_related("borough")
    return render(request, "monitoring/index.html", {"boroughs": boroughs, "wards": wards, "range_query": query})


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


# ?export=boroughs on the London page: one row per borough.
BOROUGH_EXPORT_COLUMNS = [
    Column("borough_code", attrgetter("code")),
    Column("borough", attrgetter("name")),
    Column("wards", attrgetter("wards")),
    Column("enhanced_wards", attrgetter("enhanced_wards")),
    Column("ward_weeks", attrgetter("ward_weeks")),
    Column("exempt", attrgetter("exempt")),
    Column("standard_met", attrgetter("standard_met")),
    Column("standard_share", attrgetter("standard_percent")),
    Column("met", attrgetter("met")),
    Column("missed", attrgetter("missed")),
    Column("awaiting_outcome", attrgetter("awaiting_outcome")),
    Column("unconfirmed", attrgetter("unconfirmed")),
    Column("too_few_officers", attrgetter("too_few_officers")),
]


@permissions.monitoring_required
def london(request: HttpRequest) -> HttpResponse:
    if not permissions.is_monitoring(request.user):
        raise PermissionDenied
    weeks, form, query = week_range(request)
    report = compliance.london_summary(week_starts=weeks)
    boroughs, sort = week_figures.sort_areas(report.boroughs, request.GET.get("sort", "name"))
    export = request.GET.get("export")
    if export == "weeks":
        return weeks_csv("london-weeks", report)
    if export == "boroughs":
        return export_response("london-boroughs", BOROUGH_EXPORT_COLUMNS, boroughs)
    if export == "enhanced":
        return grid_csv("london-enhanced", report.enhanced_wards)
    context = {
        "report": report,
        "boroughs": boroughs,
        "headers": sort_headers(request, sort),
        "form": form,
        "range_query": query,
        "chart": compliance_svg(report.weeks, title="Share of London wards meeting the Standard minimum each week"),
        "exports": {t: export_url(request, t) for t in ("weeks", "boroughs", "enhanced")},
    }
    return render(request, "monitoring/london.html", context)


@permissions.monitoring_required
def borough(request: HttpRequest, code: str) -> HttpResponse:
    borough = permissions.get_borough_for_monitoring(request, code)
    weeks, form, query = week_range(request)
    report = compliance.compute_compliance(wards=compliance.wards_in_use(weeks, borough.wards.all()), week_starts=weeks)
    export = request.GET.get("export")
    if export == "weeks":
        return weeks_csv(f"{borough.slug}-weeks", report)
    if export == "grid":
        return grid_csv(f"{borough.slug}-wards", report.wards)
    context = {
        "borough": borough,
        "report": report,
        "form": form,
        "range_query": query,
        "chart": compliance_svg(
            report.weeks, title=f"Share of {borough.name} wards meeting the Standard minimum each week"
        ),
        "exports": {t: export_url(request, t) for t in ("weeks", "grid")},
        "is_monitoring": permissions.is_monitoring(request.user),
    }
    return render(request, "monitoring/borough.html", context)


def _outcome(field: str) -> Callable[[ContactSession], object]:
    """A session's outcome's ``field``, blank while no outcome is recorded."""
    return lambda s: getattr(getattr(s, "outcome", None), field, "")


# ?export=sessions on a ward's page: its sessions in the weeks shown.
WARD_SESSION_COLUMNS = [
    Column("start", lambda s: timezone.localtime(s.start)),
    Column("end", lambda s: timezone.localtime(s.end)),
    Column("venue", lambda s: s.place_name),
    Column("format", lambda s: s.get_format_display()),
    Column("status", lambda s: s.get_status_display()),
    Column("held", _outcome("held")),
    Column("not_held_category", _outcome("not_held_category")),
    Column("not_held_reason", _outcome("not_held_reason")),
    Column("attendance", _outcome("attendance")),
]


def ward_session_columns(reasons: dict[int, str]) -> list[Column]:
    """:data:`WARD_SESSION_COLUMNS`, then (added later, at the end) why a session does not count."""
    return [*WARD_SESSION_COLUMNS, Column("not_counted_reason", lambda s: reasons.get(s.pk, ""))]


@permissions.monitoring_required
def ward(request: HttpRequest, code: str) -> HttpResponse:
    ward = permissions.get_ward_for_monitoring(request, code)
    weeks, form, query = week_range(request)
    week = chosen_week(request)
    if week and week not in weeks:
        weeks = rules.weeks(week, 1)
    report = compliance.compute_compliance(wards=Ward.objects.filter(pk=ward.pk), week_starts=weeks)
    every_session = list(sessions_in_weeks(ward, weeks))
    sessions = [s for s in every_session if not week or rules.week_start_of(s.start) == week]
    reasons = ward_weeks.not_counted_reasons(report.wards[0])
    rows = ward_weeks.ward_week_rows(report.wards[0], every_session, reasons)
    if request.GET.get("export") == "weeks":
        return export_response(f"{ward.code}-weeks", ward_weeks.WARD_WEEK_COLUMNS, rows)
    if request.GET.get("export") == "sessions":
        return export_response(f"{ward.code}-sessions", ward_session_columns(reasons), sessions)
    context = {
        "ward": ward,
        "item": report.wards[0],
        "report": report,
        "rows": rows,
        "sessions": sessions,
        "session_rows": [(s, reasons.get(s.pk, "")) for s in sessions],
        "chosen_week": week,
        "form": form,
        "range_query": query,
        "exports": {t: export_url(request, t) for t in ("weeks", "sessions")},
        "can_record": permissions.is_officer_for(request.user, ward),
        # Only wards this app ran on: the history-only ones (loaded for old links) have no page.
        "predecessions": ward.predecessions.filter(predecessor__in_use_until__isnull=False)
        .select_related("predecessor")
        .order_by("-share"),
        "successions": ward.successions.filter(successor__is_current=True)
        .select_related("successor")
        .order_by("-share"),
        "now": timezone.now(),
    }
    return render(request, "monitoring/ward.html", context)


# ?export=wards on the looking-ahead page.
LOOKING_AHEAD_COLUMNS = [
    Column("ward_code", attrgetter("code")),
    Column("ward", attrgetter("name")),
    Column("borough", attrgetter("borough_name")),
    Column("weeks_without_approved_session", lambda r: " ".join(w.isoformat() for w in r.weeks_without)),
    Column("proposals_waiting", attrgetter("planned")),
]


@permissions.monitoring_required
def looking_ahead(request: HttpRequest) -> HttpResponse:
    rows = compliance.wards_without_sessions_ahead(wards=permissions.monitored_wards(request.user))
    if request.GET.get("export") == "wards":
        return export_response("looking-ahead", LOOKING_AHEAD_COLUMNS, rows)
    context = {"rows": rows, "export": export_url(request, "wards"), "range_query": range_query(request)}
    return render(request, "monitoring/looking_ahead.html", context)
