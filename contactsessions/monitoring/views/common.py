"""What the monitoring pages share: the week range asked for, CSV links and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from contactsessions import compliance, rules, week_figures
from contactsessions.lib.csvexport import Column, csv_response, export_response
from contactsessions.lib.forms import EARLIEST_DATE, LATEST_DATE, planning_date_or_none
from contactsessions.models import ContactSession, ContactSessionQuerySet
from contactsessions.monitoring.forms import WeekRangeForm, range_problem
from wards.models import Ward


class WeekRange(NamedTuple):
    """The weeks a monitoring page shows, the form that chose them, and the query string
    (``start=…&end=…``) that carries a valid chosen range to the next page ("" otherwise)."""

    weeks: list[dt.date]
    form: WeekRangeForm
    query: str


def week_range(request: HttpRequest) -> WeekRange:
    """The weeks asked for in the query string, or the default range with the form's
    problems (``form.problems``, shown beside the range form) if they are wrong."""
    form = WeekRangeForm(request.GET or None)
    today = timezone.localdate()
    weeks = compliance.default_weeks(today)
    query = ""
    if form.is_bound and form.is_valid():
        start: dt.date | None = form.cleaned_data.get("start")
        end: dt.date | None = form.cleaned_data.get("end")
        if start or end:
            asked = {"start": start, "end": end}
            end = end or max(start or today, today)
            start = start or end - dt.timedelta(weeks=compliance.DEFAULT_PAST_WEEKS)
            try:
                weeks = compliance.weeks_between(start, end)
            except ValueError:
                form.add_error(None, range_problem(start, end))
            else:
                query = urlencode({k: v.isoformat() for k, v in asked.items() if v})
    return WeekRange(weeks, form, query)


def range_query(request: HttpRequest) -> str:
    """The valid range this request chose, as ``start=…&end=…``, for the links of a page
    that shows no range itself (so the next page shows the same weeks); "" if none."""
    return week_range(request).query


def chosen_week(request: HttpRequest) -> dt.date | None:
    """The Monday of the week asked for with ``?week=``; None, with a message if it is not a date."""
    if not request.GET.get("week"):
        return None
    day = planning_date_or_none(request.GET["week"])
    if day is None:  # 9999-12-31 is a date, but its week ends beyond Python's calendar
        messages.error(
            request,
            f"That week is not a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}; showing every week.",
        )
        return None
    return rules.week_start_of(day)


def sessions_in_weeks(ward: Ward, weeks: Sequence[dt.date]) -> ContactSessionQuerySet:
    """The ward's sessions, in any state, starting from the first of ``weeks`` to the end of the last."""
    start, _ = rules.week_bounds(weeks[0])
    _, end = rules.week_bounds(weeks[-1])
    return (
        ContactSession.objects.filter(ward=ward)
        .between(start, end)
        .select_related("venue", "outcome")
        .order_by("start")
    )


def export_url(request: HttpRequest, table: str) -> str:
    query = request.GET.copy()
    query["export"] = table
    return f"?{query.urlencode()}"


def weeks_csv(name: str, report: week_figures.ComplianceReport) -> HttpResponse:
    return csv_response(name, week_figures.WEEK_COLUMNS, (week_figures.week_row(w) for w in report.weeks))


class GridRow(NamedTuple):
    """One row of a ward-by-week grid: a ward's report and one of its weeks."""

    ward: week_figures.WardCompliance
    week: week_figures.WardWeek


GRID_COLUMNS = [
    Column("borough", lambda r: r.ward.borough_name),
    Column("ward_code", lambda r: r.ward.code),
    Column("ward", lambda r: r.ward.name),
    Column("enhanced", lambda r: r.ward.enhanced),
    Column("officers", lambda r: r.ward.officer_count),
    Column("week_start", lambda r: r.week.week_start),
    Column("status", lambda r: r.week.label),
    Column("state", lambda r: r.week.state.value),
    Column("held", lambda r: r.week.held_count),
    Column("awaiting_outcome", lambda r: r.week.unrecorded_count),
    Column("standard_met", lambda r: r.week.standard_met),
    Column("reason", lambda r: r.week.reason),
]


def grid_csv(name: str, wards: Iterable[week_figures.WardCompliance]) -> HttpResponse:
    """Each ward's every week, one row each."""
    return export_response(name, GRID_COLUMNS, (GridRow(i, w) for i in wards for w in i.weeks))
