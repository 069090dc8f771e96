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

The predicates are plain functions of the user (and the ward or borough
concerned); the per-request look-ups are cached on the user object so a page
asks the database once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeAlias, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from contactsessions.models import ContactSession, ContactSessionQuerySet, EnhancedDesignation, SessionSeries
    from wards.models import Borough, Ward, WardQuerySet

    # Whoever is signed in, or nobody (``request.user``).
    AnyUser: TypeAlias = User | AnonymousUser

MONITORING_GROUP = "Monitoring staff"

_P = ParamSpec("_P")
_T = TypeVar("_T")


class AuthenticatedHttpRequest(HttpRequest):
    """What a view behind the decorators below receives: someone is signed in."""

    user: User


# A function view: the request first, a response back.
View: TypeAlias = Callable[Concatenate[HttpRequest, _P], HttpResponseBase]
SignedInView: TypeAlias = Callable[Concatenate[AuthenticatedHttpRequest, _P], HttpResponseBase]


def _today() -> dt.date:
    return timezone.localdate()


def _cached(user: User, name: str, load: Callable[[], _T]) -> _T:
    """``load()``, remembered on the user object so a page asks the database once."""
    cached: _T | None = getattr(user, name, None)
    if cached is None:
        cached = load()
        setattr(user, name, cached)
    return cached


def officer_ward_ids(user: AnyUser) -> frozenset[int]:
    """Ids of the wards the user currently serves as a DWO (cached on the user)."""
    if not user.is_authenticated:
        return frozenset()

    def load() -> frozenset[int]:
        from wards.models import WardAssignment

        return frozenset(
            WardAssignment.objects.active_on(_today()).filter(officer__user=user).values_list("ward_id", flat=True)
        )

    return _cached(user, "_officer_ward_ids", load)


def board_borough_ids(user: AnyUser) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    return _cached(
        user, "_board_borough_ids", lambda: frozenset(user.board_memberships.values_list("borough_id", flat=True))
    )


def panel_ward_ids(user: AnyUser) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    return _cached(user, "_panel_ward_ids", lambda: frozenset(user.panel_memberships.values_list("ward_id", flat=True)))


def is_monitoring(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return _cached(user, "_is_monitoring", lambda: user.groups.filter(name=MONITORING_GROUP).exists())


def is_officer(user: AnyUser) -> bool:
    return bool(officer_ward_ids(user))


def is_board_member(user: AnyUser) -> bool:
    return bool(board_borough_ids(user))


def is_panel_member(user: AnyUser) -> bool:
    return bool(panel_ward_ids(user))


def is_officer_for(user: AnyUser, ward: Ward | None) -> bool:
    return ward is not None and ward.pk in officer_ward_ids(user)


def is_board_member_for(user: AnyUser, borough: Borough | None) -> bool:
    return borough is not None and borough.pk in board_borough_ids(user)


def is_panel_member_for(user: AnyUser, ward: Ward | None) -> bool:
    return ward is not None and ward.pk in panel_ward_ids(user)


# === Monitoring (issue 5): scope of the compliance, outcome and roster pages ===========
# Monitoring staff read all London; SNB members their boroughs; DWOs their wards.
# Scoped fetch helpers answer 404 for anything outside the user's scope.


def can_monitor(user: AnyUser) -> bool:
    """Whether the user sees any monitoring page (every staff header asks); a scope found already says yes."""
    known = any(getattr(user, name, None) for name in ("_is_monitoring", "_board_borough_ids", "_officer_ward_ids"))
    return known or bool(is_monitoring(user) or board_borough_ids(user) or officer_ward_ids(user))


def monitoring_required(view: SignedInView[_P]) -> View[_P]:
    """Signed in (else the login page) and with a monitoring scope (else 403)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
        if not can_monitor(request.user):
            raise PermissionDenied
        # login_required (below) has let only signed-in users this far.
        return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)

    return login_required(wrapped)


def monitored_wards(user: AnyUser, *, with_redrawn: bool = False) -> WardQuerySet:
    """The current wards whose compliance the user may read (``with_redrawn``: and the wards
    a boundary change retired, whose history stays readable)."""
    from django.db.models import Q

    from wards.models import Ward

    wards = Ward.objects.current()
    if with_redrawn:
        wards = Ward.objects.filter(Q(is_current=True) | Q(in_use_until__isnull=False))
    if is_monitoring(user):
        return wards
    return wards.filter(Q(borough__in=board_borough_ids(user)) | Q(pk__in=officer_ward_ids(user)))


def can_read_borough(user: AnyUser, borough: Borough) -> bool:
    return bool(is_monitoring(user) or is_board_member_for(user, borough))


def get_borough_for_monitoring(request: HttpRequest, code: str) -> Borough:
    """The borough by ONS code: 404 if unknown, 403 unless monitoring staff or on its SNB."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from wards.models import Borough

    borough = get_object_or_404(Borough, code=code)
    if not can_read_borough(request.user, borough):
        raise PermissionDenied
    return borough


def get_ward_for_monitoring(request: HttpRequest, code: str) -> Ward:
    """A ward the user may read by ONS code; 404 for any other (no leak of what exists)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(monitored_wards(request.user, with_redrawn=True).select_related("borough"), code=code)


def can_end_assignment(user: AnyUser, borough: Borough) -> bool:
    """SNB members of the borough and site administrators; monitoring staff only read."""
    return bool(getattr(user, "is_staff", False) or is_board_member_for(user, borough))


# --- decorators ------------------------------------------------------------------------
#
# A decorator answers "may this kind of user be here at all?" (403 if not, log-in
# page if anonymous). The scoped fetch helpers below then answer "may they see this
# object?" with a 404, so nobody learns what exists outside their wards.

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _role_required(test: Callable[[HttpRequest], bool]) -> Callable[[SignedInView[_P]], View[_P]]:
    def decorator(view: SignedInView[_P]) -> View[_P]:
        @wraps(view)
        def wrapped(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request):
                raise PermissionDenied
            return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)

        return wrapped

    return decorator


def _reads_as_monitor(request: HttpRequest) -> bool:
    return request.method in SAFE_METHODS and is_monitoring(request.user)


def is_backoffice_user(user: AnyUser) -> bool:
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


def _acts_somewhere(user: AnyUser) -> bool:
    return bool(officer_ward_ids(user) or board_borough_ids(user) or panel_ward_ids(user))


# --- scoped fetch helpers --------------------------------------------------------------


def sessions_visible_to(user: AnyUser) -> ContactSessionQuerySet:
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


def get_session_for_viewer(request: HttpRequest, pk: int) -> ContactSession:
    """A session any back-office role may look at, or 404."""
    return get_object_or_404(sessions_visible_to(request.user), pk=pk)


def get_session_for_officer(request: HttpRequest, pk: int) -> ContactSession:
    """A session in one of the DWO's wards, or 404."""
    from contactsessions.models import ContactSession

    qs = ContactSession.objects.select_related("ward__borough", "venue")
    return get_object_or_404(qs, pk=pk, ward_id__in=officer_ward_ids(request.user))


def get_session_for_board(request: HttpRequest, pk: int) -> ContactSession:
    """A session in one of the SNB member's boroughs, or 404."""
    from contactsessions.models import ContactSession

    qs = ContactSession.objects.select_related("ward__borough", "venue")
    return get_object_or_404(qs, pk=pk, ward__borough_id__in=board_borough_ids(request.user))


def get_session_for_commenter(request: HttpRequest, pk: int) -> ContactSession:
    """A session the user may comment on (their ward as DWO or panel, their borough as SNB), or 404."""
    from contactsessions.models import ContactSession

    user = request.user
    qs = ContactSession.objects.select_related("ward__borough", "venue").filter(
        Q(ward_id__in=officer_ward_ids(user))
        | Q(ward_id__in=panel_ward_ids(user))
        | Q(ward__borough_id__in=board_borough_ids(user))
    )
    return get_object_or_404(qs, pk=pk)


def get_ward_for_officer(request: HttpRequest, ward_id: int) -> Ward:
    from wards.models import Ward

    return get_object_or_404(Ward.objects.select_related("borough"), pk=ward_id, pk__in=officer_ward_ids(request.user))


def get_ward_for_panel(request: HttpRequest, ward_id: int) -> Ward:
    from wards.models import Ward

    qs = Ward.objects.select_related("borough")
    if is_monitoring(request.user):
        return get_object_or_404(qs, pk=ward_id)
    return get_object_or_404(qs, pk=ward_id, pk__in=panel_ward_ids(request.user))


def get_series_for_board(request: HttpRequest, pk: int) -> SessionSeries:
    from contactsessions.models import SessionSeries

    qs = SessionSeries.objects.select_related("ward__borough")
    return get_object_or_404(qs, pk=pk, ward__borough_id__in=board_borough_ids(request.user))


def get_borough_for_board(request: HttpRequest, borough_id: int) -> Borough:
    from wards.models import Borough

    return get_object_or_404(Borough, pk=borough_id, pk__in=board_borough_ids(request.user))


def designations_for_board(user: AnyUser) -> QuerySet[EnhancedDesignation]:
    """The Enhanced designations of the SNB member's boroughs (none for anyone else)."""
    from contactsessions.models import EnhancedDesignation

    qs = EnhancedDesignation.objects.filter(ward__is_current=True)
    qs = qs.select_related("ward__borough", "venue", "next_venue", "pattern_confirmed_by")
    return qs.filter(ward__borough_id__in=board_borough_ids(user))


def get_designation_for_board(request: HttpRequest, pk: int) -> EnhancedDesignation:
    """An Enhanced designation in one of the SNB member's boroughs, or 404."""
    return get_object_or_404(designations_for_board(request.user), pk=pk)


# --- object-level predicates used by services and templates ---------------------------


# Four eyes: whoever wrote a proposal does not decide it. A user who is both a DWO and an
# SNB member of a borough may decide their colleagues' proposals, but not one they
# proposed, nor one they changed since (a colleague's proposal rewritten and then
# approved would be one person's decision under two names).
OWN_PROPOSAL = "decision.own_proposal"
OWN_CHANGE = "decision.own_change"
FOUR_EYES_REASONS = {
    OWN_PROPOSAL: "You proposed this session, so somebody else on the board must decide it.",
    OWN_CHANGE: "You made the latest change to this session, so somebody else on the board must decide it.",
}


class Authored(Protocol):
    """Who wrote a session: a ``ContactSession``, or a row the review queue reads as values."""

    @property
    def created_by_id(self) -> int: ...
    @property
    def last_changed_by_id(self) -> int | None: ...


def four_eyes_conflict(user: AnyUser, session: Authored) -> str | None:
    """Why ``user`` must leave ``session`` to somebody else: :data:`OWN_PROPOSAL` (they
    proposed it), :data:`OWN_CHANGE` (they last changed it), or None (no conflict)."""
    if not user.is_authenticated:
        return None
    if session.created_by_id == user.pk:
        return OWN_PROPOSAL
    if session.last_changed_by_id == user.pk:
        return OWN_CHANGE
    return None


def decide_refusal(user: AnyUser, session: Authored) -> str:
    """The sentence saying why an SNB member of the session's borough may not decide it ("" if they may)."""
    conflict = four_eyes_conflict(user, session)
    return FOUR_EYES_REASONS[conflict] if conflict else ""


def can_decide(user: AnyUser, session: ContactSession) -> bool:
    """An SNB member of the session's borough who neither proposed it nor last changed it."""
    return is_board_member_for(user, session.ward.borough) and four_eyes_conflict(user, session) is None


def can_comment(user: AnyUser, session: ContactSession) -> bool:
    return bool(
        is_officer_for(user, session.ward)
        or is_panel_member_for(user, session.ward)
        or is_board_member_for(user, session.ward.borough)
    )


def can_edit(user: AnyUser, session: ContactSession) -> bool:
    return bool(is_officer_for(user, session.ward))
