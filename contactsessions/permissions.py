"""Who may do what: every role check in the app goes through this module.

Roles come from data, not from flags on the user:

* a **DWO** is a user with an :class:`~wards.models.Officer` profile and a
  current :class:`~wards.models.WardAssignment`; they act on those wards only;
* a **Ward Panel member** has a :class:`~wards.models.PanelMembership` and acts
  on that ward only;
* an **SNB member** has a :class:`~wards.models.BoardMembership` and acts on
  that borough only;
* **monitoring staff** are in the :data:`MONITORING_GROUP` group (created by a
  data migration) and read everything in London, changing nothing.

Predicates are ``rules`` predicates so they can be combined and used in
templates via ``{% has_perm %}``; the per-request look-ups are cached on the
user object so a page asks the database once.
"""

from __future__ import annotations

import datetime as dt

import rules
from django.utils import timezone

MONITORING_GROUP = "Monitoring staff"


def _today() -> dt.date:
    return timezone.localdate()


def officer_ward_ids(user) -> frozenset[int]:
    """Ids of the wards the user currently serves as a DWO (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_officer_ward_ids", None)
    if cached is None:
        from wards.models import WardAssignment

        cached = frozenset(
            WardAssignment.objects.active_on(_today()).filter(officer__user=user).values_list("ward_id", flat=True)
        )
        user._officer_ward_ids = cached
    return cached


def board_borough_ids(user) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_board_borough_ids", None)
    if cached is None:
        cached = frozenset(user.board_memberships.values_list("borough_id", flat=True))
        user._board_borough_ids = cached
    return cached


def panel_ward_ids(user) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_panel_ward_ids", None)
    if cached is None:
        cached = frozenset(user.panel_memberships.values_list("ward_id", flat=True))
        user._panel_ward_ids = cached
    return cached


@rules.predicate
def is_monitoring(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_is_monitoring", None)
    if cached is None:
        cached = user.groups.filter(name=MONITORING_GROUP).exists()
        user._is_monitoring = cached
    return cached


@rules.predicate
def is_officer(user) -> bool:
    return bool(officer_ward_ids(user))


@rules.predicate
def is_board_member(user) -> bool:
    return bool(board_borough_ids(user))


@rules.predicate
def is_panel_member(user) -> bool:
    return bool(panel_ward_ids(user))


@rules.predicate
def is_officer_for(user, ward) -> bool:
    return ward is not None and ward.pk in officer_ward_ids(user)


@rules.predicate
def is_board_member_for(user, borough) -> bool:
    return borough is not None and borough.pk in board_borough_ids(user)


@rules.predicate
def is_panel_member_for(user, ward) -> bool:
    return ward is not None and ward.pk in panel_ward_ids(user)


# === Monitoring (issue 5): scope of the compliance, outcome and roster pages ===========
# Monitoring staff read all London; SNB members their boroughs; DWOs their wards.
# Scoped fetch helpers answer 404 for anything outside the user's scope.


def can_monitor(user) -> bool:
    """Whether the user sees any monitoring page at all."""
    return bool(is_monitoring(user) or board_borough_ids(user) or officer_ward_ids(user))


def monitoring_required(view):
    """Signed in (else the login page) and with a monitoring scope (else 403)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_monitor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def monitored_wards(user):
    """The current wards whose compliance the user may read."""
    from django.db.models import Q

    from wards.models import Ward

    wards = Ward.objects.current()
    if is_monitoring(user):
        return wards
    return wards.filter(Q(borough__in=board_borough_ids(user)) | Q(pk__in=officer_ward_ids(user)))


def can_read_borough(user, borough) -> bool:
    return bool(is_monitoring(user) or is_board_member_for(user, borough))


def get_borough_for_monitoring(request, code: str):
    """The borough by ONS code: 404 if unknown, 403 unless monitoring staff or on its SNB."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from wards.models import Borough

    borough = get_object_or_404(Borough, code=code)
    if not can_read_borough(request.user, borough):
        raise PermissionDenied
    return borough


def get_ward_for_monitoring(request, code: str):
    """A ward the user may read by ONS code; 404 for any other (no leak of what exists)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(monitored_wards(request.user).select_related("borough"), code=code)


def can_end_assignment(user, borough) -> bool:
    """SNB members of the borough and site administrators; monitoring staff only read."""
    return bool(getattr(user, "is_staff", False) or is_board_member_for(user, borough))
