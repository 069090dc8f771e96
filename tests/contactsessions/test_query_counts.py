"""Queries per request do not grow with the data (issue 6): measured on a small data set,
then again after adding wards, officers, venues and a year of sessions in every state."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contactsessions.models import (
    ContactSession,
    EnhancedDesignation,
    EnhancedSlot,
    ExemptionStatus,
    SessionComment,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from contactsessions.rules import week_start_of
from tests.conftest import make_officer
from venues.models import Venue
from wards.models import FrontCounter, Ward

pytestmark = pytest.mark.django_db

# The SNB queue is the most; the ward page (sessions, officers with their languages, the team's
# contact and priorities, an Enhanced site with its next sessions) was 16 before round three.
MAX_QUERIES = 15
WARD_PAGE_QUERIES = 13
# The SNB queue was 15 before round four, 12 after, 10 after round five, 9 after round six:
# session, user, the member's boroughs (2), the waiting sessions with their names and comment
# counts, their officers, their weeks' other sessions, what each ward must hold (2: the
# Enhanced designations; the agreed exempt weeks with London's in one; its officers are not
# counted, a week's status does not depend on them). The header's monitoring check asks
# nothing more of a member whose boroughs the page has read.
SNB_QUEUE_QUERIES = 9
_codes = itertools.count(1)


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def fill_ward(
    ward: Ward, *, weeks_back: int, weeks_ahead: int, creator, board_member, hour: int = 18, extras: bool = True
) -> None:
    """Two DWOs, two venues and a weekly session in every state the pages show."""
    n = next(_codes)
    officers = [make_officer(f"dwo{n}x{i}", ward).officer for i in range(2)]
    venues = [
        Venue.objects.create(name=f"Hall {n}-{i}", address=f"{i} High St", postcode="NW1 1EE", ward=ward)
        for i in range(2)
    ]
    monday = week_start_of(timezone.localdate())
    statuses = [SessionStatus.APPROVED, SessionStatus.PROPOSED, SessionStatus.CANCELLED, SessionStatus.APPROVED]
    for week in range(-weeks_back, weeks_ahead):
        day = monday + dt.timedelta(weeks=week, days=week % 5)
        status = statuses[week % len(statuses)]
        session = ContactSession.objects.create(
            ward=ward,
            venue=venues[week % 2],
            start=at(day, hour),
            end=at(day, hour) + dt.timedelta(hours=1),
            status=status,
            created_by=creator,
            cancellation_reason="Flooded" if status == SessionStatus.CANCELLED else "",
        )
        session.officers.add(*officers)
        SessionComment.objects.create(session=session, author=board_member, kind="comment", text="Looks fine")
        if week < 0 and status == SessionStatus.APPROVED:
            SessionOutcome.objects.create(session=session, held=True, attendance=week % 7, recorded_by=creator)
    if not extras:
        return
    WeekExemption.objects.create(
        ward=ward, week_start=monday - dt.timedelta(weeks=3), reason="Carnival", status=ExemptionStatus.AGREED,
        proposed_by=creator,
    )  # fmt: skip
    designation = EnhancedDesignation.objects.create(
        community=f"Estate {n}", ward=ward, venue=venues[0], in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=0, start_time=dt.time(18), end_time=dt.time(19))


def grow(borough, *, wards: int, weeks_back: int, weeks_ahead: int, creator, board_member) -> None:
    for _ in range(wards):
        n = next(_codes)
        ward = Ward.objects.create(code=f"E05{n:06d}", name=f"Ward {n}", borough=borough, ward_set="2014")
        fill_ward(ward, weeks_back=weeks_back, weeks_ahead=weeks_ahead, creator=creator, board_member=board_member)
    FrontCounter.objects.create(borough=borough, name=f"Station {next(_codes)}", address="1 Yard")


def count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def pages(ward, monday: dt.date) -> dict[str, tuple[str, str | None]]:
    start = monday - dt.timedelta(weeks=51)
    return {
        "ward page": (reverse("public:ward", args=[ward.code]), None),
        "borough page": (reverse("public:borough", args=[ward.borough.code]), None),
        "ward iCal feed": (reverse("public:ward-ical", args=[ward.code]), None),
        "borough iCal feed": (reverse("public:borough-ical", args=[ward.borough.code]), None),
        "borough print list": (reverse("public:borough-print", args=[ward.borough.code]), None),
        "ward embed": (reverse("public:ward-embed", args=[ward.code]), None),
        "borough embed": (reverse("public:borough-embed", args=[ward.borough.code]), None),
        "API events": (reverse("api:events", args=[ward.code]), None),
        "API people": (reverse("api:people", args=[ward.code]), None),
        "SNB review queue": (reverse("board:queue"), "board"),
        "London dashboard, 52 weeks": (f"{reverse('monitoring:london')}?start={start}&end={monday}", "monitor"),
    }


def test_queries_per_request_do_not_grow_with_the_data(client, ward, camden, hackney, officer, board_member, monitor):
    # Four weeks ahead, so the small set has approved sessions still to come at any time of
    # day (with two, the only one was this Monday's, over by Monday evening).
    fill_ward(ward, weeks_back=2, weeks_ahead=4, creator=officer, board_member=board_member)
    monday = week_start_of(timezone.localdate())
    users = {None: None, "board": board_member, "monitor": monitor}

    def measure() -> dict[str, int]:
        counts = {}
        for label, (url, who) in pages(ward, monday).items():
            client.logout()
            if users[who]:
                client.force_login(users[who])
            counts[label] = count(client, url)
        return counts

    small = measure()
    grow(camden, wards=4, weeks_back=52, weeks_ahead=8, creator=officer, board_member=board_member)
    grow(hackney, wards=2, weeks_back=52, weeks_ahead=8, creator=officer, board_member=board_member)
    fill_ward(ward, weeks_back=52, weeks_ahead=10, creator=officer, board_member=board_member, hour=10, extras=False)
    large = measure()
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large
    assert large["ward page"] <= WARD_PAGE_QUERIES, large
    assert large["SNB review queue"] <= SNB_QUEUE_QUERIES, large


def test_ward_page_queries_do_not_grow_with_the_enhanced_sites_serving_it(client, ward, camden, officer, board_member):
    """Each Enhanced site serving a ward used to cost two queries (its sessions, their officers)
    and one more to place its venue: now all sites' sessions come in one query."""
    fill_ward(ward, weeks_back=1, weeks_ahead=4, creator=officer, board_member=board_member)
    url = reverse("public:ward", args=[ward.code])
    one_site = count(client, url)
    for _ in range(3):
        n = next(_codes)
        host = Ward.objects.create(code=f"E05{n:06d}", name=f"Ward {n}", borough=camden, ward_set="2014")
        fill_ward(host, weeks_back=0, weeks_ahead=4, creator=officer, board_member=board_member)
        EnhancedDesignation.objects.get(ward=host).served_wards.add(ward)
    body = client.get(url).content.decode()
    assert count(client, url) == one_site
    for designation in EnhancedDesignation.objects.exclude(ward=ward):
        assert designation.community in body
