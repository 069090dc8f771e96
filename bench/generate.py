"""Fill a database with London at full scale, for the benchmark.

All 629 wards (2014 set), two or three DWOs each, two venues each, the five Enhanced
designations, three years of weekly sessions (about 100,000) ending eight weeks ahead in
realistic states, outcomes for past sessions, review comments and history rows.

Deterministic: the same seed gives the same data. Usage (from the repository root):

    DATABASE_URL=postgres://... .venv/bin/python -m bench.generate [--weeks 156] [--seed 2018]

The database must be migrated and empty of sessions; the command loads the reference data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=156, help="weeks of history (default three years)")
    parser.add_argument("--ahead", type=int, default=8, help="weeks planned ahead")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--wards", type=int, default=0, help="limit to this many wards (0: all)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactsessions.settings")
    import django

    django.setup()
    started = time.perf_counter()
    counts = generate(weeks=args.weeks, ahead=args.ahead, seed=args.seed, ward_limit=args.wards)
    took = time.perf_counter() - started
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" in {took:.1f} s", file=sys.stderr)


def generate(*, weeks: int, ahead: int, seed: int, ward_limit: int = 0) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from contactsessions.models import (
        ContactSession,
        EnhancedDesignation,
        SessionComment,
        SessionFormat,
        SessionKind,
        SessionOutcome,
        SessionStatus,
    )
    from contactsessions.rules import LONDON, week_start_of
    from venues.models import Venue, VenueKind
    from wards.models import BoardMembership, Officer, Ward, WardAssignment

    rng = random.Random(seed)
    User = get_user_model()
    if ContactSession.objects.exists():
        raise SystemExit("the database already holds sessions: use an empty one")
    call_command("load_reference_data", verbosity=0)
    now = timezone.now()
    this_week = week_start_of(now)
    first_week = this_week - dt.timedelta(weeks=weeks)
    password = make_password("bench-password-0123")
    wards = list(Ward.objects.current().select_related("borough").order_by("code"))
    if ward_limit:
        wards = wards[:ward_limit]
    counts: dict[str, int] = {}

    with transaction.atomic():
        users = [
            User(username=f"bench-dwo-{w.code.lower()}-{n}", email=f"dwo{i}-{n}@bench.invalid", password=password)
            for i, w in enumerate(wards)
            for n in range(1, (3 if i % 3 == 0 else 2) + 1)
        ]
        User.objects.bulk_create(users, batch_size=2000)
        users = list(User.objects.filter(username__startswith="bench-dwo-").order_by("username"))
        officers = Officer.objects.bulk_create(
            [Officer(user=u, public_name=f"Officer {u.pk}", rank="PC") for u in users], batch_size=2000
        )
        by_ward: dict[int, list[Officer]] = {}
        ward_by_code = {w.code.lower(): w for w in wards}
        assignments = []
        for officer in officers:
            code = officer.user.username.split("-")[2]
            ward = ward_by_code[code]
            by_ward.setdefault(ward.pk, []).append(officer)
            assignments.append(WardAssignment(officer=officer, ward=ward, start=first_week))
        WardAssignment.objects.bulk_create(assignments, batch_size=2000)
        counts["officers"] = len(officers)

        boroughs = {w.borough_id: w.borough for w in wards}
        snb_users = User.objects.bulk_create(
            [User(username=f"bench-snb-{b.code.lower()}", password=password) for b in boroughs.values()]
        )
        BoardMembership.objects.bulk_create(
            [BoardMembership(user=u, borough=b) for u, b in zip(snb_users, boroughs.values(), strict=True)]
        )

        kinds = [VenueKind.LIBRARY, VenueKind.COMMUNITY_CENTRE, VenueKind.LEISURE_CENTRE, VenueKind.SHOP]
        Venue.objects.bulk_create(
            [
                Venue(
                    ward=w,
                    name=f"{w.name} {kind.label} (bench)",
                    address="1 High Street",
                    postcode="SW1A 1AA",
                    kind=kind,
                    step_free=True,
                    latitude=w.latitude,
                    longitude=w.longitude,
                )
                for w in wards
                for kind in kinds[:2]
            ],
            batch_size=2000,
        )
        venues: dict[int, list[Venue]] = {}
        for venue in Venue.objects.filter(name__endswith="(bench)"):
            venues.setdefault(venue.ward_id, []).append(venue)
        designations = {d.ward_id: d for d in EnhancedDesignation.objects.prefetch_related("slots")}

        sessions: list[ContactSession] = []
        formats = [f for f, _ in SessionFormat.choices]
        for ward in wards:
            author = by_ward[ward.pk][0].user
            designation = designations.get(ward.pk)
            for offset in range(-weeks, ahead):
                week = this_week + dt.timedelta(weeks=offset)
                if designation:
                    plans = [
                        (week + dt.timedelta(days=s.weekday), s.start_time, s.end_time, designation.venue)
                        for s in designation.slots.all()
                    ]
                else:
                    day = week + dt.timedelta(days=rng.randrange(6))
                    start = dt.time(rng.choice((10, 11, 14, 18)), rng.choice((0, 30)))
                    length = rng.choice((60, 60, 60, 90, 120))
                    end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=length)).time()
                    plans = [(day, start, end, rng.choice(venues[ward.pk]))]
                for day, start, end, venue in plans:
                    begins = dt.datetime.combine(day, start, tzinfo=LONDON)
                    roll = rng.random()
                    if offset < 0:
                        status = (
                            SessionStatus.APPROVED
                            if roll < 0.92
                            else SessionStatus.CANCELLED
                            if roll < 0.96
                            else SessionStatus.REJECTED
                        )
                    else:
                        status = (
                            SessionStatus.APPROVED
                            if roll < 0.55
                            else SessionStatus.PROPOSED
                            if roll < 0.9
                            else SessionStatus.DRAFT
                        )
                    sessions.append(
                        ContactSession(
                            ward=ward,
                            venue=venue,
                            start=begins,
                            end=dt.datetime.combine(day, end, tzinfo=LONDON),
                            format=rng.choice(formats),
                            kind=SessionKind.ENHANCED if designation else SessionKind.STANDARD,
                            status=status,
                            description="Benchmark session.",
                            created_by=author,
                            proposed_at=begins - dt.timedelta(days=14),
                            version=2,
                            sequence=1,
                        )
                    )
        ContactSession.objects.bulk_create(sessions, batch_size=5000)
        counts["sessions"] = len(sessions)

        through = ContactSession.officers.through
        links = []
        outcomes = []
        comments = []
        ids = list(ContactSession.objects.order_by("pk").values_list("pk", "ward_id", "status", "end", "created_by_id"))
        for pk, ward_id, status, end, author_id in ids:
            for officer in by_ward[ward_id][:2]:
                links.append(through(contactsession_id=pk, officer_id=officer.pk))
            if status == SessionStatus.APPROVED and end < now and rng.random() < 0.85:
                held = rng.random() < 0.95
                outcomes.append(
                    SessionOutcome(
                        session_id=pk,
                        held=held,
                        not_held_reason="" if held else "Abstracted.",
                        attendance=rng.randrange(12) if held else 0,
                        crimes_reported=rng.randrange(3),
                        advice_given=rng.randrange(6),
                        property_marked=rng.randrange(4),
                        signposted=rng.randrange(3),
                        recorded_by_id=author_id,
                    )
                )
            if rng.random() < 0.1:
                comments.append(SessionComment(session_id=pk, author_id=author_id, text="Looks good."))
        through.objects.bulk_create(links, batch_size=10000)
        SessionOutcome.objects.bulk_create(outcomes, batch_size=5000)
        SessionComment.objects.bulk_create(comments, batch_size=5000)
        counts["outcomes"] = len(outcomes)
        counts["comments"] = len(comments)

        # Review history: a "proposed" and, for decided sessions, an "approved" row each.
        History = ContactSession.history.model
        fields = [f.attname for f in ContactSession._meta.concrete_fields]
        rows = []
        for session in ContactSession.objects.order_by("pk").iterator(chunk_size=5000):
            values = {name: getattr(session, name) for name in fields}
            rows.append(
                History(
                    **{**values, "status": SessionStatus.PROPOSED},
                    history_date=session.proposed_at,
                    history_type="+",
                    history_user_id=session.created_by_id,
                )
            )
            if session.status != SessionStatus.PROPOSED:
                rows.append(
                    History(
                        **values,
                        history_date=session.proposed_at + dt.timedelta(days=3),
                        history_type="~",
                        history_user_id=session.created_by_id,
                    )
                )
            if len(rows) >= 10000:
                History.objects.bulk_create(rows)
                counts["history"] = counts.get("history", 0) + len(rows)
                rows = []
        History.objects.bulk_create(rows)
        counts["history"] = counts.get("history", 0) + len(rows)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


if __name__ == "__main__":
    main()
