"""On a phone, a DWO proposes a hybrid session; the SNB sees its mode and link; the public sees
the link once it is approved. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from contactsessions.models import ContactSession, SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = "https://meet.example.org/j/4242"


def test_dwo_proposes_a_hybrid_session_on_a_phone_and_the_snb_and_public_see_it(
    page, login, assert_accessible, officer, board_member, venue, soon
):
    assert page.viewport_size["width"] == 375
    login(officer)
    page.get_by_role("link", name=re.compile("Propose a session")).first.click()
    expect(page.get_by_role("heading", name="Propose a session")).to_be_visible()
    link_box = page.get_by_label("Joining link")
    venue_list = page.get_by_label("Venue", exact=True)
    # In person by default: the joining link is out of the way, the venue is asked for.
    expect(link_box).to_be_hidden()
    expect(venue_list).to_be_visible()
    assert_accessible(page)

    # Online only: no venue to choose.
    page.get_by_label("Online", exact=True).check()
    expect(venue_list).to_be_hidden()
    expect(link_box).to_be_visible()

    # Hybrid: both. A plain http link is refused beside the field, and kept.
    page.get_by_label("In person and online (hybrid)").check()
    expect(venue_list).to_be_visible()
    page.get_by_label("Date").fill(soon.isoformat())
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("End time").fill("19:00")
    venue_list.select_option(str(venue.pk))
    link_box.fill("http://meet.example.org/j/4242")
    page.get_by_role("button", name="Propose session").click()
    expect(page.get_by_text("must be a secure link starting with https://").first).to_be_visible()
    expect(page.get_by_label("Joining link")).to_have_value("http://meet.example.org/j/4242")
    assert_accessible(page)
    page.get_by_label("Joining link").fill(LINK)
    page.get_by_role("button", name="Propose session").click()
    expect(page.get_by_text("Session proposed")).to_be_visible()
    expect(page.get_by_text("In person and online (hybrid)")).to_be_visible()
    assert_accessible(page)
    session = ContactSession.objects.get()
    assert (session.attendance_mode, session.joining_link, session.status) == ("hybrid", LINK, SessionStatus.PROPOSED)
    page.context.clear_cookies()

    # The SNB sees how people attend in the queue, and approves.
    login(board_member)
    page.goto("/board/")
    expect(page.get_by_text(re.compile(r"In person and online \(hybrid\):"))).to_be_visible()
    expect(page.get_by_role("link", name="joining link")).to_have_attribute("href", LINK)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Approve")).first.click()
    expect(page.get_by_text(re.compile("approved", re.I)).first).to_be_visible()
    page.context.clear_cookies()

    # The public session page now gives the link.
    page.goto(f"/sessions/{session.pk}/")
    expect(page.get_by_role("link", name=LINK)).to_be_visible()
    expect(page.get_by_text("You can also join online.")).to_be_visible()
    assert_accessible(page)
