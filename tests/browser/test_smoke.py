"""The public home page and the sign-in page work in a phone-sized browser and pass axe-core."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_accessible_on_a_phone(page, camden, assert_accessible):
    page.goto("/")
    assert page.get_by_role("heading", name="Meet your ward officers").is_visible()
    assert page.get_by_role("link", name="Camden").is_visible()
    assert_accessible(page)


def test_officer_signs_in_and_sees_their_ward(page, officer, login, assert_accessible):
    login(officer)
    assert page.get_by_role("heading", name="My work").is_visible()
    assert page.get_by_text("St Pancras and Somers Town").first.is_visible()
    assert_accessible(page)
