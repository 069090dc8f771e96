"""Exempt weeks: a DWO proposes, the borough's SNB agrees or refuses; only agreed ones count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions import compliance
from contactsessions.models import ExemptionStatus, WeekExemption
from contactsessions.services import ServiceError, exemption_decide, exemption_propose
from wards.models import Ward

CARNIVAL = dt.date(2027, 8, 23)  # Monday of Notting Hill Carnival week (29-30 August 2027)


def test_dwo_proposes_any_day_of_the_week(ward, officer):
    exemption = exemption_propose(ward=ward, week_start=CARNIVAL + dt.timedelta(days=2), reason="Carnival", by=officer)
    assert exemption.week_start == CARNIVAL
    assert exemption.status == ExemptionStatus.PROPOSED


def test_no_second_exemption_for_the_same_week_but_a_refused_one_may_be_asked_again(ward, officer, board_member):
    exemption = exemption_propose(ward=ward, week_start=CARNIVAL, reason="Carnival", by=officer)
    with pytest.raises(ServiceError) as refused:
        exemption_propose(ward=ward, week_start=CARNIVAL, reason="Again", by=officer)
    assert refused.value.codes == ["exemption.exists"]
    exemption_decide(exemption=exemption, agree=False, by=board_member)
    again = exemption_propose(ward=ward, week_start=CARNIVAL, reason="Carnival, all officers abstracted", by=officer)
    assert again.pk == exemption.pk and again.status == ExemptionStatus.PROPOSED


def test_blank_reason_is_refused(ward, officer):
    with pytest.raises(ServiceError) as refused:
        exemption_propose(ward=ward, week_start=CARNIVAL, reason="  ", by=officer)
    assert refused.value.codes == ["exemption.no_reason"]
    assert not WeekExemption.objects.exists()


def test_only_agreed_exemptions_make_a_week_exempt(ward, officer, board_member):
    exemption = exemption_propose(ward=ward, week_start=CARNIVAL, reason="Carnival", by=officer)
    today = CARNIVAL + dt.timedelta(days=30)
    report = compliance.compute_compliance(week_starts=[CARNIVAL], today=today)
    assert report.wards[0].weeks[0].state == "missed"
    exemption_decide(exemption=exemption, agree=True, by=board_member)
    report = compliance.compute_compliance(week_starts=[CARNIVAL], today=today)
    assert report.wards[0].weeks[0].state == "exempt"
    assert report.weeks[0].standard_met == 0
    with pytest.raises(ServiceError) as refused:
        exemption_decide(exemption=exemption, agree=False, by=board_member)
    assert refused.value.codes == ["exemption.decided"]


def test_dwo_proposes_through_the_page(client, officer, ward):
    client.force_login(officer)
    response = client.post(
        reverse("monitoring:exemption-propose"), {"ward": ward.pk, "week": "2027-12-31", "reason": "New Year's Eve"}
    )
    assert response.status_code == 302
    assert WeekExemption.objects.get().week_start == dt.date(2027, 12, 27)


def test_dwo_cannot_propose_for_another_ward(client, officer, other_ward):
    client.force_login(officer)
    response = client.post(
        reverse("monitoring:exemption-propose"), {"ward": other_ward.pk, "week": "2027-12-31", "reason": "NYE"}
    )
    assert response.status_code == 400
    assert not WeekExemption.objects.exists()


def test_board_member_without_wards_cannot_propose(client, board_member, ward):
    client.force_login(board_member)
    response = client.post(
        reverse("monitoring:exemption-propose"), {"ward": ward.pk, "week": "2027-12-31", "reason": "x"}
    )
    assert response.status_code == 403


@pytest.fixture
def proposed(ward, officer):
    return WeekExemption.objects.create(ward=ward, week_start=CARNIVAL, reason="Carnival", proposed_by=officer)


def test_board_member_of_the_borough_agrees(client, board_member, proposed):
    client.force_login(board_member)
    response = client.post(reverse("monitoring:exemption-decide", args=[proposed.pk]), {"decision": "agree"})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == ExemptionStatus.AGREED
    assert proposed.decided_by == board_member


@pytest.mark.parametrize("persona,status", [("officer", 403), ("far_board_member", 404), ("monitor", 403)])
def test_others_cannot_decide(request, client, proposed, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("monitoring:exemption-decide", args=[proposed.pk]), {"decision": "agree"})
    assert response.status_code == status
    proposed.refresh_from_db()
    assert proposed.status == ExemptionStatus.PROPOSED


def test_nonsense_decision_changes_nothing(client, board_member, proposed):
    client.force_login(board_member)
    response = client.post(reverse("monitoring:exemption-decide", args=[proposed.pk]), {"decision": "maybe"})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == ExemptionStatus.PROPOSED


def test_a_week_already_over_cannot_be_made_exempt(ward, officer):
    today = dt.date(2027, 9, 1)  # the Wednesday after Carnival week
    with pytest.raises(ServiceError) as refused:
        exemption_propose(ward=ward, week_start=CARNIVAL, reason="Carnival", by=officer, today=today)
    assert refused.value.codes == ["exemption.past_week"]
    assert not WeekExemption.objects.exists()
    # This week, although begun, is not over yet.
    exemption = exemption_propose(ward=ward, week_start=today, reason="Major incident", by=officer, today=today)
    assert exemption.week_start == dt.date(2027, 8, 30)


def test_exemption_page_refuses_a_past_week_and_saves_nothing(client, officer, ward):
    client.force_login(officer)
    response = client.post(
        reverse("monitoring:exemption-propose"), {"ward": ward.pk, "week": "2025-12-31", "reason": "New Year's Eve"}
    )
    assert response.status_code == 400
    assert "cannot be made exempt after the fact" in response.content.decode()
    assert not WeekExemption.objects.exists()


# --- London-wide exempt periods ------------------------------------------------------------

TODAY = dt.date(2027, 8, 2)
NEW_YEAR = dt.date(2027, 12, 27)


def test_a_london_wide_period_exempts_every_ward(monitor, ward, other_ward, far_ward, make_session):
    from contactsessions.services import london_period_declare

    period = london_period_declare(
        reason="Notting Hill Carnival", first_day=dt.date(2027, 8, 29), last_day=dt.date(2027, 8, 30), by=monitor,
        today=TODAY,
    )  # fmt: skip
    assert (period.first_week, period.last_week) == (CARNIVAL, CARNIVAL + dt.timedelta(weeks=1))
    weeks = [CARNIVAL - dt.timedelta(weeks=1), CARNIVAL, CARNIVAL + dt.timedelta(weeks=1)]
    for standard_detail in (True, False):
        report = compliance.compute_compliance(week_starts=weeks, today=TODAY, standard_detail=standard_detail)
        assert [w.exempt for w in report.weeks] == [0, 3, 3]
    ahead = compliance.wards_without_sessions_ahead(
        wards=Ward.objects.all(), now=dt.datetime(2027, 8, 24, 12, tzinfo=dt.UTC)
    )
    assert ahead == []  # this week and next are exempt across London


def test_requirements_read_wards_agreed_weeks_and_london_periods_in_one_query(
    monitor, ward, other_ward, officer, other_officer, board_member, django_assert_num_queries
):
    from contactsessions.services import london_period_declare
    from contactsessions.week_selectors import london_exempt_weeks, requirements_for

    london_period_declare(
        reason="Carnival", first_day=dt.date(2027, 8, 29), last_day=dt.date(2027, 8, 30), by=monitor, today=TODAY
    )
    london_period_declare(reason="New Year's Eve", first_day=NEW_YEAR, last_day=NEW_YEAR, by=monitor, today=TODAY)
    agreed = exemption_propose(ward=ward, week_start=dt.date(2027, 10, 4), reason="Incident", by=officer, today=TODAY)
    exemption_decide(exemption=agreed, agree=True, by=board_member)
    exemption_propose(ward=other_ward, week_start=dt.date(2027, 10, 4), reason="Asked", by=other_officer, today=TODAY)
    london = {CARNIVAL, CARNIVAL + dt.timedelta(weeks=1), NEW_YEAR}
    with django_assert_num_queries(2):  # the Enhanced designations; agreed weeks and London periods
        got = requirements_for([ward.pk, other_ward.pk], officers=False)
    assert got[ward.pk].exempt_weeks == london | {dt.date(2027, 10, 4)}
    assert got[other_ward.pk].exempt_weeks == london  # proposed, not agreed
    assert got == requirements_for([ward.pk, other_ward.pk], officers=False, london_wide=london_exempt_weeks())


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (dt.date(2027, 8, 30), dt.date(2027, 9, 1), "period.overlaps"),  # the week after Carnival, already declared
        (dt.date(2027, 8, 20), dt.date(2027, 8, 23), "period.overlaps"),  # ends in Carnival week
        (dt.date(2027, 7, 20), dt.date(2027, 7, 21), "exemption.past_week"),
        (dt.date(2027, 12, 31), dt.date(2027, 12, 30), "period.reversed"),
    ],
)
def test_overlapping_past_or_reversed_periods_are_refused(monitor, first, last, code):
    from contactsessions.models import LondonExemptPeriod
    from contactsessions.services import london_period_declare

    london_period_declare(
        reason="Carnival", first_day=CARNIVAL, last_day=CARNIVAL + dt.timedelta(days=7), by=monitor, today=TODAY
    )
    with pytest.raises(ServiceError) as refused:
        london_period_declare(reason="Another", first_day=first, last_day=last, by=monitor, today=TODAY)
    assert refused.value.codes == [code]
    assert LondonExemptPeriod.objects.count() == 1
    # Next to it, but not overlapping, is fine.
    london_period_declare(reason="New Year's Eve", first_day=NEW_YEAR, last_day=NEW_YEAR, by=monitor, today=TODAY)


def test_only_monitoring_staff_declare_london_periods(officer, board_member):
    from contactsessions.services import london_period_declare

    for user in (officer, board_member):
        with pytest.raises(ServiceError) as refused:
            london_period_declare(reason="NYE", first_day=NEW_YEAR, last_day=NEW_YEAR, by=user, today=TODAY)
        assert refused.value.codes == ["permission.denied"]


def test_monitoring_staff_declare_a_period_through_the_page(client, monitor):
    from contactsessions.models import LondonExemptPeriod

    client.force_login(monitor)
    url = reverse("monitoring:london-period-declare")
    data = {"reason": "New Year's Eve", "first_day": "2027-12-31", "last_day": "2028-01-01"}
    assert client.post(url, data).status_code == 302
    assert "New Year&#x27;s Eve: weeks of 27 Dec 2027" in client.get(reverse("monitoring:exemptions")).content.decode()
    again = client.post(url, {**data, "reason": "Again"})
    assert again.status_code == 400
    assert "already exempt across London" in again.content.decode()
    assert LondonExemptPeriod.objects.count() == 1
