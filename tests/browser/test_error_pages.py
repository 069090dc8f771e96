"""The demonstration banner passes axe-core on a phone: it sits in a landmark of its own."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demonstration_banner_sits_in_a_landmark(page, settings, camden, officer, login, assert_accessible):
    settings.DEMO_MODE = True
    page.goto("/")
    expect(page.get_by_role("complementary").get_by_text("Demonstration site")).to_be_visible()
    assert_accessible(page)
    login(officer)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.get_by_text("Demonstration site")).to_be_visible()
    assert_accessible(page)
