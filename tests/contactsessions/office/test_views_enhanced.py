"""The SNB's page for an Enhanced site (issue 15): confirm or withdraw the fixed weekly times,
see the next four weeks' pattern days, announce a move of the fixed venue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contactsessions.models import EnhancedDesignation, EnhancedSlot, SessionStatus
from tests.conftest import london
from venues.models import Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def designation(ward, venue):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(18), end_time=dt.time(19))
    return designation


@pytest.fixture
def library(ward):
    return Venue.objects.create(name="Somers Town Library", address="Chalton Street", postcode="NW1 1EE", ward=ward)


def page(client, designation):
    return client.get(reverse("board:designation", args=[designation.pk]))


def test_queue_links_to_the_list_of_the_boroughs_enhanced_sites(client, board_member, designation):
    client.force_login(board_member)
    assert reverse("board:designations") in client.get(reverse("board:queue")).content.decode()
    listing = client.get(reverse("board:designations")).content.decode()
    assert reverse("board:designation", args=[designation.pk]) in listing
    assert "Not confirmed." in listing


def test_another_boroughs_member_sees_no_site_in_the_list(client, far_board_member, designation):
    client.force_login(far_board_member)
    listing = client.get(reverse("board:designations")).content.decode()
    assert reverse("board:designation", args=[designation.pk]) not in listing


def test_page_shows_venue_slots_and_the_next_four_weeks(client, board_member, designation, make_session):
    today = timezone.localdate()
    wednesday = today + dt.timedelta(days=(2 - today.weekday()) % 7 + 7)
    make_session(london(wednesday.year, wednesday.month, wednesday.day, 18), status=SessionStatus.APPROVED)
    client.force_login(board_member)
    response = page(client, designation)
    text = response.content.decode()
    assert "Somers Town Community Centre" in text
    assert "Wednesday 18:00 to 19:00" in text
    assert "Not confirmed." in text
    days = response.context["days"]
    assert all(d.day.weekday() == 2 for d in days) and len(days) in (4, 5)
    assert [d.day for d in days if d.held] == [wednesday]


def test_confirm_then_withdraw(client, board_member, designation):
    client.force_login(board_member)
    response = client.post(reverse("board:designation-confirm", args=[designation.pk]), follow=True)
    designation.refresh_from_db()
    assert designation.pattern_confirmed_on == timezone.localdate()
    assert designation.pattern_confirmed_by == board_member
    assert "Weekly times confirmed" in response.content.decode()
    assert "Confirmed</strong> by" in response.content.decode()
    client.post(reverse("board:designation-unconfirm", args=[designation.pk]))
    designation.refresh_from_db()
    assert designation.pattern_confirmed_on is None and designation.pattern_confirmed_by is None


def test_confirm_without_slots_is_refused_with_the_services_words(client, board_member, designation):
    designation.slots.all().delete()
    client.force_login(board_member)
    response = client.post(reverse("board:designation-confirm", args=[designation.pk]), follow=True)
    assert "has no weekly times to confirm" in response.content.decode()
    designation.refresh_from_db()
    assert designation.pattern_confirmed_on is None


def test_another_boroughs_member_gets_404(client, far_board_member, designation):
    client.force_login(far_board_member)
    assert page(client, designation).status_code == 404
    assert client.post(reverse("board:designation-confirm", args=[designation.pk])).status_code == 404
    designation.refresh_from_db()
    assert designation.pattern_confirmed_on is None


def test_announce_a_move(client, board_member, designation, library):
    moves_on = timezone.localdate() + dt.timedelta(days=14)
    client.force_login(board_member)
    url = reverse("board:designation-move", args=[designation.pk])
    response = client.post(url, {"venue": library.pk, "moves_on": moves_on.isoformat()}, follow=True)
    designation.refresh_from_db()
    assert designation.next_venue == library and designation.venue_moves_on == moves_on
    assert "Announced move" in response.content.decode()


def test_a_move_too_soon_is_refused_by_the_field_keeping_what_was_typed(client, board_member, designation, library):
    moves_on = timezone.localdate() + dt.timedelta(days=13)
    client.force_login(board_member)
    url = reverse("board:designation-move", args=[designation.pk])
    response = client.post(url, {"venue": library.pk, "moves_on": moves_on.isoformat()})
    assert response.status_code == 200
    form = response.context["move_form"]
    assert form.errors["moves_on"][0].startswith("Give the public notice")
    assert f'value="{moves_on.isoformat()}"' in response.content.decode()
    assert "There is a problem" in response.content.decode()
    designation.refresh_from_db()
    assert designation.next_venue is None


def test_a_move_to_the_same_venue_is_refused_by_the_venue(client, board_member, designation, venue):
    moves_on = timezone.localdate() + dt.timedelta(days=20)
    client.force_login(board_member)
    url = reverse("board:designation-move", args=[designation.pk])
    response = client.post(url, {"venue": venue.pk, "moves_on": moves_on.isoformat()})
    errors = response.context["move_form"].errors
    assert errors["venue"] == ["The sessions are already at Somers Town Community Centre."]


def test_a_venue_in_another_borough_is_not_offered(client, board_member, designation, far_ward):
    far = Venue.objects.create(name="Hackney Library", address="Reading Lane", postcode="E8 1GQ", ward=far_ward)
    moves_on = timezone.localdate() + dt.timedelta(days=20)
    client.force_login(board_member)
    url = reverse("board:designation-move", args=[designation.pk])
    response = client.post(url, {"venue": far.pk, "moves_on": moves_on.isoformat()})
    assert "venue" in response.context["move_form"].errors
    designation.refresh_from_db()
    assert designation.next_venue is None


def test_state_changes_refuse_get(client, board_member, designation):
    client.force_login(board_member)
    for name in ("board:designation-confirm", "board:designation-unconfirm", "board:designation-move"):
        assert client.get(reverse(name, args=[designation.pk])).status_code == 405
