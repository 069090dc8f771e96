"""The real London reference data loads completely and correctly."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from contactsessions.models import EnhancedDesignation
from wards.models import Borough, FrontCounter, Ward, WardSuccession

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    call_command("load_reference_data", "--set", "2014", verbosity=0)


def test_2014_set_has_32_boroughs_and_629_wards_with_valid_codes(reference):
    assert Borough.objects.count() == 32
    assert Ward.objects.current().count() == 629
    assert all(re.fullmatch(r"E09\d{6}", code) for code in Borough.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"E05\d{6}", code) for code in Ward.objects.values_list("code", flat=True))


def test_no_city_of_london(reference):
    assert not Borough.objects.filter(code="E09000001").exists()
    assert not Borough.objects.filter(name__icontains="City of London").exists()


def test_every_borough_has_a_24_7_front_counter(reference):
    assert FrontCounter.objects.filter(open_24_7=True).values("borough").distinct().count() == 32


def test_the_five_enhanced_designations_name_their_wards(reference):
    wards = dict(EnhancedDesignation.objects.values_list("ward__name", "venue__postcode"))
    assert wards == {
        "East Barnet": "EN4 8HG",
        "Purley": "CR8 2AY",
        "Turkey Street": "EN3 6UD",
        "Hatch End": "HA5 4EA",
        "West Ruislip": "HA4 8NQ",
    }
    assert all(d.slots.count() == 2 for d in EnhancedDesignation.objects.all())


def test_loading_twice_duplicates_nothing(reference):
    call_command("load_reference_data", "--set", "2014", verbosity=0)
    assert Ward.objects.count() == 629
    assert EnhancedDesignation.objects.count() == 5


def test_another_ward_set_can_be_loaded(reference):
    call_command("load_reference_data", "--set", "2022", verbosity=0)
    assert Ward.objects.current().count() == 679
    # The 2014 wards stay for history but leave the current set.
    assert Ward.objects.filter(is_current=False, code="E05000143").exists()


def test_a_new_install_runs_on_the_2022_wards_with_the_five_enhanced_sites(db):
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "679 wards (2022 set, in force since the borough elections of 5 May 2022)" in out.getvalue()
    assert Ward.objects.current().count() == 679
    wards = dict(EnhancedDesignation.objects.filter(ward__is_current=True).values_list("ward__name", "venue__postcode"))
    assert wards == {
        "East Barnet": "EN4 8HG",
        "Purley & Woodcote": "CR8 2AY",
        "Bullsmoor": "EN3 6UD",
        "Hatch End": "HA5 4EA",
        "Ruislip": "HA4 8NQ",
    }
    # The earlier sets' wards come too, never current, with where each went: old links land.
    assert WardSuccession.objects.get(predecessor__code="E05000143", continues=True).successor.code == "E05013669"
    assert not Ward.objects.filter(code="E05000143", in_use_until__isnull=False).exists()
    barnet = EnhancedDesignation.objects.get(ward__code="E05013635")
    assert set(barnet.served_wards.values_list("name", flat=True)) == {
        "East Barnet",
        "High Barnet",
        "Barnet Vale",
        "Underhill",
    }


@pytest.mark.parametrize("ward_set", ["2014", "2018", "2022"])
def test_every_ward_set_has_the_five_enhanced_sites(db, ward_set):
    call_command("load_reference_data", "--set", ward_set, verbosity=0)
    designations = EnhancedDesignation.objects.filter(ward__is_current=True)
    assert designations.count() == 5
    assert all(d.ward.ward_set == ward_set and d.slots.count() == 2 for d in designations)


def test_switching_sets_under_venues_is_refused_and_staging_is_offered(reference):
    import datetime as dt

    from contactsessions.models import ContactSession
    from contactsessions.rules import LONDON
    from tests.conftest import make_user
    from venues.models import Venue

    ward = Ward.objects.get(code="E05000143")
    venue = Venue.objects.create(name="Hall", address="1 Road", postcode="NW1 0BL", ward=ward)
    start = dt.datetime(2026, 1, 5, 10, tzinfo=LONDON)
    ContactSession.objects.create(
        ward=ward, venue=venue, start=start, end=start + dt.timedelta(hours=1), created_by=make_user("dwo")
    )
    with pytest.raises(CommandError, match="--stage"):
        call_command("load_reference_data", "--set", "2022", verbosity=0)
    call_command("load_reference_data", "--set", "2022", "--stage", verbosity=0)
    assert Ward.objects.current().count() == 629
    assert Ward.objects.filter(code="E05013669", is_current=False).exists()


def test_ward_search_name_is_forgiving(reference):
    ward = Ward.objects.get(code="E05009377")
    assert ward.name == "Hoxton East & Shoreditch"
    assert ward.search_name == "hoxton east and shoreditch"
