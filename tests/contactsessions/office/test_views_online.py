"""DWOs propose and change online and hybrid sessions; SNBs see how people attend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions.models import ContactSession, SessionStatus
from tests.conftest import london
from tests.contactsessions.office.test_views_officer import form_data

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/j/42"


def propose(client, ward, data):
    return client.post(reverse("officer:session-propose", args=[ward.pk]), data)


def test_the_proposal_form_asks_how_people_attend(client, officer, ward):
    client.force_login(officer)
    body = client.get(reverse("officer:session-propose", args=[ward.pk])).content.decode()
    assert "How people attend" in body
    for mode in ("in_person", "online", "hybrid"):
        assert f'value="{mode}"' in body
    assert 'name="joining_link"' in body and 'type="url"' in body
    assert "an online-only session does not, as the scheme is about meeting face to face" in body
    assert 'data-attendance-part="venue"' in body and 'data-attendance-part="link"' in body


def test_dwo_proposes_a_hybrid_session(client, officer, ward, venue, soon):
    client.force_login(officer)
    response = propose(client, ward, form_data(soon, officer, venue, attendance_mode="hybrid", joining_link=LINK))
    session = ContactSession.objects.get()
    assert response.status_code == 302
    assert (session.attendance_mode, session.venue, session.joining_link) == ("hybrid", venue, LINK)
    detail = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "In person and online (hybrid)" in detail and LINK in detail
    assert "The public sees it once the session is approved." in detail


def test_dwo_proposes_an_online_session_and_the_venue_list_is_ignored(client, officer, ward, venue, soon):
    client.force_login(officer)
    data = form_data(soon, officer, venue, attendance_mode="online", joining_link=LINK, new_venue_postcode="nonsense")
    assert propose(client, ward, data).status_code == 302
    session = ContactSession.objects.get()
    assert (session.attendance_mode, session.venue) == ("online", None)
    detail = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "Does not count towards the weekly commitment." in detail


@pytest.mark.parametrize(
    ("mode", "link", "message"),
    [
        ("hybrid", "", "Give the joining link for the online part"),
        ("online", "http://meet.example.org/j/1", "must be a secure link starting with https://"),
        ("online", "https://not a host", "contains a space"),
        ("online", "https://meet/j", "is not a valid web address"),
        ("online", "https://meet.met.police.uk@evil.com/", "can disguise the site"),
        ("online", "https://10.0.0.1/j", "bare IP address"),
        ("online", "https://meet.example.org/j/\u202e1", "invisible characters"),
        ("in_person", LINK, "An in-person session has no joining link"),
    ],
)
def test_a_bad_joining_link_is_refused_beside_the_field_and_kept(
    client, officer, ward, venue, soon, mode, link, message
):
    client.force_login(officer)
    response = propose(client, ward, form_data(soon, officer, venue, attendance_mode=mode, joining_link=link))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["joining_link"]
    assert message in form.errors["joining_link"][0]
    assert form["joining_link"].value() == link  # what was typed comes back
    assert not ContactSession.objects.exists()


def test_a_link_typed_in_capitals_is_saved_in_lower_case_not_a_crash(client, officer, ward, venue, soon):
    client.force_login(officer)
    data = form_data(soon, officer, venue, attendance_mode="online", joining_link="HTTPS://Meet.Example.org/j/X1")
    assert propose(client, ward, data).status_code == 302
    assert ContactSession.objects.get().joining_link == "https://meet.example.org/j/X1"


def test_hybrid_without_a_venue_is_refused(client, officer, ward, soon):
    client.force_login(officer)
    response = propose(client, ward, form_data(soon, officer, None, attendance_mode="hybrid", joining_link=LINK))
    assert "venue" in response.context["form"].errors
    assert not ContactSession.objects.exists()


def test_an_unknown_mode_is_refused_plainly(client, officer, ward, venue, soon):
    client.force_login(officer)
    response = propose(client, ward, form_data(soon, officer, venue, attendance_mode="<script>"))
    assert response.status_code == 200
    assert "attendance_mode" in response.context["form"].errors
    assert not ContactSession.objects.exists()


def test_dwo_proposes_an_online_series(client, officer, ward, soon):
    client.force_login(officer)
    data = form_data(soon, officer, None, weekday="2", first_date=soon.isoformat(), weeks="3")
    data.pop("date")
    data.update(attendance_mode="online", joining_link=LINK)
    assert client.post(reverse("officer:series-propose", args=[ward.pk]), data).status_code == 302
    assert set(ContactSession.objects.values_list("attendance_mode", "venue", "joining_link")) == {
        ("online", None, LINK)
    }
    assert ContactSession.objects.count() == 3


def test_edit_form_shows_the_mode_and_link_and_a_change_waits_for_the_board(
    client, officer, ward, venue, soon, make_session
):
    session = make_session(london(soon.year, soon.month, soon.day, 18), attendance_mode="hybrid", joining_link=LINK)
    client.force_login(officer)
    form = client.get(reverse("officer:session-edit", args=[session.pk])).context["form"]
    assert (form["attendance_mode"].value(), form["joining_link"].value()) == ("hybrid", LINK)
    data = form_data(soon, officer, venue, attendance_mode="online", joining_link=LINK, version=session.version)
    assert client.post(reverse("officer:session-edit", args=[session.pk]), data).status_code == 302
    session.refresh_from_db()
    assert (session.attendance_mode, session.pending_attendance_mode, session.pending_venue) == (
        "hybrid",
        "online",
        None,
    )
    detail = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "at online." in detail and "online only, so it does not count" in detail
    form = client.get(reverse("officer:session-edit", args=[session.pk])).context["form"]
    assert (form["attendance_mode"].value(), form["venue"].value()) == ("online", None)


def test_board_queue_shows_hybrid_link_and_that_online_only_does_not_count(client, board_member, soon, make_session):
    day = london(soon.year, soon.month, soon.day, 18)
    make_session(day, status=SessionStatus.PROPOSED, attendance_mode="hybrid", joining_link=LINK)
    make_session(day + dt.timedelta(days=1), status=SessionStatus.PROPOSED, attendance_mode="online",
                 joining_link=LINK, venue=None)  # fmt: skip
    client.force_login(board_member)
    body = client.get(reverse("board:queue")).content.decode()
    assert "In person and online (hybrid)" in body and f'href="{LINK}"' in body
    assert "Somers Town Community Centre and online" in body
    assert "Does not count towards the weekly commitment:" in body
    assert "is online only, so it does not count" in body


def test_officer_home_week_list_says_an_online_session_does_not_count(client, officer, soon, make_session):
    make_session(london(soon.year, soon.month, soon.day, 18), attendance_mode="online", joining_link=LINK, venue=None)
    client.force_login(officer)
    body = client.get(reverse("officer:home")).content.decode()
    assert "online only, so it does not count towards the weekly commitment" in body


def test_after_proposing_online_the_dwo_is_told_it_does_not_count(client, officer, ward, soon):
    client.force_login(officer)
    data = form_data(soon, officer, None, attendance_mode="online", joining_link=LINK)
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data, follow=True)
    assert "is online only, so it does not count towards the ward&#x27;s weekly commitment" in response.content.decode()
