"""Venues are placed on the map by their postcode, and only in their own borough."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from venues.geo import distance_m, distances_from_postcode, locate_venue
from venues.models import Venue
from wards.models import Borough

pytestmark = pytest.mark.django_db


@pytest.fixture
def barnet(db):
    return Borough.objects.create(code="E09000003", name="Barnet", slug="barnet")


@pytest.fixture
def enfield(db):
    return Borough.objects.create(code="E09000010", name="Enfield", slug="enfield")


def test_venue_postcode_gives_its_coordinates(postcodes, barnet):
    lat, lng = locate_venue("en4 8hg", barnet)
    assert (lat, lng) == pytest.approx((51.643146, -0.162303), abs=1e-6)


def test_borough_may_be_given_by_code(postcodes):
    assert locate_venue("EN4 8HG", "E09000003")[0] == pytest.approx(51.643146)


def test_venue_in_another_borough_is_refused_with_both_names(postcodes, barnet, enfield):
    with pytest.raises(ValidationError) as error:
        locate_venue("EN3 6UD", barnet)  # Turkey Street, Enfield
    assert error.value.code == "wrong_borough"
    assert "EN3 6UD is in Enfield, not Barnet" in error.value.messages[0]


@pytest.mark.parametrize(
    ("postcode", "code", "words"),
    [
        ("not a postcode", "invalid_postcode", "Enter a UK postcode"),
        ("NW1 9ZZ", "unknown_postcode", "We cannot find NW1 9ZZ"),
        ("EC2V 7HH", "unknown_postcode", "City of London"),
        ("M1 1AE", "unknown_postcode", "outside the London boroughs"),
    ],
)
def test_postcode_we_cannot_place_is_refused_clearly(postcodes, barnet, postcode, code, words):
    with pytest.raises(ValidationError) as error:
        locate_venue(postcode, barnet)
    assert error.value.code == code
    assert words in error.value.messages[0]


def test_haversine_distance():
    assert distance_m(51.5, -0.1, 51.5, -0.1) == 0
    # One minute of latitude is about one nautical mile.
    assert distance_m(51.5, -0.1, 51.5 + 1 / 60, -0.1) == pytest.approx(1853, rel=0.01)
    # Trafalgar Square to St Paul's Cathedral, about 2.1 km.
    assert distance_m(51.50809, -0.12804, 51.51383, -0.09834) == pytest.approx(2140, rel=0.03)


def test_distances_from_postcode_to_each_venue(postcodes, venue, other_venue):
    # ``venue`` (NW1 1EE) has no coordinates: it is placed by its postcode.
    # ``other_venue`` (NW3 4XN) is in a district not loaded: left out unless it has coordinates.
    distances = distances_from_postcode("nw1 1ee", Venue.objects.all())
    assert distances == {venue.id: pytest.approx(0, abs=1)}
    other_venue.latitude, other_venue.longitude = "51.547000", "-0.166000"
    other_venue.save()
    distances = distances_from_postcode("NW1 1EE", Venue.objects.all())
    assert distances[other_venue.id] == pytest.approx(distance_m(51.532021, -0.130622, 51.547, -0.166), rel=1e-6)


def test_no_distances_from_a_postcode_we_cannot_place(postcodes, venue):
    assert distances_from_postcode("EC2V 7HH", [venue]) == {}
    assert distances_from_postcode("rubbish", [venue]) == {}
