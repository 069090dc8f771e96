"""Back-office pages for Dedicated Ward Officers, Ward Panel members and everybody who signs in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contactsessions import outcome_figures, permissions, rules, selectors, services, week_selectors
from contactsessions.models import ContactSession, EnhancedDesignation, SessionComment, SessionStatus
from contactsessions.office.forms import (
    CancelForm,
    CommentForm,
    DecisionForm,
    PanelCommentForm,
    RejectForm,
    ReturnForm,
    SeriesForm,
    SessionForm,
    session_initial,
)
from contactsessions.office.views.actions import act, put_problems
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


def _say_if_short(request, start, end, *, series: bool = False, mode: str = rules.IN_PERSON) -> None:
    """Tell the DWO plainly when what they proposed will not count towards the weekly hour
    (shorter than an hour) or the weekly commitment (online only)."""
    online = rules.online_only_notice(start, mode)
    if online:
        if series:
            online = online.replace("The session on", "Each session, like the first on", 1)
        messages.warning(request, online)
    notice = rules.short_session_notice(start, end)
    if notice:
        if series:
            notice = notice.replace("The session on", "Each session, like the first on", 1)
        messages.warning(request, notice + " Propose a session of at least an hour too if the week needs one.")


@permissions.officer_required
def session_propose(request: permissions.AuthenticatedHttpRequest, ward_id: int) -> HttpResponse:
    ward = permissions.get_ward_for_officer(request, ward_id)
    form = SessionForm(request.POST or None, ward=ward, initial=_officer_initial(request, ward))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_propose(by=request.user, ward=ward, details=form.details())
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, "Session proposed. The Safer Neighbourhood Board has been told.")
            _say_if_short(request, session.start, session.end, mode=session.attendance_mode)
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
            put_problems(form, exc.problems)
        else:
            messages.success(request, f"{len(sessions)} weekly sessions proposed. Each is now decided on its own.")
            _say_if_short(request, sessions[0].start, sessions[0].end, series=True, mode=sessions[0].attendance_mode)
            return redirect("officer:home")
    context = {"form": form, "ward": ward, **_enhanced_context(ward)}
    return render(request, "office/officer/series_propose.html", context)


# The forms of a session's page, each with its own ids (``slot``), so a refused one comes
# back by itself with its text and its problem, and the others stay empty.
DETAIL_FORMS = {
    "approve": DecisionForm,
    "return": ReturnForm,
    "reject": RejectForm,
    "cancel": CancelForm,
    "comment": CommentForm,
}


@permissions.backoffice_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's back-office page: details, pending change, comments, history and the actions the user may take."""
    session = permissions.get_session_for_viewer(request, pk)
    return render_session_page(request, session)


def has_ended(session: ContactSession) -> bool:
    """An approved session whose time is over: its outcome, not a change or a cancellation,
    says what happened (the services refuse both with ``session.ended``)."""
    return session.status == SessionStatus.APPROVED and session.end <= timezone.now()


def render_session_page(request, session, slot: str = "", form=None) -> HttpResponse:
    """The session's page; ``form`` (refused, in ``slot``) is shown as sent, with its problems."""
    user = request.user
    is_open, awaiting, ended = session.is_open, session.awaiting_decision, has_ended(session)
    can_edit = permissions.can_edit(user, session)
    forms = {
        name: form_class(initial={"version": session.version}, auto_id=f"{name}-%s")
        for name, form_class in DETAIL_FORMS.items()
    }
    if form is not None:
        forms[slot] = form
    context = {
        "session": session,
        "officers": session.officers.all(),
        "comments": SessionComment.objects.filter(session=session).select_related("author__officer"),
        "history": selectors.session_history(session),
        "can_edit": can_edit and (is_open or (session.status == SessionStatus.APPROVED and not ended)),
        "is_officer": can_edit,
        "has_ended": ended,
        "can_withdraw": can_edit and is_open,
        "can_cancel": can_edit and session.status == SessionStatus.APPROVED and not ended,
        "can_comment": permissions.can_comment(user, session),
        "can_decide": awaiting and permissions.can_decide(user, session),
        "can_return": session.status == SessionStatus.PROPOSED and permissions.can_decide(user, session),
        # Four eyes: say why a board member of the borough sees no decision buttons.
        "decide_refusal": (
            permissions.decide_refusal(user, session)
            if awaiting and permissions.is_board_member_for(user, session.ward.borough)
            else ""
        ),
        "forms": forms,
        "refused_form": form,
    }
    return render(request, "office/officer/session_detail.html", context, status=200)


@permissions.officer_required
def session_edit(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_officer(request, pk)
    if not (session.is_open or session.status == SessionStatus.APPROVED) or has_ended(session):
        # No form that can only fail: say why this session cannot change, and what to do instead.
        context = {"session": session, "has_ended": has_ended(session)}
        return render(request, "office/officer/session_locked.html", context, status=409)
    form = SessionForm(request.POST or None, ward=session.ward, initial=session_initial(session))
    if request.method == "POST" and form.is_valid():
        details = form.details()
        try:
            updated = services.session_update(
                session=session, by=request.user, version=form.cleaned_data["version"] or 0, details=details
            )
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            _say_if_short(request, details.start, details.end, mode=details.attendance_mode)
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
    return act(request, session, services.session_withdraw, "Proposal withdrawn.", form_class=DecisionForm)


@require_POST
@permissions.officer_required
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_officer(request, pk)
    return act(
        request,
        session,
        services.session_cancel,
        "Session cancelled. The public page shows your reason.",
        form_class=CancelForm,
        extra=lambda form: {"reason": form.cleaned_data["text"]},
        slot="cancel",
        redraw=render_session_page,
    )


@require_POST
@permissions.backoffice_required
def session_comment(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_commenter(request, pk)
    from_panel = request.POST.get("next_page") == "panel"
    form_class = PanelCommentForm if from_panel else CommentForm
    form = form_class(request.POST, auto_id=f"comment-{session.pk}-%s" if from_panel else "comment-%s")
    if form.is_valid():
        try:
            services.comment_add(session=session, by=request.user, text=form.cleaned_data["text"])
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, "Comment added. The ward's officers and the board have been told.")
            return redirect(_panel_url(session) if from_panel else _detail_url(session))
    if from_panel:
        from contactsessions.office.views.panel import render_panel_page

        return render_panel_page(request, session.ward, refused=(session.pk, form))
    return render_session_page(request, session, "comment", form)


def _detail_url(session) -> str:
    return reverse("officer:session-detail", args=[session.pk])


def _panel_url(session) -> str:
    return reverse("panel:ward", args=[session.ward_id])
