"""The ward team's public side, edited in the office: priorities (Ward Panel, with the
DWOs recording the action taken), the team's contact details (DWOs) and each officer's
own profile. Everything here shows on the public ward page and in the open-data API."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from contactsessions import permissions, services, team_permissions
from contactsessions.office.team_forms import (
    PriorityActionForm,
    PriorityForm,
    ProfileForm,
    SessionPriorityForm,
    TeamContactForm,
)
from contactsessions.office.views.actions import put_problems
from wards.models import Officer, OfficerProfile, WardPriority, WardTeamContact


def _priority_for_team(request: HttpRequest, pk: int) -> WardPriority:
    """A priority of a ward the user serves or sits on the panel of, or 404."""
    qs = WardPriority.objects.select_related("ward__borough")
    return get_object_or_404(qs, pk=pk, ward_id__in=team_permissions.team_ward_ids(request.user))


@team_permissions.team_member_required
def priorities(request: permissions.AuthenticatedHttpRequest, ward_id: int) -> HttpResponse:
    """The ward's priorities; Ward Panel members add them here."""
    ward = team_permissions.get_ward_for_team(request, ward_id)
    can_set = team_permissions.can_set_priorities(request.user, ward)
    form = PriorityForm(request.POST or None) if can_set else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.priority_add(ward=ward, by=request.user, **form.cleaned_data)
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, "Priority added. The ward page shows it now.")
            return redirect("officer:priorities", ward.pk)
    elif request.method == "POST" and form is None:
        raise PermissionDenied  # the ward's DWOs read the priorities; the panel sets them
    all_priorities = list(WardPriority.objects.filter(ward=ward))
    context = {
        "ward": ward,
        "form": form,
        "can_set": can_set,
        "current": [p for p in all_priorities if p.is_current],
        "retired": [p for p in all_priorities if not p.is_current],
    }
    return render(request, "office/team/priorities.html", context)


@team_permissions.team_member_required
def priority_edit(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ward Panel members change the whole priority; the ward's DWOs the action taken."""
    priority = _priority_for_team(request, pk)
    can_set = team_permissions.can_set_priorities(request.user, priority.ward)
    initial = {f: getattr(priority, f) for f in ("issue", "issue_date", "action", "action_date")}
    form_class = PriorityForm if can_set else PriorityActionForm
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**initial, **form.cleaned_data}
        try:
            services.priority_update(priority=priority, by=request.user, **data)
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, "Priority saved. The ward page shows the change now.")
            return redirect("officer:priorities", priority.ward_id)
    context = {"priority": priority, "ward": priority.ward, "form": form, "can_set": can_set}
    return render(request, "office/team/priority_edit.html", context)


@require_POST
@team_permissions.team_member_required
def priority_retire(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    priority = _priority_for_team(request, pk)
    if not team_permissions.can_set_priorities(request.user, priority.ward):
        raise PermissionDenied
    try:
        services.priority_retire(priority=priority, by=request.user)
    except services.ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{priority.issue}” retired. It no longer shows on the ward page.")
    return redirect("officer:priorities", priority.ward_id)


@permissions.officer_required
def team_contact(request: permissions.AuthenticatedHttpRequest, ward_id: int) -> HttpResponse:
    """The ward team's e-mail, phone and social accounts, kept by its DWOs."""
    ward = permissions.get_ward_for_officer(request, ward_id)
    contact = WardTeamContact.objects.filter(ward=ward).first()
    initial = {name: getattr(contact, name) for name in WardTeamContact.CHANNELS} if contact else {}
    form = TeamContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_contact_update(ward=ward, by=request.user, **form.cleaned_data)
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, "Contact details saved. The ward page shows them now.")
            return redirect("officer:home")
    return render(request, "office/team/team_contact.html", {"ward": ward, "form": form})


@permissions.officer_required
def profile(request: permissions.AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in officer's own public profile: nobody edits another officer's."""
    officer = get_object_or_404(Officer, user=request.user)
    current = OfficerProfile.objects.filter(officer=officer).first()
    initial = {
        "public_name": officer.public_name,
        "bio": officer.bio,
        "languages": list(officer.languages.values_list("language", flat=True)),
        "photo_alt": current.photo_alt if current else "",
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["photo"]
        try:
            services.officer_profile_update(
                officer=officer,
                by=request.user,
                public_name=data["public_name"],
                bio=data["bio"],
                languages=data["languages"],
                photo=upload,
                photo_size=upload.size if upload else None,
                photo_alt=data["photo_alt"],
                remove_photo=data["remove_photo"],
            )
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, "Profile saved. The ward pages show it now.")
            return redirect("officer:profile")
    current = OfficerProfile.objects.filter(officer=officer).first()  # as saved, not as just typed
    context = {"officer": officer, "form": form, "profile": current if current and current.photo else None}
    return render(request, "office/team/profile.html", context)


@require_POST
@permissions.officer_required
def session_priority(request: permissions.AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Link a session to one of its ward's current priorities, or to none."""
    session = permissions.get_session_for_officer(request, pk)
    current = list(WardPriority.objects.current().filter(ward_id=session.ward_id))
    form = SessionPriorityForm(request.POST, priorities=current)
    if not form.is_valid():
        messages.error(request, "Choose one of the ward's current priorities.")
        return redirect("officer:session-detail", session.pk)
    chosen = next((p for p in current if p.pk == form.cleaned_data["priority"]), None)
    try:
        services.session_link_priority(session=session, by=request.user, priority=chosen)
    except services.ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Session linked to the priority “{chosen.issue}”." if chosen else "The session is linked to no priority.",
        )
    return redirect("officer:session-detail", session.pk)
