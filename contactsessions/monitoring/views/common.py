"""What the monitoring pages share: the week range asked for, and CSV links."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from contactsessions import compliance
from contactsessions.lib.csvexport import csv_response
from contactsessions.monitoring.forms import WeekRangeForm


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
