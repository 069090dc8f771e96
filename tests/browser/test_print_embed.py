"""A borough's month prints on one or two A4 pages; the embeds show inside another site's frame,
which every other page refuses."""

from __future__ import annotations

import csv
import datetime as dt
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from contactsessions.models import SessionKind, SessionStatus
from contactsessions.public.views.printed import add_months
from tests.conftest import london
from venues.models import Venue
from wards.models import Borough, Ward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREETS = [
    ("Community Centre", "150 Ossulston Street", "NW1 1EE"),
    ("Library", "Antrim Grove", "NW3 4XN"),
    ("Neighbourhood Hall", "Highgate Road", "NW5 1RN"),
    ("Leisure Centre", "Prince of Wales Road", "NW5 3LR"),
    ("Tenants' and Residents' Hall", "Queen's Crescent", "NW5 4EX"),
]
NOTES = ["Ramp at the side entrance; ring the bell.", "", "Lift to the first floor.", "", ""]


def next_month() -> dt.date:
    return add_months(timezone.localdate().replace(day=1), 1)


def days_in(month: dt.date, weekday: int) -> list[dt.date]:
    days = [month + dt.timedelta(days=n) for n in range(31)]
    return [d for d in days if d.month == month.month and d.weekday() == weekday]


def ward_names(ward_set: str, borough: str) -> list[str]:
    with (Path(settings.REFERENCE_DATA_DIR) / f"london_wards_{ward_set}.csv").open(encoding="utf-8") as rows:
        return sorted(r["ward_name"] for r in csv.DictReader(rows) if r["borough_name"] == borough)


def fill_month(wards: list[Ward], make_session, *, busy: bool, first_venue: Venue | None = None) -> int:
    """Next month's sessions in ``wards``: a weekly one at each ward's own venue; every other ward
    (every ward when ``busy``) a second venue, fortnightly (weekly when ``busy``); two Enhanced
    sites with a second session each week at the fixed venue. Answers how many were made."""
    month = next_month()
    count = 0
    for n, w in enumerate(wards):
        kind, street, postcode = STREETS[n % len(STREETS)]
        main = first_venue if n == 0 and first_venue else Venue.objects.create(
            name=f"{w.name} {kind}", address=f"{10 + n} {street}", postcode=postcode, ward=w,
            step_free=n % 2 == 0, hearing_loop=n % 3 == 0, accessible_toilet=n % 4 == 0,
            accessibility_notes=NOTES[n % len(NOTES)],
        )  # fmt: skip
        for day in days_in(month, n % 5):
            make_session(london(day.year, day.month, day.day, 10 + n % 8), ward=w, venue=main, format="surgery")
            count += 1
        if busy or n % 2:
            second = Venue.objects.create(name=f"{w.name} Café", address=f"{n} High Street", postcode="NW1 8QP", ward=w)
            for day in days_in(month, (n + 2) % 6)[:: 1 if busy else 2]:
                make_session(london(day.year, day.month, day.day, 18), ward=w, venue=second, format="cuppa", minutes=90)
                count += 1
        if n in (0, 7):
            for day in days_in(month, 5):
                make_session(london(day.year, day.month, day.day, 11), ward=w, venue=main, kind=SessionKind.ENHANCED)
                count += 1
    return count


@pytest.fixture
def camden_month(camden, ward, other_ward, venue, make_session):
    """A realistic month in Camden: its twenty wards (2022 names), about 120 sessions."""
    wards = [ward, other_ward]
    taken = {ward.name, other_ward.name, "St Pancras & Somers Town"}  # the fixture's ward, spelt the 2014 way
    for n, name in enumerate(sorted(set(ward_names("2022", "Camden")) - taken)):
        wards.append(Ward.objects.create(code=f"E0501{3700 + n}", name=name, borough=camden, ward_set="2014"))
    count = fill_month(wards, make_session, busy=False, first_venue=venue)
    month = next_month()
    make_session(london(month.year, month.month, 3, 9), status=SessionStatus.PROPOSED)
    assert len(wards) == 20 and count >= 110
    return wards, count


@pytest.fixture
def croydon_month(make_session):
    """A long borough in a busy month: Croydon's twenty-eight 2018 wards, each with two venues
    and two sessions a week at each ward (about 260 sessions)."""
    croydon = Borough.objects.create(code="E09000008", name="Croydon", slug="croydon")
    wards = [
        Ward.objects.create(code=f"E0501{1400 + n}", name=name, borough=croydon, ward_set="2014")
        for n, name in enumerate(ward_names("2018", "Croydon"))
    ]
    count = fill_month(wards, make_session, busy=True)
    assert len(wards) == 28 and count >= 240
    return croydon, wards


def print_pages(page, borough, wards) -> int:
    """Open the borough's list for next month, check it on a phone, print it: the number of A4 pages."""
    month = next_month()
    page.goto(f"/boroughs/{borough.code}/print/?month={month:%Y-%m}")
    heading = page.get_by_role("heading", name=f"Contact sessions in {borough.name}, {month:%B %Y}", level=1)
    expect(heading).to_be_visible()
    expect(page.locator(".print-ward")).to_have_count(len(wards))
    expect(page.get_by_role("button", name="Print this list")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".print-chooser")).to_be_hidden()
    assert page.locator(".print-qr img").evaluate("img => img.complete && img.naturalWidth > 0")
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    # Still readable: sessions and venues at 9 pt (12 CSS px).
    sizes = page.evaluate(
        "Array.from(document.querySelectorAll('.print-list li, .print-list p'))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 12
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_a_boroughs_month_prints_on_one_or_two_a4_pages(page, camden, camden_month, assert_accessible):
    wards, _ = camden_month
    month = next_month()
    page.goto(f"/boroughs/{camden.code}/print/?month={month:%Y-%m}")
    assert_accessible(page)  # on a phone, 375 px
    day = days_in(month, 1)[0]  # Belsize, the second ward made, meets on Tuesdays
    surgeries = ", ".join(str(d.day) for d in days_in(month, 1))
    expect(page.get_by_role("region", name="Belsize").get_by_role("listitem").first).to_have_text(
        f"{day:%a} {surgeries} {day:%b} 11:00–12:00 · Surgery"
    )
    assert 1 <= print_pages(page, camden, wards) <= 2


def test_a_long_boroughs_busy_month_still_prints_on_two_pages(page, croydon_month):
    croydon, wards = croydon_month
    assert 1 <= print_pages(page, croydon, wards) <= 2


def test_choosing_a_month_and_a_bad_one(page, camden, camden_month, assert_accessible):
    page.goto(f"/boroughs/{camden.code}/")
    page.get_by_role("link", name="Print this month's sessions").click()
    this_month = timezone.localdate()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contact sessions in Camden, {this_month:%B %Y}")
    page.get_by_role("link", name="Next month").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contact sessions in Camden, {next_month():%B %Y}")
    later = add_months(this_month.replace(day=1), 3)
    page.get_by_label("Choose a month").fill(f"{later:%Y-%m}")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contact sessions in Camden, {later:%B %Y}")
    # Beyond the input's max the browser will not send it; typed into the address, the server says so.
    page.goto(f"/boroughs/{camden.code}/print/?month={add_months(later, 30):%Y-%m}")
    expect(page.get_by_text("Choose a month from")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact sessions in Camden: choose a month")
    assert_accessible(page)
    page.goto(f"/boroughs/{camden.code}/print/?month=2027-13")
    expect(page.get_by_text("Enter a month as year and month")).to_be_visible()
    assert_accessible(page)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def other_origin(tmp_path):
    """A tiny site on another origin (127.0.0.1 and its own port; the live server is localhost)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(html: str) -> str:
        (tmp_path / "index.html").write_text(html, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/index.html"

    yield publish
    server.shutdown()
    server.server_close()


def test_the_embeds_show_in_another_sites_frame_and_other_pages_refuse(
    page, live_server, camden, ward, make_session, other_origin, assert_accessible
):
    start = timezone.localtime() + dt.timedelta(days=2)
    session = make_session(start.replace(hour=10, minute=0, second=0, microsecond=0))
    host = other_origin(
        f"""<!doctype html><html lang="en"><head><title>Library news</title></head><body>
        <h1>Somers Town Library</h1>
        <iframe id="ward-embed" title="Ward sessions" src="{live_server.url}/wards/{ward.code}/embed/"
          width="360" height="420" onload="window.embedLoaded = true"></iframe>
        <iframe id="borough-embed" title="Borough sessions" src="{live_server.url}/boroughs/{camden.code}/embed/"
          width="360" height="420"></iframe>
        <iframe id="ward-page" title="Ward page" src="{live_server.url}/wards/{ward.code}/"
          width="360" height="420" onload="window.pageLoaded = true"></iframe>
        </body></html>"""
    )
    page.goto(host)
    embed = page.frame_locator("#ward-embed")
    expect(embed.get_by_role("heading", name="Meet your ward officers in St Pancras and Somers Town")).to_be_visible()
    expect(embed.get_by_text("Somers Town Community Centre")).to_be_visible()
    expect(page.frame_locator("#borough-embed").get_by_role("link", name=re.compile(ward.name))).to_be_visible()
    # The ward page itself is refused: its frame loads (an error page) and shows nothing of ours.
    page.wait_for_function("window.pageLoaded === true && window.embedLoaded === true")
    refused = page.frame_locator("#ward-page")
    expect(refused.get_by_role("heading", name=ward.name)).to_have_count(0)
    expect(refused.locator("body")).not_to_contain_text("Community Contact Sessions")
    framed = page.frame(url=re.compile(r"/wards/[^/]+/$"))
    assert framed is None or framed.url.startswith("chrome-error:")
    # A link in the embed opens the full site in a new tab, out of the host's frame.
    with page.context.expect_page() as opened:
        embed.get_by_role("link", name=re.compile(f"{session.start:%H:%M}")).click()
    new_tab = opened.value
    new_tab.wait_for_load_state()
    assert new_tab.url == f"{live_server.url}/sessions/{session.pk}/"
    assert page.url == host


def test_embeds_and_share_pages_are_accessible_on_a_phone(page, camden, ward, make_session, assert_accessible):
    make_session(timezone.now() + dt.timedelta(days=2))
    for url in (
        f"/wards/{ward.code}/embed/",
        f"/boroughs/{camden.code}/embed/",
        f"/wards/{ward.code}/share/",
        f"/boroughs/{camden.code}/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
