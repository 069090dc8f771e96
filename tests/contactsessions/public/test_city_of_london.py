"""The City of London is not the Met's: by position, page and API, it is answered as the City's."""

from __future__ import annotations

import math

import pytest
from django.urls import reverse

from wards.models import Borough, Ward
from wards.postcodes import CITY_OF_LONDON_CODE, Outcome, Place, locate, lookup_postcode

pytestmark = pytest.mark.django_db

API = "/api/locate-neighbourhood"

# Places inside the Square Mile that a resident or visitor might stand at.
CITY_POINTS = [
    (51.5134, -0.0890),  # Bank junction
    (51.5138, -0.0984),  # St Paul's Cathedral
    (51.5155, -0.0919),  # Guildhall
    (51.5178, -0.0823),  # Liverpool Street station
    (51.5201, -0.0937),  # Barbican Centre
    (51.5142, -0.1070),  # Fleet Street
    (51.5101, -0.0860),  # Monument
    (51.5128, -0.0835),  # Leadenhall Market
    (51.5186, -0.1013),  # Smithfield Market
]


@pytest.fixture
def around_the_city(postcodes):
    """The City's postcodes and every Met postcode of the districts around it."""
    postcodes("EC", "WC", "E1 ", "E2 ", "N1 ", "SE1 ", prefixes=True)


def nudged(lat: float, lng: float, metres: float, bearing_deg: float) -> tuple[float, float]:
    bearing = math.radians(bearing_deg)
    return (
        lat + metres * math.cos(bearing) / 111_320,
        lng + metres * math.sin(bearing) / (111_320 * math.cos(math.radians(lat))),
    )


def test_landmarks_in_the_city_are_the_city_by_page_and_api(client, around_the_city):
    for lat, lng in CITY_POINTS:
        assert locate(lat, lng).place == Place.CITY_OF_LONDON, (lat, lng)
        response = client.get(API, {"q": f"{lat},{lng}"})
        assert response.status_code == 200
        assert response.json()["force"] == "city-of-london"
        assert response.json()["neighbourhood"] is None
        assert response["Access-Control-Allow-Origin"] == "*"
        page = client.get(reverse("locate:locate"), {"lat": lat, "lng": lng})
        assert page.status_code == 200
        assert "City of London Police" in page.content.decode()


def test_no_point_near_a_city_postcode_returns_a_met_ward(around_the_city, city_postcode_rows):
    # A few metres from every tenth City postcode, in four directions.
    for row in city_postcode_rows[::10]:
        for bearing in (0, 90, 180, 270):
            lat, lng = nudged(float(row.latitude), float(row.longitude), 5, bearing)
            located = locate(lat, lng)
            assert located.ward is None, (row.postcode, bearing)


def test_a_city_postcode_is_the_citys_even_where_the_district_is_shared(around_the_city):
    answer = lookup_postcode("E1 6AN")
    assert answer.outcome == Outcome.CITY_OF_LONDON and not answer.has_ward


def test_points_in_every_borough_still_find_their_met_ward(client, postcodes, postcode_rows, city_postcode_rows):
    from wards.postcode_loader import write_postcodes

    one_per_borough = {}
    for row in postcode_rows:
        one_per_borough.setdefault(row.borough_code, row)
    assert len(one_per_borough) == 32
    write_postcodes(list(one_per_borough.values()) + city_postcode_rows)
    for code, row in one_per_borough.items():
        borough = Borough.objects.create(code=code, name=f"Borough {code}", slug=code.lower())
        Ward.objects.create(code=row.ward_code, name=f"Ward {row.ward_code}", borough=borough, ward_set="2014")
    assert CITY_OF_LONDON_CODE not in one_per_borough
    for row in one_per_borough.values():
        response = client.get(API, {"q": f"{row.latitude},{row.longitude}"})
        assert response.json() == {"force": "metropolitan", "neighbourhood": row.ward_code}


@pytest.mark.parametrize(
    "q",
    ["nan,nan", "inf,0", "-inf,1", "91,0", "51.5,200", "1e309,0", "51.5", "", "a,b", "51.5,-0.1,3", "😀,😀",
     "51.5;-0.1", "0x1p-2,0", "51.5, -0.1 OR 1=1", "9" * 400 + ",0"],
)  # fmt: skip
def test_bad_coordinates_for_the_api_are_a_400_or_404_never_a_500(client, q):
    response = client.get(API, {"q": q})
    assert response.status_code in (400, 404)
    assert "error" in response.json()
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("lat", "lng"), [("nan", "0"), ("1e309", "0"), ("91", "0"), ("53.48", "-2.24"), ("-51.5", "0.1"), ("x", "y")]
)
def test_bad_or_faraway_positions_for_the_page_are_answered_never_a_500(client, postcodes, lat, lng):
    response = client.get(reverse("locate:locate"), {"lat": lat, "lng": lng})
    assert response.status_code in (400, 404)
    assert 'name="q"' in response.content.decode()


@pytest.mark.parametrize("typed", ["1AA SW1", "SWA1 1AA", "1SW 1AA", "EC!V 7HH", "😀 1AA", "' OR 1=1"])
def test_postcodes_with_letters_in_the_wrong_place_are_answered(client, typed):
    response = client.get(reverse("locate:postcode"), {"q": typed})
    assert response.status_code == 200
    assert "is not a postcode" in response.content.decode()
