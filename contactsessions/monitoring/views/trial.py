"""The Enhanced trial review: each Enhanced site against the Standard wards of its borough.

The strategy trials the enhancement "for six months to ascertain community interest";
this page gives monitoring staff (London) and SNB members (their boroughs) what the
review needs: sessions planned and held, people met and what they came for, at the site
and, on average, at each Standard ward of the same borough over the same dates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from contactsessions import outcome_figures, permissions
from contactsessions.lib.csvexport import Column, export_response
from contactsessions.monitoring.views.common import export_url, range_query


def _figure(side: str, name: str) -> Callable[[Any], object]:
    return lambda comparison: getattr(getattr(comparison, side), name)


def _figures(prefix: str, side: str) -> list[Column]:
    return [Column(f"{prefix}_{name}", _figure(side, name)) for name in outcome_figures.TRIAL_FIELDS]


# ?export=csv: one row per Enhanced site; the Standard wards' figures are per ward.
TRIAL_COLUMNS = [
    Column("borough", lambda c: c.designation.ward.borough.name),
    Column("community", lambda c: c.designation.community),
    Column("ward_code", lambda c: c.designation.ward.code),
    Column("ward", lambda c: c.designation.ward.name),
    Column("trial_starts_on", lambda c: c.starts_on),
    Column("trial_review_on", lambda c: c.review_on),
    Column("counted_until", lambda c: c.until),
    *_figures("site", "site"),
    Column("standard_wards", lambda c: c.standard_wards),
    *_figures("standard_per_ward", "standard"),
]


@permissions.monitoring_required
def enhanced_trial(request: permissions.AuthenticatedHttpRequest) -> HttpResponse:
    """London's Enhanced sites for monitoring staff; an SNB member's boroughs' sites for them."""
    user = request.user
    if permissions.is_monitoring(user):
        boroughs = None
    elif permissions.is_board_member(user):
        boroughs = permissions.board_borough_ids(user)
    else:
        raise PermissionDenied  # a DWO's monitoring pages are their own wards', not the trial
    comparisons = outcome_figures.enhanced_trial(boroughs=boroughs)
    if request.GET.get("export") == "csv":
        return export_response("enhanced-trial", TRIAL_COLUMNS, comparisons)
    context = {
        "comparisons": comparisons,
        "export": export_url(request, "csv"),
        "london": boroughs is None,
        "range_query": range_query(request),  # passed on by the nav, though the trial has its own dates
    }
    return render(request, "monitoring/enhanced_trial.html", context)
