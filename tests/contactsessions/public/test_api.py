"""The open-data API answers in the shapes of data.police.uk."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from contactsessions.models import SessionStatus
from contactsessions.public import selectors as public_selectors
from wards.models import FrontCounter, Ward

pytestmark = pytest.mark.django_db


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_forces(client):
    response = client.get("/api/forces")
    assert response.status_code == 200
    assert response.json() == [{"id": "metropolitan", "name": "Metropolitan Police Service"}]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response["Cache-Control"]
    assert response.has_header("ETag")


def test_force_detail(client):
    data = client.get("/api/forces/metropolitan").json()
    assert data["id"] == "metropolitan"
    assert {"name", "url", "telephone", "description", "engagement_methods"} <= set(data)
    assert {"url", "type", "description", "title"} == set(data["engagement_methods"][0])


def test_unknown_force_is_404_json(client):
    response = client.get("/api/forces/atlantis")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_neighbourhoods_lists_current_wards_by_code(client, ward, other_ward, camden):
    Ward.objects.create(code="E05000001", name="Old Ward", borough=camden, ward_set="2002", is_current=False)
    data = client.get("/api/metropolitan/neighbourhoods").json()
    assert data == [
        {"id": "E05000128", "name": "Belsize"},
        {"id": "E05000143", "name": "St Pancras and Somers Town"},
    ]


def test_neighbourhood_detail(client, ward, camden):
    FrontCounter.objects.create(borough=camden, name="Holborn Police Station", address="10 Lambs Conduit St")
    data = client.get(f"/api/metropolitan/{ward.code}").json()
    assert data["id"] == ward.code
    assert data["name"] == ward.name
    assert data["url_force"].endswith(f"/wards/{ward.code}/")
    assert data["centre"] == {"latitude": "51.533", "longitude": "-0.13"}
    assert {"url", "title", "description"} == set(data["links"][0])
    assert data["locations"][0]["name"] == "Holborn Police Station"
    assert {"name", "type", "address", "postcode", "latitude", "longitude", "description"} == set(data["locations"][0])
    assert "telephone" in data["contact_details"]
    assert "description" in data


@pytest.mark.parametrize("suffix", ["", "/events", "/people", "/priorities"])
def test_unknown_ward_is_404_json(client, db, suffix):
    response = client.get(f"/api/metropolitan/E05999999{suffix}")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found"}


def test_events_use_national_field_names_and_london_time(client, ward, make_session):
    summer = timezone.localdate().replace(month=7, day=1) + dt.timedelta(days=366)
    start = timezone.make_aware(dt.datetime.combine(summer, dt.time(18, 30)))
    make_session(start, minutes=90)
    make_session(soon(), status=SessionStatus.PROPOSED)
    make_session(soon(2), status=SessionStatus.CANCELLED)
    data = client.get(f"/api/metropolitan/{ward.code}/events").json()
    assert len(data) == 1
    event = data[0]
    national = {"title", "description", "address", "type", "start_date", "end_date", "contact_details"}
    # Every national key, plus ours about attending online (after them, so readers of the national ones are unaffected).
    assert set(event) == national | {"attendance_mode", "online_url"}
    assert list(event)[: len(national)] == [k for k in event if k in national]
    assert (event["attendance_mode"], event["online_url"]) == ("in_person", None)
    assert event["start_date"] == f"{summer.isoformat()}T18:30:00"
    assert event["end_date"] == f"{summer.isoformat()}T20:00:00"
    assert event["address"] == "Somers Town Community Centre, 150 Ossulston Street, NW1 1EE"


def test_people(client, ward, officer):
    data = client.get(f"/api/metropolitan/{ward.code}/people").json()
    assert data == [{"name": "Alice Adams", "rank": "Police Constable", "bio": None, "contact_details": {}}]


def test_priorities_is_an_empty_list(client, ward):
    assert client.get(f"/api/metropolitan/{ward.code}/priorities").json() == []


def test_locate_neighbourhood_answers_with_the_nearest_postcodes_ward(client, postcodes, ward, other_ward):
    postcodes("NW1", "NW3")
    response = client.get("/api/locate-neighbourhood", {"q": "51.53205,-0.13058"})  # by NW1 1EE
    assert response.status_code == 200
    assert response.json() == {"force": "metropolitan", "neighbourhood": ward.code}
    near_belsize = client.get("/api/locate-neighbourhood", {"q": "51.5477,-0.1620"}).json()  # by NW3 4XN
    assert near_belsize["neighbourhood"] == other_ward.code


def test_locate_neighbourhood_uses_postcode_points_not_ward_centroids(client, postcodes, ward, other_ward):
    # Belsize's centroid sits right on the point asked for, but the nearest postcode
    # (NW1 1EE) is in St Pancras and Somers Town: the postcode wins.
    other_ward.latitude, other_ward.longitude = "51.532050", "-0.130580"
    other_ward.save()
    answer = client.get("/api/locate-neighbourhood", {"q": "51.53205,-0.13058"}).json()
    assert answer["neighbourhood"] == ward.code


@pytest.mark.parametrize(
    "q",
    [
        "53.48,-2.24",  # Manchester
        "51.5,1.2",  # the North Sea
        "0,0",
        "51.4425,-0.2750",  # inside London's box, far from any postcode loaded
    ],
)
def test_locate_neighbourhood_outside_london_is_404(client, postcodes, ward, q):
    response = client.get("/api/locate-neighbourhood", {"q": q})
    assert response.status_code == 404
    assert response.json() == {"error": "Not found"}


def test_locate_neighbourhood_is_404_when_the_postcodes_ward_is_not_a_current_ward(client, postcodes, ward):
    ward.is_current = False
    ward.save()
    assert client.get("/api/locate-neighbourhood", {"q": "51.53205,-0.13058"}).status_code == 404


@pytest.mark.parametrize("q", ["", "abc", "51.5", "51.5,-0.1,3", "nan,nan", "999,999"])
def test_locate_neighbourhood_bad_input_is_400(client, ward, q):
    response = client.get("/api/locate-neighbourhood", {"q": q})
    assert response.status_code == 400
    assert "error" in response.json()


def test_nearest_ward_is_the_ward_of_the_nearest_postcode(postcodes, ward):
    assert public_selectors.locate(51.533, -0.13).ward == ward
    assert public_selectors.locate(55.0, -3.0).ward is None


def test_csv_lists_upcoming_published_sessions_and_defuses_formulas(client, ward, make_session, venue):
    venue.name = '=HYPERLINK("http://evil")'
    venue.address = "+44 Road"
    venue.save()
    make_session(soon(1))
    make_session(soon(2), status=SessionStatus.CANCELLED, cancellation_reason="-1 officers @home")
    make_session(soon(3), status=SessionStatus.DRAFT)
    make_session(soon(-10))  # past
    response = client.get(reverse("api:sessions-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["status"] for r in rows] == ["approved", "cancelled"]
    assert rows[0]["venue"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["address"] == "'+44 Road"
    assert rows[1]["cancellation_reason"] == "'-1 officers @home"
    assert rows[0]["ward_code"] == ward.code
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@")


def test_api_refuses_post(client, db):
    assert client.post("/api/forces").status_code == 405
