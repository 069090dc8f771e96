"""Invalidation scoped to what a write changes: every page that shows a write shows it at once,
and a write in another borough leaves a page cached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from contactsessions import services
from contactsessions.lib import public_cache
from contactsessions.models import ContactSession, EnhancedDesignation, SessionStatus
from venues.models import Venue
from wards.models import FrontCounter

pytestmark = pytest.mark.django_db


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def pages_showing(ward, session) -> list[str]:
    """Every public page and answer on which ``session`` in ``ward`` appears."""
    return [
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-ical", args=[ward.code]),
        reverse("public:ward-poster", args=[ward.code]),
        reverse("public:borough", args=[ward.borough.code]),
        reverse("public:borough-ical", args=[ward.borough.code]),
        reverse("public:session", args=[session.pk]),
        reverse("public:session-ical", args=[session.pk]),
        reverse("api:events", args=[ward.code]),
        reverse("api:sessions-csv"),
    ]


def is_cached(client, url: str, django_assert_num_queries) -> bool:
    """True when ``url`` is answered from the cache (no query at all)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) == 0


@pytest.fixture
def far_venue(far_ward):
    return Venue.objects.create(ward=far_ward, name="Hackney Library (test)", address="1 Mare St", postcode="E8 1HE")


def make_far_session(far_ward, far_venue, far_officer, **extra) -> ContactSession:
    start = soon(4)
    fields = {"ward": far_ward, "venue": far_venue, "created_by": far_officer, "status": SessionStatus.APPROVED}
    session = ContactSession.objects.create(start=start, end=start + dt.timedelta(hours=1), **{**fields, **extra})
    session.officers.add(far_officer.officer)
    return session


def test_a_rescheduled_session_shows_at_once_on_every_page_that_shows_it(client, ward, make_session, officer):
    session = make_session(soon(), 60)
    urls = pages_showing(ward, session)
    before = {url: text(client, url) for url in urls}  # stored
    session.start += dt.timedelta(hours=3)
    session.end += dt.timedelta(hours=3)
    session.save(update_fields=["start", "end"])
    for url in urls:
        assert text(client, url) != before[url], url


def test_a_new_session_shows_at_once_on_the_ward_and_london_pages(client, ward, make_session):
    make_session(soon(), 60)
    urls = [
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-ical", args=[ward.code]),
        reverse("public:ward-poster", args=[ward.code]),
        reverse("public:borough-ical", args=[ward.borough.code]),
        reverse("api:events", args=[ward.code]),
        reverse("api:sessions-csv"),
    ]
    before = {url: text(client, url) for url in urls}
    make_session(soon(5, hour=14), 60)
    for url in urls:
        assert text(client, url) != before[url], url


def test_a_cancellation_shows_at_once_on_every_page(client, ward, make_session, officer):
    session = make_session(soon(), 60)
    urls = pages_showing(ward, session)
    before = {url: text(client, url) for url in urls}
    services.session_cancel(session=session, by=officer, version=session.version, reason="Hall flooded")
    for url in urls:
        assert text(client, url) != before[url], url


def test_a_write_in_another_borough_leaves_the_page_cached(
    client, ward, make_session, far_ward, far_venue, far_officer, django_assert_num_queries
):
    session = make_session(soon(), 60)
    camden_pages = [u for u in pages_showing(ward, session) if "sessions.csv" not in u]
    for url in camden_pages:
        text(client, url)
    far = make_far_session(far_ward, far_venue, far_officer)  # a write in Hackney
    far.description = "changed"
    far.save(update_fields=["description"])
    FrontCounter.objects.create(borough=far_ward.borough, name="Stoke Newington", address="33 High St")
    for url in camden_pages:
        assert is_cached(client, url, django_assert_num_queries), url
    # London-wide lists do show Hackney's session
    assert "Hackney Library" in text(client, reverse("api:sessions-csv"))


def test_a_write_in_another_ward_of_the_borough_keeps_the_ward_page(
    client, ward, other_ward, make_session, other_venue, other_officer, django_assert_num_queries
):
    session = make_session(soon(), 60)
    ward_url = reverse("public:ward", args=[ward.code])
    borough_url = reverse("public:borough", args=[ward.borough.code])
    session_url = reverse("public:session", args=[session.pk])
    for url in (ward_url, borough_url, session_url):
        text(client, url)
    start = soon(2)
    ContactSession.objects.create(
        ward=other_ward, venue=other_venue, created_by=other_officer, status=SessionStatus.APPROVED,
        start=start, end=start + dt.timedelta(hours=1),
    )  # fmt: skip
    assert is_cached(client, ward_url, django_assert_num_queries)
    assert not is_cached(client, borough_url, django_assert_num_queries)  # it lists every ward's next session
    assert is_cached(client, session_url, django_assert_num_queries)


def test_a_front_counter_shows_on_every_ward_page_of_its_borough(client, ward, other_ward, camden):
    urls = [reverse("public:ward", args=[w.code]) for w in (ward, other_ward)] + [
        reverse("api:neighbourhood", args=[ward.code])
    ]
    for url in urls:
        assert "Holmes Road" not in text(client, url)
    FrontCounter.objects.create(borough=camden, name="Kentish Town", address="Holmes Road")
    for url in urls:
        assert "Holmes Road" in text(client, url), url


def test_a_venue_rename_shows_on_an_enhanced_ward_whose_designation_is_elsewhere(client, ward, far_ward, far_venue):
    # An Enhanced designation's venue may lie outside the ward it serves.
    EnhancedDesignation.objects.create(
        community="Estate", ward=ward, venue=far_venue, in_force_from=dt.date(2020, 1, 1)
    )
    url = reverse("public:ward", args=[ward.code])
    assert "Hackney Library" in text(client, url)
    far_venue.name = "Mare Street Hub (test)"
    far_venue.save()
    assert "Mare Street Hub" in text(client, url)


def test_an_officer_rename_shows_on_every_page_that_names_them(client, ward, make_session, officer):
    session = make_session(soon(), 60)
    urls = [
        reverse("public:ward", args=[ward.code]),
        reverse("public:session", args=[session.pk]),
        reverse("api:people", args=[ward.code]),
    ]
    for url in urls:
        text(client, url)
    officer.officer.public_name = "PC Renamed Person"
    officer.officer.save()
    for url in urls:
        assert "PC Renamed Person" in text(client, url), url


def test_a_session_moved_to_another_ward_leaves_the_old_ward_page(client, ward, other_ward, make_session):
    session = make_session(soon(), 60, description="Moving session")
    url = reverse("api:events", args=[ward.code])
    assert "Moving session" in text(client, url)
    session.ward = other_ward
    session.save()  # as the admin does: every field
    assert "Moving session" not in text(client, url)
    assert "Moving session" in text(client, reverse("api:events", args=[other_ward.code]))


def test_a_hit_takes_one_cache_round_trip(client, ward, make_session, monkeypatch):
    make_session(soon(), 60)
    url = reverse("public:ward", args=[ward.code])
    text(client, url)
    text(client, reverse("public:session", args=[make_session(soon(2), 60).pk]))
    text(client, url)
    calls = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *a, **k: calls.append(list(keys)) or real(keys, *a, **k))
    text(client, url)
    assert len(calls) == 1
    # the token of everything, the ward's and the borough's (and the page, unless this process holds it)
    assert {"public-cache:generation"} <= set(calls[0]) and len(calls[0]) in (3, 4)


def test_a_page_whose_scope_was_bumped_during_its_first_build_is_not_stored(rf, monkeypatch):
    from django.http import HttpResponse

    served = []

    def view(request):
        served.append(1)
        public_cache.depends_on(request, public_cache.ward_scope(99))
        public_cache.public_cache_bump(public_cache.ward_scope(99))  # a write commits mid-build
        response = HttpResponse(b"page")
        response.public_cacheable = True
        return response

    public_cache._remembered.clear()
    middleware = public_cache.PublicCacheMiddleware(view)
    middleware(rf.get("/first-build/"))
    middleware(rf.get("/first-build/"))
    assert len(served) == 2
