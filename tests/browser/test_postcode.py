"""A resident finds their ward by typing a postcode, or with "Use my location".

The ward page belongs to another branch: here we check the browser lands on its URL.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_postcode_lands_on_its_ward_page(page, postcodes, assert_accessible):
    page.goto("/postcode/")
    assert_accessible(page)
    page.get_by_label("Your postcode").fill(" en4 8hg. ")
    page.get_by_role("button", name="Find my ward").click()
    page.wait_for_url(re.compile(r"/wards/E05000048/\?postcode=EN4\+8HG$"))


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
