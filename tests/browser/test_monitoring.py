"""Monitoring pages in a phone-sized browser: axe-core clean, and recording an outcome changes the summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

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
    assert page.locator("#sessions-held").inner_text() == "0"
    assert_accessible(page)

    page.goto("/monitoring/outcomes/missing/")
    assert_accessible(page)
    page.get_by_role("link", name=ended_session.venue.name).click()
    assert page.get_by_role("heading", name="Record the outcome").is_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("People who came").fill("12")
    page.get_by_role("button", name="Save the outcome").click()
    assert page.get_by_text("Outcome recorded").is_visible()
    assert page.get_by_text("Held, 12 came").is_visible()
    assert_accessible(page)

    page.goto("/monitoring/outcomes/")
    assert page.locator("#sessions-held").inner_text() == "1"
    assert page.locator("#average-attendance").inner_text() == "12.0"
    page.goto("/monitoring/outcomes/missing/")
    assert page.get_by_text("Every session that has ended has its outcome recorded").is_visible()


def test_outcome_form_shows_errors_accessibly(page, login, officer, ended_session, assert_accessible):
    login(officer)
    page.goto(f"/monitoring/sessions/{ended_session.pk}/outcome/")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save the outcome").click()
    assert page.get_by_text("Choose why the session was not held.").first.is_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="No").check()
    page.get_by_label("If not, why not?").select_option("emergency")
    page.get_by_role("button", name="Save the outcome").click()
    assert page.get_by_text("Not held: Abstracted to an emergency").is_visible()
    page.goto("/monitoring/not-held/")
    assert page.get_by_role("cell", name="Abstracted to an emergency").is_visible()
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
    ]:
        page.goto(path)
        assert page.get_by_role("heading", name=heading, exact=False).first.is_visible(), path
        assert_accessible(page)

    # The reason for a grid cell appears on keyboard focus, not only on hover.
    page.goto(f"/monitoring/boroughs/{camden.code}/")
    cell = page.locator(".grid-cell").first
    cell.locator("a").focus()
    assert cell.locator(".cell-tip").is_visible()


def test_board_member_pages_are_accessible(
    page, login, board_member, officer, other_officer, camden, assert_accessible
):
    login(board_member)
    page.goto("/monitoring/")
    assert page.get_by_role("heading", name="Camden compliance").is_visible()
    assert_accessible(page)
    page.goto(f"/monitoring/not-held/?borough={camden.code}")
    assert page.get_by_role("heading", name="Sessions not held: Camden").is_visible()
    assert_accessible(page)
    page.goto(f"/monitoring/roster/assignments/{officer.officer.assignments.get().pk}/end/")
    assert_accessible(page)
