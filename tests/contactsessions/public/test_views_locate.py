"""Find your ward by postcode or by location: every answer, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

POSTCODE_URL = reverse("locate:postcode")
LOCATE_URL = reverse("locate:locate")


def test_postcode_page_shows_the_form_and_attribution(client):
    response = client.get(POSTCODE_URL)
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert b"Use my location" in response.content
    assert "Contains OS data © Crown copyright".encode() in response.content
    assert "Contains Royal Mail data © Royal Mail copyright".encode() in response.content


@pytest.mark.parametrize("typed", ["EN4 8HG", "en48hg", " en4  8hg. "])
def test_found_postcode_redirects_to_its_ward_page(client, postcodes, typed):
    response = client.get(POSTCODE_URL, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/wards/E05000048/?postcode=EN4+8HG"


def test_approximate_postcode_says_so_and_links_to_the_ward(client, postcodes, enfield_ward):
    response = client.get(POSTCODE_URL, {"q": "en4 0aw"})
    assert response.status_code == 200
    assert b"approximate" in response.content
    assert b"Cockfosters" in response.content
    assert b'href="/wards/E05000196/?postcode=EN4+0AW"' in response.content


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("hello", "is not a postcode"),
        ("E1 6AN", "is in the City of London"),
        ("ec2v7hh", "Bishopsgate police station"),
        ("GU1 1AA", "is outside London"),
        ("NW1 9ZZ", "We do not know NW1 9ZZ"),
    ],
)
def test_postcode_that_has_no_ward_gets_a_clear_answer_and_the_form_again(client, postcodes, typed, words):
    response = client.get(POSTCODE_URL, {"q": typed})
    assert response.status_code == 200
    assert words.encode() in response.content
    assert b'name="q"' in response.content


def test_city_answer_tells_where_to_go(client, postcodes):
    content = client.get(POSTCODE_URL, {"q": "E1 6AN"}).content.decode()
    assert "cityoflondon.police.uk" in content
    assert "101" in content and "999" in content


def test_my_location_redirects_to_the_ward_of_the_nearest_postcode(client, postcodes):
    response = client.get(LOCATE_URL, {"lat": "51.53205", "lng": "-0.13058"})
    assert response.status_code == 302
    assert response["Location"] == "/wards/E05000143/"


def test_my_location_outside_london_explains_with_404(client, postcodes):
    response = client.get(LOCATE_URL, {"lat": "53.4808", "lng": "-2.2426"})
    assert response.status_code == 404
    assert b"We cannot find a London ward where you are" in response.content


@pytest.mark.parametrize("query", [{}, {"lat": "x", "lng": "1"}, {"lat": "nan", "lng": "0"}, {"lat": "51.5"}])
def test_my_location_with_bad_coordinates_is_a_400_not_a_500(client, query):
    response = client.get(LOCATE_URL, query)
    assert response.status_code == 400
    assert b'name="q"' in response.content


def test_public_footer_shows_the_postcode_attribution(client, db):
    response = client.get(reverse("public:home"))
    assert b"Contains Royal Mail data" in response.content
