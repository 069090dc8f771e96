"""The abstraction log: sessions not held, by why, for London, a borough or a ward.

The strategy lets DWOs be taken from their ward only for Notting Hill Carnival, New
Year's Eve and truly exceptional circumstances; this page lets an SNB see how often
sessions are lost that way, and to what.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from contactsessions import outcome_figures, permissions, rules
from contactsessions.lib.csvexport import Column, export_response
from contactsessions.monitoring.views.common import export_url, week_range
from wards.models import Borough

SHOWN_SESSIONS = 200  # on the page; the CSV has them all

# ?export=sessions: every session not held in the range, newest first.
NOT_HELD_COLUMNS = [
    Column("start", lambda s: timezone.localtime(s.start)),
    Column("borough", lambda s: s.ward.borough.name),
    Column("ward_code", lambda s: s.ward.code),
    Column("ward", lambda s: s.ward.name),
    Column("venue", lambda s: s.place_name),
    Column("category", lambda s: s.outcome.not_held_category),
    Column("category_label", lambda s: s.outcome.get_not_held_category_display()),
    Column("reason", lambda s: s.outcome.not_held_reason),
]


def _category_count(index: int) -> Callable[[outcome_figures.NotHeldRow], int]:
    return lambda row: row.by_category[index]


def _readable_boroughs(user) -> frozenset[str] | None:
    """The codes of the boroughs whose log (``?borough=``) the user may open: their SNBs'
    (a DWO's none); ``None`` for monitoring staff, who may open every one."""
    if permissions.is_monitoring(user):
        return None
    return frozenset(Borough.objects.filter(pk__in=permissions.board_borough_ids(user)).values_list("code", flat=True))


@permissions.monitoring_required
def abstraction_log(request: HttpRequest) -> HttpResponse:
    """London by borough for monitoring staff; a borough (?borough=CODE) by ward; a ward (?ward=CODE)."""
    user = request.user
    wards = permissions.monitored_wards(user)
    scope, by_ward = ("London" if permissions.is_monitoring(user) else "All wards you can see"), False
    if request.GET.get("ward"):
        ward = permissions.get_ward_for_monitoring(request, request.GET["ward"])
        wards, scope, by_ward = wards.filter(pk=ward.pk), ward.name, True
    elif request.GET.get("borough"):
        borough = permissions.get_borough_for_monitoring(request, request.GET["borough"])
        wards, scope, by_ward = wards.filter(borough=borough), borough.name, True
    weeks, form, query = week_range(request)
    start, end = rules.week_bounds(weeks[0])[0], rules.week_bounds(weeks[-1])[1]
    log = outcome_figures.abstraction_log(wards=wards, start=start, end=end, by_ward=by_ward)
    export = request.GET.get("export")
    if export == "sessions":
        return export_response("sessions-not-held", NOT_HELD_COLUMNS, log.sessions)
    if export == "areas":
        columns = [
            Column("ward_code" if by_ward else "borough_code", lambda r: r.code),
            Column("ward" if by_ward else "borough", lambda r: r.name),
            *(Column(value, _category_count(i)) for i, (value, _) in enumerate(log.categories)),
            Column("abstracted", lambda r: r.abstracted),
            Column("total", lambda r: r.total),
        ]
        return export_response("abstraction-log", columns, [*log.areas, log.total])
    context = {
        "log": log,
        "scope": scope,
        "by_ward": by_ward,
        "form": form,
        "report_weeks": weeks,
        "range_query": query,
        "sessions": log.sessions[:SHOWN_SESSIONS],
        "shown_limit": SHOWN_SESSIONS,
        "exports": {t: export_url(request, t) for t in ("areas", "sessions")},
        "readable_boroughs": None if by_ward else _readable_boroughs(user),  # rows to link
    }
    return render(request, "monitoring/abstraction_log.html", context)
