from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from contactsessions import demo
from contactsessions.models import (
    CommentKind,
    ContactSession,
    SessionComment,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from contactsessions.permissions import MONITORING_GROUP
from contactsessions.rules import LONDON, week_start_of
from venues.models import Venue, VenueKind
from wards.models import (
    BoardMembership,
    Borough,
    Officer,
    OfficerLanguage,
    PanelMembership,
    Ward,
    WardAssignment,
    WardPriority,
    WardTeamContact,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 12)  # a Wednesday


def counts() -> dict[str, int]:
    return {
        "sessions": ContactSession.objects.count(),
        "history": ContactSession.history.count(),
        "links": ContactSession.officers.through.objects.count(),
        "outcomes": SessionOutcome.objects.count(),
        "comments": SessionComment.objects.count(),
        "exemptions": WeekExemption.objects.count(),
        "users": get_user_model().objects.count(),
        "officers": Officer.objects.count(),
        "assignments": WardAssignment.objects.count(),
        "board": BoardMembership.objects.count(),
        "panel": PanelMembership.objects.count(),
        "venues": Venue.objects.count(),
        "priorities": WardPriority.objects.count(),
        "linked": ContactSession.objects.exclude(priority=None).count(),
        "contacts": WardTeamContact.objects.count(),
        "languages": OfficerLanguage.objects.count(),
    }


def test_demo_london_covers_every_borough_and_state_keeps_the_stories_and_loads_twice_without_duplicates():
    # One test for the full-size load, which takes a while: loading it is the expensive part.
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    today = timezone.localdate()
    before = counts()
    every_borough_has_sessions_and_outcomes_in_every_week_of_history(today)
    named_demo_users_keep_their_stories(today)
    assert set(ContactSession.objects.values_list("status", flat=True)) >= {
        SessionStatus.DRAFT,
        SessionStatus.PROPOSED,
        SessionStatus.APPROVED,
        SessionStatus.RETURNED,
        SessionStatus.REJECTED,
        SessionStatus.CANCELLED,
    }
    wards = WardAssignment.objects.values("ward").distinct().count()
    assert wards == Ward.objects.current().count()
    assert ContactSession.objects.filter(kind="enhanced").exists()
    call_command("load_demo_data", verbosity=0)
    assert counts() == before


def test_reload_never_touches_data_that_is_not_demo_data():
    call_command("load_reference_data", verbosity=0)
    ward = Ward.objects.current().order_by("code").first()  # among the wards the demo fills
    user = get_user_model().objects.create_user(username="real-dwo", email="real@example.org")
    officer = Officer.objects.create(user=user, public_name="Real Officer")
    WardAssignment.objects.create(officer=officer, ward=ward, start=dt.date(2020, 1, 1))
    venue = Venue.objects.create(ward=ward, name="Real Library", address="1 Real Road", postcode="NW1 1AA")
    start = dt.datetime(2025, 3, 13, 10, tzinfo=LONDON)
    session = ContactSession.objects.create(
        ward=ward, venue=venue, start=start, end=start + dt.timedelta(hours=1), created_by=user, status="approved"
    )
    session.officers.set([officer])
    priority = WardPriority.objects.create(
        ward=ward, issue="Real priority", issue_date=dt.date(2025, 1, 6), created_by=user
    )
    contact = WardTeamContact.objects.create(ward=ward, email="team@example.org", updated_by=user)

    demo.load_demo(today=TODAY, ward_limit=40)
    first = counts()
    assert first["priorities"] > 1 and first["linked"] and first["contacts"] == 40 and first["languages"]
    demo.load_demo(today=TODAY, ward_limit=40)

    assert counts() == first
    session.refresh_from_db()
    assert session.status == SessionStatus.APPROVED
    assert list(session.officers.all()) == [officer]
    assert Venue.objects.filter(pk=venue.pk).exists()
    assert WardAssignment.objects.filter(officer=officer).exists()
    assert get_user_model().objects.get(pk=user.pk).email == "real@example.org"
    assert WardPriority.objects.filter(pk=priority.pk).exists()
    assert WardTeamContact.objects.get(ward=ward).email == contact.email


def test_everything_made_up_is_marked_as_demo():
    call_command("load_reference_data", verbosity=0)
    real_venues = set(Venue.objects.values_list("pk", flat=True))
    demo.load_demo(today=TODAY, ward_limit=40)

    users = get_user_model().objects.all()
    assert all(u.username.startswith("demo-") and u.email.endswith("@demo.invalid") for u in users)
    made = Venue.objects.exclude(pk__in=real_venues)
    assert made.exists() and all(v.name.endswith("(demo)") for v in made)
    assert all(s.created_by.username.startswith("demo-") for s in ContactSession.objects.select_related("created_by"))


def every_borough_has_sessions_and_outcomes_in_every_week_of_history(today: dt.date) -> None:
    this_week = week_start_of(today)
    weeks = [this_week - dt.timedelta(weeks=n) for n in range(1, demo.DEMO.weeks + 1)]
    held = set()
    for borough_id, start in ContactSession.objects.filter(
        status=SessionStatus.APPROVED, start__lt=dt.datetime.combine(this_week, dt.time(), tzinfo=LONDON)
    ).values_list("ward__borough", "start"):
        held.add((borough_id, week_start_of(start)))
    recorded = {
        (borough_id, week_start_of(start))
        for borough_id, start in SessionOutcome.objects.values_list("session__ward__borough", "session__start")
    }
    for borough in Borough.objects.filter(wards__is_current=True).distinct():
        for week in weeks:
            assert (borough.pk, week) in held, f"{borough.name} has no session in the week of {week}"
        # The latest week's outcomes may still be coming in; every earlier week has some.
        for week in weeks[1:]:
            assert (borough.pk, week) in recorded, f"{borough.name} has no outcome in the week of {week}"
    outcomes = SessionOutcome.objects.all()
    assert outcomes.filter(held=False).exclude(not_held_reason="").exists()
    assert outcomes.filter(held=True, attendance__gt=0, crimes_reported__gt=0, property_marked__gt=0).exists()
    assert SessionComment.objects.filter(kind=CommentKind.RETURNED).exclude(text="").exists()
    assert SessionComment.objects.filter(kind=CommentKind.REJECTED).exclude(text="").exists()
    assert ContactSession.objects.filter(status=SessionStatus.PROPOSED, ward__borough__code=demo.CAMDEN).exists()


def test_the_same_day_gives_the_same_data():
    call_command("load_reference_data", verbosity=0)

    def fingerprint():
        return sorted(
            ContactSession.objects.values_list(
                "ward__code", "venue__name", "start", "end", "status", "created_by__username", "outcome__attendance"
            )
        )

    demo.load_demo(today=TODAY, ward_limit=30)
    first = fingerprint()
    demo.load_demo(today=TODAY, ward_limit=30)
    assert fingerprint() == first
    demo.load_demo(today=TODAY + dt.timedelta(weeks=1), ward_limit=30)
    assert fingerprint() != first


def named_demo_users_keep_their_stories(today: dt.date) -> None:
    User = get_user_model()
    main = Ward.objects.get(code=demo.MAIN_WARD)
    this_week = dt.datetime.combine(week_start_of(today), dt.time(), tzinfo=LONDON)

    for username, _ in demo.LOGINS:
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD)
    dwos = set(WardAssignment.objects.filter(ward=main).values_list("officer__user__username", flat=True))
    assert {"demo-dwo", "demo-dwo2"} <= dwos
    mine = ContactSession.objects.filter(ward=main, created_by__username="demo-dwo")
    # Outcomes to record, proposals waiting, one returned, and weeks ahead still to propose.
    assert mine.filter(status=SessionStatus.APPROVED, end__lt=this_week, outcome__isnull=True).exists()
    assert mine.filter(status=SessionStatus.PROPOSED).exists()
    assert mine.filter(status=SessionStatus.RETURNED, comments__author__username="demo-snb").exists()
    weeks_planned = {week_start_of(s) for s in mine.filter(start__gte=this_week).values_list("start", flat=True)}
    assert len(weeks_planned) < demo.DEMO.ahead
    assert PanelMembership.objects.filter(user__username="demo-panel", ward=main).exists()
    camden = set(BoardMembership.objects.filter(borough__code=demo.CAMDEN).values_list("user__username", flat=True))
    assert {"demo-snb", "demo-snb2"} <= camden
    assert BoardMembership.objects.filter(user__username="demo-snb-barnet", borough__code=demo.BARNET).exists()
    assert BoardMembership.objects.filter(user__username="demo-snb-hackney", borough__code=demo.HACKNEY).exists()
    assert BoardMembership.objects.values("borough").distinct().count() == Borough.objects.count()

    east_barnet = ContactSession.objects.filter(ward__code=demo.ENHANCED_WARD, created_by__username="demo-dwo-barnet")
    assert east_barnet.filter(kind="enhanced", venue__kind=VenueKind.POLICE).count() >= 2 * demo.DEMO.weeks
    assert east_barnet.filter(status=SessionStatus.PROPOSED).exists()
    assert User.objects.get(username="demo-monitor").groups.filter(name=MONITORING_GROUP).exists()
    assert User.objects.get(username="demo-admin").is_superuser
    assert Group.objects.filter(name=MONITORING_GROUP).count() == 1


def test_benchmark_generator_uses_the_shared_generator():
    from bench.generate import generate

    made = generate(weeks=3, ahead=2, seed=7, ward_limit=12)

    assert made["sessions"] == ContactSession.objects.count() > 12 * 3
    assert Ward.objects.filter(sessions__isnull=False).distinct().count() == 12
