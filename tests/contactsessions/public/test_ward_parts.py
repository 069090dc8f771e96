"""The ward page keeps its team and front counters between builds (``public.ward_parts``,
issue 19 round four): every change to what they show still shows at once, and a page rebuilt
after a session write reads neither again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contactsessions import services
from contactsessions.lib.scopes import token_key, ward_team_scope
from contactsessions.models import SessionStatus
from tests.conftest import make_officer
from wards.models import FrontCounter, OfficerLanguage, WardAssignment

pytestmark = pytest.mark.django_db


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def page(client, ward) -> str:
    response = client.get(reverse("public:ward", args=[ward.code]))
    assert response.status_code == 200
    return response.content.decode()


def team_section(body: str) -> str:
    start = body.index('id="officers-heading"')
    return body[start : body.index("</section>", start)]


def tables_read(client, ward) -> str:
    """The SQL of building the ward page."""
    with CaptureQueriesContext(connection) as queries:
        page(client, ward)
    return "\n".join(q["sql"] for q in queries)


@pytest.fixture
def built(client, ward, officer, make_session, camden):
    """The ward page, built once: page, team and front counters all in the cache."""
    FrontCounter.objects.create(borough=camden, name="Holborn Police Station", address="10 Lambs Conduit St")
    make_session(soon(), 60)
    body = page(client, ward)
    assert "Alice Adams" in body and "Holborn Police Station" in body
    return body


def test_a_page_rebuilt_after_a_session_write_keeps_its_team_and_front_counters(client, ward, make_session, built):
    make_session(soon(5, hour=14), 60)
    sql = tables_read(client, ward)
    assert "contactsessions_contactsession" in sql  # the sessions are read again
    assert "wards_officerlanguage" not in sql and "wards_wardpriority" not in sql  # the team is kept
    assert "wards_frontcounter" not in sql  # the front counters are kept
    assert "14:00" in page(client, ward)


def test_a_session_change_shows_at_once(client, ward, officer, make_session, built):
    session = make_session(soon(6, hour=9), 60)
    assert "09:00" in page(client, ward)
    services.session_cancel(session=session, by=officer, version=session.version, reason="Hall flooded")
    assert "Hall flooded" in page(client, ward)


def test_an_officer_rename_shows_at_once(client, ward, officer, built):
    alice = officer.officer
    alice.public_name = "Alice Baker"
    alice.save(update_fields=["public_name"])
    body = page(client, ward)
    assert "Alice Baker" in body and "Alice Adams" not in body


def test_an_officer_posted_or_leaving_shows_at_once(client, ward, officer, built):
    make_officer("bob", ward, public_name="Bob Brown")
    assert "Bob Brown" in page(client, ward)
    assignment = WardAssignment.objects.get(officer=officer.officer)
    assignment.end = timezone.localdate() - dt.timedelta(days=1)
    assignment.save(update_fields=["end"])
    assert "Alice Adams" not in team_section(page(client, ward))  # she still runs her session


def test_an_officer_profile_change_shows_at_once(client, ward, officer, built):
    services.officer_profile_update(
        officer=officer.officer, by=officer, public_name="Alice Adams", bio="Born in Somers Town.", languages=["pl"]
    )
    body = page(client, ward)
    assert "Born in Somers Town." in body
    assert OfficerLanguage.objects.filter(officer=officer.officer).exists()
    assert "Also speaks Polish." in body


def test_a_team_contact_change_shows_at_once(client, ward, officer, built):
    services.team_contact_update(ward=ward, by=officer, email="somers.town@met.police.uk")
    assert "somers.town@met.police.uk" in page(client, ward)


def test_a_priority_shows_at_once(client, ward, panel_member, built):
    services.priority_add(
        ward=ward, by=panel_member, issue="Cycle theft at the station", issue_date=timezone.localdate()
    )
    assert "Cycle theft at the station" in page(client, ward)


def test_a_venue_rename_shows_at_once(client, ward, venue, built):
    venue.name = "Ossulston Hall"
    venue.save(update_fields=["name"])
    assert "Ossulston Hall" in page(client, ward)


def test_a_front_counter_change_shows_at_once(client, ward, camden, built):
    holborn = FrontCounter.objects.get(borough=camden)
    holborn.name = "Kentish Town Police Station"
    holborn.save(update_fields=["name"])
    body = page(client, ward)
    assert "Kentish Town Police Station" in body and "Holborn Police Station" not in body
    holborn.delete()
    assert "Kentish Town Police Station" not in page(client, ward)


def test_the_team_is_kept_per_language(client, ward, officer, built):
    services.officer_profile_update(
        officer=officer.officer, by=officer, public_name="Alice Adams", bio="", languages=["tr"]
    )
    assert "Also speaks Turkish." in page(client, ward)
    polish = client.get(f"/pl{reverse('public:ward', args=[ward.code])}").content.decode()
    assert "Turkish" not in polish  # the language's name in Polish, not the English one kept for English


def test_session_writes_leave_the_team_token_and_team_writes_bump_it(ward, officer, make_session, panel_member):
    from django.core.cache import cache

    def team_token():
        return cache.get(token_key(ward_team_scope(ward.pk)))

    cache.set(token_key(ward_team_scope(ward.pk)), "before", timeout=None)
    session = make_session(soon(), 60, status=SessionStatus.APPROVED)
    session.officers.remove(officer.officer)
    session.description = "Bring your questions"
    session.save(update_fields=["description"])
    assert team_token() == "before"
    services.priority_add(ward=ward, by=panel_member, issue="Speeding", issue_date=timezone.localdate())
    assert team_token() != "before"
    cache.set(token_key(ward_team_scope(ward.pk)), "before", timeout=None)
    officer.officer.save()
    assert team_token() != "before"
