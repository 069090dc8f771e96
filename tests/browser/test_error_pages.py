"""Pages a person meets off the usual path: a refusal (403), a refused form (CSRF), a
form's address opened as a page (405), and the demonstration banner. Each is in the site's
layout and passes axe-core on a phone; Django's own pages had no main landmark, and its 405
not even a title."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_page_is_in_the_site_layout(page, officer, login, assert_accessible):
    login(officer)
    response = page.goto(reverse("board:queue"))  # an officer is not on a Safer Neighbourhood Board
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    assert_accessible(page)


def test_a_form_address_opened_as_a_page_says_so(page, assert_accessible):
    response = page.goto(reverse("board:session-approve", args=[1]))
    assert response.status == 405
    assert response.headers["allow"] == "POST"
    expect(page.get_by_role("heading", name="This address is not a page")).to_be_visible()
    assert_accessible(page)


def test_the_demonstration_banner_sits_in_a_landmark(page, settings, camden, officer, login, assert_accessible):
    settings.DEMO_MODE = True
    page.goto("/")
    expect(page.get_by_role("complementary").get_by_text("Demonstration site")).to_be_visible()
    assert_accessible(page)
    login(officer)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.get_by_text("Demonstration site")).to_be_visible()
    assert_accessible(page)


def test_a_form_refused_for_its_missing_check_is_in_the_site_layout(page, ward, assert_accessible):
    page.goto(reverse("alerts:subscribe", args=[ward.code]))
    page.context.clear_cookies()  # as when a browser drops cookies, or the page sat open for long
    page.locator("main form[method=post]").first.evaluate("form => form.submit()")
    expect(page.get_by_role("heading", name="Your form was not sent")).to_be_visible()
    assert_accessible(page)
