"""Back-office pages for Safer Neighbourhood Board members (monitoring staff may look, not act)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.views.decorators.http import require_POST

from contactsessions import permissions, selectors, services
from contactsessions.office.forms import BulkApproveForm, DecisionForm, ReasonForm
from contactsessions.office.views.actions import act

_PK = 987654321  # stands for a session id in a URL reversed once per page


class _Days:
    """The date filter's "D j M" (e.g. "Mon 3 Nov"): the same translated names, looked up once a page."""

    def __init__(self) -> None:
        self.weekdays = {n: str(name) for n, name in WEEKDAYS_ABBR.items()}
        self.months = {n: str(name).title() for n, name in MONTHS_3.items()}

    def __call__(self, day: dt.date) -> str:
        return f"{self.weekdays[day.weekday()]} {day.day} {self.months[day.month]}"


def _label_items(groups: list[selectors.QueueGroup]) -> None:
    """Links, times and names of each queue item, as the template's url tags, date filters
    and loops gave them (the template still escapes them).

    Reversing two URLs, formatting four dates and looping over officers per item
    cost over half of the rendering time of a busy borough's queue; this does the
    same work once per item, in plain Python.
    """
    detail = reverse("officer:session-detail", args=[_PK])
    approve = reverse("board:session-approve", args=[_PK])
    _day = _Days()
    for group in groups:
        group.week_label = f"{_day(group.week_start)} {group.week_start.year}"
        for item in group.items:
            session, pk = item.session, str(item.session.pk)
            start, end = timezone.localtime(session.start), timezone.localtime(session.end)
            day = _day(start)
            item.detail_url = detail.replace(str(_PK), pk)
            item.approve_url = approve.replace(str(_PK), pk)
            item.when = f"{day}, {start:%H:%M}–{end:%H:%M}"  # "H:i" is %H:%M
            item.when_label = f"{day} {start:%H:%M}"
            item.officer_names = ", ".join(o.display_name for o in session.officers.all())


@permissions.board_member_required
def queue(request: HttpRequest) -> HttpResponse:
    """Proposals waiting in the member's boroughs, grouped by ward and week, with bulk approvals."""
    boroughs = selectors.boroughs_for_queue(request.user)
    groups = selectors.review_queue(boroughs=boroughs)
    _label_items(groups)
    context = {
        "groups": groups,
        "boroughs": boroughs,
        "months": selectors.month_batches(groups),
        "series": selectors.series_batches(groups),
        "can_act": permissions.is_board_member(request.user),
        "expected_versions": services.expected_versions,
    }
    return render(request, "office/board/queue.html", context)


@require_POST
@permissions.board_member_required
def session_approve(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_board(request, pk)
    return act(
        request,
        session,
        services.session_approve,
        "Approved.",
        form_class=DecisionForm,
        extra=lambda form: {"comment": form.cleaned_data["text"]},
    )


@require_POST
@permissions.board_member_required
def session_return(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_board(request, pk)
    return act(
        request,
        session,
        services.session_return,
        "Returned to the ward's officers with your comment.",
        form_class=ReasonForm,
        extra=lambda form: {"comment": form.cleaned_data["text"]},
    )


@require_POST
@permissions.board_member_required
def session_reject(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_board(request, pk)
    return act(
        request,
        session,
        services.session_reject,
        "Rejected.",
        form_class=ReasonForm,
        extra=lambda form: {"reason": form.cleaned_data["text"]},
    )


def _report(request, result: services.BulkResult) -> HttpResponse:
    count = len(result.approved)
    messages.success(request, f"{count} session{'' if count == 1 else 's'} approved.")
    for line in result.skipped:
        messages.warning(request, f"Not approved: {line}")
    return redirect("board:queue")


@require_POST
@permissions.board_member_required
def series_approve(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    series = permissions.get_series_for_board(request, pk)
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was selected to approve.")
        return redirect("board:queue")
    expected = services.parse_expected_versions(form.cleaned_data["expected"])
    return _report(request, services.series_approve(series=series, by=request.user, expected=expected))


@require_POST
@permissions.board_member_required
def month_approve(
    request: permissions.AuthenticatedHttpRequest, borough_id: int, year: int, month: int
) -> HttpResponse:
    borough = permissions.get_borough_for_board(request, borough_id)
    form = BulkApproveForm(request.POST)
    if not form.is_valid() or not 1 <= month <= 12 or not 2000 <= year <= 2100:
        messages.error(request, "Nothing was selected to approve.")
        return redirect("board:queue")
    expected = services.parse_expected_versions(form.cleaned_data["expected"])
    result = services.month_approve(borough=borough, year=year, month=month, by=request.user, expected=expected)
    return _report(request, result)
