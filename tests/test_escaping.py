"""Output is escaped everywhere: text people typed (a venue named ``<script>``, a description
that tries to close an attribute, a comment, a reason) shows as text on every page, cannot
break out of JSON-LD, adds no events to a calendar feed, and cannot start a spreadsheet formula
in any CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import icalendar
import pytest
from django.urls import reverse

from contactsessions.lib.csvexport import FORMULA_STARTS
from contactsessions.models import (
    CommentKind,
    SessionComment,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from tests.conftest import london

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
ICAL_BREAKOUT = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected"
FORMULA = '=HYPERLINK("http://evil.example","click")'

RAW = [SCRIPT, ATTRIBUTE, "<img src=x"]
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile(ward, venue, officer, second_officer, board_member, panel_member, monitor, make_session, soon):
    """A ward full of hostile text: venue, address, descriptions, reasons, comments, names."""
    venue.name = SCRIPT
    venue.address = ATTRIBUTE
    venue.accessibility_notes = FORMULA
    venue.save()
    alice = officer.officer
    alice.public_name = f"Alice {ATTRIBUTE}"
    alice.save()
    start = london(soon.year, soon.month, soon.day, 10)
    approved = make_session(start, description=f"{ATTRIBUTE}{ICAL_BREAKOUT}")
    proposed = make_session(start + dt.timedelta(days=1), status=SessionStatus.PROPOSED, description=SCRIPT)
    make_session(
        start + dt.timedelta(days=2), status=SessionStatus.CANCELLED, cancellation_reason=f"{FORMULA} {SCRIPT}"
    )
    past = make_session(london(2026, 10, 6, 10), description=ATTRIBUTE)
    SessionOutcome.objects.create(session=past, held=True, attendance=3, note=SCRIPT, recorded_by=officer)
    for session in (approved, proposed):
        SessionComment.objects.create(session=session, author=panel_member, kind=CommentKind.COMMENT, text=SCRIPT)
    WeekExemption.objects.create(
        ward=ward, week_start=dt.date(2026, 10, 5), reason=f"{FORMULA} {SCRIPT}", proposed_by=officer
    )
    return {"approved": approved, "proposed": proposed, "past": past, "soon": soon}


def _pages(h, ward) -> list[tuple[str, str | None, bool]]:
    """(url, username or None for the public, whether the page shows the venue name)."""
    borough = ward.borough
    return [
        (f"/?q={SCRIPT}", None, True),
        (reverse("public:ward", args=[ward.code]), None, True),
        (reverse("public:borough", args=[borough.code]), None, False),
        (reverse("public:session", args=[h["approved"].pk]), None, True),
        (reverse("public:ward-poster", args=[ward.code]), None, True),
        (reverse("public:ward-share", args=[ward.code]) + f"?week={h['soon']}", None, True),
        (reverse("public:borough-print", args=[borough.code]) + f"?month={h['soon']:%Y-%m}", None, True),
        (reverse("public:ward-embed", args=[ward.code]), None, True),
        (reverse("public:borough-embed", args=[borough.code]), None, True),
        (reverse("officer:home"), "alice", False),
        (reverse("officer:session-detail", args=[h["approved"].pk]), "alice", True),
        (reverse("officer:session-detail", args=[h["proposed"].pk]), "sally", True),
        (reverse("panel:ward", args=[ward.pk]), "pat", False),
        (reverse("board:queue"), "sally", True),
        (reverse("monitoring:ward", args=[ward.code]) + "?start=2026-10-05&end=2026-10-11", "mona", True),
        (reverse("monitoring:borough", args=[borough.code]), "mona", False),
        (reverse("monitoring:outcome-summary"), "mona", False),
        (reverse("monitoring:outcome-record", args=[h["past"].pk]), "alice", True),
        (reverse("monitoring:exemptions"), "mona", False),
        (reverse("monitoring:roster"), "mona", False),
    ]


def _login(client, username):
    from django.contrib.auth import get_user_model

    if username:
        client.force_login(get_user_model().objects.get(username=username))


def test_hostile_text_shows_as_text_on_every_page(client, hostile, ward):
    for url, username, shows_venue in _pages(hostile, ward):
        client.logout()
        _login(client, username)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for raw in RAW:
            assert raw not in html, f"{url} shows {raw!r} unescaped"
        if shows_venue:
            assert ESCAPED_SCRIPT in html, f"{url} should show the venue name as text"


def test_json_ld_cannot_close_its_script_element(client, hostile):
    html = client.get(reverse("public:session", args=[hostile["approved"].pk])).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["location"]["name"] == SCRIPT
    assert data["location"]["address"]["streetAddress"] == ATTRIBUTE


@pytest.mark.parametrize("feed", ["ward", "borough", "session"])
def test_calendar_feeds_keep_hostile_text_inside_one_event(client, hostile, ward, feed):
    url = {
        "ward": reverse("public:ward-ical", args=[ward.code]),
        "borough": reverse("public:borough-ical", args=[ward.borough.code]),
        "session": reverse("public:session-ical", args=[hostile["approved"].pk]),
    }[feed]
    body = client.get(url).content
    assert b"\r\nSUMMARY:Injected" not in body
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert all(str(e.get("summary")) != "Injected" for e in events)
    approved = [e for e in events if ATTRIBUTE in str(e.get("description", ""))]
    assert len(approved) == 1
    assert SCRIPT in str(approved[0]["location"])


@pytest.mark.parametrize("tail", ["", "/events", "/people"])
def test_api_json_carries_hostile_text_as_data(client, hostile, ward, tail):
    response = client.get(f"/api/metropolitan/{ward.code}{tail}")
    assert response["Content-Type"].startswith("application/json")
    data = response.json()  # parses: the text is data, not markup
    if tail == "/events":
        assert any(SCRIPT in event["address"] for event in data)
    if tail == "/people":
        assert any(ATTRIBUTE in person["name"] for person in data)


def _csv_exports(h, ward) -> list[tuple[str, str | None]]:
    borough = ward.borough
    weeks = "start=2026-10-05&end=2026-10-11"
    monitoring_ward = reverse("monitoring:ward", args=[ward.code])
    monitoring_borough = reverse("monitoring:borough", args=[borough.code])
    return [
        (reverse("api:sessions-csv"), None),
        (f"{reverse('monitoring:london')}?export=weeks", "mona"),
        (f"{reverse('monitoring:london')}?export=boroughs", "mona"),
        (f"{reverse('monitoring:london')}?export=enhanced", "mona"),
        (f"{monitoring_borough}?export=weeks", "mona"),
        (f"{monitoring_borough}?export=grid", "mona"),
        (f"{monitoring_ward}?export=weeks&{weeks}", "mona"),
        (f"{monitoring_ward}?export=sessions&{weeks}", "mona"),
        (f"{reverse('monitoring:looking-ahead')}?export=wards", "mona"),
        (f"{reverse('monitoring:exemptions')}?export=exemptions", "mona"),
        (f"{reverse('monitoring:outcome-summary')}?export=format&{weeks}", "mona"),
        (f"{reverse('monitoring:outcome-summary')}?export=venue&{weeks}", "mona"),
        (f"{reverse('monitoring:roster')}?export=roster", "mona"),
    ]


def test_no_csv_cell_can_start_a_formula(client, hostile, ward):
    """Every CSV export goes through one helper (contactsessions.lib.csvexport.csv_cell)."""
    seen_formula_text = 0
    for url, username in _csv_exports(hostile, ward):
        client.logout()
        _login(client, username)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows, url
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), f"{url}: {cell!r}"
                seen_formula_text += cell.startswith("'=")
    assert seen_formula_text >= 2  # the exemption reason and the cancelled session's reason


def test_csv_cell_neutralises_every_formula_start():
    from contactsessions.lib.csvexport import csv_cell

    for start in FORMULA_STARTS:
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell(None) == ""
    assert csv_cell(42) == "42"
    assert csv_cell(SCRIPT) == SCRIPT


def test_one_csv_helper_serves_every_export():
    """No second copy of the escaping: the API and the monitoring views use the same function."""
    from pathlib import Path

    import contactsessions

    package = Path(contactsessions.__file__).parent
    writers = [p for p in package.rglob("*.py") if "csv.writer(" in p.read_text()]
    assert [p.name for p in writers] == ["csvexport.py"]
