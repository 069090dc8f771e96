"""DWO and Ward Panel pages: the eight-week overview, proposing, changing, withdrawing, cancelling, commenting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions.models import ContactSession, SessionStatus
from tests.conftest import london

pytestmark = pytest.mark.django_db


def form_data(day: dt.date, officer, venue=None, **extra) -> dict:
    data = {
        "date": day.isoformat(),
        "start_time": "18:00",
        "end_time": "19:00",
        "venue": venue.pk if venue else "",
        "format": "surgery",
        "officers": [officer.officer.pk],
        "description": "Drop in and meet us.",
        "new_venue_kind": "other",
    }
    data.update(extra)
    return data


def test_home_shows_eight_weeks_with_status_in_words(client, officer, soon, make_session):
    make_session(london(soon.year, soon.month, soon.day, 18))
    client.force_login(officer)
    response = client.get(reverse("officer:home"))
    weeks = response.context["ward_weeks"][0].weeks
    assert len(weeks) == 8
    statuses = [week.status for week, _ in weeks]
    assert statuses[2] == "met"
    assert statuses[0] == "gap"
    content = response.content.decode()
    assert "✓ Met" in content and "✗ Gap" in content


def test_home_status_in_eight_week_view_uses_few_queries(
    client, officer, soon, make_session, django_assert_max_num_queries
):
    for week in range(8):
        day = soon + dt.timedelta(weeks=week)
        make_session(london(day.year, day.month, day.day, 18))
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        client.get(reverse("officer:home"))


def test_propose_session_form_saves_and_redirects(client, officer, ward, venue, soon):
    client.force_login(officer)
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), form_data(soon, officer, venue))
    session = ContactSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("officer:session-detail", args=[session.pk])
    assert session.status == SessionStatus.PROPOSED


def test_short_session_is_proposed_and_said_not_to_count(client, officer, ward, venue, soon):
    client.force_login(officer)
    data = form_data(soon, officer, venue, end_time="18:30")
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "lasts 30 minutes, less than an hour, so it does not count towards the ward&#x27;s weekly hour" in page
    assert ContactSession.objects.get().status == SessionStatus.PROPOSED
    home = client.get(reverse("officer:home")).content.decode()
    assert "under an hour, so it does not count towards the weekly hour" in home


def test_propose_with_garbage_input_is_a_form_error_not_a_500(client, officer, ward, soon):
    client.force_login(officer)
    data = {"date": "not-a-date", "start_time": "25:99", "officers": ["abc"], "venue": "999999"}
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    assert response.status_code == 200
    assert not ContactSession.objects.exists()


def test_propose_with_new_venue(client, postcodes, officer, ward, soon):
    client.force_login(officer)
    data = form_data(
        soon,
        officer,
        new_venue_name="Church Hall",
        new_venue_address="1 Chalton St",
        new_venue_postcode=" nw1 1hs. ",
        new_venue_step_free="on",
    )
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    assert response.status_code == 302
    venue = ContactSession.objects.get().venue
    assert venue.step_free
    assert venue.postcode == "NW1 1HS"
    assert venue.latitude is not None and venue.longitude is not None  # from the postcode


@pytest.mark.parametrize(
    ("postcode", "words"),
    [
        ("EN4 8HG", "EN4 8HG is in Barnet, not Camden"),
        ("NW1 9ZZ", "We cannot find NW1 9ZZ in the London postcode list"),
        ("not a pc", "Enter a UK postcode, for example SW1A 1AA."),
    ],
)
def test_new_venue_postcode_elsewhere_or_unknown_is_refused_and_nothing_saved(
    client, postcodes, officer, ward, soon, postcode, words
):
    from venues.models import Venue
    from wards.models import Borough

    Borough.objects.create(code="E09000003", name="Barnet", slug="barnet")
    client.force_login(officer)
    data = form_data(
        soon, officer, new_venue_name="Far Hall", new_venue_address="13 Cat Hill", new_venue_postcode=postcode
    )
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ContactSession.objects.exists()
    assert not Venue.objects.filter(name="Far Hall").exists()


def test_new_venue_that_already_exists_is_a_clear_message_not_a_500(client, postcodes, officer, ward, venue, soon):
    client.force_login(officer)
    data = form_data(
        soon, officer, new_venue_name=venue.name, new_venue_address="elsewhere", new_venue_postcode=venue.postcode
    )
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not ContactSession.objects.exists()


def test_new_venue_needs_name_address_postcode(client, officer, ward, soon):
    client.force_login(officer)
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), form_data(soon, officer))
    assert response.status_code == 200
    assert "new venue" in response.content.decode()


def test_series_form_proposes_six_weeks(client, officer, ward, venue, soon):
    client.force_login(officer)
    data = form_data(soon, officer, venue, weekday=2, first_date=soon.isoformat(), weeks=6)
    response = client.post(reverse("officer:series-propose", args=[ward.pk]), data)
    assert response.status_code == 302
    assert ContactSession.objects.filter(status=SessionStatus.PROPOSED).count() == 6


def test_series_needs_until_or_weeks(client, officer, ward, venue, soon):
    client.force_login(officer)
    data = form_data(soon, officer, venue, weekday=2, first_date=soon.isoformat())
    response = client.post(reverse("officer:series-propose", args=[ward.pk]), data)
    assert response.status_code == 200
    assert not ContactSession.objects.exists()


def test_edit_with_stale_version_is_refused_plainly(client, officer, ward, venue, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(officer)
    data = form_data(soon, officer, venue, start_time="19:00", end_time="20:00", version=session.version - 1)
    response = client.post(reverse("officer:session-edit", args=[session.pk]), data)
    assert response.status_code == 200
    assert "Someone else changed this session" in response.content.decode()
    session.refresh_from_db()
    assert session.start.astimezone(london(2020, 1, 1).tzinfo).hour == 18


def test_edit_of_approved_session_shows_pending_change(client, officer, ward, venue, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18))
    client.force_login(officer)
    data = form_data(soon, officer, venue, start_time="19:00", end_time="20:00", version=session.version)
    client.post(reverse("officer:session-edit", args=[session.pk]), data)
    session.refresh_from_db()
    assert session.has_pending_change and session.status == SessionStatus.APPROVED
    page = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "Change waiting for the board" in page


def test_withdraw_and_cancel(client, officer, soon, make_session):
    proposal = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    approved = make_session(london(soon.year, soon.month, soon.day, 10))
    client.force_login(officer)
    client.post(reverse("officer:session-withdraw", args=[proposal.pk]), {"version": proposal.version})
    client.post(reverse("officer:session-cancel", args=[approved.pk]), {"version": approved.version, "text": "Flood"})
    proposal.refresh_from_db()
    approved.refresh_from_db()
    assert proposal.status == SessionStatus.WITHDRAWN
    assert approved.status == SessionStatus.CANCELLED and approved.cancellation_reason == "Flood"


def test_cancel_without_reason_is_refused(client, officer, soon, make_session):
    approved = make_session(london(soon.year, soon.month, soon.day, 10))
    client.force_login(officer)
    response = client.post(
        reverse("officer:session-cancel", args=[approved.pk]), {"version": approved.version}, follow=True
    )
    assert "Give a reason for cancelling; it is shown to the public." in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == SessionStatus.APPROVED


def test_panel_member_comments_from_the_panel_page(client, panel_member, ward, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(panel_member)
    page = client.get(reverse("panel:ward", args=[ward.pk]))
    assert session in page.context["sessions"]
    response = client.post(
        reverse("officer:session-comment", args=[session.pk]), {"text": "Good idea", "next_page": "panel"}
    )
    assert response["Location"] == reverse("panel:ward", args=[ward.pk])
    assert session.comments.get(kind="comment").text == "Good idea"


def test_detail_page_shows_history_and_comments(client, officer, board_member, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(board_member)
    client.post(reverse("board:session-approve", args=[session.pk]), {"version": session.version, "text": "Fine"})
    client.force_login(officer)
    page = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "History" in page
    assert "status: proposed → approved" in page
    assert "by sally" not in page  # log-in names only in the admin
    assert "<dd>PC Alice Adams</dd>" in page  # Proposed by: rank and name
    assert "Fine" in page


def test_enhanced_ward_form_offers_fixed_venue_and_slot(client, officer, ward, venue):
    from contactsessions.models import EnhancedDesignation, EnhancedSlot

    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(18), end_time=dt.time(19))
    client.force_login(officer)
    response = client.get(reverse("officer:session-propose", args=[ward.pk]))
    form = response.context["form"]
    assert form["venue"].value() == venue.pk
    assert form["start_time"].value() == dt.time(18)
    assert "Enhanced ward" in response.content.decode()


def test_history_shows_a_change_of_officers(client, officer, second_officer, ward, venue, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(officer)
    data = form_data(soon, officer, venue, version=session.version)
    data["officers"] = [officer.officer.pk, second_officer.officer.pk]
    assert client.post(reverse("officer:session-edit", args=[session.pk]), data).status_code == 302
    page = client.get(reverse("officer:session-detail", args=[session.pk]))
    assert page.status_code == 200
    assert "officers: PC Alice Adams → PC Alice Adams, PC Anna Achebe" in page.content.decode()


def test_edit_form_shows_the_date_in_the_browser_date_format(client, officer, make_session, soon):
    """A date box only reads ISO dates: without one the DWO had to retype the date to save."""
    from contactsessions.rules import LONDON

    session = make_session(
        dt.datetime.combine(soon + dt.timedelta(days=3), dt.time(10), tzinfo=LONDON), status="proposed"
    )
    client.force_login(officer)
    response = client.get(reverse("officer:session-edit", args=[session.pk]))
    assert f'value="{(soon + dt.timedelta(days=3)).isoformat()}"' in response.content.decode()
