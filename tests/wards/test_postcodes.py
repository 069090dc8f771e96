"""Postcode lookup: every kind of input and answer, on the real OS Code-Point Open data."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from contactsessions.lib.public_cache import current_generation
from contactsessions.management.commands.load_reference_data import load_enhanced
from contactsessions.models import EnhancedDesignation
from venues.geo import locate_venue
from wards.models import Borough, Postcode, Ward
from wards.postcode_loader import Row, load_postcodes, place_by_nearest
from wards.postcodes import Outcome, distance_m, lookup_postcode, nearest_postcode, nearest_ward

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("postcode", "ward_code"),
    [
        ("EN4 8HG", "E05000048"),  # East Barnet
        ("CR8 2AY", "E05000159"),  # Purley
        ("EN3 6UD", "E05000211"),  # Turkey Street
        ("HA5 4EA", "E05000291"),  # Hatch End
    ],
)
def test_enhanced_venues_resolve_to_their_designated_wards(postcodes, postcode, ward_code):
    answer = lookup_postcode(postcode)
    assert answer.outcome == Outcome.FOUND
    assert answer.ward_code == ward_code


# The four the issue names; the reference file also designates Ruislip (HA4 8NQ, West Ruislip).
ENHANCED = {
    "EN4 8HG": ("E05000048", "East Barnet"),
    "CR8 2AY": ("E05000159", "Purley"),
    "EN3 6UD": ("E05000211", "Turkey Street"),
    "HA5 4EA": ("E05000291", "Hatch End"),
}


def test_enhanced_designations_as_loaded_sit_in_their_wards_by_postcode(postcodes):
    """Load the real designations (reference file) and place each venue by its postcode."""
    postcodes("EN4", "EN3", "CR8", "HA5", "HA4")
    data_dir = settings.REFERENCE_DATA_DIR
    designated = {
        d["wards"]["2014"]["ward_code"]
        for d in json.loads((data_dir / "enhanced_designations.json").read_text())["designations"]
    }
    with (data_dir / "london_wards_2014.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["ward_code"] in designated:
                borough, _ = Borough.objects.get_or_create(
                    code=row["borough_code"], defaults={"name": row["borough_name"]}
                )
                Ward.objects.create(code=row["ward_code"], name=row["ward_name"], borough=borough, ward_set="2014")
    load_enhanced(data_dir / "enhanced_designations.json", "2014")

    placed = {}
    for designation in EnhancedDesignation.objects.select_related("venue", "ward__borough"):
        venue, ward = designation.venue, designation.ward
        answer = lookup_postcode(venue.postcode)
        assert answer.outcome == Outcome.FOUND, venue.postcode
        assert answer.ward == ward, venue.postcode
        assert locate_venue(venue.postcode, ward.borough) == (answer.latitude, answer.longitude)
        placed[venue.postcode] = (ward.code, ward.name)
    assert len(placed) == len(designated) == 5
    assert {postcode: placed[postcode] for postcode in ENHANCED} == ENHANCED


@pytest.mark.parametrize("typed", ["NW1 1EE", "nw1 1ee", "nw11ee", "  NW1   1EE  ", "nw1 1ee.", "Nw1\t1eE"])
def test_forgiving_formats_find_the_same_postcode(postcodes, typed):
    answer = lookup_postcode(typed)
    assert answer.outcome == Outcome.FOUND
    assert answer.postcode == "NW1 1EE"
    assert answer.ward_code == "E05000143"  # St Pancras and Somers Town
    assert answer.borough_code == "E09000007"
    assert answer.latitude == pytest.approx(51.532, abs=0.001)


@pytest.mark.parametrize("typed", ["", "   ", "hello", "SW1A", "12345", "NW1 1EEE", "1NW 1EE", "x" * 500])
def test_not_a_postcode_is_invalid(typed):
    assert lookup_postcode(typed).outcome == Outcome.INVALID


def test_postcode_newer_than_the_ward_set_takes_the_nearest_postcodes_ward(postcodes, postcode_rows):
    answer = lookup_postcode("EN4 0AW")
    assert answer.outcome == Outcome.APPROXIMATE
    assert answer.approximate and answer.has_ward
    # Brute force over every postcode that has a 2014 ward: the same answer as the grid search.
    known = [row for row in postcode_rows if not row.approximate]
    nearest = min(
        known,
        key=lambda r: distance_m(answer.latitude, answer.longitude, float(r.latitude), float(r.longitude)),
    )
    assert answer.ward_code == nearest.ward_code


@pytest.mark.parametrize("postcode", ["E1 6AN", "EC2V 7HH", "ec4m8ad", "EC4Y 9BE"])
def test_city_of_london_postcodes_are_sent_to_the_city_police(postcodes, postcode):
    assert lookup_postcode(postcode).outcome == Outcome.CITY_OF_LONDON


def test_a_city_fringe_postcode_in_a_met_borough_is_found(postcodes):
    postcodes("EC1V")
    answer = lookup_postcode("EC1V 9DP")
    assert answer.outcome == Outcome.FOUND
    assert answer.borough_code == "E09000012"  # Hackney


@pytest.mark.parametrize("postcode", ["M1 1AE", "GU1 1AA", "CF10 1EP", "EN9 1AA", "KT22 7AA"])
def test_postcodes_outside_london_say_so(postcodes, postcode):
    # EN9 (Waltham Abbey) and KT22 (Leatherhead) share areas with London boroughs.
    postcodes("EN4", "KT1")
    assert lookup_postcode(postcode).outcome == Outcome.OUTSIDE_LONDON


@pytest.mark.parametrize("postcode", ["NW1 9ZZ", "SW1A 9ZZ", "EN4 9ZZ"])
def test_a_london_postcode_we_do_not_have_is_unknown(postcodes, postcode):
    assert lookup_postcode(postcode).outcome == Outcome.UNKNOWN


def test_nearest_ward_is_the_ward_of_the_nearest_postcode_point(postcodes, ward):
    # A few metres from NW1 1EE, in St Pancras and Somers Town.
    assert nearest_ward(51.53205, -0.13058) == ward
    assert nearest_postcode(51.53205, -0.13058).postcode == "NW1 1EE"


@pytest.mark.parametrize(
    ("lat", "lng"),
    [
        (53.4808, -2.2426),  # Manchester
        (51.45, -0.80),  # Reading direction, outside the London box
        (float("nan"), 0.0),
    ],
)
def test_nearest_ward_outside_london_is_none(postcodes, lat, lng):
    assert nearest_ward(lat, lng) is None


def test_nearest_ward_far_from_any_loaded_postcode_is_none(postcodes):
    # Inside the London box but more than 1.5 km from every loaded district (Richmond Park).
    assert nearest_postcode(51.4425, -0.2750) is None


def test_grid_search_matches_brute_force_on_synthetic_points():
    known = [
        Row(f"K{i}", f"W{i}", "B", f"{51.3 + (i * 7 % 37) / 100:.6f}", f"{-0.4 + (i * 11 % 61) / 100:.6f}")
        for i in range(300)
    ]
    pending = [(f"P{j}", f"{51.31 + j * 0.0137 % 0.35:.6f}", f"{-0.39 + j * 0.0211 % 0.6:.6f}") for j in range(60)]
    placed = place_by_nearest(known, pending)
    assert len(placed) == 60
    for row, (_, lat, lng) in zip(placed, pending, strict=True):
        lat, lng = float(lat), float(lng)
        best = min(known, key=lambda k: distance_m(lat, lng, float(k.latitude), float(k.longitude)))
        assert row.approximate
        got = next(k for k in known if k.ward_code == row.ward_code)
        assert distance_m(lat, lng, float(got.latitude), float(got.longitude)) == pytest.approx(
            distance_m(lat, lng, float(best.latitude), float(best.longitude)), rel=1e-3
        )


SAMPLE = """postcode,ward_code,ward_set,borough_code,latitude,longitude,terminated
NW1 1EE,E05000143,2014,E09000007,51.532021,-0.130622,no
NW1 1EE,E05013660,2022,E09000007,51.532021,-0.130622,no
NW1 1ZZ,E05013660,2022,E09000007,51.532100,-0.130700,no
SW1A 1AA,E05000644,2014,E09000033,51.501009,-0.141588,no
SW1A 1AA,E05013806,2022,E09000033,51.501009,-0.141588,no
"""


@pytest.fixture
def sample_file(tmp_path):
    path = tmp_path / "postcodes.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(SAMPLE)
    return path


def test_load_postcodes_command_replaces_the_table_and_places_new_postcodes(sample_file):
    Postcode.objects.create(
        postcode="ZZ1 1ZZ", ward_code="E05000001", borough_code="E09000002", latitude=0, longitude=0
    )
    out = io.StringIO()
    call_command("load_postcodes", "--file", str(sample_file), "--set", "2014", stdout=out)
    assert "Loaded 3 postcodes (2014 wards), 1 placed by nearest postcode" in out.getvalue()
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {"NW1 1EE", "NW1 1ZZ", "SW1A 1AA"}
    newer = Postcode.objects.get(postcode="NW1 1ZZ")
    assert newer.approximate and newer.ward_code == "E05000143" and newer.borough_code == "E09000007"
    assert not Postcode.objects.get(postcode="SW1A 1AA").approximate


def test_loading_postcodes_forgets_the_cached_public_pages(sample_file):
    before = current_generation()
    call_command("load_postcodes", "--file", str(sample_file), "--set", "2014", stdout=io.StringIO())
    assert current_generation() != before


def test_loading_the_2022_set_needs_no_approximation(sample_file):
    result = load_postcodes(sample_file, "2022")
    assert (result.total, result.approximate) == (3, 0)
    assert Postcode.objects.get(postcode="SW1A 1AA").ward_code == "E05013806"


def test_load_postcodes_filters_by_district(sample_file):
    assert load_postcodes(sample_file, "2014", outward_codes=["sw1a"]).total == 1


def test_load_postcodes_command_needs_the_file(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        call_command("load_postcodes", "--file", str(tmp_path / "missing.csv.gz"))
