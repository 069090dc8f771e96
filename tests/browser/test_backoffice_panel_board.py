"""Issue 18 on a phone (375 px) as the Ward Panel and the SNB meet it: an over-long comment
is refused with the summary focused and the text kept; a return without a reason is refused
the same way; the proposer is named as a person, not by log-in. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from contactsessions.models import SessionComment, SessionStatus
from tests.conftest import london

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_panel_member_shortens_an_over_long_comment_and_it_is_added(
    page, login, assert_accessible, panel_member, ward, soon, make_session
):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    login(panel_member)
    page.goto(f"/office/panel/{ward.pk}/")
    assert_accessible(page)
    box = page.get_by_label("Comment on this session").first
    too_long = "Residents ask about the estate. " * 70  # 2,240 characters
    box.fill(too_long)
    expect(page.get_by_text("You have 240 characters too many")).to_be_visible()
    page.get_by_role("button", name=re.compile("Add comment")).first.click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("at most 2,000 characters"))).to_be_visible()
    box = page.get_by_label("Comment on this session").first
    assert box.input_value().strip() == too_long.strip()
    assert_accessible(page)
    # The summary's link takes the keyboard to the box.
    summary.get_by_role("link", name=re.compile("at most 2,000 characters")).click()
    expect(page.locator(f"#comment-{session.pk}-text")).to_be_focused()
    assert not SessionComment.objects.exists()

    box.fill("Residents ask about the estate: please hold it at the community centre.")
    page.get_by_role("button", name=re.compile("Add comment")).first.click()
    expect(page.get_by_text("Comment added")).to_be_visible()
    assert page.locator("[data-error-summary]").count() == 0
    assert_accessible(page)
    comment = SessionComment.objects.get()
    assert comment.author == panel_member and comment.text.startswith("Residents ask about the estate:")


def test_board_member_returns_without_a_reason_and_sees_the_proposer_by_name(
    page, login, assert_accessible, board_member, officer, soon, make_session
):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    login(board_member)
    page.goto(f"/office/sessions/{session.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Return for changes").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("Say what should change"))).to_be_visible()
    assert_accessible(page)
    # The proposer is a person (rank and name), never a log-in name.
    facts = page.locator("dl.session-facts")
    expect(facts).to_contain_text("PC Alice Adams")
    assert not re.search(r"\balice\b", page.locator("main").inner_text())
    summary.get_by_role("link", name=re.compile("Say what should change")).click()
    expect(page.locator("#return-text")).to_be_focused()
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED
