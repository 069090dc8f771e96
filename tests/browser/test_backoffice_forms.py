"""Issue 18 on a phone (375 px): a refused submit focuses the error summary, "Add a new venue"
opens, the character count counts pasted text without cutting it; every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from contactsessions.models import ContactSession, SessionStatus
from tests.conftest import london

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refused_submit_focuses_summary_and_keeps_what_was_typed(
    page, login, assert_accessible, officer, ward, venue, soon, make_session
):
    login(officer)
    page.goto(f"/office/wards/{ward.pk}/propose/")
    assert_accessible(page)
    # The new venue's fields are folded away until asked for.
    name = page.get_by_label("Name of the new venue")
    expect(name).to_be_hidden()
    page.get_by_text("Add a new venue", exact=True).click()
    expect(name).to_be_visible()
    # A pasted 2,500-character description is not cut; the count says how many too many.
    page.get_by_label("Public description").fill("d" * 2500)
    expect(page.get_by_text("You have 500 characters too many")).to_be_visible()
    assert len(page.get_by_label("Public description").input_value()) == 2500
    # Choose a venue AND type a new one: refused with a question, focus on the summary.
    page.get_by_label("Date").fill(soon.isoformat())
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("End time").fill("18:30")
    page.get_by_label("Venue", exact=True).select_option(str(venue.pk))
    name.fill("Church hall")
    page.get_by_role("button", name="Propose session").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("Which one is it"))).to_be_visible()
    assert page.get_by_label("Name of the new venue").input_value() == "Church hall"
    assert len(page.get_by_label("Public description").input_value()) == 2500
    assert_accessible(page)
    # A link in the summary takes the keyboard to its field.
    summary.get_by_role("link", name=re.compile("Public description")).click()
    expect(page.locator("#id_description")).to_be_focused()
    assert not ContactSession.objects.exists()

    # The comment box counts too, and an over-long comment comes back with its text.
    session = make_session(london(soon.year, soon.month, soon.day, 10), status=SessionStatus.PROPOSED)
    page.goto(f"/office/sessions/{session.pk}/")
    assert_accessible(page)
    page.get_by_label("Add a comment").fill("c" * 2100)
    expect(page.get_by_text("You have 100 characters too many")).to_be_visible()
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.get_by_label("Add a comment").input_value() == "c" * 2100
    assert_accessible(page)
