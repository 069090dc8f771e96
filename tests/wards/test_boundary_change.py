"""A 2014 -> 2022 boundary change on a database with history on both sides of the date.

St Pancras and Somers Town (2014, E05000143) continues as St Pancras & Somers Town (2022,
E05013669): most of its postcodes go there, some to King's Cross (E05013666). Southgate
Green (Enfield, E05000209) is split (Arnos Grove 53%, New Southgate 30%): no ward
continues it.
"""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command

from contactsessions import compliance
from contactsessions.models import (
    ContactSession,
    EnhancedDesignation,
    ExemptionStatus,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from contactsessions.public.ical import session_uid
from contactsessions.rules import LONDON
from contactsessions.services import ServiceError, ward_boundaries_change
from tests.conftest import make_user
from venues.models import Venue
from wards.models import BoardMembership, Officer, PanelMembership, Ward, WardAssignment, WardSuccession

pytestmark = pytest.mark.django_db(transaction=False)

TODAY = dt.date(2026, 11, 25)  # a Wednesday
ON = dt.date(2026, 12, 7)  # the Monday the 2022 wards start
DATA = settings.REFERENCE_DATA_DIR


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


@pytest.fixture
def london(db):
    call_command("load_reference_data", "--set", "2014", verbosity=0)
    call_command("load_reference_data", "--set", "2022", "--stage", verbosity=0)
    old = Ward.objects.get(code="E05000143")
    split = Ward.objects.get(code="E05000209")
    dwo = make_user("dwo")
    officer = Officer.objects.create(user=dwo, public_name="Sam Patel")
    WardAssignment.objects.create(officer=officer, ward=old, start=dt.date(2025, 1, 1))
    enfield_dwo = make_user("enfield-dwo")
    enfield_officer = Officer.objects.create(user=enfield_dwo, public_name="Ana Cruz")
    WardAssignment.objects.create(officer=enfield_officer, ward=split, start=dt.date(2025, 1, 1))
    panel = make_user("panel")
    PanelMembership.objects.create(user=panel, ward=old)
    snb = make_user("snb")
    BoardMembership.objects.create(user=snb, borough=old.borough)
    hall = Venue.objects.create(name="Hall", address="1 Road", postcode="NW1 0BL", ward=old)
    library = Venue.objects.create(name="Library", address="2 Road", postcode="NW1 0BH", ward=old)
    green = Venue.objects.create(name="Green", address="3 Road", postcode="N11 1AD", ward=split)

    def session(ward, venue, day, status=SessionStatus.APPROVED, by=dwo):
        made = ContactSession.objects.create(
            ward=ward, venue=venue, start=at(day), end=at(day, 11), status=status, created_by=by
        )
        return made

    past = session(old, hall, dt.date(2026, 11, 16))
    SessionOutcome.objects.create(session=past, held=True, attendance=4, recorded_by=dwo)
    WeekExemption.objects.create(
        ward=old, week_start=dt.date(2026, 11, 9), reason="Festival", status=ExemptionStatus.AGREED, proposed_by=dwo
    )
    WeekExemption.objects.create(
        ward=old, week_start=dt.date(2026, 12, 14), reason="Strike", status=ExemptionStatus.AGREED, proposed_by=dwo
    )
    later_hall = session(old, hall, dt.date(2026, 12, 8))
    later_library = session(old, library, dt.date(2026, 12, 9), status=SessionStatus.PROPOSED)
    later_green = session(split, green, dt.date(2026, 12, 10), by=enfield_dwo)
    return {
        "old": old,
        "split": split,
        "past": past,
        "later_hall": later_hall,
        "later_library": later_library,
        "later_green": later_green,
        "hall": hall,
        "green": green,
        "officer": officer,
        "enfield_officer": enfield_officer,
        "panel": panel,
        "snb": snb,
    }


def change(**extra):
    args = {"to_set": "2022", "on": ON, "today": TODAY, "data_dir": DATA} | extra
    return ward_boundaries_change(**args)


def test_the_change_moves_what_is_to_come_and_leaves_what_happened(london, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = change()
    new = Ward.objects.get(code="E05013669")
    kings_cross = Ward.objects.get(code="E05013666")
    # The new set is current from the date; the old ward ends the day before.
    assert Ward.objects.current().count() == 679
    london["old"].refresh_from_db()
    assert not london["old"].is_current and london["old"].in_use_until == ON - dt.timedelta(days=1)
    assert new.is_current and new.in_use_from == ON
    # Venues go to the new ward holding their postcode; sessions from the date follow them.
    assert Venue.objects.get(name="Hall").ward == new
    assert Venue.objects.get(name="Library").ward == kings_cross
    assert ContactSession.objects.get(pk=london["later_hall"].pk).ward == new
    assert ContactSession.objects.get(pk=london["later_library"].pk).ward == kings_cross
    assert ContactSession.objects.get(pk=london["later_green"].pk).ward.code == "E05013672"  # Arnos Grove
    # What happened stays where it happened: the past session, its outcome, its exemption.
    past = ContactSession.objects.get(pk=london["past"].pk)
    assert past.ward == london["old"] and past.outcome.attendance == 4
    assert WeekExemption.objects.get(week_start=dt.date(2026, 11, 9)).ward == london["old"]
    assert WeekExemption.objects.get(week_start=dt.date(2026, 12, 14)).ward == new
    # A continuing ward carries the posting on; a split one flags it for review.
    sam = WardAssignment.objects.filter(officer=london["officer"]).order_by("start")
    assert [(a.ward.code, a.start, a.end, a.needs_review) for a in sam] == [
        ("E05000143", dt.date(2025, 1, 1), ON - dt.timedelta(days=1), False),
        ("E05013669", ON, None, False),
    ]
    ana = WardAssignment.objects.get(officer=london["enfield_officer"], end__isnull=True)
    assert ana.ward.code == "E05013672" and ana.needs_review and ana.carried_from is not None
    # Ward Panel members follow; SNB memberships are the borough's and stay.
    assert PanelMembership.objects.get(user=london["panel"]).ward == new
    assert BoardMembership.objects.filter(user=london["snb"], borough=new.borough).exists()
    # Successions recorded for redirects and history.
    main = WardSuccession.objects.filter(predecessor=london["old"]).first()
    assert main.successor == new and main.continues and 0.7 < main.share < 0.8
    # Every SNB with something moved is told, after the commit.
    camden = [m for m in mail.outbox if m.to == ["snb@example.org"]]
    assert (
        len(camden) == 1 and "Hall (NW1 0BL): St Pancras and Somers Town -> St Pancras & Somers Town" in camden[0].body
    )
    assert report.counts["sessions"] == 3


def test_enhanced_sites_are_carried_to_the_ward_holding_their_venue(london):
    change()
    sites = dict(EnhancedDesignation.objects.filter(ward__is_current=True).values_list("ward__code", "community"))
    assert sites == {
        "E05013635": "Barnet Town Centre",
        "E05011476": "Coulsdon",
        "E05013675": "Enfield Chase, Cockfosters and Southgate",
        "E05013549": "Stanmore",
        "E05013577": "Harefield, Ickenham, West Ruislip and Northwood",
    }
    barnet = EnhancedDesignation.objects.get(ward__code="E05013635")
    assert barnet.slots.count() == 2
    assert set(barnet.served_wards.values_list("code", flat=True)) == {
        "E05013635",
        "E05013644",
        "E05013628",
        "E05013647",
    }
    # The old site stays on the old ward for its past weeks.
    assert EnhancedDesignation.objects.filter(ward__code="E05000048").exists()


def test_a_dry_run_prints_it_all_and_changes_nothing(london):
    out = io.StringIO()
    call_command("change_ward_boundaries", "--to", "2022", "--on", ON.isoformat(), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run: nothing was changed" in text
    assert "Venue Hall (NW1 0BL): St Pancras and Somers Town -> St Pancras & Somers Town." in text
    assert "To confirm: PC Ana Cruz moved from Southgate Green to Arnos Grove" in text
    assert Ward.objects.current().filter(code="E05000143").exists()
    assert Venue.objects.get(name="Hall").ward == london["old"]
    assert not WardSuccession.objects.exists()


def test_running_twice_changes_nothing_the_second_time(london):
    change()
    before = list(WardAssignment.objects.order_by("pk").values_list("pk", "ward_id", "end"))
    again = change()
    assert again.nothing_to_do and "in force since 7 December 2026" in again.lines[0]
    assert list(WardAssignment.objects.order_by("pk").values_list("pk", "ward_id", "end")) == before


def test_a_past_date_with_decided_sessions_after_it_is_refused(london):
    with pytest.raises(ServiceError) as refused:
        change(on=dt.date(2026, 11, 30), today=dt.date(2026, 12, 16))
    assert "boundary.decided_after_date" in {p.code for p in refused.value.problems}
    assert Ward.objects.current().filter(code="E05000143").exists()


def test_a_date_that_is_not_a_monday_is_refused_with_the_mondays_around_it(london):
    with pytest.raises(CommandError, match=r"boundary.not_monday.*Try 7 December 2026 or 14 December 2026"):
        call_command("change_ward_boundaries", "--to", "2022", "--on", "2026-12-09", stdout=io.StringIO())


def test_a_set_not_loaded_is_refused(db):
    call_command("load_reference_data", "--set", "2014", verbosity=0)
    with pytest.raises(ServiceError) as refused:
        change()
    assert [p.code for p in refused.value.problems] == ["boundary.set_not_loaded"]


def test_a_venue_whose_postcode_is_not_in_the_new_set_stops_everything(london):
    Venue.objects.filter(name="Hall").update(postcode="NW1 9ZZ")
    with pytest.raises(ServiceError) as refused:
        change()
    assert "boundary.venue_postcode_unknown" in {p.code for p in refused.value.problems}
    assert Venue.objects.get(name="Library").ward == london["old"]
    assert Ward.objects.current().filter(code="E05000143").exists()


def test_old_links_lead_to_the_new_wards(london, client):
    change()
    assert client.get("/wards/E05000143/").headers["Location"] == "/wards/E05013669/"
    assert client.get("/wards/E05000143/").status_code == 301
    assert client.get("/wards/E05000143/qr.svg").headers["Location"] == "/wards/E05013669/qr.svg"
    assert client.get("/wards/E05000143/poster/").headers["Location"] == "/wards/E05013669/poster/"
    api = client.get("/api/metropolitan/E05000143")
    assert api.status_code == 301 and api.headers["Location"] == "/api/metropolitan/E05013669"
    for tail in ("", "/events", "/people", "/priorities"):
        moved = client.get(f"/api/metropolitan/E05000143{tail}", headers={"Origin": "https://example.org"})
        assert moved.status_code == 301, tail
        assert moved.headers["Access-Control-Allow-Origin"] == "*", tail
    # The ward page's redirect is not an API answer and stays closed to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/wards/E05000143/").headers
    # An old ward's alerts page follows too.
    alerts = client.get("/wards/E05000143/alerts/")
    assert alerts.status_code == 301 and alerts.headers["Location"] == "/wards/E05013669/alerts/"
    # A split ward lets the resident choose.
    split = client.get("/wards/E05000209/")
    assert split.status_code == 200
    assert b"Arnos Grove" in split.content and b"New Southgate" in split.content
    assert client.get("/wards/E05999999/").status_code == 404


def test_a_calendar_subscribed_to_an_old_ward_keeps_receiving_its_area(london, client):
    change()
    later = ContactSession.objects.get(pk=london["later_hall"].pk)
    later.end = at(dt.date(2099, 1, 5), 11)  # the feed keeps sessions still to come
    later.start = at(dt.date(2099, 1, 5))
    later.save(update_fields=["start", "end"])
    response = client.get("/wards/E05000143/sessions.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert session_uid(later) in {str(e["UID"]) for e in events}  # the same entry, updated in place
    assert "St Pancras & Somers Town" in str(calendar.get("X-WR-CALNAME"))
    # Calendar apps poll it: an unchanged feed answers 304 to its ETag, like a current ward's.
    assert response.has_header("ETag")
    assert client.get("/wards/E05000143/sessions.ics", headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_monitoring_counts_old_wards_before_the_change_and_new_ones_after(london):
    change()
    weeks = [dt.date(2026, 11, 23), dt.date(2026, 11, 30), ON, ON + dt.timedelta(weeks=1)]
    report = compliance.compute_compliance(week_starts=weeks, today=TODAY)
    # 629 wards in use before, 679 after: each week counts one full set, never both.
    assert [w.wards for w in report.weeks] == [629, 629, 679, 679]
    camden = next(b for b in report.boroughs if b.code == "E09000007")
    assert camden.ward_weeks == 18 * 2 + 20 * 2
    old = next(w for w in report.wards if w.code == "E05000143")
    assert [w.state for w in old.weeks][2:] == ["not_in_use", "not_in_use"]


def test_the_monitoring_ward_page_shows_predecessors_and_successors(london, client):
    change()
    monitor = make_user("monitor")
    from django.contrib.auth.models import Group

    from contactsessions.permissions import MONITORING_GROUP

    monitor.groups.add(Group.objects.get_or_create(name=MONITORING_GROUP)[0])
    client.force_login(monitor)
    old_page = client.get("/monitoring/wards/E05000143/").content.decode()
    assert "St Pancras &amp; Somers Town" in old_page and "continues it" in old_page
    new_page = client.get("/monitoring/wards/E05013669/").content.decode()
    assert "St Pancras and Somers Town" in new_page and "continued by this ward" in new_page
