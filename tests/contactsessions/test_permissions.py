"""Every back-office URL for every persona: 200, 302 (to log-in, or after an action), 403 or 404.

A DWO acts only on their wards, a Ward Panel member only on their ward, an SNB
member only on their borough; monitoring staff read everything and change nothing.
Out-of-scope objects answer 404 so nobody learns what exists elsewhere.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contactsessions.models import SessionStatus
from contactsessions.rules import LONDON
from tests.conftest import london

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "officer",
    "other_officer",
    "far_officer",
    "panel_member",
    "board_member",
    "far_board_member",
    "monitor",
]

OK, REDIRECT, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 403, 404, "login"


def row(name, method, **expected):
    """Expected answers per persona; anonymous always goes to the log-in page."""
    answers = {"anonymous": LOGIN, **expected}
    missing = set(PERSONAS) - set(answers)
    assert not missing, f"{name}: no expectation for {missing}"
    return pytest.param(name, method, answers, id=f"{method}-{name}")


ALL_READ = {
    "officer": OK,
    "other_officer": OK,
    "far_officer": OK,
    "panel_member": OK,
    "board_member": OK,
    "far_board_member": OK,
    "monitor": OK,
}
OFFICER_ONLY_WARD = {
    "officer": OK,
    "other_officer": NOT_FOUND,
    "far_officer": NOT_FOUND,
    "panel_member": FORBIDDEN,
    "board_member": FORBIDDEN,
    "far_board_member": FORBIDDEN,
    "monitor": FORBIDDEN,
}
OFFICER_ACTION = {**OFFICER_ONLY_WARD, "officer": REDIRECT}
BOARD_ACTION = {
    "officer": FORBIDDEN,
    "other_officer": FORBIDDEN,
    "far_officer": FORBIDDEN,
    "panel_member": FORBIDDEN,
    "board_member": REDIRECT,
    "far_board_member": NOT_FOUND,
    "monitor": FORBIDDEN,
}

MATRIX = [
    row("officer:home", "get", **ALL_READ),
    row("officer:session-propose", "get", **OFFICER_ONLY_WARD),
    row("officer:session-propose", "post", **{**OFFICER_ONLY_WARD, "officer": OK}),  # re-shows the form with errors
    row("officer:series-propose", "get", **OFFICER_ONLY_WARD),
    row("officer:series-propose", "post", **{**OFFICER_ONLY_WARD, "officer": OK}),
    row(
        "officer:session-detail",
        "get",
        **{**ALL_READ, "other_officer": NOT_FOUND, "far_officer": NOT_FOUND, "far_board_member": NOT_FOUND},
    ),
    row("officer:session-edit", "get", **OFFICER_ONLY_WARD),
    row("officer:session-edit", "post", **OFFICER_ACTION),
    row("officer:session-withdraw", "post", **OFFICER_ACTION),
    row("officer:session-cancel", "post", **OFFICER_ACTION),
    row(
        "officer:session-comment",
        "post",
        officer=REDIRECT,
        other_officer=NOT_FOUND,
        far_officer=NOT_FOUND,
        panel_member=REDIRECT,
        board_member=REDIRECT,
        far_board_member=NOT_FOUND,
        monitor=FORBIDDEN,
    ),
    row(
        "officer:panel-ward",
        "get",
        officer=FORBIDDEN,
        other_officer=FORBIDDEN,
        far_officer=FORBIDDEN,
        panel_member=OK,
        board_member=FORBIDDEN,
        far_board_member=FORBIDDEN,
        monitor=OK,
    ),
    row("board:queue", "get", **{**BOARD_ACTION, "board_member": OK, "far_board_member": OK, "monitor": OK}),
    row("board:session-approve", "post", **BOARD_ACTION),
    row("board:session-return", "post", **BOARD_ACTION),
    row("board:session-reject", "post", **BOARD_ACTION),
    row("board:series-approve", "post", **BOARD_ACTION),
    row("board:month-approve", "post", **BOARD_ACTION),
]

GET_ONLY = {"officer:home", "officer:session-detail", "officer:panel-ward", "board:queue"}
POST_ONLY = {
    "officer:session-withdraw",
    "officer:session-cancel",
    "officer:session-comment",
    "board:session-approve",
    "board:session-return",
    "board:session-reject",
    "board:series-approve",
    "board:month-approve",
}


@pytest.fixture
def world(request, ward, other_ward, far_ward, venue, officer, soon, make_session):
    """A proposal (in a series) and an approved session in ``ward``, plus every persona."""
    from contactsessions.models import SessionSeries

    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
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
    approved = make_session(london(day.year, day.month, day.day, 10), status=SessionStatus.APPROVED)
    return {"users": users, "proposal": proposal, "approved": approved, "series": series, "ward": ward}


def url_and_data(name: str, world: dict) -> tuple[str, dict]:
    proposal, approved, ward = world["proposal"], world["approved"], world["ward"]
    start = proposal.start
    if name in ("officer:home", "board:queue"):
        return reverse(name), {}
    if name in ("officer:session-propose", "officer:series-propose"):
        return reverse(name, args=[ward.pk]), {}
    if name == "officer:panel-ward":
        return reverse(name, args=[ward.pk]), {}
    if name == "officer:session-cancel":
        return reverse(name, args=[approved.pk]), {"version": approved.version, "text": "Ill"}
    if name == "board:series-approve":
        return reverse(name, args=[world["series"].pk]), {"expected": f"{proposal.pk}:{proposal.version}"}
    if name == "board:month-approve":
        args = [ward.borough_id, start.year, start.month]
        return reverse(name, args=args), {"expected": f"{proposal.pk}:{proposal.version}"}
    if name == "officer:session-edit":
        data = {
            "version": proposal.version,
            "date": start.astimezone(LONDON).date().isoformat(),
            "start_time": "19:00",
            "end_time": "20:00",
            "venue": proposal.venue_id,
            "format": "surgery",
            "officers": [o.pk for o in proposal.officers.all()],
            "new_venue_kind": "other",
        }
        return reverse(name, args=[proposal.pk]), data
    return reverse(name, args=[proposal.pk]), {"version": proposal.version, "text": "Looks fine"}


@pytest.mark.parametrize(("name", "method", "answers"), MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_matrix(client, world, name, method, answers, persona):
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    url, data = url_and_data(name, world)
    response = client.get(url) if method == "get" else client.post(url, data)
    expected = answers[persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:500]
        if expected == REDIRECT:
            assert not response["Location"].startswith(reverse("login"))


def test_every_back_office_url_is_in_the_matrix():
    from contactsessions import urls_board, urls_officer

    names = {f"officer:{p.name}" for p in urls_officer.urlpatterns} | {
        f"board:{p.name}" for p in urls_board.urlpatterns
    }
    assert names == {param.values[0] for param in MATRIX}


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_state_changes_refuse_get(client, world, name):
    client.force_login(world["users"]["board_member"] if name.startswith("board") else world["users"]["officer"])
    url, _ = url_and_data(name, world)
    assert client.get(url).status_code == 405


def test_monitor_sees_the_queue_but_no_action_buttons(client, world):
    client.force_login(world["users"]["monitor"])
    response = client.get(reverse("board:queue"))
    assert b"Read-only" in response.content
    assert reverse("board:session-approve", args=[world["proposal"].pk]).encode() not in response.content
