"""Public pages: content, status codes, caching, escaping and that nothing unpublished leaks."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contactsessions.models import EnhancedDesignation, EnhancedSlot, SessionStatus
from contactsessions.public import sharing
from venues.models import Venue
from wards.models import FrontCounter, Officer, OfficerLanguage, WardAssignment

pytestmark = pytest.mark.django_db

UNPUBLISHED = [
    SessionStatus.DRAFT,
    SessionStatus.PROPOSED,
    SessionStatus.RETURNED,
    SessionStatus.REJECTED,
    SessionStatus.WITHDRAWN,
]


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def counter(camden):
    return FrontCounter.objects.create(borough=camden, name="Holborn Police Station", address="10 Lambs Conduit St")


# Home and search


@pytest.mark.parametrize(
    "query",
    ["St Pancras", "st. pancras", "Saint Pancras & Somers Town", "ST PANCRAS AND SOMERS-TOWN", "somers town"],
)
def test_home_search_is_forgiving_about_ward_names(client, ward, query):
    response = client.get(reverse("public:home"), {"q": query})
    assert response.status_code == 200
    assert response.context["search"].wards == [ward]
    assert reverse("public:ward", args=[ward.code]) in response.content.decode()


def test_home_search_finds_boroughs(client, camden, ward):
    response = client.get(reverse("public:home"), {"q": "camden"})
    assert response.context["search"].boroughs == [camden]


def test_home_search_finds_enhanced_area_by_community_name(client, ward, venue):
    EnhancedDesignation.objects.create(
        community="Somers Town Estate", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    response = client.get(reverse("public:home"), {"q": "somers town estate"})
    assert response.context["search"].wards == [ward]


def test_home_search_finds_a_venue_by_postcode_only_when_a_session_is_held_there(client, make_session, venue):
    # No session there: it is somebody's home postcode, so the search finds their ward instead.
    postcode_lookup = reverse("locate:postcode") + "?q=NW1+1EE"
    response = client.get(reverse("public:home"), {"q": "nw11ee"})
    assert response.status_code == 302 and response["Location"] == postcode_lookup
    make_session(soon(), status=SessionStatus.PROPOSED)
    assert client.get(reverse("public:home"), {"q": "nw11ee"})["Location"] == postcode_lookup
    make_session(soon(4))
    response = client.get(reverse("public:home"), {"q": "NW1 1EE"})
    assert response.context["search"].venues == [venue]


def test_home_search_with_no_match_says_so(client, ward):
    response = client.get(reverse("public:home"), {"q": "Atlantis"})
    assert response.status_code == 200
    assert "couldn't find" in response.content.decode()


def test_home_has_postcode_form_to_postcode_lookup(client, camden):
    body = client.get(reverse("public:home")).content.decode()
    assert f'action="{reverse("locate:postcode")}"' in body
    assert 'id="postcode-q" name="q"' in body


def test_home_search_escapes_the_query(client, camden):
    response = client.get(reverse("public:home"), {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


# Borough page


def test_borough_page_lists_wards_with_next_session_and_front_counter(
    client, camden, ward, other_ward, make_session, counter
):
    make_session(soon(2), status=SessionStatus.PROPOSED)
    approved = make_session(soon(5))
    response = client.get(reverse("public:borough", args=[camden.code]))
    assert response.status_code == 200
    pairs = dict(response.context["wards"])
    assert pairs[ward] == approved
    assert pairs[other_ward] is None
    body = response.content.decode()
    assert "Holborn Police Station" in body
    assert "webcal://testserver/boroughs/E09000007/sessions.ics" in body


def test_every_page_names_its_icon_so_browsers_ask_for_no_missing_favicon(client, camden, officer):
    # Without one, every browser asked /favicon.ico and logged the 404 as an error.
    from django.contrib.staticfiles import finders

    client.force_login(officer)
    for url in (reverse("public:home"), reverse("officer:home")):
        found = re.search(r'<link rel="icon" href="/static/([^"]+)"', client.get(url).content.decode())
        assert found, url
        assert finders.find(found.group(1)), found.group(1)


def test_unknown_borough_is_404(client, db):
    assert client.get(reverse("public:borough", args=["E09999999"])).status_code == 404


# Ward page


def test_ward_page_shows_officers_sessions_and_ways_to_get_help(client, ward, officer, make_session, counter):
    session = make_session(soon(), description="Bring your bike")
    response = client.get(reverse("public:ward", args=[ward.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Police Constable Alice Adams" in body
    assert "Somers Town Community Centre" in body
    assert "150 Ossulston Street" in body
    assert "Step-free access" in body
    assert "Surgery" in body
    assert reverse("public:session", args=[session.pk]) in body
    for must in ["999", "101", "met.police.uk", "Holborn Police Station", "0808 2000 247", "0808 500 2222", "55"]:
        assert must in body
    assert "webcal://testserver/wards/E05000143/sessions.ics" in body


def test_ward_page_leaves_out_officers_who_have_left(client, ward, officer):
    assignment = WardAssignment.objects.get(officer__user=officer)
    assignment.end = timezone.localdate() - dt.timedelta(days=1)
    assignment.save()
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "Alice Adams" not in body


def test_ward_page_shows_cancellations_with_reasons(client, ward, make_session):
    make_session(soon(), status=SessionStatus.CANCELLED, cancellation_reason="Venue flooded")
    response = client.get(reverse("public:ward", args=[ward.code]))
    assert "Venue flooded" in response.content.decode()
    assert response.context["sessions"] == []


def test_ward_page_shows_approved_time_while_a_change_is_under_review(client, ward, make_session, other_venue):
    make_session(
        soon(hour=10),
        has_pending_change=True,
        pending_start=soon(hour=15),
        pending_end=soon(hour=16),
        pending_venue=other_venue,
    )
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "under review" in body
    assert "10:00" in body
    assert "15:00" not in body
    assert "Belsize Library" not in body


def test_enhanced_ward_page_shows_fixed_days_and_times_once_confirmed(client, ward, venue):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=1, start_time=dt.time(10), end_time=dt.time(11))
    EnhancedSlot.objects.create(designation=designation, weekday=4, start_time=dt.time(14), end_time=dt.time(15))
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "Extra sessions here for Somers Town" in body
    assert "Tuesday 10:00 to 11:00" not in body  # not yet confirmed by the SNB
    designation.pattern_confirmed_on = dt.date(2020, 1, 1)
    designation.save()
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "Tuesday 10:00 to 11:00" in body
    assert "Friday 14:00 to 15:00" in body


def test_ward_page_escapes_venue_names(client, ward, make_session, venue):
    venue.name = "<script>alert('x')</script> Hall"
    venue.save()
    make_session(soon())
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "<script>alert(" not in body
    assert "&lt;script&gt;" in body


def test_ward_page_costs_a_fixed_number_of_queries(client, ward, venue, officer, make_session, counter,
                                                   django_assert_max_num_queries):  # fmt: skip
    for day in range(1, 40):
        make_session(soon(day), status=SessionStatus.APPROVED if day % 3 else SessionStatus.CANCELLED)
    # Every kind of card, so a field the page reads but the sessions query leaves out
    # (selectors.WARD_PAGE_FIELDS) shows here as a query per session.
    link = "https://teams.example.org/meet/1"
    make_session(soon(1, 8), attendance_mode="online", joining_link=link, venue=None, format="surgery")
    make_session(soon(1, 9), attendance_mode="hybrid", joining_link=link, kind="enhanced", has_pending_change=True)
    make_session(soon(1, 11), status=SessionStatus.CANCELLED, venue=None, attendance_mode="online", joining_link=link,
                 cancellation_reason="Officers called away")  # fmt: skip
    for n in range(3):
        user = __import__("tests.conftest", fromlist=["make_user"]).make_user(f"extra{n}")
        extra = Officer.objects.create(user=user, public_name=f"Extra {n}")
        WardAssignment.objects.create(officer=extra, ward=ward, start=dt.date(2020, 1, 1))
        for language in ["pl", "tr"][: n + 1]:
            OfficerLanguage.objects.create(officer=extra, language=language)
    # The ward with the team's contact details and whether an Enhanced site serves it, its
    # sessions and cancellations together, their officers, the team's officers with their
    # profiles and languages, its priorities, delivery, front counters (issue 19: 13 before
    # round three, 9 before round four, 8 before round six).
    with django_assert_max_num_queries(7):
        response = client.get(reverse("public:ward", args=[ward.code]))
    assert response.status_code == 200
    # After a session write the team and the front counters are kept: the ward, its sessions,
    # their officers and the delivery record.
    make_session(soon(41), status=SessionStatus.APPROVED)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("public:ward", args=[ward.code]))
    assert response.status_code == 200


def test_ward_page_from_a_postcode_costs_at_most_two_more_queries(
    client, postcodes, ward, venue, other_venue, officer, make_session, counter, django_assert_max_num_queries
):
    # One venue placed by its postcode, one by its own coordinates: still two extra queries.
    other_venue.latitude, other_venue.longitude = "51.547000", "-0.166000"
    other_venue.save()
    for day in range(1, 40):
        make_session(soon(day), venue=venue if day % 2 else other_venue)
    with django_assert_max_num_queries(9):  # the page's 7 and two for the postcode
        response = client.get(reverse("public:ward", args=[ward.code]), {"postcode": "NW1 2AT"})
    assert response.status_code == 200
    assert "0.4 km from NW1 2AT" in response.content.decode()


# Ward page: a visitor who came by postcode


def test_ward_page_from_a_postcode_shows_how_far_each_venue_is(
    client, postcodes, ward, venue, other_venue, make_session
):
    make_session(soon(1))
    other_venue.latitude, other_venue.longitude = "51.547000", "-0.166000"
    other_venue.save()
    make_session(soon(2), venue=other_venue)
    response = client.get(reverse("public:ward", args=[ward.code]), {"postcode": "nw1 2at"})
    body = response.content.decode()
    assert "NW1 2AT is in St Pancras and Somers Town" in body
    assert "0.4 km from NW1 2AT" in body  # Somers Town Community Centre, NW1 1EE
    assert "3.2 km from NW1 2AT" in body  # Belsize Library, by its coordinates
    assert "approximate" not in body


def test_ward_page_venue_at_the_searched_postcode_is_less_than_a_tenth_of_a_km(
    client, postcodes, ward, venue, make_session
):
    make_session(soon(1))
    body = client.get(reverse("public:ward", args=[ward.code]), {"postcode": "NW1 1EE"}).content.decode()
    assert "Less than 0.1 km from NW1 1EE" in body


def test_ward_page_says_when_the_postcodes_ward_is_approximate(client, postcodes, enfield_ward):
    # EN4 0AW is newer than the 2014 wards: it takes the ward of the nearest postcode.
    body = client.get(reverse("public:ward", args=[enfield_ward.code]), {"postcode": "EN4 0AW"}).content.decode()
    assert "EN4 0AW is probably in Cockfosters (approximate)" in body
    assert "newer than the ward boundaries we use" in body


def test_ward_page_says_when_the_postcode_is_in_another_ward(client, postcodes, ward, venue, make_session):
    make_session(soon(1))
    body = client.get(reverse("public:ward", args=[ward.code]), {"postcode": "EN4 8HG"}).content.decode()
    assert "EN4 8HG is not in St Pancras and Somers Town" in body
    assert f'href="{reverse("locate:postcode")}?q=EN4%208HG"' in body
    assert "km from EN4 8HG" in body


def test_enhanced_venue_shows_its_distance_from_the_postcode(client, postcodes, ward, venue):
    EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    body = client.get(reverse("public:ward", args=[ward.code]), {"postcode": "NW1 2AT"}).content.decode()
    assert "NW1 1EE (0.4 km from NW1 2AT)." in body


@pytest.mark.parametrize("postcode", ["", "<script>x</script>", "hello", "NW1 9ZZ", "EC2V 7HH", "M1 1AE"])
def test_ward_page_with_a_postcode_it_cannot_place_shows_no_distances(
    client, postcodes, ward, venue, make_session, postcode
):
    make_session(soon(1))
    response = client.get(reverse("public:ward", args=[ward.code]), {"postcode": postcode})
    assert response.status_code == 200
    body = response.content.decode()
    assert " km from " not in body
    assert "<script>x" not in body


def test_every_ward_page_has_a_not_your_ward_postcode_search(client, ward):
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "Not your ward?" in body
    assert 'href="#not-your-ward"' in body
    assert f'action="{reverse("locate:postcode")}"' in body
    assert 'id="postcode-q" name="q"' in body


def test_unknown_ward_is_404(client, db):
    assert client.get(reverse("public:ward", args=["E05999999"])).status_code == 404


def test_public_pages_are_cacheable_with_validators(client, ward, make_session):
    make_session(soon())
    url = reverse("public:ward", args=[ward.code])
    response = client.get(url)
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response.has_header("ETag")
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_etag_changes_when_a_venue_is_renamed(client, ward, make_session, venue):
    make_session(soon())
    url = reverse("public:ward", args=[ward.code])
    etag = client.get(url)["ETag"]
    venue.name = "Renamed Hall"
    venue.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_feeds_are_cacheable_with_an_etag(client, ward, make_session):
    make_session(soon())
    response = client.get(reverse("public:ward-ical", args=[ward.code]))
    assert "max-age=" in response["Cache-Control"]
    assert (
        client.get(reverse("public:ward-ical", args=[ward.code]), HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


def test_public_pages_refuse_post(client, ward):
    assert client.post(reverse("public:ward", args=[ward.code])).status_code == 405


# Session page


def test_session_page_has_details_json_ld_and_calendar_links(client, make_session):
    session = make_session(soon(), format="property_marking")
    response = client.get(reverse("public:session", args=[session.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Property marking" in body
    assert "Have bikes, phones and valuables marked" in body
    assert reverse("public:session-ical", args=[session.pk]) in body
    assert "calendar.google.com/calendar/render" in body
    assert "outlook.office.com" in body
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"]["postalCode"] == "NW1 1EE"
    assert data["startDate"].startswith(timezone.localtime(session.start).strftime("%Y-%m-%dT%H:%M"))


def test_session_json_ld_says_cancelled(client, make_session):
    session = make_session(soon(), status=SessionStatus.CANCELLED, cancellation_reason="Officers called away")
    body = client.get(reverse("public:session", args=[session.pk])).content.decode()
    assert "https://schema.org/EventCancelled" in body
    assert "Officers called away" in body


def test_session_json_ld_says_rescheduled_after_the_approved_time_moves(client, make_session):
    session = make_session(soon(hour=10))
    session.start, session.end, session.sequence = soon(hour=14), soon(hour=15), 1
    session.save()
    data = client.get(reverse("public:session", args=[session.pk])).content.decode()
    assert "https://schema.org/EventRescheduled" in data
    assert "previousStartDate" in data


def test_session_json_ld_cannot_break_out_of_its_script(client, make_session, venue):
    venue.name = "</script><script>alert(1)</script>"
    venue.save()
    session = make_session(soon())
    body = client.get(reverse("public:session", args=[session.pk])).content.decode()
    assert "</script><script>alert(1)" not in body
    assert "\\u003C/script\\u003E" in body


def test_session_page_share_texts(client, make_session):
    session = make_session(soon())
    response = client.get(reverse("public:session", args=[session.pk]))
    short = response.context["post_short"]
    assert len(short) <= 280
    assert short.endswith(sharing.public_session_url(session))
    assert 'data-copy-target="session-post-short"' in response.content.decode()


def test_share_text_for_x_stays_within_280_characters_with_a_long_venue_name(make_session, venue):
    venue.name = "Long venue name " * 9
    venue.save()
    session = make_session(soon())
    short = sharing.session_post_short(session)
    assert len(short) <= 280
    assert short.endswith(sharing.public_session_url(session))


def test_week_share_page(client, ward, make_session):
    make_session(soon(7))
    monday = soon(7).date() - dt.timedelta(days=soon(7).weekday())
    response = client.get(reverse("public:ward-share", args=[ward.code]), {"week": monday.isoformat()})
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 1
    assert len(response.context["post_short"]) <= 280
    assert "Somers Town Community Centre" in response.context["post_long"]


def test_week_share_page_ignores_a_bad_week(client, ward):
    response = client.get(reverse("public:ward-share", args=[ward.code]), {"week": "not-a-date"})
    assert response.status_code == 200


def test_session_ics_download(client, make_session):
    session = make_session(soon())
    response = client.get(reverse("public:session-ical", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert b"BEGIN:VEVENT" in response.content


# Poster


def test_poster_shows_next_six_weeks_officers_qr_and_other_ways(client, ward, officer, make_session, counter):
    make_session(soon(3))
    make_session(soon(60), minutes=60)  # beyond the poster's horizon
    response = client.get(reverse("public:ward-poster", args=[ward.code]))
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 1
    body = response.content.decode()
    assert "Alice Adams" in body
    assert reverse("public:ward-qr", args=[ward.code]) in body
    assert "999" in body and "101" in body and "Holborn Police Station" in body


def test_ward_qr_is_an_svg_linking_to_the_ward(client, ward):
    response = client.get(reverse("public:ward-qr", args=[ward.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")


# Nothing unpublished ever leaks


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_sessions_appear_nowhere(client, ward, camden, make_session, other_venue, status):
    secret = Venue.objects.create(name="Secret Venue Zzyzx", address="1 Hidden Road", postcode="NW1 2AB", ward=ward)
    session = make_session(soon(2), status=status, venue=secret, description="zzyzx-description")
    urls = [
        reverse("public:home") + "?q=NW1+2AB",
        reverse("public:borough", args=[camden.code]),
        reverse("public:borough-ical", args=[camden.code]),
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-ical", args=[ward.code]),
        reverse("public:ward-poster", args=[ward.code]),
        reverse("public:ward-share", args=[ward.code]) + f"?week={soon(2).date().isoformat()}",
        reverse("api:events", args=[ward.code]),
        reverse("api:sessions-csv"),
    ]
    for url in urls:
        response = client.get(url, follow=True)  # a postcode with nothing public leads to the ward finder
        assert response.status_code == 200, url
        assert b"Zzyzx" not in response.content, url
        assert b"zzyzx" not in response.content, url
    assert client.get(reverse("public:session", args=[session.pk])).status_code == 404
    assert client.get(reverse("public:session-ical", args=[session.pk])).status_code == 404
