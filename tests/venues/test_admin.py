"""Venues added in the admin are placed by their postcode too, and only in their ward's borough."""

from __future__ import annotations

import pytest

from venues.admin import VenueAdminForm
from venues.models import Venue

pytestmark = pytest.mark.django_db


def venue_data(ward, postcode: str) -> dict:
    return {"name": "Hall", "address": "1 Street", "postcode": postcode, "ward": ward.pk, "kind": "other"}


def test_admin_venue_gets_coordinates_from_its_postcode(postcodes, ward):
    form = VenueAdminForm(data=venue_data(ward, "nw1 1ee"))
    assert form.is_valid(), form.errors
    venue = form.save()
    venue.refresh_from_db()
    assert (float(venue.latitude), float(venue.longitude)) == pytest.approx((51.532021, -0.130622), abs=1e-6)
    assert "latitude" not in form.fields


@pytest.mark.parametrize(("postcode", "words"), [("EN4 8HG", "not Camden"), ("NW1 9ZZ", "We cannot find NW1 9ZZ")])
def test_admin_venue_elsewhere_or_unknown_is_refused(postcodes, ward, postcode, words):
    form = VenueAdminForm(data=venue_data(ward, postcode))
    assert not form.is_valid()
    assert words in form.errors["postcode"][0]
    assert not Venue.objects.exists()
