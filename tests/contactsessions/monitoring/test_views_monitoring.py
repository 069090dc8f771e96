"""Monitoring pages: what they show, the CSV exports, and GET refused on POST-only views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions.lib.csvexport import csv_cell
from contactsessions.models import SessionStatus
from tests.conftest import london
from wards.models import WardAssignment


@pytest.fixture
def ended_session(make_session):
    return make_session(london(2025, 10, 7, 18))


@pytest.fixture
def urls(ward, camden, ended_session, officer):
    assignment = WardAssignment.objects.get(officer__user=officer)
    return {
        "index": reverse("monitoring:index"),
        "london": reverse("monitoring:london"),
        "borough": reverse("monitoring:borough", args=[camden.code]),
        "ward": reverse("monitoring:ward", args=[ward.code]),
        "ahead": reverse("monitoring:looking-ahead"),
        "exemptions": reverse("monitoring:exemptions"),
        "outcomes": reverse("monitoring:outcome-summary"),
        "missing": reverse("monitoring:outcome-reminders"),
        "record": reverse("monitoring:outcome-record", args=[ended_session.pk]),
        "roster": reverse("monitoring:roster"),
        "end": reverse("monitoring:assignment-end", args=[assignment.pk]),
    }


# Who may see which monitoring page: the URL x persona matrix in test_permissions.py.


@pytest.mark.parametrize("name", ["monitoring:exemption-propose"])
def test_post_only_views_refuse_get(client, officer, name):
    client.force_login(officer)
    assert client.get(reverse(name)).status_code == 405


def test_exemption_decide_refuses_get(client, board_member, ward, officer):
    from contactsessions.models import WeekExemption

    exemption = WeekExemption.objects.create(
        ward=ward, week_start=dt.date(2025, 12, 29), reason="NYE", proposed_by=officer
    )
    client.force_login(board_member)
    assert client.get(reverse("monitoring:exemption-decide", args=[exemption.pk])).status_code == 405


def held(session):
    from contactsessions.models import SessionOutcome

    SessionOutcome.objects.create(session=session, held=True, attendance=2, recorded_by=session.created_by)
    return session


def test_borough_grid_cells_have_text_reason_and_link_to_the_week(client, board_member, camden, ward, make_session):
    held(make_session(london(2025, 10, 7, 18)))
    client.force_login(board_member)
    response = client.get(
        reverse("monitoring:borough", args=[camden.code]), {"start": "2025-10-06", "end": "2025-10-13"}
    )
    html = response.content.decode()
    assert "St Pancras and Somers Town, week of 6 Oct 2025: Met." in html
    assert "week of 13 Oct 2025: Missed." in html
    assert f"{reverse('monitoring:ward', args=[ward.code])}?week=2025-10-06" in html
    assert 'title="Met: 1 held of the 1 session needed."' in html
    assert "<svg" in html and "<title>" in html and 'aria-label="' in html


def test_london_boroughs_sort_by_query_param_with_aria_sort(client, monitor, ward, far_ward, make_session):
    held(make_session(london(2025, 10, 7, 18)))
    client.force_login(monitor)
    url = reverse("monitoring:london")
    params = {"start": "2025-10-06", "end": "2025-10-12"}
    by_share = client.get(url, {**params, "sort": "-share"})
    assert [b.name for b in by_share.context["boroughs"]] == ["Camden", "Hackney"]
    assert 'aria-sort="descending"' in by_share.content.decode()
    ascending = client.get(url, {**params, "sort": "share"})
    assert [b.name for b in ascending.context["boroughs"]] == ["Hackney", "Camden"]
    nonsense = client.get(url, {**params, "sort": "'; drop"})
    assert nonsense.status_code == 200
    assert [b.name for b in nonsense.context["boroughs"]] == ["Camden", "Hackney"]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "not-a-date"},
        {"start": "2025-12-01", "end": "2025-01-01"},
        {"start": "2000-01-01", "end": "2025-01-01"},
    ],
)
def test_bad_week_ranges_fall_back_to_default_and_say_so(client, monitor, camden, params):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:london"), params)
    assert response.status_code == 200
    assert len(response.context["report"].week_starts) == 13
    assert 'id="range-problem"' in response.content.decode()


def test_ward_view_filters_sessions_to_a_week_and_lists_violations(client, officer, ward, make_session):
    make_session(london(2025, 10, 7, 18), minutes=30)
    make_session(london(2025, 10, 14, 18))
    client.force_login(officer)
    url = reverse("monitoring:ward", args=[ward.code])
    response = client.get(url, {"week": "2025-10-08"})
    assert [s.start for s in response.context["sessions"]] == [london(2025, 10, 7, 18)]
    assert "lasts 30 minutes, less than an hour, so it does not count" in response.content.decode()
    assert client.get(url, {"week": "garbage"}).status_code == 200


def test_csv_exports_escape_formulas(client, officer, ward, venue, make_session):
    venue.name = '=HYPERLINK("http://evil")'
    venue.save()
    make_session(london(2025, 10, 7, 18))
    client.force_login(officer)
    response = client.get(
        reverse("monitoring:ward", args=[ward.code]), {"start": "2025-10-06", "end": "2025-10-12", "export": "sessions"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in response.content.decode()


@pytest.mark.parametrize(
    "value,expected", [("=1+1", "'=1+1"), ("+44", "'+44"), ("-2", "'-2"), ("@x", "'@x"), ("ok", "ok")]
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize(
    "name,table",
    [
        ("london", "weeks"),
        ("london", "boroughs"),
        ("london", "enhanced"),
        ("borough", "grid"),
        ("borough", "weeks"),
        ("ward", "weeks"),
        ("ahead", "wards"),
        ("exemptions", "exemptions"),
        ("outcomes", "format"),
        ("outcomes", "venue"),
        ("roster", "roster"),
    ],
)
def test_every_table_exports_as_csv(client, monitor, urls, name, table):
    client.force_login(monitor)
    response = client.get(urls[name], {"export": table})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]


def test_looking_ahead_lists_wards_without_approved_sessions(
    client, board_member, ward, other_ward, make_session, venue
):
    from django.utils import timezone

    from contactsessions import rules

    this_week = rules.week_start_of(timezone.now())
    for week in (this_week, this_week + dt.timedelta(weeks=1)):
        start = dt.datetime.combine(week + dt.timedelta(days=6), dt.time(20), tzinfo=rules.LONDON)
        make_session(start)
    make_session(
        dt.datetime.combine(this_week + dt.timedelta(days=13), dt.time(12), tzinfo=rules.LONDON),
        status=SessionStatus.PROPOSED,
        ward=other_ward,
    )
    client.force_login(board_member)
    rows = client.get(reverse("monitoring:looking-ahead")).context["rows"]
    assert [r.name for r in rows] == ["Belsize"]
    assert rows[0].planned == 1


def test_roster_flags_wards_with_fewer_than_two_dwos(client, board_member, officer, second_officer, other_officer):
    client.force_login(board_member)
    rows = client.get(reverse("monitoring:roster")).context["rows"]
    flags = {r["ward"].name: r["flagged"] for r in rows}
    assert flags == {"Belsize": True, "St Pancras and Somers Town": False}
