"""Ward Panel pages: a panel member's view of their ward's proposals and sessions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from contactsessions import permissions, selectors, week_selectors
from contactsessions.office.forms import CommentForm, PanelCommentForm


@permissions.panel_member_required
def ward(request: HttpRequest, ward_id: int) -> HttpResponse:
    """A Ward Panel's view of its ward: upcoming proposals and sessions, with comments."""
    ward = permissions.get_ward_for_panel(request, ward_id)
    return render_panel_page(request, ward)


def render_panel_page(request, ward, refused: tuple[int, CommentForm] | None = None) -> HttpResponse:
    """The panel page; ``refused`` (session pk, form) is a comment sent back with its text and problem."""
    sessions = list(selectors.proposals_for_panel(ward=ward, now=timezone.now()))
    for s in sessions:
        s.comment_form = PanelCommentForm(auto_id=f"comment-{s.pk}-%s")
        if refused and refused[0] == s.pk:
            s.comment_form = refused[1]
    context = {
        "ward": ward,
        "sessions": sessions,
        "weeks": week_selectors.ward_weeks(wards=[ward])[0],
        "can_comment": permissions.is_panel_member_for(request.user, ward),
        "refused_form": refused[1] if refused else None,
    }
    return render(request, "office/panel/ward.html", context)
