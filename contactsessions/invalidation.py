"""What the public page cache must forget when data changes, scoped to what the write touches.

Every write to a model a public page (or the cached compliance figures) shows bumps the
cache tokens of exactly the scopes it changes (:mod:`contactsessions.lib.public_cache`):
its ward, its borough, and ``LONDON`` (the London-wide lists and figures), whichever path
made it: a service, the admin, a management command. A write in Barnet leaves Camden's
pages cached.

What each public page depends on is declared by its view (``public_cache.depends_on``):

- ward pages, feeds, poster, QR code, share texts and the ward's API answers: the ward
  (``ward_scope``) and its borough's own data (``borough_scope``: name, front counters);
- session pages and feeds: the session's ward and its borough's own data;
- borough pages and feeds: the borough's own data and what its wards hold
  (``borough_wards_scope``: each ward's next session, names);
- London-wide lists (home and search, neighbourhoods, the CSV, locate): ``LONDON``.

So a write bumps:

- a session (or its officers, or its outcome): its ward, its borough's wards, London (and
  the old ward if the admin moved it), so the other wards of the borough keep their pages;
  not the ward's team (``ward_team_scope``), which every other write to a ward bumps with
  the ward, so the ward page rebuilt after a session write keeps its team
  (``lib.fragments``);
- a venue: every ward that shows it (sessions held there, an Enhanced designation there,
  which may serve another ward, the ward it is in), their boroughs' wards, London;
- an officer: every ward the officer is or was posted to or held a session in, their
  boroughs' wards, London;
- a ward assignment, exemption, Enhanced designation or slot: the ward, its borough's
  wards, London;
- a ward: the ward, its borough's wards, London;
- a borough or a front counter: the borough's own data (so every page in the borough),
  London.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from contactsessions.lib.scopes import (
    LONDON,
    PLACES,
    borough_scope,
    borough_wards_scope,
    public_cache_bump,
    ward_scope,
    ward_team_scope,
)


def bump_wards(ward_ids: Iterable[int], *, team: bool = True) -> None:
    """Bump the given wards, their boroughs' lists of wards and London.

    And each ward's team (``ward_team_scope``), unless ``team=False``: only for writes to
    sessions alone (a session, its officers, its outcome), which the team does not show.
    """
    from wards.models import Ward

    ids = {ward_id for ward_id in ward_ids if ward_id is not None}
    boroughs = set(Ward.objects.filter(pk__in=ids).values_list("borough_id", flat=True)) if ids else set()
    public_cache_bump(
        *(ward_scope(ward_id) for ward_id in sorted(ids)),
        *(ward_team_scope(ward_id) for ward_id in sorted(ids) if team),
        *(borough_wards_scope(borough_id) for borough_id in sorted(boroughs)),
        LONDON,
    )


def bump_ward(ward_id: int, borough_id: int | None = None, *, team: bool = True) -> None:
    if borough_id is None:
        bump_wards([ward_id], team=team)
    else:
        teams = (ward_team_scope(ward_id),) if team else ()
        public_cache_bump(ward_scope(ward_id), *teams, borough_wards_scope(borough_id), LONDON)


def _session_changed(instance) -> None:
    ward = instance._state.fields_cache.get("ward")  # already loaded: no query for its borough
    bump_ward(instance.ward_id, ward.borough_id if ward is not None else None, team=False)
    served = _served_by_site_in(instance.ward_id)
    if served:  # an Enhanced site's sessions show on the pages of the wards it serves too
        bump_wards(served, team=False)


def _served_by_site_in(ward_id: int) -> list[int]:
    """The wards an Enhanced site in this ward serves (one small query; none for most wards)."""
    from contactsessions.models import EnhancedDesignation

    through = EnhancedDesignation.served_wards.through
    return list(through.objects.filter(enhanceddesignation__ward_id=ward_id).values_list("ward_id", flat=True))


def _session_moving(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """The admin can move a session to another ward: the old ward must forget it too."""
    if raw or instance.pk is None or (update_fields is not None and "ward" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("ward_id", flat=True).first()
    if old is not None and old != instance.ward_id:
        bump_wards([old, *_served_by_site_in(old)], team=False)


def _venue_wards(venue) -> set[int]:
    from contactsessions.models import ContactSession, EnhancedDesignation

    wards = set(ContactSession.objects.filter(venue=venue).values_list("ward_id", flat=True).distinct())
    wards |= set(ContactSession.objects.filter(pending_venue=venue).values_list("ward_id", flat=True).distinct())
    wards |= set(EnhancedDesignation.objects.filter(venue=venue).values_list("ward_id", flat=True))
    through = EnhancedDesignation.served_wards.through  # and the wards an Enhanced site there serves
    wards |= set(through.objects.filter(enhanceddesignation__venue=venue).values_list("ward_id", flat=True))
    wards.add(venue.ward_id)
    return wards


def _officer_wards(officer) -> set[int]:
    from contactsessions.models import ContactSession
    from wards.models import WardAssignment

    wards = set(WardAssignment.objects.filter(officer=officer).values_list("ward_id", flat=True))
    wards |= set(ContactSession.objects.filter(officers=officer).values_list("ward_id", flat=True).distinct())
    return wards


def _on_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: no caches to worry about mid-fixture
        return
    from contactsessions.models import (
        ContactSession,
        EnhancedDesignation,
        EnhancedSlot,
        LondonExemptPeriod,
        SessionOutcome,
        WeekExemption,
    )
    from venues.models import Venue
    from wards.models import Borough, FrontCounter, Officer, Ward, WardAssignment

    if sender is ContactSession:
        _session_changed(instance)
    elif sender is SessionOutcome:  # what was held: the ward's record and the figures
        bump_wards(ContactSession.objects.filter(pk=instance.session_id).values_list("ward_id", flat=True), team=False)
    elif sender is LondonExemptPeriod:  # every ward's weeks
        public_cache_bump(LONDON)
    elif sender is Venue:
        bump_wards(_venue_wards(instance))
    elif sender is Officer:
        bump_wards(_officer_wards(instance))
    elif sender in (WardAssignment, WeekExemption):
        bump_wards([instance.ward_id])
    elif sender is EnhancedDesignation:
        # On delete its rows are gone: its own ward and the wards read before (_designation_leaving).
        bump_wards([instance.ward_id, *getattr(instance, "_served_ward_ids", ()), *_designation_wards(instance.pk)])
        public_cache_bump(PLACES)  # its community is a name residents search by
    elif sender is EnhancedSlot:
        bump_wards(_designation_wards(instance.designation_id))
    elif sender is Ward:
        ward_scopes = (ward_scope(instance.pk), ward_team_scope(instance.pk))
        public_cache_bump(*ward_scopes, borough_wards_scope(instance.borough_id), LONDON, PLACES)
    elif sender is Borough:
        public_cache_bump(borough_scope(instance.pk), LONDON, PLACES)
    elif sender is FrontCounter:
        public_cache_bump(borough_scope(instance.borough_id), LONDON)
    else:  # a model connected below but not scoped here: forget everything rather than show old data
        public_cache_bump()


def _designation_wards(designation_id: int) -> list[int]:
    """An Enhanced site shows on its own ward's page and on those of the wards it serves."""
    from contactsessions.models import EnhancedDesignation

    through = EnhancedDesignation.served_wards.through
    served = through.objects.filter(enhanceddesignation_id=designation_id).values_list("ward_id", flat=True)
    own = EnhancedDesignation.objects.filter(pk=designation_id).values_list("ward_id", flat=True)
    return [*own, *served]


def _designation_leaving(sender, instance, **kwargs) -> None:
    """Read the wards a designation serves before it is deleted: afterwards they are gone."""
    instance._served_ward_ids = list(instance.served_wards.values_list("pk", flat=True))


def _on_served_wards_change(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse or action == "post_clear":  # rare: wards edited from the other side, or cleared
        public_cache_bump()
        return
    bump_wards([instance.ward_id, *(pk_set or ())])
    public_cache_bump(PLACES)


def _on_session_officers_change(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # session.officers.add(...): one session
        _session_changed(instance)
        return
    from contactsessions.models import ContactSession

    # officer.sessions.add(...): the sessions named, or (on clear) every ward the officer is in
    if pk_set:
        bump_wards(ContactSession.objects.filter(pk__in=pk_set).values_list("ward_id", flat=True), team=False)
    else:
        bump_wards(_officer_wards(instance), team=False)


def connect_signals() -> None:
    """Bump on every write to a model a public page shows (called from AppConfig.ready)."""
    from contactsessions.models import (
        ContactSession,
        EnhancedDesignation,
        EnhancedSlot,
        LondonExemptPeriod,
        SessionOutcome,
        WeekExemption,
    )
    from venues.models import Venue
    from wards.models import Borough, FrontCounter, Officer, Ward, WardAssignment

    shown = (ContactSession, EnhancedDesignation, EnhancedSlot, Venue, Borough, FrontCounter, Officer, Ward)
    # Not shown on public pages, but they change the compliance figures cached under LONDON
    # (a week is met only by sessions whose outcome says they were held).
    for model in (*shown, WardAssignment, WeekExemption, LondonExemptPeriod, SessionOutcome):
        uid = f"public-cache:{model._meta.label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid + ":delete")
    pre_save.connect(_session_moving, sender=ContactSession, dispatch_uid="public-cache:session-moving")
    pre_delete.connect(
        _designation_leaving, sender=EnhancedDesignation, dispatch_uid="public-cache:designation-leaving"
    )
    m2m_changed.connect(
        _on_served_wards_change,
        sender=EnhancedDesignation.served_wards.through,
        dispatch_uid="public-cache:designation-served-wards",
    )
    m2m_changed.connect(
        _on_session_officers_change,
        sender=ContactSession.officers.through,
        dispatch_uid="public-cache:session-officers",
    )
