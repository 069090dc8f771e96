"""The session page's priority box, drawn from the session itself so the page's view needs
no change: which of the ward's current priorities the session is about, and (for the
ward's DWOs, while the session is planned) a form to change it."""

from __future__ import annotations

from django import template

from contactsessions import permissions
from contactsessions.models import ContactSession
from contactsessions.office.team_forms import SessionPriorityForm
from contactsessions.services.team import LINKABLE_STATUSES
from wards.models import WardPriority

register = template.Library()


@register.inclusion_tag("office/team/_session_priority.html", takes_context=True)
def session_priority_box(context: template.Context, session: ContactSession) -> dict[str, object]:
    user = context["request"].user
    current = list(WardPriority.objects.current().filter(ward_id=session.ward_id))
    linked = next((p for p in current if p.pk == session.priority_id), None)
    can_link = permissions.can_edit(user, session) and session.status in LINKABLE_STATUSES
    form = None
    if can_link and current:
        form = SessionPriorityForm(initial={"priority": session.priority_id}, priorities=current, auto_id="priority-%s")
    return {
        "session": session,
        "linked": linked,
        "form": form,
        "can_link": can_link,
        "csrf_token": context.get("csrf_token"),
    }
