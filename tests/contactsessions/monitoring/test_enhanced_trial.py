"""The Enhanced trial review: each site against its borough's Standard wards (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions.models import EnhancedDesignation, SessionOutcome
from contactsessions.outcome_figures import add_months, enhanced_trial, trial_period
from tests.conftest import london

NOW = london(2025, 12, 1, 12)


@pytest.fixture
def site(ward, venue):
    return EnhancedDesignation.objects.create(
        community="Camden Market", ward=ward, venue=venue, in_force_from=dt.date(2025, 6, 2),
        trial_starts_on=dt.date(2025, 6, 2), trial_review_on=dt.date(2025, 12, 2),
    )  # fmt: skip


def _held(session, officer, people: int, **counts) -> None:
    SessionOutcome.objects.create(session=session, held=True, attendance=people, recorded_by=officer, **counts)


@pytest.fixture
def trial(site, make_session, officer, other_ward, far_ward):
    # The site: three sessions, two held (10 and 6 people, 2 crimes reported).
    _held(make_session(london(2025, 6, 3, 18)), officer, 10, crimes_reported=2)
    _held(make_session(london(2025, 6, 5, 18)), officer, 6)
    make_session(london(2025, 6, 10, 18))  # no outcome: planned, not held
    make_session(london(2025, 5, 30, 18))  # before the trial
    make_session(london(2025, 12, 20, 18))  # still to come
    # The borough's one Standard ward: two sessions, one held with 4 people.
    _held(make_session(london(2025, 7, 1, 18), ward=other_ward), officer, 4, advice_given=3)
    make_session(london(2025, 7, 8, 18), ward=other_ward)
    make_session(london(2025, 7, 8, 18), ward=far_ward)  # another borough
    return site


def test_trial_dates_default_to_six_months_from_coming_into_force(ward, venue):
    designation = EnhancedDesignation.objects.create(
        community="X", ward=ward, venue=venue, in_force_from=dt.date(2025, 8, 31)
    )
    assert trial_period(designation) == (dt.date(2025, 8, 31), dt.date(2026, 2, 28))
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)


def test_site_is_compared_with_the_standard_wards_of_its_borough(trial):
    (c,) = enhanced_trial(now=NOW)
    assert (c.site.planned, c.site.held, c.site.people_met, c.site.crimes_reported) == (3, 2, 16, 2)
    assert c.standard_wards == 1
    assert (c.standard.planned, c.standard.held, c.standard.people_met, c.standard.advice_given) == (2, 1, 4, 3)
    assert (c.starts_on, c.review_on, c.until) == (dt.date(2025, 6, 2), dt.date(2025, 12, 2), dt.date(2025, 12, 1))


def test_board_members_see_only_their_boroughs_sites(trial, camden, hackney):
    assert len(enhanced_trial(boroughs=[camden.pk], now=NOW)) == 1
    assert enhanced_trial(boroughs=[hackney.pk], now=NOW) == []


def test_trial_page_and_csv(client, monitor, trial):
    client.force_login(monitor)
    page = client.get(reverse("monitoring:enhanced-trial"))
    assert page.status_code == 200
    assert "Camden Market" in page.content.decode() and "Standard ward (average)" in page.content.decode()
    csv = client.get(reverse("monitoring:enhanced-trial"), {"export": "csv"}).content.decode().splitlines()
    header = csv[0].split(",")
    assert header[:3] == ["borough", "community", "ward_code"]
    assert "site_held" in header and "standard_per_ward_people_met" in header
    assert len(csv) == 2


def test_an_snb_member_of_another_borough_sees_no_site(client, far_board_member, trial):
    client.force_login(far_board_member)
    page = client.get(reverse("monitoring:enhanced-trial"))
    assert "Camden Market" not in page.content.decode()
    assert "Your borough has no Enhanced site." in page.content.decode()


def test_a_dwo_may_not_see_the_trial_review(client, officer, trial):
    client.force_login(officer)
    assert client.get(reverse("monitoring:enhanced-trial")).status_code == 403


def test_a_dwos_monitoring_pages_offer_no_trial_link(client, officer, board_member):
    # The nav's "Enhanced trial" was a link to a 403 for a DWO.
    trial = reverse("monitoring:enhanced-trial")
    client.force_login(officer)
    assert trial not in client.get(reverse("monitoring:outcome-summary")).content.decode()
    client.force_login(board_member)
    assert trial in client.get(reverse("monitoring:outcome-summary")).content.decode()
