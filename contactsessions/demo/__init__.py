"""A made-up London in real wards: the demo data set and the benchmark's, from one generator.

``load_demo(today=..., size=DEMO)`` fills every ward of the set in force with two or
three DWOs, their venues and a weekly session for ``size.weeks`` weeks of history and
``size.ahead`` weeks ahead, in realistic states: most wards meet the commitment, some
miss weeks (a few with an exemption), some sessions were cancelled or recorded as not
held with a reason, outcomes say how many came and what for, proposals wait for their
SNB, some were returned or rejected with a reason, panels and boards comment. The five
Enhanced wards hold their two sessions at their fixed venue. ``DEMO`` is what
``load_demo_data`` (``make run``) loads; ``BENCH`` is what ``bench/generate.py`` loads.

Everything made up is marked as demo: user names start with ``demo-``, e-mail addresses
end in ``@demo.invalid``, venue names end in "(demo)". The wards, the Enhanced sites and
their venues are the real reference data. Loading again replaces the demo data
(sessions, their outcomes, comments and history, series, exemptions, postings and
memberships of demo users) and never touches anything else.

Deterministic: the same seed and the same ``today`` give the same data, whatever the
database. Every ward draws from its own seeded generator, so one ward's data does not
depend on which other wards are loaded.

This is core code: it writes models directly (with ``bulk_create``, for speed) and
imports nothing from the audience apps.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import router
from django.db.models import QuerySet

from contactsessions.demo.catalogue import (
    BARNET,
    BENCH,
    CAMDEN,
    DEMO,
    DEMO_PASSWORD,
    ENHANCED_WARD,
    HACKNEY,
    LOGINS,
    MAIN_WARD,
    SEED,
    Size,
)
from contactsessions.demo.people import demo_users, make_people, make_venues
from contactsessions.demo.plans import Plan, plan_ward
from contactsessions.demo.team import link_sessions, make_team
from contactsessions.demo.writing import write_plans
from contactsessions.models import (
    ContactSession,
    EnhancedDesignation,
    SessionComment,
    SessionOutcome,
    SessionSeries,
    WeekExemption,
)
from contactsessions.rules import LONDON, week_start_of
from wards.models import Ward

__all__ = [
    "BARNET",
    "BENCH",
    "CAMDEN",
    "DEMO",
    "DEMO_PASSWORD",
    "ENHANCED_WARD",
    "HACKNEY",
    "LOGINS",
    "MAIN_WARD",
    "SEED",
    "Size",
    "clear_demo",
    "demo_users",
    "load_demo",
]


def load_demo(*, today: dt.date, seed: int = SEED, size: Size = DEMO, ward_limit: int = 0) -> dict[str, int]:
    """Replace the demo data with a London laid out around ``today``; return what was made.

    Needs the reference data (wards, Enhanced designations); run it in a transaction.
    ``ward_limit`` keeps only the first wards by code (for quick benchmark databases).
    """
    wards = list(Ward.objects.current().select_related("borough").order_by("code"))
    if ward_limit:
        wards = wards[:ward_limit]
    clear_demo()
    people = make_people(wards, seed=seed, today=today, weeks=size.weeks)
    venues = make_venues(wards)
    designations = {d.ward_id: d for d in EnhancedDesignation.objects.prefetch_related("slots")}
    this_week = week_start_of(today)
    now = dt.datetime.combine(today, dt.time(7), tzinfo=LONDON)  # the day's own "now", for determinism
    plans: list[Plan] = []
    exemptions: list[WeekExemption] = []
    for ward in wards:
        if not venues.get(ward.pk) and ward.pk not in designations:
            continue  # no postcode to put a venue at: never the case for the ward sets we ship
        ward_plans, ward_exemptions = plan_ward(
            random.Random(f"{seed}:{ward.code}"),  # nosec B311: made-up data, not secrets
            ward=ward,
            officers=people.officers[ward.pk],
            snb=people.snbs[ward.borough_id],
            panel=people.panel.get(ward.pk),
            venues=venues.get(ward.pk, []),
            designation=designations.get(ward.pk),
            this_week=this_week,
            size=size,
            now=now,
        )
        plans += ward_plans
        exemptions += ward_exemptions
    # Each ward's priorities are set by its Ward Panel member (else recorded by its first DWO).
    authors = {
        w.pk: people.panel[w.pk].pk if w.pk in people.panel else people.officers[w.pk][0].user_id
        for w in wards
        if people.officers.get(w.pk)
    }
    priorities = make_team(wards, people.officers, authors, seed=seed, today=today)
    counts = {"wards": len(wards), "officers": sum(len(o) for o in people.officers.values())}
    counts["priorities"] = sum(len(p) for p in priorities.values())
    counts["linked to a priority"] = link_sessions(plans, priorities, seed=seed, now=now)
    counts.update(write_plans(plans, now=now))
    WeekExemption.objects.bulk_create(exemptions, batch_size=2000)
    counts["exemptions"] = len(exemptions)
    return counts


def clear_demo() -> None:
    """Delete the demo sessions, series and exemptions, with their outcomes, comments and history.

    Demo users and venues are kept (``load_demo`` updates them in place, so their ids stay
    the same); a session, series or exemption is demo data when a demo user made it.
    Rows go without Django's delete signals: django-simple-history would otherwise write
    a "deleted" history row for every one of them, which is the history being removed.
    """
    users = demo_users()
    session_ids = list(ContactSession.objects.filter(created_by__in=users).values_list("pk", flat=True))
    history = ContactSession.history.model
    outcome_history = SessionOutcome.history.model
    through = ContactSession.officers.through
    for chunk in chunks(session_ids, 900):
        outcome_history.objects.filter(session_id__in=chunk).delete()
        history.objects.filter(id__in=chunk).delete()
        _raw_delete(SessionOutcome.objects.filter(session_id__in=chunk))
        _raw_delete(SessionComment.objects.filter(session_id__in=chunk))
        _raw_delete(through.objects.filter(contactsession_id__in=chunk))
        _raw_delete(ContactSession.objects.filter(pk__in=chunk))
    SessionSeries.objects.filter(created_by__in=users).delete()
    exemption_ids = list(WeekExemption.objects.filter(proposed_by__in=users).values_list("pk", flat=True))
    for chunk in chunks(exemption_ids, 900):
        WeekExemption.history.model.objects.filter(id__in=chunk).delete()
        _raw_delete(WeekExemption.objects.filter(pk__in=chunk))


def _raw_delete(queryset: QuerySet[Any]) -> None:
    # Public delete() would fetch every row to send signals; these rows have nothing else to clean up.
    queryset._raw_delete(router.db_for_write(queryset.model))


def chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
