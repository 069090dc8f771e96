"""Every URL for every persona: 200, 302 (to log-in, or after an action), 400, 403 or 404.

A DWO acts only on their wards, a Ward Panel member only on their ward, an SNB
member only on their borough; monitoring staff read everything and change nothing.
Out-of-scope objects answer 404 so nobody learns what exists elsewhere. Public
pages, postcode look-up and the open-data API answer everyone alike.

Each row builds the world once and asks as each persona in turn, rolling back
whatever that persona's request changed, so every persona meets the same world.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from contactsessions.models import SessionStatus, WeekExemption
from contactsessions.rules import LONDON, week_start_of
from tests.conftest import london
from wards.models import Postcode, WardAssignment

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
    # Two roles at once (issue 17): a DWO of the ward on its borough's SNB, and an SNB
    # member on the ward's panel. Each may do what either role may; four eyes on decisions
    # are tested in test_four_eyes.py (here the proposal is a colleague's, untouched).
    "dwo_board_member",
    "board_panel_member",
]

OK, REDIRECT, BAD, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 400, 403, 404, "login"


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
    "dwo_board_member": OK,
    "board_panel_member": OK,
}
OFFICER_ONLY_WARD = {
    "officer": OK,
    "other_officer": NOT_FOUND,
    "far_officer": NOT_FOUND,
    "panel_member": FORBIDDEN,
    "board_member": FORBIDDEN,
    "far_board_member": FORBIDDEN,
    "monitor": FORBIDDEN,
    "dwo_board_member": OK,
    "board_panel_member": FORBIDDEN,
}
OFFICER_ACTION = {**OFFICER_ONLY_WARD, "officer": REDIRECT, "dwo_board_member": REDIRECT}
BOARD_ACTION = {
    "officer": FORBIDDEN,
    "other_officer": FORBIDDEN,
    "far_officer": FORBIDDEN,
    "panel_member": FORBIDDEN,
    "board_member": REDIRECT,
    "far_board_member": NOT_FOUND,
    "monitor": FORBIDDEN,
    "dwo_board_member": REDIRECT,
    "board_panel_member": REDIRECT,
}

NOBODY = {p: FORBIDDEN for p in PERSONAS if p != "anonymous"}
EVERYONE = dict.fromkeys(PERSONAS, OK)
SEES_OWN = {**ALL_READ, "panel_member": FORBIDDEN}
LANDS_ELSEWHERE = {
    "board_member": REDIRECT,
    "far_board_member": REDIRECT,
    "monitor": REDIRECT,
    "dwo_board_member": REDIRECT,
    "board_panel_member": REDIRECT,
}
MONITOR_WARD = {
    "officer": OK,
    "other_officer": NOT_FOUND,
    "far_officer": NOT_FOUND,
    "panel_member": FORBIDDEN,
    "board_member": OK,
    "far_board_member": NOT_FOUND,
    "monitor": OK,
    "dwo_board_member": OK,
    "board_panel_member": OK,
}
# Outcomes are the ward's DWOs' to record: the board side of a two-role user adds nothing.
OWN_WARD_OUTCOME = {**MONITOR_WARD, "board_member": NOT_FOUND, "monitor": NOT_FOUND, "board_panel_member": NOT_FOUND}
END_ASSIGNMENT = {**MONITOR_WARD, "officer": FORBIDDEN, "monitor": FORBIDDEN}

TEAM_READ = {
    **OFFICER_ONLY_WARD,
    "panel_member": OK,
    "board_member": FORBIDDEN,
    "monitor": FORBIDDEN,
    "board_panel_member": OK,
}
PANEL_WRITES = {"panel_member": REDIRECT, "board_panel_member": REDIRECT}
DWO_CANNOT = {"officer": FORBIDDEN, "dwo_board_member": FORBIDDEN}
DWO_WRITES = {"officer": REDIRECT, "dwo_board_member": REDIRECT}  # the action taken only
OWN_PROFILE = {
    **NOBODY,
    "officer": OK,
    "other_officer": OK,
    "far_officer": OK,
    "dwo_board_member": OK,
}

MATRIX = [
    row("officer:home", "get", **ALL_READ),
    row("officer:session-propose", "get", **OFFICER_ONLY_WARD),
    row("officer:session-propose", "post", **OFFICER_ONLY_WARD),  # re-shows the form with errors
    row("officer:series-propose", "get", **OFFICER_ONLY_WARD),
    row("officer:series-propose", "post", **OFFICER_ONLY_WARD),
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
        dwo_board_member=REDIRECT,
        board_panel_member=REDIRECT,
    ),
    row(
        "panel:ward",
        "get",
        officer=FORBIDDEN,
        other_officer=FORBIDDEN,
        far_officer=FORBIDDEN,
        panel_member=OK,
        board_member=FORBIDDEN,
        far_board_member=FORBIDDEN,
        monitor=OK,
        dwo_board_member=FORBIDDEN,
        board_panel_member=OK,
    ),
    row(
        "board:queue",
        "get",
        **{
            **BOARD_ACTION,
            "board_member": OK,
            "far_board_member": OK,
            "monitor": OK,
            "dwo_board_member": OK,
            "board_panel_member": OK,
        },
    ),
    row("board:session-approve", "post", **BOARD_ACTION),
    row("board:session-return", "post", **BOARD_ACTION),
    row("board:session-reject", "post", **BOARD_ACTION),
    row("board:series-approve", "post", **BOARD_ACTION),
    row("board:month-approve", "post", **BOARD_ACTION),
    # An Enhanced site's page (issue 15): the SNB of its borough only; monitoring staff get 404 too.
    row(
        "board:designation",
        "get",
        **{
            **BOARD_ACTION,
            **dict.fromkeys(["board_member", "dwo_board_member", "board_panel_member"], OK),
            "monitor": NOT_FOUND,
        },
    ),
    row(
        "board:designations",
        "get",
        # the list of the member's own boroughs' sites (empty for the far member and monitoring staff)
        **{**BOARD_ACTION, **dict.fromkeys(["board_member", "far_board_member", "monitor"], OK)}
        | dict.fromkeys(["dwo_board_member", "board_panel_member"], OK),
    ),
    row("board:designation-confirm", "post", **BOARD_ACTION),
    row("board:designation-unconfirm", "post", **BOARD_ACTION),
    row("board:designation-move", "post", **BOARD_ACTION),
    # Monitoring: DWOs read their wards, SNB members their boroughs, monitoring staff all
    # London; Ward Panel members have no monitoring scope.
    row("monitoring:index", "get", **{**SEES_OWN, **LANDS_ELSEWHERE}),  # SNB and monitoring: their first page
    row("monitoring:london", "get", **{**NOBODY, "monitor": OK}),
    row(
        "monitoring:borough",
        "get",
        **{**NOBODY, "board_member": OK, "monitor": OK, "dwo_board_member": OK, "board_panel_member": OK},
    ),
    row("monitoring:ward", "get", **{**MONITOR_WARD, "board_member": OK}),
    row("monitoring:looking-ahead", "get", **SEES_OWN),
    row("monitoring:exemptions", "get", **SEES_OWN),
    row(
        "monitoring:exemption-propose",
        "post",
        # not their ward: form error
        **{**NOBODY, "officer": REDIRECT, "other_officer": BAD, "far_officer": BAD, "dwo_board_member": REDIRECT},
    ),
    row(
        "monitoring:exemption-decide",
        "post",
        **{
            **MONITOR_WARD,
            "officer": FORBIDDEN,
            "board_member": REDIRECT,
            "monitor": FORBIDDEN,
            "dwo_board_member": REDIRECT,  # a colleague's exemption: theirs to decide
            "board_panel_member": REDIRECT,
        },
    ),
    row("monitoring:london-period-declare", "post", **{**NOBODY, "monitor": REDIRECT}),  # only monitoring staff
    row("monitoring:outcome-summary", "get", **SEES_OWN),
    row("monitoring:outcome-reminders", "get", **SEES_OWN),
    row("monitoring:abstraction-log", "get", **SEES_OWN),
    row("monitoring:outcome-record", "get", **OWN_WARD_OUTCOME),
    row("monitoring:outcome-record", "post", **{**OWN_WARD_OUTCOME, "officer": REDIRECT, "dwo_board_member": REDIRECT}),
    row("monitoring:roster", "get", **SEES_OWN),
    # Monitoring staff and SNB members (each sees their own boroughs' sites); not DWOs or panels.
    row(
        "monitoring:enhanced-trial",
        "get",
        **{
            **ALL_READ,
            "officer": FORBIDDEN,
            "other_officer": FORBIDDEN,
            "far_officer": FORBIDDEN,
            "panel_member": FORBIDDEN,
        },
    ),
    row("monitoring:assignment-end", "get", **END_ASSIGNMENT),
    row(
        "monitoring:assignment-end",
        "post",
        **{**END_ASSIGNMENT, "board_member": REDIRECT, "dwo_board_member": REDIRECT, "board_panel_member": REDIRECT},
    ),
    # The public side, the postcode look-up and the open-data API: the same for everyone.
    *(
        row(name, "get", **EVERYONE)
        for name in (
            "public:home",
            "public:borough",
            "public:borough-ical",
            "public:borough-print",
            "public:borough-qr",
            "public:borough-embed",
            "public:ward",
            "public:ward-ical",
            "public:ward-poster",
            "public:ward-qr",
            "public:ward-share",
            "public:ward-embed",
            "public:session",
            "public:session-ical",
            "locate:postcode",
            "api:forces",
            "api:force",
            "api:locate-neighbourhood",
            "api:sessions-csv",
            "api:neighbourhoods",
            "api:neighbourhood",
            "api:events",
            "api:people",
            "api:priorities",
        )
    ),
    row("locate:locate", "get", **dict.fromkeys(PERSONAS, REDIRECT)),  # to the ward of the nearest postcode
    # E-mail alerts: public pages, the same for everyone; the links carry their own proof.
    *(
        row(name, "get", **EVERYONE)
        for name in ("alerts:subscribe", "alerts:confirm", "alerts:unsubscribe", "alerts:leave", "alerts:privacy")
    ),
    # The ward team's public side (issue 16): priorities for the ward's panel and DWOs, contact
    # details for its DWOs, a profile for every officer (their own).
    row("officer:priorities", "get", **TEAM_READ),
    row("officer:priorities", "post", **{**TEAM_READ, **PANEL_WRITES, **DWO_CANNOT}),
    row("officer:priority-edit", "get", **TEAM_READ),
    row("officer:priority-edit", "post", **{**TEAM_READ, **PANEL_WRITES, **DWO_WRITES}),
    row("officer:priority-retire", "post", **{**TEAM_READ, **PANEL_WRITES, **DWO_CANNOT}),
    row("officer:team-contact", "get", **OFFICER_ONLY_WARD),
    row("officer:team-contact", "post", **OFFICER_ACTION),
    row("officer:profile", "get", **OWN_PROFILE),
    row("officer:profile", "post", **{p: REDIRECT if a == OK else a for p, a in OWN_PROFILE.items()}),
    row("officer:session-priority", "post", **OFFICER_ACTION),
]

GET_ONLY = {
    "officer:home",
    "officer:session-detail",
    "panel:ward",
    "board:queue",
    "board:designation",
    "board:designations",
}
POST_ONLY = {
    "officer:priority-retire",
    "officer:session-priority",
    "officer:session-withdraw",
    "officer:session-cancel",
    "officer:session-comment",
    "board:session-approve",
    "board:session-return",
    "board:session-reject",
    "board:series-approve",
    "board:month-approve",
    "board:designation-confirm",
    "board:designation-unconfirm",
    "board:designation-move",
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
    held = make_session(timezone.now() - dt.timedelta(days=3), status=SessionStatus.APPROVED)
    this_week = week_start_of(timezone.localdate())
    exemption = WeekExemption.objects.create(ward=ward, week_start=this_week, reason="Carnival", proposed_by=officer)
    Postcode.objects.create(
        postcode="NW1 1EE", ward_code=ward.code, borough_code=ward.borough.code, latitude=51.532021, longitude=-0.130622
    )
    return {
        "users": users,
        "proposal": proposal,
        "approved": approved,
        "held": held,
        "series": series,
        "ward": ward,
        "exemption": exemption,
        "assignment": WardAssignment.objects.get(officer__user=officer, ward=ward),
        "next_week": this_week + dt.timedelta(weeks=1),
    }


OUTCOME = {
    "held": "yes",
    "attendance": 3,
    "crimes_reported": 0,
    "advice_given": 1,
    "property_marked": 0,
    "signposted": 0,
}


def public_url(name: str, world: dict) -> tuple[str, dict]:
    """URLs of the public side, the postcode look-up and the API."""
    ward, approved = world["ward"], world["approved"]
    by_name = {
        "public:home": ([], {}),
        "public:borough": ([ward.borough.code], {}),
        "public:borough-ical": ([ward.borough.code], {}),
        "public:borough-print": ([ward.borough.code], {}),
        "public:borough-qr": ([ward.borough.code], {}),
        "public:borough-embed": ([ward.borough.code], {}),
        "public:session": ([approved.pk], {}),
        "public:session-ical": ([approved.pk], {}),
        "locate:postcode": ([], {}),
        "locate:locate": ([], {"lat": "51.53205", "lng": "-0.13058"}),
        "api:forces": ([], {}),
        "api:force": (["metropolitan"], {}),
        "api:locate-neighbourhood": ([], {"q": "51.53205,-0.13058"}),
        "api:sessions-csv": ([], {}),
        "api:neighbourhoods": ([], {}),
    }
    args, query = by_name.get(name, ([ward.code], {}))
    return reverse(name, args=args), query


def alerts_url(name: str, world: dict) -> tuple[str, dict]:
    from contactsessions.alerts import tokens

    ward = world["ward"]
    if name == "alerts:subscribe":
        return reverse(name, args=[ward.code]), {}
    if name == "alerts:confirm":
        return reverse(name, args=[tokens.confirm_token(email="r@example.org", ward_id=ward.pk, frequency="each")]), {}
    if name == "alerts:unsubscribe":
        return reverse(name, args=[tokens.unsubscribe_token(subscriber_id=1, ward_ids=[ward.pk])]), {}
    return reverse(name), {}


def monitoring_url(name: str, world: dict) -> tuple[str, dict]:
    ward = world["ward"]
    if name == "monitoring:borough":
        return reverse(name, args=[ward.borough.code]), {}
    if name == "monitoring:ward":
        return reverse(name, args=[ward.code]), {}
    if name == "monitoring:exemption-propose":
        return reverse(name), {"ward": ward.pk, "week": world["next_week"].isoformat(), "reason": "Carnival"}
    if name == "monitoring:london-period-declare":
        week = world["next_week"].isoformat()
        return reverse(name), {"reason": "Notting Hill Carnival", "first_day": week, "last_day": week}
    if name == "monitoring:exemption-decide":
        return reverse(name, args=[world["exemption"].pk]), {"decision": "agree"}
    if name == "monitoring:outcome-record":
        return reverse(name, args=[world["held"].pk]), OUTCOME
    if name == "monitoring:assignment-end":
        return reverse(name, args=[world["assignment"].pk]), {"end_date": timezone.localdate().isoformat()}
    return reverse(name), {}


def designation_url(name: str, world: dict) -> tuple[str, dict]:
    """An Enhanced site in ``ward`` (made here: other rows' sessions would leave its pattern)."""
    from contactsessions.models import EnhancedDesignation, EnhancedSlot
    from venues.models import Venue

    ward = world["ward"]
    venue = world["approved"].venue
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(18), end_time=dt.time(19))
    if name == "board:designations":
        return reverse(name), {}
    if name != "board:designation-move":
        return reverse(name, args=[designation.pk]), {}
    library = Venue.objects.create(name="Somers Town Library", address="Chalton Street", postcode="NW1 1EE", ward=ward)
    moves_on = timezone.localdate() + dt.timedelta(days=20)
    return reverse(name, args=[designation.pk]), {"venue": library.pk, "moves_on": moves_on.isoformat()}


def url_and_data(name: str, world: dict) -> tuple[str, dict]:
    """The URL for ``name`` in ``world``, and the data to send (POST body, or GET query)."""
    if name.split(":")[0] in ("public", "locate", "api"):
        return public_url(name, world)
    if name.startswith("alerts:"):
        return alerts_url(name, world)
    if name.startswith("monitoring:"):
        return monitoring_url(name, world)
    if name.startswith("board:designation"):
        return designation_url(name, world)
    if name in TEAM_URLS:
        return team_url(name, world)
    proposal, approved, ward = world["proposal"], world["approved"], world["ward"]
    start = proposal.start
    if name in ("officer:home", "board:queue"):
        return reverse(name), {}
    if name in ("officer:session-propose", "officer:series-propose"):
        return reverse(name, args=[ward.pk]), {}
    if name == "panel:ward":
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


TEAM_URLS = {
    "officer:priorities",
    "officer:priority-edit",
    "officer:priority-retire",
    "officer:team-contact",
    "officer:profile",
    "officer:session-priority",
}


def team_url(name: str, world: dict) -> tuple[str, dict]:
    from wards.models import WardPriority

    ward = world["ward"]
    today = timezone.localdate()
    priority = WardPriority.objects.create(ward=ward, issue="Burglary", issue_date=today - dt.timedelta(days=7))
    if name == "officer:priorities":
        return reverse(name, args=[ward.pk]), {"issue": "Speeding", "issue_date": today.isoformat()}
    if name == "officer:priority-edit":
        data = {"issue": "Burglary", "issue_date": priority.issue_date.isoformat()}
        return reverse(name, args=[priority.pk]), {**data, "action": "Leaflets", "action_date": today.isoformat()}
    if name == "officer:priority-retire":
        return reverse(name, args=[priority.pk]), {}
    if name == "officer:team-contact":
        return reverse(name, args=[ward.pk]), {"email": "team@example.org", "telephone": "020 7946 0000"}
    if name == "officer:profile":
        return reverse(name), {"public_name": "A Name", "bio": "Hello"}
    return reverse(name, args=[world["proposal"].pk]), {"priority": priority.pk}


@pytest.mark.parametrize(("name", "method", "answers"), MATRIX)
def test_role_matrix(client, world, name, method, answers):
    url, data = url_and_data(name, world)
    wrong = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(world["users"][persona])
        with transaction.atomic():
            response = client.get(url, data) if method == "get" else client.post(url, data)
            transaction.set_rollback(True)  # the next persona meets the same world
        problem = mismatch(response, answers[persona])
        if problem:
            wrong.append(f"{persona}: {problem}")
    assert not wrong, f"{method.upper()} {url}: " + "; ".join(wrong)


def mismatch(response, expected) -> str | None:
    location = response.get("Location", "")
    if expected == LOGIN:
        if response.status_code != 302 or not location.startswith(reverse("login")):
            return f"expected the log-in page, got {response.status_code} {location}"
        return None
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code} {location}"
    if expected == REDIRECT and location.startswith(reverse("login")):
        return "sent to the log-in page"
    return None


def all_url_names() -> set[str]:
    """Every named URL in a namespace of ours (the admin has its own permissions), the public
    ones inside the language prefixes (``i18n_patterns``, a resolver without a namespace) too."""
    names = set()
    resolvers = list(get_resolver().url_patterns)
    while resolvers:
        resolver = resolvers.pop()
        if not isinstance(resolver, URLResolver) or resolver.namespace == "admin":
            continue
        if resolver.namespace:
            names |= {f"{resolver.namespace}:{p.name}" for p in resolver.url_patterns if isinstance(p, URLPattern)}
        else:
            resolvers.extend(resolver.url_patterns)
    return names


def test_every_url_is_in_the_matrix():
    assert all_url_names() == {param.values[0] for param in MATRIX}


PUBLIC_ROWS = [param for param in MATRIX if param.values[0].split(":")[0] in ("public", "locate")]


@pytest.mark.parametrize("language", ["pl", "ro", "ar", "tr"])
def test_public_pages_in_every_language_answer_as_in_english(client, world, language):
    """The same answers at /pl/..., /ro/..., /ar/..., /tr/... as at the English address, for everyone."""
    wrong = []
    for param in PUBLIC_ROWS:
        name, _method, answers = param.values
        with translation.override(language):
            url, data = url_and_data(name, world)
        assert url.startswith(f"/{language}/"), url
        for persona in ("anonymous", "officer", "monitor"):
            client.logout()
            if persona != "anonymous":
                client.force_login(world["users"][persona])
            problem = mismatch(client.get(url, data), answers[persona])
            if problem:
                wrong.append(f"{url} {persona}: {problem}")
    assert not wrong, "; ".join(wrong)


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
