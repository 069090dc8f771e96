"""What the public page cache must forget when data changes.

Every write to a model a public page (or the cached compliance figures) shows bumps
the cache's generation (:func:`contactsessions.lib.public_cache.public_cache_bump`),
whichever path made it: a service, the admin, a management command.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from contactsessions.lib.public_cache import public_cache_bump


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: no caches to worry about mid-fixture
        return
    public_cache_bump()


def _on_m2m_change(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        public_cache_bump()


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
    # Not shown on public pages, but they change the compliance figures cached with the same
    # token (a week is met only by sessions whose outcome says they were held).
    for model in (*shown, WardAssignment, WeekExemption, LondonExemptPeriod, SessionOutcome):
        uid = f"public-cache:{model._meta.label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(
        _on_m2m_change, sender=ContactSession.officers.through, dispatch_uid="public-cache:session-officers"
    )
