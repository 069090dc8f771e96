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

import csv
import datetime as dt
import gzip
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.utils.text import slugify

from contactsessions.models import (
    CommentKind,
    ContactSession,
    EnhancedDesignation,
    ExemptionStatus,
    SessionComment,
    SessionFormat,
    SessionKind,
    SessionOutcome,
    SessionSeries,
    SessionStatus,
    WeekExemption,
)
from contactsessions.permissions import MONITORING_GROUP
from contactsessions.rules import LONDON, week_start_of
from venues.models import Venue, VenueKind
from wards.models import BoardMembership, Officer, PanelMembership, Rank, Ward, WardAssignment

# Printed on purpose: the demo log-ins only, never a real account.
DEMO_PASSWORD = "contact-sessions-demo"  # noqa: S105  # nosec B105
USER_PREFIX = "demo-"
EMAIL_DOMAIN = "demo.invalid"
VENUE_SUFFIX = "(demo)"
SEED = 2018

CAMDEN, BARNET, HACKNEY = "E09000007", "E09000003", "E09000012"
MAIN_WARD = "E05000143"  # St Pancras and Somers Town, Camden: the demo DWOs' ward
ENHANCED_WARD = "E05000048"  # East Barnet, an Enhanced ward


@dataclass(frozen=True)
class Size:
    weeks: int  # weeks of history before this week
    ahead: int  # weeks planned from this week on (this week included)


DEMO = Size(weeks=13, ahead=8)
BENCH = Size(weeks=156, ahead=8)

# The named log-ins of README's table, and the story each one has to tell.
LOGINS = [
    ("demo-dwo", "DWO, St Pancras and Somers Town (Camden)"),
    ("demo-dwo2", "second DWO of the same ward"),
    ("demo-dwo-barnet", "DWO, East Barnet (Enhanced ward)"),
    ("demo-panel", "Ward Panel member, St Pancras and Somers Town"),
    ("demo-snb", "SNB member, Camden"),
    ("demo-snb2", "second SNB member, Camden"),
    ("demo-snb-barnet", "SNB member, Barnet"),
    ("demo-snb-hackney", "SNB member, Hackney"),
    ("demo-monitor", "monitoring staff, all London (read-only)"),
    ("demo-admin", "Django admin (staff)"),
]
# SNB members by borough; every other borough gets one called demo-snb-<borough name>.
NAMED_SNBS = {
    CAMDEN: [("demo-snb", "Jo", "Reid"), ("demo-snb2", "Mo", "Said")],
    BARNET: [("demo-snb-barnet", "Lee", "Wong")],
    HACKNEY: [("demo-snb-hackney", "Kim", "Osei")],
}

FIRST_NAMES = [
    "Sam",
    "Alex",
    "Priya",
    "Tom",
    "Aisha",
    "Ben",
    "Chloe",
    "Dan",
    "Ella",
    "Femi",
    "Grace",
    "Hassan",
    "Imran",
    "Jade",
    "Kofi",
    "Laura",
    "Maya",
    "Nia",
    "Omar",
    "Ruth",
    "Zara",
    "Leon",
    "Amara",
    "Callum",
    "Deepa",
    "Ewa",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Joel",
    "Kemi",
    "Luca",
    "Mehmet",
    "Nadia",
    "Owen",
    "Rosa",
    "Tariq",
    "Yusuf",
]
LAST_NAMES = [
    "Patel",
    "Smith",
    "Okafor",
    "Jones",
    "Khan",
    "Brown",
    "Wilson",
    "Taylor",
    "Ahmed",
    "Evans",
    "Clarke",
    "Hughes",
    "Ali",
    "Murphy",
    "Byrne",
    "Mensah",
    "Kowalski",
    "Singh",
    "Walsh",
    "Adeyemi",
    "Nowak",
    "Chen",
    "Costa",
    "Begum",
    "Reilly",
    "Hall",
    "Bello",
    "Rossi",
    "Shah",
    "Green",
]
VENUE_TYPES = [
    (VenueKind.LIBRARY, "Library"),
    (VenueKind.COMMUNITY_CENTRE, "Community Centre"),
    (VenueKind.LEISURE_CENTRE, "Leisure Centre"),
]
FORMATS = [
    SessionFormat.SURGERY,
    SessionFormat.SURGERY,
    SessionFormat.CUPPA,
    SessionFormat.STREET_BRIEFING,
    SessionFormat.COMMUNITY_EVENT,
    SessionFormat.PROPERTY_MARKING,
]
DESCRIPTION = "Demo session: come and meet your ward officers, report a crime or get advice."
NOT_HELD = [
    "Both officers were abstracted to a serious incident in the ward.",
    "Officers were abstracted to public order duty in central London.",
    "The venue was closed at short notice.",
    "Officer sickness, and no cover was available.",
    "Officers were called to give evidence at court.",
]
CANCELLED = [
    "The officers were called to a serious incident in the ward.",
    "The venue is closed this week for repairs.",
    "Both officers are on public order duty this week.",
]
RETURNED = [
    "Could this be on a Saturday, when the market is on?",
    "The library closes at 5 pm that day: please pick an earlier time.",
    "Please use a step-free venue for this one.",
    "This clashes with the Ward Panel meeting; could you move it by an hour?",
]
REJECTED = [
    "This week is already covered by the other session: please keep to one.",
    "The venue is outside the ward.",
    "The centre has told us it cannot host the police on that day.",
]
COMMENTS = [
    "Residents asked for an evening session after the recent burglaries.",
    "Good spot: lots of footfall on market day.",
    "Could you bring property-marking kits? Bikes have been stolen near the station.",
    "Is the side entrance open? The main door has steps.",
]
EXEMPTIONS = [
    "Notting Hill Carnival: every officer is on duty.",
    "Both DWOs on a public order deployment all week.",
    "Venue closed and no other venue in the ward free that week.",
]
NOTES = [
    "Several residents raised e-scooters on the pavement.",
    "Questions about car key cloning; advice leaflets handed out.",
    "Shopkeepers reported shoplifting by a regular group.",
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
    people = _people(wards, seed=seed, today=today, weeks=size.weeks)
    venues = _venues(wards)
    designations = {d.ward_id: d for d in EnhancedDesignation.objects.prefetch_related("slots")}
    this_week = week_start_of(today)
    now = dt.datetime.combine(today, dt.time(7), tzinfo=LONDON)  # the day's own "now", for determinism
    plans: list[Plan] = []
    exemptions: list[WeekExemption] = []
    for ward in wards:
        if not venues.get(ward.pk) and ward.pk not in designations:
            continue  # no postcode to put a venue at: never the case for the ward sets we ship
        ward_plans, ward_exemptions = _plan_ward(
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
    counts = {"wards": len(wards), "officers": sum(len(o) for o in people.officers.values())}
    counts.update(_write(plans, now=now))
    WeekExemption.objects.bulk_create(exemptions, batch_size=2000)
    counts["exemptions"] = len(exemptions)
    return counts


def demo_users() -> QuerySet[Any]:
    return get_user_model().objects.filter(username__startswith=USER_PREFIX)


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
    for chunk in _chunks(session_ids, 900):
        outcome_history.objects.filter(session_id__in=chunk).delete()
        history.objects.filter(id__in=chunk).delete()
        _raw_delete(SessionOutcome.objects.filter(session_id__in=chunk))
        _raw_delete(SessionComment.objects.filter(session_id__in=chunk))
        _raw_delete(through.objects.filter(contactsession_id__in=chunk))
        _raw_delete(ContactSession.objects.filter(pk__in=chunk))
    SessionSeries.objects.filter(created_by__in=users).delete()
    exemption_ids = list(WeekExemption.objects.filter(proposed_by__in=users).values_list("pk", flat=True))
    for chunk in _chunks(exemption_ids, 900):
        WeekExemption.history.model.objects.filter(id__in=chunk).delete()
        _raw_delete(WeekExemption.objects.filter(pk__in=chunk))


def _raw_delete(queryset: QuerySet[Any]) -> None:
    # Public delete() would fetch every row to send signals; these rows have nothing else to clean up.
    queryset._raw_delete(router.db_for_write(queryset.model))


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- people ---------------------------------------------------------------------------------


@dataclass
class People:
    officers: dict[int, list[Officer]] = field(default_factory=dict)  # by ward id
    snbs: dict[int, Any] = field(default_factory=dict)  # the first SNB member, by borough id
    panel: dict[int, Any] = field(default_factory=dict)  # a Ward Panel member, by ward id


def _people(wards: Sequence[Ward], *, seed: int, today: dt.date, weeks: int) -> People:
    """Upsert the demo users by name, then replace their postings and memberships."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
    rows: dict[str, tuple[str, str, bool]] = {}  # username: (first, last, staff)
    ward_usernames: dict[int, list[str]] = {}
    for index, ward in enumerate(wards):
        names = []
        for n in range(1, (3 if index % 4 == 0 else 2) + 1):
            if ward.code == MAIN_WARD and n <= 2:
                username = "demo-dwo" if n == 1 else "demo-dwo2"
            elif ward.code == ENHANCED_WARD and n == 1:
                username = "demo-dwo-barnet"
            else:
                username = f"demo-dwo-{ward.code.lower()}-{n}"
            rng = random.Random(f"{seed}:{username}")  # nosec B311
            rows[username] = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), False)
            names.append(username)
        ward_usernames[ward.pk] = names
    boroughs = {w.borough_id: w.borough for w in wards}
    borough_usernames: dict[int, list[str]] = {}
    for borough in boroughs.values():
        named = NAMED_SNBS.get(borough.code)
        if named is None:
            rng = random.Random(f"{seed}:{borough.code}")  # nosec B311
            named = [(f"demo-snb-{slugify(borough.name)}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))]
        for username, first, last in named:
            rows[username] = (first, last, False)
        borough_usernames[borough.pk] = [username for username, _, _ in named]
    rows["demo-panel"] = ("Pat", "Green", False)
    rows["demo-monitor"] = ("Val", "Stone", False)
    rows["demo-admin"] = ("Ada", "Admin", True)

    User.objects.bulk_create(
        [
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=password,
                is_staff=staff,
                is_superuser=staff,
                is_active=True,
            )
            for username, (first, last, staff) in rows.items()
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["username"],
        update_fields=["first_name", "last_name", "email", "password", "is_staff", "is_superuser", "is_active"],
    )
    users = {u.username: u for u in User.objects.filter(username__in=rows)}
    all_demo = demo_users()
    WardAssignment.objects.filter(officer__user__in=all_demo).delete()
    BoardMembership.objects.filter(user__in=all_demo).delete()
    PanelMembership.objects.filter(user__in=all_demo).delete()

    officer_rows = []
    for names in ward_usernames.values():
        for n, username in enumerate(names, start=1):
            first, last, _ = rows[username]
            officer_rows.append(
                Officer(user=users[username], public_name=f"{first} {last}", rank=Rank.PC if n < 3 else Rank.PCSO)
            )
    Officer.objects.bulk_create(
        officer_rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["public_name", "rank"],
    )
    officers = {o.user_id: o for o in Officer.objects.filter(user__in=[users[n] for n in rows])}
    people = People()
    posted = min(today - dt.timedelta(days=400), week_start_of(today) - dt.timedelta(weeks=weeks))
    assignments = []
    for ward in wards:
        people.officers[ward.pk] = [officers[users[n].pk] for n in ward_usernames[ward.pk]]
        assignments += [WardAssignment(officer=o, ward=ward, start=posted) for o in people.officers[ward.pk]]
    WardAssignment.objects.bulk_create(assignments, batch_size=2000)
    BoardMembership.objects.bulk_create(
        [BoardMembership(user=users[n], borough_id=b) for b, names in borough_usernames.items() for n in names]
    )
    people.snbs = {b: users[names[0]] for b, names in borough_usernames.items()}
    main = next((w for w in wards if w.code == MAIN_WARD), None)
    if main:
        PanelMembership.objects.create(user=users["demo-panel"], ward=main)
        people.panel[main.pk] = users["demo-panel"]
    users["demo-monitor"].groups.add(Group.objects.get(name=MONITORING_GROUP))
    return people


# --- venues ---------------------------------------------------------------------------------


def _venues(wards: Sequence[Ward]) -> dict[int, list[Venue]]:
    """Up to three demo venues per ward at real postcodes of the ward; kept by (ward, name, postcode)."""
    postcodes = _postcodes({w.code for w in wards})
    existing = {(v.ward_id, v.name, v.postcode): v for v in Venue.objects.filter(name__endswith=VENUE_SUFFIX)}
    wanted: dict[int, list[Venue]] = {}
    new, changed = [], []
    for ward in wards:
        wanted[ward.pk] = []
        for (kind, label), (postcode, lat, lng) in zip(VENUE_TYPES, postcodes.get(ward.code, []), strict=False):
            values: dict[str, Any] = {
                "address": f"1 {ward.name} Road (demo address)",
                "kind": kind,
                "step_free": kind != VenueKind.LIBRARY or ward.pk % 3 != 0,
                "hearing_loop": kind == VenueKind.LIBRARY,
                "accessible_toilet": kind in (VenueKind.LIBRARY, VenueKind.LEISURE_CENTRE),
                "latitude": lat,
                "longitude": lng,
                "is_active": True,
            }
            key = (ward.pk, f"{ward.name} {label} {VENUE_SUFFIX}", postcode)
            venue = existing.get(key)
            if venue is None:
                venue = Venue(ward=ward, name=key[1], postcode=postcode, **values)
                new.append(venue)
            elif any(getattr(venue, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(venue, name, value)
                changed.append(venue)
            wanted[ward.pk].append(venue)
    Venue.objects.bulk_create(new, batch_size=1000)
    if changed:
        Venue.objects.bulk_update(changed, VENUE_FIELDS, batch_size=500)
    return wanted


VENUE_FIELDS = [
    "address",
    "kind",
    "step_free",
    "hearing_loop",
    "accessible_toilet",
    "latitude",
    "longitude",
    "is_active",
]


def _postcodes(ward_codes: set[str]) -> dict[str, list[tuple[str, Decimal, Decimal]]]:
    """The first three live postcodes of each ward in the reference file."""
    found: dict[str, list[tuple[str, Decimal, Decimal]]] = {}
    path = settings.REFERENCE_DATA_DIR / "london_postcodes.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        column = {name: index for index, name in enumerate(next(rows))}
        code, ward_set, live = column["ward_code"], column["ward_set"], column["terminated"]
        lat, lng, postcode = column["latitude"], column["longitude"], column["postcode"]
        for row in rows:
            if row[ward_set] != settings.WARD_SET or row[code] not in ward_codes or row[live] != "no":
                continue
            bucket = found.setdefault(row[code], [])
            if len(bucket) < 3:
                bucket.append((row[postcode], Decimal(row[lat]), Decimal(row[lng])))
    return found


# --- sessions -------------------------------------------------------------------------------


@dataclass
class Plan:
    """One session to make, with what goes with it."""

    session: ContactSession
    officers: list[Officer]
    outcome: SessionOutcome | None = None
    comments: list[SessionComment] = field(default_factory=list)


@dataclass(frozen=True)
class Character:
    """How a ward's team works: how reliably it holds its session, records outcomes, draws a crowd."""

    reliability: float
    recording: float
    crowd: float
    weekday: int
    hour: int
    venue: int


def _character(rng: random.Random, venues: int) -> Character:
    return Character(
        reliability=rng.choices([0.99, 0.95, 0.85, 0.65], weights=[55, 28, 12, 5])[0],
        recording=rng.choices([0.97, 0.85, 0.6], weights=[60, 30, 10])[0],
        crowd=rng.uniform(2, 12),
        weekday=rng.randrange(6),
        hour=rng.choice([10, 11, 14, 15, 18]),
        venue=rng.randrange(max(venues, 1)),
    )


def _plan_ward(
    rng: random.Random,
    *,
    ward: Ward,
    officers: list[Officer],
    snb: Any,
    panel: Any,
    venues: list[Venue],
    designation: EnhancedDesignation | None,
    this_week: dt.date,
    size: Size,
    now: dt.datetime,
) -> tuple[list[Plan], list[WeekExemption]]:
    who = _character(rng, len(venues))
    plans: list[Plan] = []
    exemptions: list[WeekExemption] = []
    slots = list(designation.slots.all()) if designation else []
    for offset in range(-size.weeks, size.ahead):
        week = this_week + dt.timedelta(weeks=offset)
        author = officers[0].user if ward.code in (MAIN_WARD, ENHANCED_WARD) else rng.choice(officers[:2]).user
        story = _story(ward.code, offset)
        if designation and week >= designation.in_force_from:
            for slot in slots:
                start = dt.datetime.combine(week + dt.timedelta(days=slot.weekday), slot.start_time, tzinfo=LONDON)
                end = dt.datetime.combine(start.date(), slot.end_time, tzinfo=LONDON)
                status = story or _status(rng, offset, (1 + who.reliability) / 2)
                plans.append(
                    _session(rng, ward, designation.venue, start, end, SessionFormat.SURGERY, SessionKind.ENHANCED,
                             status, author, officers, snb, panel, who, offset, now)
                )  # fmt: skip
            continue
        if story is None and offset < 0 and rng.random() > who.reliability:
            # A missed week: nothing at all, or a session called off; now and then an exemption.
            if rng.random() < 0.4:
                start, end = _slot(rng, who, week)
                plans.append(
                    _session(rng, ward, venues[who.venue], start, end, rng.choice(FORMATS), SessionKind.STANDARD,
                             SessionStatus.CANCELLED, author, officers, snb, panel, who, offset, now)
                )  # fmt: skip
            elif rng.random() < 0.35:
                exemptions.append(_exemption(rng, ward, week, author, snb, now))
            continue
        if story is None and offset >= 0 and rng.random() < _gap_ahead(offset):
            continue  # not planned yet: a proposal still to make
        if story == "":
            continue
        start, end = _slot(rng, who, week)
        venue = venues[who.venue] if rng.random() < 0.8 else rng.choice(venues)
        status = story or _status(rng, offset, who.reliability)
        fmt = rng.choice(FORMATS)
        plans.append(
            _session(rng, ward, venue, start, end, fmt, SessionKind.STANDARD, status, author, officers, snb, panel,
                     who, offset, now)
        )  # fmt: skip
        if story is None and rng.random() < 0.03:
            # A second proposal the same week, turned down: one session is what the ward needs.
            start, end = _slot(rng, who, week, other=True)
            plans.append(
                _session(rng, ward, rng.choice(venues), start, end, rng.choice(FORMATS), SessionKind.STANDARD,
                         SessionStatus.REJECTED, author, officers, snb, panel, who, offset, now)
            )  # fmt: skip
    if ward.code == MAIN_WARD:
        # The demo DWO has outcomes to record: the last two weeks' sessions have none yet.
        for plan in plans:
            if plan.session.start >= dt.datetime.combine(this_week - dt.timedelta(weeks=2), dt.time(), tzinfo=LONDON):
                plan.outcome = None
    return plans, exemptions


def _story(ward_code: str, offset: int) -> str | None:
    """The fixed states of the named demo wards' weeks (None: draw at random; "": no session)."""
    if ward_code == MAIN_WARD:
        if offset < 0:
            return SessionStatus.APPROVED
        return {
            0: SessionStatus.APPROVED,
            1: SessionStatus.APPROVED,
            2: SessionStatus.PROPOSED,
            3: SessionStatus.RETURNED,
            4: SessionStatus.PROPOSED,
            5: SessionStatus.DRAFT,
        }.get(offset, "")
    if ward_code == ENHANCED_WARD and offset >= 0:
        return SessionStatus.APPROVED if offset < 2 else SessionStatus.PROPOSED
    return None


def _gap_ahead(offset: int) -> float:
    """Chance that a week ahead has nothing planned yet: rare this week, common two months out."""
    return 0.01 if offset < 2 else 0.04 if offset < 4 else 0.08 * (offset - 2)


def _status(rng: random.Random, offset: int, reliability: float) -> str:
    roll = rng.random()
    if offset < 0:
        return SessionStatus.APPROVED if roll < 0.985 - (1 - reliability) / 3 else SessionStatus.CANCELLED
    if offset < 2:
        return (
            SessionStatus.APPROVED
            if roll < 0.95
            else SessionStatus.PROPOSED
            if roll < 0.98
            else SessionStatus.CANCELLED
        )
    if offset < 4:
        return (
            SessionStatus.APPROVED if roll < 0.7 else SessionStatus.PROPOSED if roll < 0.92 else SessionStatus.RETURNED
        )
    return (
        SessionStatus.APPROVED
        if roll < 0.3
        else SessionStatus.PROPOSED
        if roll < 0.72
        else SessionStatus.DRAFT
        if roll < 0.86
        else SessionStatus.RETURNED
        if roll < 0.95
        else SessionStatus.REJECTED
    )


def _slot(rng: random.Random, who: Character, week: dt.date, other: bool = False) -> tuple[dt.datetime, dt.datetime]:
    regular = not other and rng.random() < 0.8  # most teams keep a regular slot
    day = week + dt.timedelta(days=who.weekday if regular else rng.randrange(6))
    hour = who.hour if regular else rng.choice([10, 11, 14, 15, 18])
    start = dt.datetime.combine(day, dt.time(hour, 0 if regular else rng.choice([0, 30])), tzinfo=LONDON)
    minutes = rng.choice([60, 60, 60, 90, 120])
    return start, dt.datetime.combine(day, (start + dt.timedelta(minutes=minutes)).time(), tzinfo=LONDON)


def _session(
    rng: random.Random,
    ward: Ward,
    venue: Venue,
    start: dt.datetime,
    end: dt.datetime,
    fmt: str,
    kind: str,
    status: str,
    author: Any,
    officers: list[Officer],
    snb: Any,
    panel: Any,
    who: Character,
    offset: int,
    now: dt.datetime,
) -> Plan:
    proposed_at = decided_at = None
    if status != SessionStatus.DRAFT:
        proposed_at = min(
            start - dt.timedelta(days=rng.randrange(14, 36)), now - dt.timedelta(days=rng.randrange(2, 6))
        )
    decided = status in (
        SessionStatus.APPROVED,
        SessionStatus.RETURNED,
        SessionStatus.REJECTED,
        SessionStatus.CANCELLED,
    )
    if decided and proposed_at:
        decided_at = min(proposed_at + dt.timedelta(days=rng.randrange(1, 5), hours=rng.randrange(8)), now)
    session = ContactSession(
        ward=ward,
        venue=venue,
        start=start,
        end=end,
        format=fmt,
        kind=kind,
        status=status,
        description=DESCRIPTION,
        cancellation_reason=rng.choice(CANCELLED) if status == SessionStatus.CANCELLED else "",
        created_by=author,
        proposed_at=proposed_at,
        decided_by=snb if decided else None,
        decided_at=decided_at,
        version=2 if decided else 1,
    )
    plan = Plan(session=session, officers=officers[:2])
    if status == SessionStatus.RETURNED:
        plan.comments.append(
            SessionComment(session=session, author=snb, kind=CommentKind.RETURNED, text=rng.choice(RETURNED))
        )
    elif status == SessionStatus.REJECTED:
        plan.comments.append(
            SessionComment(session=session, author=snb, kind=CommentKind.REJECTED, text=rng.choice(REJECTED))
        )
    elif status == SessionStatus.CANCELLED:
        plan.comments.append(
            SessionComment(session=session, author=author, kind=CommentKind.CANCELLED, text=session.cancellation_reason)
        )
    if status in (SessionStatus.PROPOSED, SessionStatus.RETURNED) and (panel or rng.random() < 0.12):
        plan.comments.append(SessionComment(session=session, author=panel or snb, text=rng.choice(COMMENTS)))
    if status == SessionStatus.APPROVED and end < now and rng.random() < (who.recording if offset < -1 else 0.5):
        plan.outcome = _outcome(rng, session, author, who)
    return plan


def _outcome(rng: random.Random, session: ContactSession, author: Any, who: Character) -> SessionOutcome:
    if rng.random() > 0.94:
        return SessionOutcome(session=session, held=False, not_held_reason=rng.choice(NOT_HELD), recorded_by=author)
    crowd = who.crowd * (1.6 if session.format in (SessionFormat.CUPPA, SessionFormat.COMMUNITY_EVENT) else 1)
    came = max(0, round(rng.gauss(crowd, crowd / 2)))
    marking = 0.6 if session.format == SessionFormat.PROPERTY_MARKING else 0.15
    return SessionOutcome(
        session=session,
        held=True,
        attendance=came,
        crimes_reported=_binomial(rng, came, 0.12),
        advice_given=_binomial(rng, came, 0.5),
        property_marked=_binomial(rng, came, marking),
        signposted=_binomial(rng, came, 0.15),
        note=rng.choice(NOTES) if rng.random() < 0.1 else "",
        recorded_by=author,
    )


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """Roughly Binomial(n, p), from one normal draw (random.binomialvariate is Python 3.12)."""
    if n <= 0:
        return 0
    return max(0, min(n, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))


def _exemption(rng: random.Random, ward: Ward, week: dt.date, author: Any, snb: Any, now: dt.datetime) -> WeekExemption:
    status = rng.choices([ExemptionStatus.AGREED, ExemptionStatus.PROPOSED, ExemptionStatus.REFUSED], [7, 2, 1])[0]
    decided = status != ExemptionStatus.PROPOSED
    return WeekExemption(
        ward=ward,
        week_start=week,
        reason=rng.choice(EXEMPTIONS),
        status=status,
        proposed_by=author,
        decided_by=snb if decided else None,
        decided_at=min(dt.datetime.combine(week, dt.time(9), tzinfo=LONDON), now) if decided else None,
    )


def _write(plans: list[Plan], *, now: dt.datetime) -> dict[str, int]:
    """Insert the planned sessions with their officers, outcomes, comments and review history."""
    sessions = [p.session for p in plans]
    ContactSession.objects.bulk_create(sessions, batch_size=2000)
    if any(s.pk is None for s in sessions):  # a database that cannot return ids from a bulk insert
        raise RuntimeError("bulk_create did not return primary keys")
    through = ContactSession.officers.through
    _insert(through, ["contactsession_id", "officer_id"], [(p.session.pk, o.pk) for p in plans for o in p.officers])
    outcomes = [p.outcome for p in plans if p.outcome]
    for outcome in outcomes:
        outcome.session_id = outcome.session.pk
    SessionOutcome.objects.bulk_create(outcomes, batch_size=2000)
    comments = [c for p in plans for c in p.comments]
    for comment in comments:
        comment.session_id = comment.session.pk
    SessionComment.objects.bulk_create(comments, batch_size=2000)
    history = _history(sessions, now=now)
    return {
        "sessions": len(sessions),
        "outcomes": len(outcomes),
        "comments": len(comments),
        "history": history,
    }


def _history(sessions: Iterable[ContactSession], *, now: dt.datetime) -> int:
    """Review history as the services would have left it: proposed, then decided."""
    History = ContactSession.history.model
    names = [f.attname for f in ContactSession._meta.concrete_fields]
    columns = [*names, "history_date", "history_type", "history_user_id", "history_change_reason"]
    at = {name: index for index, name in enumerate(names)}
    rows: list[tuple[Any, ...]] = []
    for session in sessions:
        values = [getattr(session, name) for name in names]
        if session.proposed_at is None:  # a draft: created, never proposed
            rows.append((*values, now, "+", session.created_by_id, None))
            continue
        first = list(values)
        first[at["status"]], first[at["decided_by_id"]], first[at["decided_at"]] = SessionStatus.PROPOSED, None, None
        first[at["version"]] = 1
        rows.append((*first, session.proposed_at, "+", session.created_by_id, None))
        if session.decided_at:
            rows.append((*values, session.decided_at, "~", session.decided_by_id, None))
    _insert(History, columns, rows)
    return len(rows)


def _insert(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """A multi-row INSERT of plain tuples, where bulk_create's per-row work shows.

    History and officer links outnumber the sessions two to one (a quarter of a million
    rows each in the benchmark); building a model instance for each costs more than
    writing it.
    """
    connection = connections[router.db_for_write(model)]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[column] for column in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, min(500, (connection.features.max_query_params or 30000) // len(fields)))
    with connection.cursor() as cursor:
        for begin in range(0, len(rows), batch):
            chunk = rows[begin : begin + batch]
            params = [
                f.get_db_prep_save(value, connection) for row in chunk for f, value in zip(fields, row, strict=True)
            ]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([per_row] * len(chunk))}"  # noqa: S608  # nosec B608: names from the model
            cursor.execute(sql, params)
