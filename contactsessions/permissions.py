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
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
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


# --- decorators ------------------------------------------------------------------------
#
# A decorator answers "may this kind of user be here at all?" (403 if not, log-in
# page if anonymous). The scoped fetch helpers below then answer "may they see this
# object?" with a 404, so nobody learns what exists outside their wards.

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _role_required(test):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _reads_as_monitor(request) -> bool:
    return request.method in SAFE_METHODS and is_monitoring(request.user)


def is_backoffice_user(user) -> bool:
    return bool(is_officer(user) or is_board_member(user) or is_panel_member(user) or is_monitoring(user))


officer_required = _role_required(lambda request: is_officer(request.user))
board_member_required = _role_required(lambda request: is_board_member(request.user) or _reads_as_monitor(request))
panel_member_required = _role_required(lambda request: is_panel_member(request.user) or _reads_as_monitor(request))
backoffice_required = _role_required(
    lambda request: (
        is_backoffice_user(request.user)
        and (request.method in SAFE_METHODS or not is_monitoring(request.user) or _acts_somewhere(request.user))
    )
)


def _acts_somewhere(user) -> bool:
    return bool(officer_ward_ids(user) or board_borough_ids(user) or panel_ward_ids(user))


# --- scoped fetch helpers --------------------------------------------------------------


def sessions_visible_to(user):
    """Every session the user may see in the back office (monitoring staff: all London)."""
    from contactsessions.models import ContactSession

    qs = ContactSession.objects.select_related("ward__borough", "venue", "created_by")
    if is_monitoring(user):
        return qs
    return qs.filter(
        Q(ward_id__in=officer_ward_ids(user))
        | Q(ward_id__in=panel_ward_ids(user))
        | Q(ward__borough_id__in=board_borough_ids(user))
    )


def get_session_for_viewer(request, pk: int):
    """A session any back-office role may look at, or 404."""
    return get_object_or_404(sessions_visible_to(request.user), pk=pk)


def get_session_for_officer(request, pk: int):
    """A session in one of the DWO's wards, or 404."""
    from contactsessions.models import ContactSession

    qs = ContactSession.objects.select_related("ward__borough", "venue")
    return get_object_or_404(qs, pk=pk, ward_id__in=officer_ward_ids(request.user))


def get_session_for_board(request, pk: int):
    """A session in one of the SNB member's boroughs, or 404."""
    from contactsessions.models import ContactSession

    qs = ContactSession.objects.select_related("ward__borough", "venue")
    return get_object_or_404(qs, pk=pk, ward__borough_id__in=board_borough_ids(request.user))


def get_session_for_commenter(request, pk: int):
    """A session the user may comment on (their ward as DWO or panel, their borough as SNB), or 404."""
    from contactsessions.models import ContactSession

    user = request.user
    qs = ContactSession.objects.select_related("ward__borough", "venue").filter(
        Q(ward_id__in=officer_ward_ids(user))
        | Q(ward_id__in=panel_ward_ids(user))
        | Q(ward__borough_id__in=board_borough_ids(user))
    )
    return get_object_or_404(qs, pk=pk)


def get_ward_for_officer(request, ward_id: int):
    from wards.models import Ward

    return get_object_or_404(Ward.objects.select_related("borough"), pk=ward_id, pk__in=officer_ward_ids(request.user))


def get_ward_for_panel(request, ward_id: int):
    from wards.models import Ward

    qs = Ward.objects.select_related("borough")
    if is_monitoring(request.user):
        return get_object_or_404(qs, pk=ward_id)
    return get_object_or_404(qs, pk=ward_id, pk__in=panel_ward_ids(request.user))


def get_series_for_board(request, pk: int):
    from contactsessions.models import SessionSeries

    qs = SessionSeries.objects.select_related("ward__borough")
    return get_object_or_404(qs, pk=pk, ward__borough_id__in=board_borough_ids(request.user))


def get_borough_for_board(request, borough_id: int):
    from wards.models import Borough

    return get_object_or_404(Borough, pk=borough_id, pk__in=board_borough_ids(request.user))


# --- object-level predicates used by services and templates ---------------------------


def can_decide(user, session) -> bool:
    """An SNB member of the session's borough who did not propose it."""
    return is_board_member_for(user, session.ward.borough) and session.created_by_id != user.pk


def can_comment(user, session) -> bool:
    return bool(
        is_officer_for(user, session.ward)
        or is_panel_member_for(user, session.ward)
        or is_board_member_for(user, session.ward.borough)
    )


def can_edit(user, session) -> bool:
    return bool(is_officer_for(user, session.ward))
