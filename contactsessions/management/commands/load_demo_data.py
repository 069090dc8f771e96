"""Load a demonstration data set: made-up people, venues and sessions in real wards.

Everything made here is marked as demo: user names start with ``demo-``, e-mail
addresses end in ``@demo.invalid``, venue names end in "(demo)". Running the
command again replaces the demo sessions instead of adding more, so it never
duplicates anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import random
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from contactsessions.models import (
    CommentKind,
    ContactSession,
    EnhancedDesignation,
    SessionComment,
    SessionFormat,
    SessionKind,
    SessionOutcome,
    SessionStatus,
)
from contactsessions.permissions import MONITORING_GROUP
from contactsessions.rules import LONDON, week_start_of
from venues.models import Venue, VenueKind
from wards.models import BoardMembership, Borough, Officer, PanelMembership, Rank, Ward, WardAssignment

# Printed on purpose: the demo log-ins only, never a real account.
DEMO_PASSWORD = "contact-sessions-demo"  # noqa: S105  # nosec B105
DEMO_BOROUGHS = ("E09000007", "E09000003", "E09000012")  # Camden, Barnet (Enhanced: East Barnet), Hackney
MAIN_WARD = "E05000143"  # St Pancras and Somers Town, Camden
ENHANCED_WARD = "E05000048"  # East Barnet

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
]
VENUE_TYPES = [
    (VenueKind.LIBRARY, "Library"),
    (VenueKind.COMMUNITY_CENTRE, "Community Centre"),
    (VenueKind.LEISURE_CENTRE, "Leisure Centre"),
    (VenueKind.SHOP, "High Street"),
]


class Command(BaseCommand):
    help = "Load the demo data set (needs load_reference_data first). Safe to run again."

    def handle(self, *args, **options):
        if not Ward.objects.filter(code=MAIN_WARD).exists():
            raise CommandError("Load the reference data first: python manage.py load_reference_data")
        with transaction.atomic():
            # A seeded generator on purpose: the demo set is the same on every machine.
            logins = build_demo(random.Random(2018), timezone.now())  # nosec B311
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Demo log-ins (password for all: {DEMO_PASSWORD}):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<22} {role}")


def demo_postcodes(ward_codes: set[str]) -> dict[str, list[tuple[str, Decimal, Decimal]]]:
    """A few real postcodes per ward, so demo venues sit where their ward is."""
    found: dict[str, list[tuple[str, Decimal, Decimal]]] = defaultdict(list)
    path = settings.REFERENCE_DATA_DIR / "london_postcodes.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["ward_set"] == settings.WARD_SET and row["ward_code"] in ward_codes:
                bucket = found[row["ward_code"]]
                if len(bucket) < 4:
                    bucket.append((row["postcode"], Decimal(row["latitude"]), Decimal(row["longitude"])))
    return found


def get_user(username: str, *, first: str, last: str, password: str, staff: bool = False):
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.invalid",
            "password": password,
            "is_staff": staff,
            "is_superuser": staff,
        },
    )
    return user


def build_demo(rng: random.Random, now: dt.datetime) -> list[tuple[str, str]]:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take a minute
    boroughs = list(Borough.objects.filter(code__in=DEMO_BOROUGHS))
    wards = list(Ward.objects.current().filter(borough__in=boroughs).select_related("borough"))
    postcodes = demo_postcodes({w.code for w in wards})
    today = now.astimezone(LONDON).date()
    assignment_start = today - dt.timedelta(days=400)

    # Officers: two per ward, a third in every fourth ward.
    officers_by_ward: dict[int, list[Officer]] = {}
    for index, ward in enumerate(sorted(wards, key=lambda w: w.code)):
        count = 3 if index % 4 == 0 else 2
        officers_by_ward[ward.pk] = []
        for n in range(1, count + 1):
            if ward.code == MAIN_WARD and n <= 2:
                username = "demo-dwo" if n == 1 else "demo-dwo2"
            elif ward.code == ENHANCED_WARD and n == 1:
                username = "demo-dwo-barnet"
            else:
                username = f"demo-dwo-{ward.code.lower()}-{n}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user = get_user(username, first=first, last=last, password=password)
            officer, _ = Officer.objects.update_or_create(
                user=user,
                defaults={"public_name": f"{first} {last}", "rank": Rank.PC if n < 3 else Rank.PCSO},
            )
            WardAssignment.objects.get_or_create(officer=officer, ward=ward, defaults={"start": assignment_start})
            officers_by_ward[ward.pk].append(officer)

    # Overseers.
    by_code = {b.code: b for b in boroughs}
    ward_by_code = {w.code: w for w in wards}
    snb = get_user("demo-snb", first="Jo", last="Reid", password=password)
    BoardMembership.objects.get_or_create(user=snb, borough=by_code["E09000007"])
    snb2 = get_user("demo-snb2", first="Mo", last="Said", password=password)
    BoardMembership.objects.get_or_create(user=snb2, borough=by_code["E09000007"])
    snb_barnet = get_user("demo-snb-barnet", first="Lee", last="Wong", password=password)
    BoardMembership.objects.get_or_create(user=snb_barnet, borough=by_code["E09000003"])
    snb_hackney = get_user("demo-snb-hackney", first="Kim", last="Osei", password=password)
    BoardMembership.objects.get_or_create(user=snb_hackney, borough=by_code["E09000012"])
    panel = get_user("demo-panel", first="Pat", last="Green", password=password)
    PanelMembership.objects.get_or_create(user=panel, ward=ward_by_code[MAIN_WARD])
    monitor = get_user("demo-monitor", first="Val", last="Stone", password=password)
    monitor.groups.add(Group.objects.get(name=MONITORING_GROUP))
    get_user("demo-admin", first="Ada", last="Admin", password=password, staff=True)

    # Venues: two or three per ward, at real postcodes of the ward.
    venues_by_ward: dict[int, list[Venue]] = {}
    for ward in wards:
        venues_by_ward[ward.pk] = []
        for (kind, label), (postcode, lat, lng) in zip(VENUE_TYPES, postcodes.get(ward.code, [])[:3], strict=False):
            venue, _ = Venue.objects.update_or_create(
                ward=ward,
                name=f"{ward.name} {label} (demo)",
                postcode=postcode,
                defaults={
                    "address": f"1 {ward.name} Road (demo address)",
                    "kind": kind,
                    "step_free": kind != VenueKind.SHOP,
                    "hearing_loop": kind == VenueKind.LIBRARY,
                    "accessible_toilet": kind in (VenueKind.LIBRARY, VenueKind.LEISURE_CENTRE),
                    "latitude": lat,
                    "longitude": lng,
                },
            )
            venues_by_ward[ward.pk].append(venue)

    # Sessions: replace the demo ones, never add to them.
    demo_users = get_user_model().objects.filter(username__startswith="demo-")
    ContactSession.objects.filter(created_by__in=demo_users).delete()
    enhanced = {d.ward_id: d for d in EnhancedDesignation.objects.filter(ward__in=wards).prefetch_related("slots")}
    this_week = week_start_of(today)
    formats = [f for f, _ in SessionFormat.choices if f != SessionFormat.OTHER]
    created = 0
    for ward in wards:
        officers = officers_by_ward[ward.pk]
        venues = venues_by_ward[ward.pk]
        if not venues:
            continue
        designation = enhanced.get(ward.pk)
        for offset in range(-4, 8):
            week = this_week + dt.timedelta(weeks=offset)
            if designation:
                plans = [
                    (week + dt.timedelta(days=slot.weekday), slot.start_time, slot.end_time, designation.venue)
                    for slot in designation.slots.all()
                ]
            else:
                if rng.random() < 0.06:  # an honest gap now and then
                    continue
                day = week + dt.timedelta(days=rng.randrange(0, 6))
                start_time = dt.time(rng.choice([10, 11, 14, 15, 18]), rng.choice([0, 30]))
                end_time = (
                    dt.datetime.combine(day, start_time) + dt.timedelta(minutes=rng.choice([60, 60, 90, 120]))
                ).time()
                plans = [(day, start_time, end_time, rng.choice(venues))]
            for day, start_time, end_time, venue in plans:
                start = dt.datetime.combine(day, start_time, tzinfo=LONDON)
                end = dt.datetime.combine(day, end_time, tzinfo=LONDON)
                status = pick_status(rng, offset, start < now)
                author = officers[0].user
                session = ContactSession.objects.create(
                    ward=ward,
                    venue=venue,
                    start=start,
                    end=end,
                    format=SessionFormat.SURGERY if designation else rng.choice(formats),
                    kind=SessionKind.ENHANCED if designation else SessionKind.STANDARD,
                    status=status,
                    description="Demo session: come and meet your ward officers, report a crime or get advice.",
                    created_by=author,
                    proposed_at=start - dt.timedelta(days=21) if status != SessionStatus.DRAFT else None,
                    cancellation_reason=(
                        "The officers were called to a serious incident in the ward."
                        if status == SessionStatus.CANCELLED
                        else ""
                    ),
                )
                session.officers.set(officers[:2])
                created += 1
                if status == SessionStatus.RETURNED:
                    SessionComment.objects.create(
                        session=session,
                        author=snb,
                        kind=CommentKind.RETURNED,
                        text="Could this be on a Saturday, when the market is on?",
                    )
                if status == SessionStatus.APPROVED and end < now and rng.random() < 0.8:
                    held = rng.random() < 0.92
                    SessionOutcome.objects.create(
                        session=session,
                        held=held,
                        not_held_reason="" if held else "Officers were abstracted to an emergency.",
                        attendance=rng.randrange(0, 14) if held else 0,
                        crimes_reported=rng.randrange(0, 3) if held else 0,
                        advice_given=rng.randrange(0, 8) if held else 0,
                        property_marked=rng.randrange(0, 5) if held else 0,
                        signposted=rng.randrange(0, 4) if held else 0,
                        recorded_by=author,
                    )
    return [
        ("demo-dwo", "DWO, St Pancras and Somers Town (Camden)"),
        ("demo-dwo2", "second DWO of the same ward"),
        ("demo-dwo-barnet", "DWO, East Barnet (Enhanced ward)"),
        ("demo-panel", "Ward Panel member, St Pancras and Somers Town"),
        ("demo-snb", "SNB member, Camden"),
        ("demo-snb2", "second SNB member, Camden"),
        ("demo-snb-barnet", "SNB member, Barnet"),
        ("demo-snb-hackney", "SNB member, Hackney"),
        ("demo-monitor", "monitoring staff, all London (read-only)"),
        ("demo-admin", f"Django admin (staff), {created} demo sessions"),
    ]


def pick_status(rng: random.Random, week_offset: int, in_past: bool) -> str:
    roll = rng.random()
    if in_past:
        return SessionStatus.CANCELLED if roll < 0.05 else SessionStatus.APPROVED
    if week_offset <= 2:
        if roll < 0.06:
            return SessionStatus.CANCELLED
        return SessionStatus.APPROVED if roll < 0.85 else SessionStatus.PROPOSED
    if roll < 0.45:
        return SessionStatus.APPROVED
    if roll < 0.8:
        return SessionStatus.PROPOSED
    if roll < 0.88:
        return SessionStatus.DRAFT
    if roll < 0.94:
        return SessionStatus.RETURNED
    return SessionStatus.REJECTED
