"""A resident finds their ward by typing a postcode, or with "Use my location"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wards.models import Borough, Ward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_postcode_typed_on_the_home_page_lands_on_the_ward_with_distances(
    page, postcodes, ward, venue, officer, make_session, assert_accessible
):
    day = timezone.localdate() + dt.timedelta(days=3)
    make_session(timezone.make_aware(dt.datetime.combine(day, dt.time(10))))
    page.goto("/")
    page.get_by_label("Your postcode").fill(" nw1 2at. ")
    page.get_by_role("button", name="Find my ward").click()
    page.wait_for_url(re.compile(r"/wards/E05000143/\?postcode=NW1\+2AT$"))
    page.get_by_role("heading", name="St Pancras and Somers Town", level=1).wait_for()
    expect(page.get_by_role("heading", name="NW1 2AT is in St Pancras and Somers Town")).to_be_visible()
    session = page.locator(".session").first
    expect(session).to_contain_text(f"{day:%A} {day.day} {day:%B}, 10:00")
    expect(session.get_by_text("Somers Town Community Centre")).to_be_visible()
    expect(session.get_by_text("0.4 km from NW1 2AT")).to_be_visible()
    expect(page.get_by_role("heading", name="Not your ward?")).to_be_visible()
    assert_accessible(page)


def test_typing_a_postcode_lands_on_its_ward_page(page, postcodes, assert_accessible):
    barnet = Borough.objects.create(code="E09000003", name="Barnet", slug="barnet")
    Ward.objects.create(code="E05000048", name="East Barnet", borough=barnet, ward_set="2014")
    page.goto("/postcode/")
    assert_accessible(page)
    page.get_by_label("Your postcode").fill(" en4 8hg. ")
    page.get_by_role("button", name="Find my ward").click()
    page.wait_for_url(re.compile(r"/wards/E05000048/\?postcode=EN4\+8HG$"))
    page.get_by_role("heading", name="EN4 8HG is in East Barnet").wait_for()


def test_a_city_postcode_gets_an_accessible_answer(page, postcodes, assert_accessible):
    page.goto("/postcode/")
    page.get_by_label("Your postcode").fill("E1 6AN")
    page.get_by_role("button", name="Find my ward").click()
    page.get_by_role("heading", name="E1 6AN is in the City of London").wait_for()
    assert_accessible(page)


def test_use_my_location_goes_to_the_nearest_postcodes_ward(page, postcodes):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 51.53205, "longitude": -0.13058})
    page.goto("/postcode/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(re.compile(r"/wards/E05000143/$"))
