"""The whole back-office journey on a phone: propose a series, comment, approve in one action, see 'Met'."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from contactsessions.models import ContactSession, SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.context.clear_cookies()


def test_series_is_proposed_commented_and_approved_in_one_action(
    page, login, assert_accessible, officer, panel_member, board_member, venue, soon
):
    # The DWO proposes a six-week series from their phone.
    login(officer)
    expect(page.get_by_role("heading", name=re.compile("next eight weeks"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Propose a weekly series")).click()
    expect(page).to_have_url(re.compile(r"/office/wards/\d+/series/$"))
    assert_accessible(page)
    page.get_by_label("Day of the week").select_option(label="Wednesday")
    page.get_by_label("Starting from").fill(soon.isoformat())
    page.get_by_label("Or for this many weeks").fill("6")
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("End time").fill("19:00")
    page.get_by_label("Venue", exact=True).select_option(str(venue.pk))
    page.get_by_role("button", name="Propose series").click()
    expect(page.get_by_text("6 weekly sessions proposed")).to_be_visible()
    expect(page.get_by_text("Planned, not yet approved").first).to_be_visible()
    assert_accessible(page)
    assert ContactSession.objects.filter(status=SessionStatus.PROPOSED).count() == 6
    first = ContactSession.objects.order_by("start").first()
    page.goto(f"/office/sessions/{first.pk}/")
    assert_accessible(page)
    sign_out(page)

    # A Ward Panel member comments on the first session.
    login(panel_member)
    page.get_by_role("link", name=re.compile("St Pancras and Somers Town")).click()
    expect(page).to_have_url(re.compile(r"/office/panel/\d+/$"))
    assert_accessible(page)
    page.get_by_label("Comment on this session").first.fill("The community centre suits older residents well.")
    page.get_by_role("button", name=re.compile("Add comment")).first.click()
    expect(page.get_by_text("Comment added")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # An SNB member sees the proposals and the comment count, then approves the series in one action.
    login(board_member)
    page.get_by_role("link", name="Open the review queue").click()
    expect(page.get_by_text("1 comment")).to_be_visible()
    expect(page.get_by_text("If approved, the week would be:").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Approve the St Pancras and Somers Town weekly series")).click()
    expect(page.get_by_text("6 sessions approved")).to_be_visible()
    expect(page.get_by_text("Nothing waits for a decision")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/office/sessions/{first.pk}/")
    expect(page.get_by_text("The community centre suits older residents well.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    assert ContactSession.objects.filter(status=SessionStatus.APPROVED).count() == 6

    # Back on the DWO's phone, the weeks of the series now read "Met".
    login(officer)
    assert page.get_by_text("✓ Met").count() == 6
    assert_accessible(page)


@pytest.fixture
def monitor(db):
    """Monitoring staff. Transactional tests flush the data migration's group, so make it here."""
    from django.contrib.auth.models import Group

    from contactsessions.permissions import MONITORING_GROUP
    from tests.conftest import make_user

    user = make_user("mona")
    user.groups.add(Group.objects.get_or_create(name=MONITORING_GROUP)[0])
    return user


def test_every_other_back_office_page_is_accessible(
    page, login, assert_accessible, officer, board_member, monitor, ward, venue, soon, make_session
):
    from tests.conftest import london

    proposal = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    tuesday = soon + dt.timedelta(days=1)
    approved = make_session(london(tuesday.year, tuesday.month, tuesday.day, 18))
    login(officer)
    for url in (
        f"/office/wards/{ward.pk}/propose/",
        f"/office/sessions/{proposal.pk}/edit/",
        f"/office/sessions/{approved.pk}/",
    ):
        page.goto(url)
        assert_accessible(page)
    # A form refused by the rules shows its messages accessibly too.
    page.goto(f"/office/wards/{ward.pk}/propose/")
    page.get_by_label("Date").fill(soon.isoformat())
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("End time").fill("17:30")
    page.get_by_label("Venue", exact=True).select_option(str(venue.pk))
    page.get_by_role("button", name="Propose session").click()
    expect(page.get_by_text("The end time must be after the start time.").first).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    login(board_member)
    page.goto(f"/office/sessions/{proposal.pk}/")
    expect(page.get_by_role("button", name="Return for changes")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    login(monitor)
    page.goto("/board/")
    expect(page.get_by_text("Read-only view")).to_be_visible()
    assert_accessible(page)
