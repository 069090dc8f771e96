"""Back-office pages for Dedicated Ward Officers, Ward Panel members and everybody who signs in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contactsessions import outcome_figures, permissions, selectors, services, week_selectors
from contactsessions.models import ContactSession, EnhancedDesignation, SessionComment, SessionStatus
from contactsessions.office.forms import CommentForm, DecisionForm, ReasonForm, SeriesForm, SessionForm, session_initial
from contactsessions.office.views.actions import act
from wards.models import Borough, Ward


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where everybody lands after signing in. DWOs see their wards' next eight weeks."""
    user = request.user
    context = {
        "ward_weeks": week_selectors.ward_weeks(wards=selectors.officer_wards(user)),
        "open_sessions": selectors.open_sessions_for_officer(user=user),
        "missing_outcomes": outcome_figures.sessions_missing_outcome(user)[:10],
        "panel_wards": Ward.objects.filter(pk__in=permissions.panel_ward_ids(user)).select_related("borough"),
        "board_boroughs": Borough.objects.filter(pk__in=permissions.board_borough_ids(user)),
        "is_monitoring": permissions.is_monitoring(user),
    }
    return render(request, "office/officer/home.html", context)


def _enhanced_context(ward: Ward) -> dict:
    designation = EnhancedDesignation.objects.filter(ward=ward).select_related("venue").first()
    if designation is None:
        return {"designation": None}
    return {"designation": designation, "fixed_slots": list(designation.slots.all())}


def _enhanced_initial(ward: Ward) -> dict:
    designation = EnhancedDesignation.objects.filter(ward=ward).first()
    if designation is None:
        return {}
    initial: dict[str, object] = {"venue": designation.venue_id}
    slot = designation.slots.first()
    if slot:
        initial.update(start_time=slot.start_time, end_time=slot.end_time, weekday=slot.weekday)
    return initial


def _officer_initial(request, ward: Ward) -> dict:
    officer = getattr(request.user, "officer", None)
    return {"officers": [officer] if officer else [], **_enhanced_initial(ward)}


@permissions.officer_required
def session_propose(request: permissions.AuthenticatedHttpRequest, ward_id: int) -> HttpResponse:
    ward = permissions.get_ward_for_officer(request, ward_id)
    form = SessionForm(request.POST or None, ward=ward, initial=_officer_initial(request, ward))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_propose(by=request.user, ward=ward, details=form.details())
        except services.ServiceError as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, "Session proposed. The Safer Neighbourhood Board has been told.")
            return redirect("officer:session-detail", session.pk)
    context = {"form": form, "ward": ward, **_enhanced_context(ward)}
    return render(request, "office/officer/session_propose.html", context)


@permissions.officer_required
def series_propose(request: permissions.AuthenticatedHttpRequest, ward_id: int) -> HttpResponse:
    ward = permissions.get_ward_for_officer(request, ward_id)
    form = SeriesForm(request.POST or None, ward=ward, initial=_officer_initial(request, ward))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions = services.series_propose(
                by=request.user,
                ward=ward,
                details=form.details_on(form.first_day()),
                weekday=data["weekday"],
                until=data["until"],
                count=data["weeks"],
            )
        except services.ServiceError as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, f"{len(sessions)} weekly sessions proposed. Each is now decided on its own.")
            return redirect("officer:home")
    context = {"form": form, "ward": ward, **_enhanced_context(ward)}
    return render(request, "office/officer/series_propose.html", context)


@permissions.backoffice_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's back-office page: details, pending change, comments, history and the actions the user may take."""
    session = permissions.get_session_for_viewer(request, pk)
    user = request.user
    is_open, awaiting = session.is_open, session.awaiting_decision
    can_edit = permissions.can_edit(user, session)
    context = {
        "session": session,
        "officers": session.officers.all(),
        "comments": SessionComment.objects.filter(session=session).select_related("author"),
        "history": selectors.session_history(session),
        "can_edit": can_edit and (is_open or session.status == SessionStatus.APPROVED),
        "can_withdraw": can_edit and is_open,
        "can_cancel": can_edit and session.status == SessionStatus.APPROVED,
        "can_comment": permissions.can_comment(user, session),
        "can_decide": awaiting and permissions.can_decide(user, session),
        "can_return": session.status == SessionStatus.PROPOSED and permissions.can_decide(user, session),
        # Four eyes: say why a board member of the borough sees no decision buttons.
        "decide_refusal": (
            permissions.decide_refusal(user, session)
            if awaiting and permissions.is_board_member_for(user, session.ward.borough)
            else ""
        ),
        "version_form": DecisionForm(initial={"version": session.version}),
        "reason_form": ReasonForm(initial={"version": session.version}),
        "comment_form": CommentForm(),
    }
    return render(request, "office/officer/session_detail.html", context)


@permissions.officer_required
def session_edit(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_officer(request, pk)
    form = SessionForm(request.POST or None, ward=session.ward, initial=session_initial(session))
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.session_update(
                session=session, by=request.user, version=form.cleaned_data["version"] or 0, details=form.details()
            )
        except services.ServiceError as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _edit_message(was_approved=session.status == SessionStatus.APPROVED, now=updated))
            return redirect("officer:session-detail", session.pk)
    context = {"form": form, "ward": session.ward, "session": session, **_enhanced_context(session.ward)}
    return render(request, "office/officer/session_edit.html", context)


def _edit_message(*, was_approved: bool, now: ContactSession) -> str:
    """What happened to a DWO's change, as ``services.session_update`` handled it."""
    if not was_approved:
        return "Changes saved and sent for review."
    if now.has_pending_change:
        return (
            "The new date, time or venue is sent for review; the public sees the approved one until the board "
            "decides. Any other changes are published now."
        )
    return "Changes published. The borough's Safer Neighbourhood Board has been told."


@require_POST
@permissions.officer_required
def session_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_officer(request, pk)
    return act(request, session, services.session_withdraw, "Proposal withdrawn.")


@require_POST
@permissions.officer_required
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_officer(request, pk)
    return act(
        request,
        session,
        services.session_cancel,
        "Session cancelled. The public page shows your reason.",
        form_class=ReasonForm,
        extra=lambda form: {"reason": form.cleaned_data["text"]},
    )


@require_POST
@permissions.backoffice_required
def session_comment(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_commenter(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a comment first.")
    else:
        try:
            services.comment_add(session=session, by=request.user, text=form.cleaned_data["text"])
        except services.ServiceError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Comment added. The ward's officers and the board have been told.")
    return redirect(_panel_url(session) if request.POST.get("next_page") == "panel" else _detail_url(session))


def _detail_url(session) -> str:
    return reverse("officer:session-detail", args=[session.pk])


def _panel_url(session) -> str:
    return reverse("panel:ward", args=[session.ward_id])
