"""The public home page and the sign-in page work in a phone-sized browser and pass axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_accessible_on_a_phone(page, camden, assert_accessible):
    page.goto("/")
    expect(page.get_by_role("heading", name="Meet your ward officers")).to_be_visible()
    expect(page.get_by_role("link", name="Camden")).to_be_visible()
    assert_accessible(page)


def test_officer_signs_in_and_sees_their_ward(page, officer, login, assert_accessible):
    login(officer)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.get_by_text("St Pancras and Somers Town").first).to_be_visible()
    assert_accessible(page)
