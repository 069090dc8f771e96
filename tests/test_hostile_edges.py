"""Every URL, with every id in its path and every date or number in its query at the extremes.

Dates at the ends of Python's calendar (0001-01-01, 9999-12-31: a week after the last one
overflows), ids beyond 64 bits (2**63, 2**64: no row has them, and SQLite cannot even bind
them in a query), negatives, a float that is infinite (1e309) and nothing at all. Each
answer must be a refusal or a page, never a 500 (the test client re-raises the exception,
so an OverflowError fails the test with its traceback).

The suite runs on PostgreSQL; ``test_the_edges_hold_on_sqlite`` runs this module's sweep
again on SQLite, the database ``make run`` uses, where a huge id is an OverflowError rather
than an empty result. The form-field tests below check the same edge without any database:
the value is refused before a query is built.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from contactsessions import services
from contactsessions.lib.forms import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_ID,
    IdChoiceField,
    IdMultipleChoiceField,
    parse_id,
    planning_date_or_none,
)
from contactsessions.lib.guards import IdConverter
from contactsessions.models import SessionSeries, SessionStatus, WeekExemption
from contactsessions.permissions import MONITORING_GROUP
from contactsessions.rules import week_start_of
from tests.conftest import london
from wards.models import BoardMembership, Officer, PanelMembership, WardAssignment

ROOT = Path(__file__).resolve().parent.parent

EXTREMES = ["9999-12-31", "0001-01-01", str(2**63), str(2**64), "-1", "1e309", ""]

# Every query parameter a view of ours reads.
QUERY_NAMES = ["week", "start", "end", "q", "lat", "lng", "ward", "borough", "sort", "postcode", "month"]
EXPORTS = ["", "weeks", "boroughs", "enhanced", "grid", "sessions", "wards", "exemptions", "roster", "format", "venue"]

PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def routes() -> list[tuple[str, str]]:
    """(namespaced name, route template such as ``office/sessions/<id:pk>/``) for every URL of ours."""
    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append((name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", None)
    return found


def fill(template: str, values: dict[str, str]) -> str:
    return "/" + PLACEHOLDER.sub(lambda m: values.get(m.group("name"), ""), template)


@pytest.fixture
def everyone(ward, venue, officer, camden, soon, make_session):
    """``officer`` holding every role at once (board, panel, monitoring, admin), so each view
    goes as deep as it can with the values it is given; and one of each kind of row."""
    BoardMembership.objects.create(user=officer, borough=camden)
    PanelMembership.objects.create(user=officer, ward=ward)
    officer.groups.add(Group.objects.get_or_create(name=MONITORING_GROUP)[0])
    officer.is_staff = officer.is_superuser = True
    officer.save()
    day = soon + dt.timedelta(days=1)
    series = SessionSeries.objects.create(
        ward=ward,
        venue=venue,
        weekday=day.weekday(),
        start_time=dt.time(18),
        end_time=dt.time(19),
        first_date=day,
        last_date=day,
        created_by=officer,
    )
    proposal = make_session(london(day.year, day.month, day.day, 18), status=SessionStatus.PROPOSED, series=series)
    held = make_session(timezone.now() - dt.timedelta(days=3), status=SessionStatus.APPROVED)
    exemption = WeekExemption.objects.create(
        ward=ward, week_start=week_start_of(timezone.localdate()), reason="Carnival", proposed_by=officer
    )
    assignment = WardAssignment.objects.get(officer__user=officer, ward=ward)
    ids = {
        "monitoring:exemption-decide": exemption.pk,
        "monitoring:outcome-record": held.pk,
        "monitoring:assignment-end": assignment.pk,
        "board:series-approve": series.pk,
    }
    return {"user": officer, "ward": ward, "proposal": proposal, "ids": ids}


def good_values(name: str, world: dict) -> dict[str, str]:
    """Path values that reach each view's body: the right row for each URL."""
    ward, proposal = world["ward"], world["proposal"]
    start = timezone.localtime(proposal.start)
    code = ward.borough.code if name in ("monitoring:borough", "public:borough", "public:borough-ical") else ward.code
    return {
        "pk": str(world["ids"].get(name, proposal.pk)),
        "ward_id": str(ward.pk),
        "borough_id": str(ward.borough_id),
        "year": str(start.year),
        "month": str(start.month),
        "code": code,
        "ward_code": ward.code,
        "borough_code": ward.borough.code,
        "force": "metropolitan",
    }


def assert_not_a_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("extreme", EXTREMES)
def test_every_path_id_at_the_extremes_is_refused_not_a_500(client, everyone, extreme):
    client.force_login(everyone["user"])
    for name, template in routes():
        if not PLACEHOLDER.search(template):
            continue
        url = fill(template, dict.fromkeys(good_values(name, everyone), extreme))
        assert_not_a_server_error(client.get(url), f"GET {url}")
        assert_not_a_server_error(client.post(url, {}), f"POST {url}")


@pytest.mark.django_db
@pytest.mark.parametrize("extreme", EXTREMES)
def test_every_query_value_at_the_extremes_is_refused_not_a_500(client, everyone, extreme):
    client.force_login(everyone["user"])
    for name, template in routes():
        url = fill(template, good_values(name, everyone))
        if client.get(url).status_code == 405:  # POST only: the query never reaches the view
            continue
        query = dict.fromkeys(QUERY_NAMES, extreme)
        exports = EXPORTS if name.startswith("monitoring:") else [""]
        for export in exports:
            response = client.get(url, {**query, "export": export})
            assert_not_a_server_error(response, f"GET {url} {export or 'page'} {extreme!r}")
        # One value at a time too: a bad value early in a view must not hide a later one.
        for key in ("week", "start", "end"):
            assert_not_a_server_error(client.get(url, {key: extreme}), f"GET {url}?{key}={extreme!r}")


@pytest.mark.django_db
@pytest.mark.parametrize("extreme", EXTREMES)
def test_bulk_approvals_refuse_extreme_ids(client, everyone, extreme):
    client.force_login(everyone["user"])
    for name in ("board:series-approve", "board:month-approve"):
        url = fill(dict(routes())[name], good_values(name, everyone))
        for expected in (f"{extreme}:1", f"1:{extreme}", f"{everyone['proposal'].pk}:{extreme}", "²:1"):
            assert_not_a_server_error(client.post(url, {"expected": expected}), f"POST {url} {expected!r}")


@pytest.mark.django_db
@pytest.mark.parametrize("extreme", EXTREMES)
def test_back_office_forms_refuse_extreme_ids_and_dates(client, everyone, extreme):
    """The choice fields and dates of the propose, series and exemption forms."""
    client.force_login(everyone["user"])
    ward, officer = everyone["ward"], everyone["user"].officer
    session = {
        "date": extreme,
        "start_time": "10:00",
        "end_time": "11:00",
        "venue": extreme,
        "format": "surgery",
        "officers": [str(officer.pk), extreme],
        "new_venue_kind": "other",
    }
    for name in ("officer:session-propose", "officer:series-propose"):
        url = reverse(name, args=[ward.pk])
        data = {**session, "weekday": "0", "first_date": extreme, "until": extreme, "weeks": extreme}
        response = client.post(url, data)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert response.context["form"].errors
    response = client.post(reverse("monitoring:exemption-propose"), {"ward": extreme, "week": extreme, "reason": "x"})
    assert_not_a_server_error(response, "exemption-propose")


@pytest.mark.django_db
@pytest.mark.parametrize("extreme", EXTREMES)
# A naive date in an admin filter is a warning, not an error (and the suite makes warnings errors).
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
def test_admin_lists_and_objects_at_the_extremes_are_not_a_500(client, everyone, extreme):
    client.force_login(everyone["user"])
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        queries: list[dict[str, str]] = [{"p": extreme, "o": extreme}]
        if field := model_admin.date_hierarchy:
            year = extreme[:4] if "-" in extreme[1:] else extreme  # 9999-12-31: 9999
            queries += [
                {f"{field}__year": year, f"{field}__month": "12", f"{field}__day": "31"},
                {f"{field}__gte": extreme, f"{field}__lt": extreme},
            ]
        for query in queries:
            assert_not_a_server_error(client.get(changelist, query), f"GET {changelist} {query}")
        views = [("change", [extreme or "x"]), ("history", [extreme or "x"]), ("delete", [extreme or "x"])]
        if isinstance(model_admin, SimpleHistoryAdmin):
            views.append(("simple_history", [extreme or "x", extreme or "x"]))
        for view, args in views:
            url = reverse("admin:{}_{}_{}".format(*info, view), args=args)
            assert_not_a_server_error(client.get(url), f"GET {url}")


# --- The edge itself: refused before any query ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (str(2**64), None),
        ("0", None),
        ("-1", None),
        ("1e309", None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: str.isdigit() says yes, a query would not
        ("", None),
        (None, None),
    ],
)
def test_parse_id_takes_only_64_bit_row_ids(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-07", dt.date(2026, 12, 7)),
        (EARLIEST_DATE.isoformat(), EARLIEST_DATE),
        (LATEST_DATE.isoformat(), LATEST_DATE),
        ("9999-12-31", None),
        ("0001-01-01", None),
        ("1999-12-31", None),
        ("2027-02-29", None),
        ("1e309", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_from_the_address_are_kept_to_the_planning_range(text, expected):
    assert planning_date_or_none(text) == expected


@pytest.mark.parametrize("text", [str(2**63), str(2**64), "0", str(10**20)])
def test_id_converter_refuses_what_no_row_can_be(text):
    with pytest.raises(ValueError):
        IdConverter().to_python(text)
    assert IdConverter().to_python(str(MAX_ID)) == MAX_ID


def test_bulk_approval_values_drop_ids_no_row_can_have():
    value = f"5:2,{2**63}:1,{2**64}:1,²:1,7:{2**64},8:0"
    assert services.parse_expected_versions(value) == {5: 2, 8: 0}


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(2**63), str(2**64), "-1", "1e309", "0"])
def test_choice_fields_refuse_out_of_range_ids_without_a_query(value, django_assert_num_queries):
    single = IdChoiceField(queryset=Officer.objects.all())
    multiple = IdMultipleChoiceField(queryset=Officer.objects.all())
    with django_assert_num_queries(0):
        with pytest.raises(forms.ValidationError) as refused:
            single.clean(value)
        assert refused.value.code == "invalid_choice"
        with pytest.raises(forms.ValidationError) as refused:
            multiple.clean([value])
        assert refused.value.code == "invalid_choice"


# --- SQLite, the database of `make run` ------------------------------------------------------


@pytest.mark.skipif(os.environ.get("EDGES_ON_SQLITE") == "1", reason="this is the SQLite run")
def test_the_edges_hold_on_sqlite(tmp_path):
    """The sweep above, again on SQLite, where a 21-digit id in a query is an OverflowError."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'edges.sqlite3'}", "EDGES_ON_SQLITE": "1"}
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(  # noqa: S603 - fixed argv, our own tests
        # Ids are where SQLite differs (dates fail, or not, the same on every database).
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-k", "path_id or bulk or forms or sqlite", __file__],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.skipif(os.environ.get("EDGES_ON_SQLITE") != "1", reason="only in the SQLite run")
@pytest.mark.django_db
def test_the_sqlite_run_is_on_sqlite():
    from django.db import connection

    assert connection.vendor == "sqlite"
