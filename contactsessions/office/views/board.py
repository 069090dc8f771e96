"""Back-office pages for Safer Neighbourhood Board members (monitoring staff may look, not act)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contactsessions import permissions, queue_selectors, services
from contactsessions.office.forms import BulkApproveForm, DecisionForm, RejectForm, ReturnForm
from contactsessions.office.views.actions import act
from contactsessions.office.views.officer import render_session_page


@permissions.board_member_required
def queue(request: HttpRequest) -> HttpResponse:
    """Proposals waiting in the member's boroughs, grouped by ward and week, with bulk approvals."""
    boroughs = queue_selectors.boroughs_for_queue(request.user)
    groups = queue_selectors.review_queue(boroughs=boroughs, viewer=request.user)
    can_act = permissions.is_board_member(request.user)
    context = {
        "groups": groups,
        "sections": _printable(groups),
        "boroughs": boroughs,
        "months": queue_selectors.month_batches(groups),
        "series": queue_selectors.series_batches(groups),
        "can_act": can_act,
        "name_boroughs": not can_act or len(boroughs) > 1,  # each group's heading then names its borough
    }
    return render(request, "office/board/queue.html", context)


def _printable(groups: list[queue_selectors.QueueGroup]) -> list[dict]:
    """The groups and their items as the dicts of their fields: the template engine tries a
    dict look-up first, so each of the page's thousand values is found without a failed one."""
    return [{**vars(group), "items": [vars(item) for item in group.items]} for group in groups]


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
        slot="approve",
        redraw=render_session_page,
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
        form_class=ReturnForm,
        extra=lambda form: {"comment": form.cleaned_data["text"]},
        slot="return",
        redraw=render_session_page,
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
        form_class=RejectForm,
        extra=lambda form: {"reason": form.cleaned_data["text"]},
        slot="reject",
        redraw=render_session_page,
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
