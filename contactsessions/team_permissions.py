"""Who may do what on the ward team's public side (issue 16): the Ward Panel sets a ward's
priorities, its DWOs record the action taken, keep the team's contact details and link
sessions to a priority, and each officer edits only their own profile.

Kept beside :mod:`contactsessions.permissions` (whose predicates these build on) so that
module stays one screenful of subjects; the same rules apply: predicates for services and
templates, a decorator for views, and a scoped fetch that answers 404 outside the user's wards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from contactsessions.permissions import (
    _role_required,
    is_officer_for,
    is_panel_member_for,
    officer_ward_ids,
    panel_ward_ids,
)

if TYPE_CHECKING:
    from contactsessions.permissions import AnyUser
    from wards.models import Ward


def can_set_priorities(user: AnyUser, ward: Ward) -> bool:
    """The ward's Ward Panel members agree its priorities: they add, reword and retire them."""
    return is_panel_member_for(user, ward)


def can_record_priority_action(user: AnyUser, ward: Ward) -> bool:
    """What was done about a priority: recorded by the Ward Panel or by the ward's DWOs."""
    return bool(is_panel_member_for(user, ward) or is_officer_for(user, ward))


def can_edit_team_contact(user: AnyUser, ward: Ward) -> bool:
    """The ward team's e-mail, phone and social accounts: its DWOs keep them up to date."""
    return is_officer_for(user, ward)


def can_edit_profile(user: AnyUser, officer_user_id: int) -> bool:
    """An officer's public profile is their own to edit; nobody else's role reaches it."""
    return bool(user.is_authenticated and user.pk == officer_user_id)


def team_ward_ids(user: AnyUser) -> frozenset[int]:
    """The wards whose priorities the user works on: as a DWO or on the Ward Panel."""
    return officer_ward_ids(user) | panel_ward_ids(user)


team_member_required = _role_required(lambda request: bool(team_ward_ids(request.user)))


def get_ward_for_team(request: HttpRequest, ward_id: int) -> Ward:
    """A ward the user serves as a DWO or sits on the Ward Panel of, or 404."""
    from wards.models import Ward

    qs = Ward.objects.select_related("borough")
    return get_object_or_404(qs, pk=ward_id, pk__in=team_ward_ids(request.user))
