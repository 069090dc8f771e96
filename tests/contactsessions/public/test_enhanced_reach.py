"""Enhanced reach and confirmed facts: the communities an Enhanced site exists for see its
sessions, and a fixed weekly pattern is shown only once the SNB has confirmed it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contactsessions import rules, services
from contactsessions.models import ContactSession, EnhancedDesignation, SessionStatus
from contactsessions.services.errors import ServiceError
from tests.conftest import make_user
from wards.models import BoardMembership, Ward

pytestmark = pytest.mark.django_db

# Each site's ward and the wards of the communities it serves (2014 codes).
SERVED = {
    "E05000048": {"E05000056", "E05000060"},  # East Barnet: Barnet Town Centre
    "E05000159": {"E05000150", "E05000151"},  # Purley: Coulsdon
    "E05000211": {"E05000195", "E05000196", "E05000208", "E05000209"},  # Turkey Street
    "E05000291": {"E05000303", "E05000286"},  # Hatch End: Stanmore
    "E05000343": {"E05000330", "E05000333", "E05000335", "E05000336"},  # West Ruislip
}


def in_days(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=rules.LONDON)


def site_session(designation: EnhancedDesignation, start: dt.datetime, status=SessionStatus.APPROVED):
    creator = make_user(f"dwo-{designation.pk}-{start:%m%d%H}")
    return ContactSession.objects.create(
        ward=designation.ward,
        venue=designation.venue,
        start=start,
        end=start + dt.timedelta(hours=1),
        status=status,
        created_by=creator,
    )


@pytest.fixture
def reference(db):
    call_command("load_reference_data", "--set", "2014", verbosity=0)


def test_each_designation_names_the_wards_of_its_communities(reference):
    for site, served in SERVED.items():
        designation = EnhancedDesignation.objects.get(ward__code=site)
        codes = set(designation.served_wards.values_list("code", flat=True))
        assert served <= codes
        # The communities' wards are in the site's own borough.
        assert set(designation.served_wards.values_list("borough", flat=True)) == {designation.ward.borough_id}


def test_every_served_ward_page_shows_its_sites_next_sessions_with_distance(client, reference, postcodes):
    postcodes("EN4", "EN3", "CR8", "HA5", "HA4")  # the sites' postcodes place their venues
    for site, served in SERVED.items():
        designation = EnhancedDesignation.objects.select_related("venue").get(ward__code=site)
        session = site_session(designation, in_days(5))
        for code in served:
            body = client.get(reverse("public:ward", args=[code])).content.decode()
            assert f"Extra sessions for {designation.community}: at {designation.venue.name}" in body, code
            assert reverse("public:session", args=[session.pk]) in body, code
            assert " km" in body, code


def test_the_site_ward_page_says_which_communities_it_serves(client, reference):
    body = client.get(reverse("public:ward", args=["E05000159"])).content.decode()
    assert "Extra sessions here for Coulsdon" in body
    assert "Coulsdon East" in body and "Coulsdon West" in body


def test_a_served_wards_postcode_answer_shows_the_site_with_distance_from_it(client, reference, postcodes):
    postcodes("CR5", "CR8")
    designation = EnhancedDesignation.objects.get(ward__code="E05000159")
    site_session(designation, in_days(5))
    response = client.get(reverse("locate:postcode"), {"q": "CR5 3EA"}, follow=True)
    body = response.content.decode()
    assert response.resolver_match.kwargs["ward_code"] in {"E05000150", "E05000151"}
    assert "Extra sessions for Coulsdon: at Purley SNT base" in body
    assert "km in a straight line from CR5 3EA" in body


def test_a_served_wards_api_events_include_the_sites_sessions(client, reference):
    designation = EnhancedDesignation.objects.get(ward__code="E05000211")
    site_session(designation, in_days(4))
    events = client.get("/api/metropolitan/E05000196/events").json()
    assert len(events) == 1
    assert events[0]["title"].startswith("Extra session for Enfield Chase, Cockfosters and Southgate")
    assert "Turkey Street SNT base" in events[0]["address"]
    locations = client.get("/api/metropolitan/E05000196").json()["locations"]
    assert any(loc["name"] == "Turkey Street SNT base" and loc["postcode"] == "EN3 6UD" for loc in locations)


# Only confirmed facts


@pytest.fixture
def purley(reference):
    return EnhancedDesignation.objects.select_related("ward__borough", "venue").get(ward__code="E05000159")


@pytest.fixture
def croydon_snb(purley):
    user = make_user("snb-croydon")
    BoardMembership.objects.create(user=user, borough=purley.ward.borough)
    return user


def test_an_unconfirmed_pattern_is_never_shown(client, purley):
    assert purley.slots.exists() and purley.pattern_confirmed_on is None
    for url in (
        reverse("public:ward", args=["E05000159"]),
        reverse("public:ward", args=["E05000150"]),
        reverse("public:ward-poster", args=["E05000159"]),
    ):
        body = client.get(url).content.decode()
        assert "Every week" not in body and "every week at" not in body.lower(), url
        assert "10:00 to 11:00" not in body, url


def test_a_confirmed_pattern_is_shown_with_the_days_it_is_not_held(client, purley, croydon_snb):
    slot_days = sorted({s.weekday for s in purley.slots.all()})
    days = [d for d in range(1, 29) if (timezone.localdate() + dt.timedelta(days=d)).weekday() in slot_days]
    held, rejected, missing = days[0], days[1], days[2]
    for day in days:
        if day != missing:
            status = SessionStatus.REJECTED if day == rejected else SessionStatus.APPROVED
            site_session(purley, in_days(day, hour=18), status=status)
    services.designation_confirm_pattern(designation=purley, by=croydon_snb)
    body = client.get(reverse("public:ward", args=["E05000159"])).content.decode()
    assert "Every week: Wednesday 10:00 to 11:00; Saturday 11:00 to 12:00." in body
    label = lambda d: (timezone.localdate() + dt.timedelta(days=d)).strftime("%A %-d %B")  # noqa: E731
    not_on = body.split("Not on ", 1)[1].split("</strong>", 1)[0]
    assert label(rejected) in not_on and label(missing) in not_on
    assert label(held) not in not_on
    poster = client.get(reverse("public:ward-poster", args=["E05000150"])).content.decode()
    assert "every week at Purley SNT base" in poster and label(rejected) in poster
    assert (
        "Every week at Purley SNT base"
        in client.get(reverse("public:ward-poster", args=["E05000159"])).content.decode()
    )


def test_only_the_boroughs_snb_can_confirm_the_pattern(purley):
    outsider = make_user("snb-elsewhere")
    with pytest.raises(ServiceError) as refused:
        services.designation_confirm_pattern(designation=purley, by=outsider)
    assert refused.value.codes == ["permission.denied"]
    purley.refresh_from_db()
    assert purley.pattern_confirmed_on is None


def test_confirming_records_who_and_when_and_can_be_taken_back(purley, croydon_snb):
    services.designation_confirm_pattern(designation=purley, by=croydon_snb)
    purley.refresh_from_db()
    assert purley.pattern_confirmed_on == timezone.localdate()
    assert purley.pattern_confirmed_by == croydon_snb
    services.designation_unconfirm_pattern(designation=purley, by=croydon_snb)
    purley.refresh_from_db()
    assert purley.pattern_confirmed_on is None


def test_fixed_pattern_gaps_are_the_pattern_days_without_an_approved_session():
    monday = dt.date(2026, 12, 21)
    gaps = rules.fixed_pattern_gaps(
        weekdays=[1, 5], held=[dt.date(2026, 12, 29)], first=monday, last=monday + dt.timedelta(days=13)
    )
    assert gaps == [dt.date(2026, 12, 22), dt.date(2026, 12, 26), dt.date(2027, 1, 2)]


def test_served_wards_do_not_leak_unapproved_sessions(client, purley):
    proposed = site_session(purley, in_days(6), status=SessionStatus.PROPOSED)
    body = client.get(reverse("public:ward", args=["E05000150"])).content.decode()
    assert reverse("public:session", args=[proposed.pk]) not in body
    assert "No extra sessions are published yet" in body
    assert Ward.objects.filter(code="E05000150").exists()


def test_a_sites_new_session_shows_at_once_on_a_served_wards_cached_page(client, purley):
    served = reverse("public:ward", args=["E05000150"])  # Coulsdon East, served by Purley's site
    first = site_session(purley, in_days(5))
    assert reverse("public:session", args=[first.pk]) in client.get(served).content.decode()
    second = site_session(purley, in_days(6))  # the served ward's page is cached: the write must reach it
    assert reverse("public:session", args=[second.pk]) in client.get(served).content.decode()


def test_a_sites_venue_renamed_shows_at_once_on_a_served_wards_cached_page(client, purley):
    served = reverse("public:ward", args=["E05000150"])
    site_session(purley, in_days(5))
    assert purley.venue.name in client.get(served).content.decode()
    purley.venue.name = "Purley Renamed Hall"
    purley.venue.save()
    assert "Purley Renamed Hall" in client.get(served).content.decode()


def test_a_site_session_moved_to_another_ward_leaves_a_served_wards_cached_page_at_once(client, purley):
    served = reverse("public:ward", args=["E05000150"])
    moved = site_session(purley, in_days(5))
    assert reverse("public:session", args=[moved.pk]) in client.get(served).content.decode()
    moved.ward = Ward.objects.get(code="E05000160")  # the admin moves it out of Purley
    moved.save()
    assert reverse("public:session", args=[moved.pk]) not in client.get(served).content.decode()


def test_the_admin_confirms_the_pattern_through_the_service(client, purley, croydon_snb):
    croydon_snb.is_staff = croydon_snb.is_superuser = True
    croydon_snb.save()
    client.force_login(croydon_snb)
    url = reverse("admin:contactsessions_enhanceddesignation_changelist")
    client.post(url, {"action": "confirm_pattern", "_selected_action": [purley.pk]})
    purley.refresh_from_db()
    assert purley.pattern_confirmed_by == croydon_snb


# Moving a fixed venue from a date, announced ahead


@pytest.fixture
def new_base(purley):
    from venues.models import Venue

    return Venue.objects.create(
        ward=Ward.objects.get(code="E05000150"), name="Coulsdon library", address="Brighton Road", postcode="CR5 2NH"
    )


def test_an_snb_moves_the_fixed_venue_from_a_date_and_the_public_is_told_ahead(client, purley, croydon_snb, new_base):
    moves_on = timezone.localdate() + rules.MIN_VENUE_MOVE_NOTICE
    services.designation_move_venue(designation=purley, venue=new_base, moves_on=moves_on, by=croydon_snb)
    notice = f"From {moves_on:%A %-d %B %Y} these sessions move to Coulsdon library, Brighton Road, CR5 2NH."
    for url in (
        reverse("public:ward", args=["E05000159"]),
        reverse("public:ward", args=["E05000150"]),
        reverse("public:ward-poster", args=["E05000151"]),
    ):
        assert notice in client.get(url).content.decode(), url
    # On the day, the cron job makes it the fixed venue and the notice goes.
    assert services.designation_apply_venue_moves(today=moves_on - dt.timedelta(days=1)) == []
    assert services.designation_apply_venue_moves(today=moves_on) == [purley]
    purley.refresh_from_db()
    assert purley.venue == new_base and purley.next_venue is None and purley.venue_moves_on is None
    assert "move to" not in client.get(reverse("public:ward", args=["E05000150"])).content.decode()


@pytest.mark.parametrize(
    ("days", "who", "code"),
    [(3, "snb", "enhanced.move_too_soon"), (30, "outsider", "permission.denied")],
)
def test_a_venue_move_needs_notice_and_the_boroughs_snb(purley, croydon_snb, new_base, days, who, code):
    by = croydon_snb if who == "snb" else make_user("not-on-the-board")
    with pytest.raises(ServiceError) as refused:
        services.designation_move_venue(
            designation=purley, venue=new_base, moves_on=timezone.localdate() + dt.timedelta(days=days), by=by
        )
    assert refused.value.codes == [code]
    purley.refresh_from_db()
    assert purley.next_venue is None


def test_a_venue_move_to_another_borough_is_refused(purley, croydon_snb):
    from venues.models import Venue

    elsewhere = Venue.objects.create(
        ward=Ward.objects.get(code="E05000196"), name="Cockfosters hall", address="1 Road", postcode="EN4 0AA"
    )
    with pytest.raises(ServiceError) as refused:
        services.designation_move_venue(
            designation=purley, venue=elsewhere, moves_on=timezone.localdate() + dt.timedelta(days=30), by=croydon_snb
        )
    assert refused.value.codes == ["venue.other_borough"]


def test_the_feeds_announce_a_venue_move_ahead(client, purley, croydon_snb, new_base):
    import icalendar

    session = site_session(purley, in_days(3))
    moves_on = timezone.localdate() + dt.timedelta(days=20)
    services.designation_move_venue(designation=purley, venue=new_base, moves_on=moves_on, by=croydon_snb)
    notice = f"From {moves_on:%A %-d %B %Y} these sessions move to Coulsdon library"
    for url in (
        reverse("public:ward-ical", args=["E05000159"]),
        reverse("public:borough-ical", args=[purley.ward.borough.code]),
    ):
        calendar = icalendar.Calendar.from_ical(client.get(url).content)
        assert notice in str(calendar["X-WR-CALDESC"])
        (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"contactsession-{session.pk}@")]
        assert str(event["DESCRIPTION"]).startswith(notice)
