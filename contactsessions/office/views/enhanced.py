"""The SNB's page for an Enhanced site (issue 15, "only confirmed facts"): the fixed weekly
times the public sees only once the board confirms them, the next weeks' pattern days with
or without an approved session, and a move of the fixed venue announced ahead.

Only SNB members of the designation's borough reach these pages (404 for anyone else);
every change goes through services.enhanced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from contactsessions import permissions, rules, services
from contactsessions.models import ContactSession, EnhancedDesignation
from contactsessions.office.forms import VenueMoveForm
from contactsessions.office.views.actions import put_problems

PATTERN_WEEKS = 4  # as far ahead as the public pages check the pattern


@dataclass(frozen=True)
class PatternDay:
    day: dt.date
    held: bool  # an approved session at the site that day


def pattern_days(designation: EnhancedDesignation, today: dt.date) -> list[PatternDay]:
    """Each day of the next weeks on which the fixed pattern falls, and whether an approved
    session is held then (the public is told "Not on …" for the others, rules.fixed_pattern_gaps)."""
    last = today + dt.timedelta(weeks=PATTERN_WEEKS)
    weekdays = {slot.weekday for slot in designation.slots.all()}
    site_venues = [v for v in (designation.venue_id, designation.next_venue_id) if v is not None]
    starts = (
        ContactSession.objects.approved()
        .filter(ward=designation.ward_id, venue__in=site_venues, start__date__gte=today, start__date__lte=last)
        .values_list("start", flat=True)
    )
    held = [timezone.localtime(start).date() for start in starts]
    gaps = set(rules.fixed_pattern_gaps(weekdays=weekdays, held=held, first=today, last=last))
    days = (today + dt.timedelta(days=n) for n in range((last - today).days + 1))
    return [PatternDay(day, day not in gaps) for day in days if day.weekday() in weekdays]


def render_designation(request: HttpRequest, designation: EnhancedDesignation, move_form=None) -> HttpResponse:
    context = {
        "designation": designation,
        "slots": list(designation.slots.all()),
        "days": pattern_days(designation, timezone.localdate()),
        "move_form": move_form or VenueMoveForm(designation=designation),
        "can_act": permissions.is_board_member_for(request.user, designation.ward.borough),
    }
    return render(request, "office/board/designation_detail.html", context)


@permissions.board_member_required
def designation_list(request: HttpRequest) -> HttpResponse:
    """The Enhanced sites of the member's boroughs, each with whether its times are confirmed."""
    designations = permissions.designations_for_board(request.user).prefetch_related("slots")
    return render(request, "office/board/designation_list.html", {"designations": designations})


@permissions.board_member_required
def designation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The site, its venue and fixed times, whether the board has confirmed them, and the next weeks."""
    return render_designation(request, permissions.get_designation_for_board(request, pk))


def _change_pattern(request: permissions.AuthenticatedHttpRequest, pk: int, action, success: str) -> HttpResponse:
    designation = permissions.get_designation_for_board(request, pk)
    try:
        action(designation=designation, by=request.user)
    except services.ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("board:designation", designation.pk)


@require_POST
@permissions.board_member_required
def designation_confirm(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    success = "Weekly times confirmed: the public pages now show them."
    return _change_pattern(request, pk, services.designation_confirm_pattern, success)


@require_POST
@permissions.board_member_required
def designation_unconfirm(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    success = "Confirmation withdrawn: the public pages show only approved sessions."
    return _change_pattern(request, pk, services.designation_unconfirm_pattern, success)


@require_POST
@permissions.board_member_required
def designation_move(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Announce a move of the fixed venue; a refusal redraws the page with what was typed."""
    designation = permissions.get_designation_for_board(request, pk)
    form = VenueMoveForm(request.POST, designation=designation)
    if form.is_valid():
        venue, moves_on = form.cleaned_data["venue"], form.cleaned_data["moves_on"]
        try:
            services.designation_move_venue(designation=designation, venue=venue, moves_on=moves_on, by=request.user)
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, f"Move announced: from {moves_on:%-d %B %Y} at {venue.name}.")
            return redirect("board:designation", designation.pk)
    return render_designation(request, designation, form)
