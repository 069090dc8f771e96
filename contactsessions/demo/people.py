"""Demo people (DWOs, SNB and Ward Panel members, monitoring staff, the named log-ins) and venues."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.utils.text import slugify

from contactsessions.demo.catalogue import (
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    ENHANCED_WARD,
    FIRST_NAMES,
    LAST_NAMES,
    MAIN_WARD,
    NAMED_SNBS,
    USER_PREFIX,
    VENUE_SUFFIX,
    VENUE_TYPES,
)
from contactsessions.permissions import MONITORING_GROUP
from contactsessions.rules import week_start_of
from venues.models import Venue, VenueKind
from wards.models import BoardMembership, Officer, PanelMembership, Rank, Ward, WardAssignment


@dataclass
class People:
    officers: dict[int, list[Officer]] = field(default_factory=dict)  # by ward id
    snbs: dict[int, Any] = field(default_factory=dict)  # the first SNB member, by borough id
    panel: dict[int, Any] = field(default_factory=dict)  # a Ward Panel member, by ward id


def make_people(wards: Sequence[Ward], *, seed: int, today: dt.date, weeks: int) -> People:
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


def make_venues(wards: Sequence[Ward]) -> dict[int, list[Venue]]:
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


def demo_users() -> QuerySet[Any]:
    return get_user_model().objects.filter(username__startswith=USER_PREFIX)
