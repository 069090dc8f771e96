"""Monitoring pages in a phone-sized browser: axe-core clean, and recording an outcome changes the summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contactsessions.models import EnhancedDesignation, EnhancedSlot, SessionOutcome, WeekExemption

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def monitor(db):
    """Monitoring staff; transactional tests flush the group the data migration made, so make it again."""
    from django.contrib.auth.models import Group

    from contactsessions.permissions import MONITORING_GROUP
    from tests.conftest import make_user

    user = make_user("mona")
    user.groups.add(Group.objects.get_or_create(name=MONITORING_GROUP)[0])
    return user


@pytest.fixture
def ended_session(make_session):
    start = timezone.localtime() - dt.timedelta(days=2)
    return make_session(start.replace(minute=0, second=0, microsecond=0))


def test_officer_records_an_outcome_and_sees_the_summary_change(page, login, officer, ended_session, assert_accessible):
    login(officer)
    page.goto("/monitoring/outcomes/")
    expect(page.locator("#sessions-held")).to_have_text("0")
    assert_accessible(page)

    page.goto("/monitoring/outcomes/missing/")
    assert_accessible(page)
    page.get_by_role("link", name=ended_session.venue.name).click()
    expect(page.get_by_role("heading", name="Record the outcome")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("People who came").fill("12")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("Outcome recorded")).to_be_visible()
    expect(page.get_by_text("Held, 12 came")).to_be_visible()
    assert_accessible(page)

    page.goto("/monitoring/outcomes/")
    expect(page.locator("#sessions-held")).to_have_text("1")
    expect(page.locator("#average-attendance")).to_have_text("12.0")
    page.goto("/monitoring/outcomes/missing/")
    expect(page.get_by_text("Every session that has ended has its outcome recorded")).to_be_visible()


def test_outcome_form_shows_errors_accessibly(page, login, officer, ended_session, assert_accessible):
    login(officer)
    page.goto(f"/monitoring/sessions/{ended_session.pk}/outcome/")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("Choose why the session was not held.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="No").check()
    page.get_by_label("If not, why not?").select_option("emergency")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("Not held: Abstracted to an emergency")).to_be_visible()
    page.goto("/monitoring/not-held/")
    expect(page.get_by_role("cell", name="Abstracted to an emergency")).to_be_visible()
    assert_accessible(page)


def test_monitoring_pages_are_accessible(
    page,
    login,
    monitor,
    officer,
    second_officer,
    other_officer,
    ward,
    other_ward,
    venue,
    ended_session,
    camden,
    assert_accessible,
):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2024, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=1, start_time=dt.time(10), end_time=dt.time(11))
    WeekExemption.objects.create(
        ward=other_ward, week_start=dt.date(2025, 12, 29), reason="New Year's Eve", proposed_by=other_officer
    )
    SessionOutcome.objects.create(
        session=ended_session,
        held=False,
        not_held_category="public_order",
        not_held_reason="Officers were sent to a protest in central London.",
        recorded_by=officer,
    )
    login(monitor)
    for path, heading in [
        ("/monitoring/london/", "London compliance"),
        (f"/monitoring/boroughs/{camden.code}/", "Camden compliance"),
        (f"/monitoring/wards/{ward.code}/", "St Pancras and Somers Town"),
        ("/monitoring/ahead/", "Looking ahead"),
        ("/monitoring/exemptions/", "Exempt weeks"),
        ("/monitoring/outcomes/", "Outcomes: London"),
        ("/monitoring/not-held/", "Sessions not held: London"),
        ("/monitoring/roster/", "DWO roster"),
        ("/monitoring/enhanced-trial/", "Enhanced trial review"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=False).first).to_be_visible()
        assert_accessible(page)

    # The reason for a grid cell appears on keyboard focus, not only on hover.
    page.goto(f"/monitoring/boroughs/{camden.code}/")
    cell = page.locator(".grid-cell").first
    cell.locator("a").focus()
    expect(cell.locator(".cell-tip")).to_be_visible()


def test_board_member_pages_are_accessible(
    page, login, board_member, officer, other_officer, camden, assert_accessible
):
    login(board_member)
    page.goto("/monitoring/")
    expect(page.get_by_role("heading", name="Camden compliance")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/monitoring/not-held/?borough={camden.code}")
    expect(page.get_by_role("heading", name="Sessions not held: Camden")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/monitoring/roster/assignments/{officer.officer.assignments.get().pk}/end/")
    assert_accessible(page)
    page.goto("/monitoring/enhanced-trial/")
    expect(page.get_by_role("heading", name="Enhanced trial review")).to_be_visible()
    assert_accessible(page)


def test_the_chosen_range_follows_the_monitor_and_a_wrong_one_is_named(
    page, login, monitor, officer, ward, venue, camden, assert_accessible
):
    from venues.models import Venue, VenueKind

    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2024, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=1, start_time=dt.time(18), end_time=dt.time(19))
    library = Venue.objects.create(
        name="Somers Town Library", address="1 Chalton Street", postcode="NW1 1HS", ward=ward, kind=VenueKind.LIBRARY
    )
    from contactsessions.models import ContactSession

    start = dt.datetime(2025, 10, 7, 18, tzinfo=timezone.get_current_timezone())
    ContactSession.objects.create(
        ward=ward, venue=library, created_by=officer, status="approved", start=start, end=start + dt.timedelta(hours=1)
    )
    login(monitor)
    page.goto("/monitoring/?start=2025-09-01&end=2025-10-26")
    expect(page.get_by_text("Weeks of 1 Sep 2025 to 20 Oct 2025 (8 weeks).")).to_be_visible()
    page.get_by_role("link", name="Camden").click()
    expect(page.get_by_text("Weeks of 1 Sep 2025 to 20 Oct 2025")).to_be_visible()
    page.get_by_role("link", name="St Pancras and Somers Town").first.click()
    expect(page.get_by_text("Weeks of 1 Sep 2025 to 20 Oct 2025")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="6 Oct 2025"))
    expect(row).to_contain_text("Approved but not counted")
    assert_accessible(page)
    page.get_by_role("navigation", name="Monitoring").get_by_role("link", name="Outcomes", exact=True).click()
    expect(page.get_by_text("Weeks of 1 Sep 2025 to 20 Oct 2025")).to_be_visible()
    page.get_by_label("From", exact=True).fill("2025-12-01")
    page.get_by_label("To", exact=True).fill("2025-01-01")
    page.get_by_role("button", name="Show these weeks").click()
    alert = page.get_by_role("alert").filter(has_text="These weeks cannot be shown")
    expect(alert).to_contain_text("“To” (1 Jan 2025) is before “From” (1 Dec 2025)")
    expect(page.get_by_text("(13 weeks)")).to_be_visible()
    assert_accessible(page)
