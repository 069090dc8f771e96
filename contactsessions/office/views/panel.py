"""Ward Panel pages: a panel member's view of their ward's proposals and sessions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from contactsessions import permissions, selectors, week_selectors
from contactsessions.office.forms import CommentForm


@permissions.panel_member_required
def ward(request: HttpRequest, ward_id: int) -> HttpResponse:
    """A Ward Panel's view of its ward: upcoming proposals and sessions, with comments."""
    ward = permissions.get_ward_for_panel(request, ward_id)
    context = {
        "ward": ward,
        "sessions": selectors.proposals_for_panel(ward=ward, now=timezone.now()),
        "weeks": week_selectors.ward_weeks(wards=[ward])[0],
        "can_comment": permissions.is_panel_member_for(request.user, ward),
        "comment_form": CommentForm(),
    }
    return render(request, "office/panel/ward.html", context)
