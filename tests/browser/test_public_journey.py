"""A resident finds their ward, opens a session and saves it; every public page passes axe-core at 375 px."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contactsessions.models import EnhancedDesignation, EnhancedSlot, SessionStatus
from wards.models import FrontCounter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def soon(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def busy_ward(ward, venue, officer, second_officer, make_session, camden, other_ward):
    """A ward with two sessions a week for six weeks, a cancellation, a change under review and an
    Enhanced site (times confirmed) that also serves ``other_ward``."""
    FrontCounter.objects.create(borough=camden, name="Holborn Police Station", address="10 Lamb's Conduit Street")
    designation = EnhancedDesignation.objects.create(
        community="Somers Town",
        ward=ward,
        venue=venue,
        in_force_from=dt.date(2020, 1, 1),
        pattern_confirmed_on=dt.date(2020, 1, 1),
    )
    designation.served_wards.add(other_ward)
    EnhancedSlot.objects.create(designation=designation, weekday=1, start_time=dt.time(10), end_time=dt.time(11))
    EnhancedSlot.objects.create(designation=designation, weekday=5, start_time=dt.time(11), end_time=dt.time(12))
    sessions = []
    for week in range(6):
        sessions.append(make_session(soon(1 + week * 7, 10), format="surgery"))
        sessions.append(make_session(soon(4 + week * 7, 18), format="cuppa", minutes=90))
    sessions[1].has_pending_change = True
    sessions[1].save()
    make_session(soon(2, 14), status=SessionStatus.CANCELLED, cancellation_reason="The centre is closed for repairs.")
    make_session(soon(3, 14), status=SessionStatus.PROPOSED)
    return ward, sessions


def test_resident_finds_ward_opens_session_and_downloads_ics(page, busy_ward, assert_accessible, tmp_path):
    ward, sessions = busy_ward
    page.goto("/")
    assert_accessible(page)
    page.get_by_label("Ward, area or borough name").fill("st. pancras & somers town")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    assert_accessible(page)
    page.get_by_role("link", name="St Pancras and Somers Town").click()
    page.get_by_role("heading", name="St Pancras and Somers Town", level=1).wait_for()
    expect(page.get_by_text("Police Constable Alice Adams")).to_be_visible()
    expect(page.get_by_text("0808 2000 247").first).to_be_visible()
    expect(page.get_by_text("The centre is closed for repairs.")).to_be_visible()
    assert_accessible(page)
    page.locator(".session h3 a").first.click()
    page.get_by_role("heading", name="Add to your calendar").wait_for()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download to calendar (.ics)").click()
    path = tmp_path / "session.ics"
    info.value.save_as(path)
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("DTSTART") == sessions[0].start


def test_every_public_page_is_accessible_on_a_phone(page, busy_ward, camden, assert_accessible):
    ward, sessions = busy_ward
    cancelled = ward.sessions.get(status=SessionStatus.CANCELLED)
    for url in [
        f"/boroughs/{camden.code}/",
        f"/wards/{ward.code}/",
        f"/wards/{ward.code}/poster/",
        f"/wards/{ward.code}/share/",
        f"/sessions/{sessions[1].pk}/",
        f"/sessions/{cancelled.pk}/",
        f"/wards/{ward.code}/?postcode=NW1+1EE",
        "/wards/E05000128/",  # served by the Enhanced site
        "/wards/E05000128/poster/",
        "/?q=Atlantis",
        "/?q=NW1+1EE",
        "/?q=Somers+Twon",
        "/?q=Sumers",
        "/?q=nw1",
        "/?q=City+of+London",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


def test_the_404_page_is_in_the_sites_layout_and_accessible(page, camden, assert_accessible):
    response = page.goto("/no/such/page/")
    assert response.status == 404
    page.get_by_role("heading", name="Page not found").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Go to the home page").click()
    page.get_by_role("heading", name="Meet your ward officers").wait_for()


def test_keyboard_only_from_home_to_a_ward_typed_with_a_typo(page, busy_ward):
    ward, _ = busy_ward
    page.goto("/")
    assert page.viewport_size["width"] == 375
    for _ in range(40):  # Tab to the search box, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    page.keyboard.type("Somers Twon")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Results for “Somers Twon”").wait_for()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == ward.name:
            break
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=ward.name, level=1).wait_for()


def test_copy_button_copies_the_post(page, busy_ward, browser):
    ward, sessions = busy_ward
    # The page's Permissions-Policy allows clipboard-write only (nothing of ours reads the
    # clipboard), so the test watches what the button writes instead of reading it back.
    page.context.grant_permissions(["clipboard-write"])
    page.goto(f"/sessions/{sessions[0].pk}/")
    page.evaluate(
        """() => {
            const write = navigator.clipboard.writeText.bind(navigator.clipboard);
            navigator.clipboard.writeText = (text) => { window.copiedText = text; return write(text); };
        }"""
    )
    page.get_by_role("button", name="Copy short post").click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("window.copiedText")
    assert copied == page.locator("#session-post-short").input_value()


def test_poster_prints_on_one_a4_page(page, busy_ward, make_session, other_venue):
    ward, _ = busy_ward
    for week in range(6):  # a busy ward: a third session a week, at a second venue
        make_session(soon(5 + week * 7, 12), venue=other_venue)
    page.goto(f"/wards/{ward.code}/poster/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1
    # Body text at 12 pt (16 CSS px) at the least, and the ward's address on one line.
    sizes = page.evaluate(
        "Array.from(document.querySelectorAll('.poster p, .poster li, .poster td, .poster th, .poster figcaption'))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 16
    assert page.locator(".poster-url").evaluate("e => e.getClientRects().length") == 1
    assert page.locator(".poster-qr img").evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.mark.skipif(not os.environ.get("UPDATE_SCREENSHOTS"), reason="set UPDATE_SCREENSHOTS=1 to refresh docs/")
def test_take_screenshots_for_docs(page, busy_ward):
    ward, _ = busy_ward
    page.goto(f"/wards/{ward.code}/")
    page.screenshot(path=str(DOCS / "screenshot-ward.png"), full_page=True)
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(f"/wards/{ward.code}/poster/")
    page.emulate_media(media="print")
    page.screenshot(path=str(DOCS / "screenshot-poster.png"), full_page=True)
