"""Shared personas and data for the tests.

Personas, after healthchecks' Alice, Bob and Charlie:

* ``officer``: a DWO of ``ward`` (St Pancras and Somers Town, Camden);
* ``other_officer``: a DWO of ``other_ward`` (Belsize, Camden) only;
* ``far_officer``: a DWO of ``far_ward`` (Hackney Central, Hackney);
* ``panel_member``: on ``ward``'s Ward Panel;
* ``board_member``, ``other_board_member``: on Camden's SNB;
* ``far_board_member``: on Hackney's SNB;
* ``monitor``: monitoring staff (all London, read-only);
* ``dwo_board_member``: two roles, a DWO of ``ward`` and on Camden's SNB;
* ``board_panel_member``: two roles, on Camden's SNB and on ``ward``'s Ward Panel;
* anonymous: the ``client`` fixture, not logged in.

The wards are real ONS wards; tests create only the few they need.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from contactsessions.models import ContactSession, SessionStatus
from contactsessions.permissions import MONITORING_GROUP
from contactsessions.rules import LONDON
from venues.models import Venue, VenueKind
from wards.models import BoardMembership, Borough, Officer, PanelMembership, Ward, WardAssignment

PASSWORD = "a-long-test-password-42"


def pytest_report_header(config):
    """Say which database the suite runs on, so a run on the wrong one is seen at once."""
    from django.db import connection

    settings = connection.settings_dict
    where = settings.get("HOST") or settings.get("NAME")
    return f"database: {connection.vendor} ({where})"


def pytest_configure(config):
    """``make test`` asks for PostgreSQL (TEST_DATABASE_VENDOR): refuse to run on anything else,
    never fall back quietly to the SQLite of a development checkout."""
    wanted = os.environ.get("TEST_DATABASE_VENDOR")
    if not wanted or os.environ.get("EDGES_ON_SQLITE") == "1":  # the SQLite run of test_hostile_edges
        return
    from django.db import connection

    if connection.vendor != wanted:
        raise pytest.UsageError(
            f"The tests must run on {wanted} but DATABASE_URL gives {connection.vendor}: "
            "start the test database with scripts/postgres.sh (make test does)."
        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **extra
    )


def make_officer(username: str, ward: Ward, *, public_name: str | None = None, start: dt.date | None = None):
    user = make_user(username)
    officer = Officer.objects.create(user=user, public_name=public_name or username.title(), rank="PC")
    WardAssignment.objects.create(officer=officer, ward=ward, start=start or dt.date(2020, 1, 1))
    return user


@pytest.fixture
def camden(db):
    return Borough.objects.create(code="E09000007", name="Camden", slug="camden")


@pytest.fixture
def hackney(db):
    return Borough.objects.create(code="E09000012", name="Hackney", slug="hackney")


@pytest.fixture
def ward(camden):
    return Ward.objects.create(
        code="E05000143",
        name="St Pancras and Somers Town",
        borough=camden,
        ward_set="2014",
        latitude="51.533000",
        longitude="-0.130000",
    )


@pytest.fixture
def other_ward(camden):
    return Ward.objects.create(
        code="E05000128", name="Belsize", borough=camden, ward_set="2014", latitude="51.547", longitude="-0.166"
    )


@pytest.fixture
def far_ward(hackney):
    return Ward.objects.create(
        code="E05009372", name="Hackney Central", borough=hackney, ward_set="2014", latitude="51.547", longitude="-0.05"
    )


@pytest.fixture
def venue(ward):
    return Venue.objects.create(
        name="Somers Town Community Centre",
        address="150 Ossulston Street",
        postcode="NW1 1EE",
        ward=ward,
        kind=VenueKind.COMMUNITY_CENTRE,
        step_free=True,
    )


@pytest.fixture
def other_venue(other_ward):
    return Venue.objects.create(
        name="Belsize Library", address="Antrim Grove", postcode="NW3 4XN", ward=other_ward, kind=VenueKind.LIBRARY
    )


@pytest.fixture
def officer(ward):
    """Alice: a DWO of ``ward``."""
    return make_officer("alice", ward, public_name="Alice Adams")


@pytest.fixture
def second_officer(ward):
    """Anna: the other DWO of ``ward``."""
    return make_officer("anna", ward, public_name="Anna Achebe")


@pytest.fixture
def other_officer(other_ward):
    """Bob: a DWO of ``other_ward`` (same borough, other ward)."""
    return make_officer("bob", other_ward, public_name="Bob Brown")


@pytest.fixture
def far_officer(far_ward):
    """Charlie: a DWO in another borough."""
    return make_officer("charlie", far_ward, public_name="Charlie Clark")


@pytest.fixture
def panel_member(ward):
    user = make_user("pat")
    PanelMembership.objects.create(user=user, ward=ward)
    return user


@pytest.fixture
def board_member(camden):
    user = make_user("sally")
    BoardMembership.objects.create(user=user, borough=camden)
    return user


@pytest.fixture
def other_board_member(camden):
    user = make_user("steve")
    BoardMembership.objects.create(user=user, borough=camden)
    return user


@pytest.fixture
def far_board_member(hackney):
    user = make_user("harry")
    BoardMembership.objects.create(user=user, borough=hackney)
    return user


@pytest.fixture
def dwo_board_member(ward):
    """Dora: a DWO of ``ward`` who also sits on Camden's SNB (four eyes must still hold)."""
    user = make_officer("dora", ward, public_name="Dora Dobbs")
    BoardMembership.objects.create(user=user, borough=ward.borough)
    return user


@pytest.fixture
def board_panel_member(ward):
    """Paul: on Camden's SNB and on ``ward``'s Ward Panel."""
    user = make_user("paul")
    BoardMembership.objects.create(user=user, borough=ward.borough)
    PanelMembership.objects.create(user=user, ward=ward)
    return user


@pytest.fixture
def monitor(db):
    user = make_user("mona")
    # get_or_create: a transactional test's flush removes the group the data migration made.
    user.groups.add(Group.objects.get_or_create(name=MONITORING_GROUP)[0])
    return user


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def make_session(ward, venue, officer):
    """Build a session in ``ward`` at ``venue`` run by ``officer``; override anything."""

    def build(start: dt.datetime, minutes: int = 60, status: str = SessionStatus.APPROVED, **extra):
        fields = {"ward": ward, "venue": venue, "created_by": officer, "status": status}
        fields.update(extra)
        session = ContactSession.objects.create(start=start, end=start + dt.timedelta(minutes=minutes), **fields)
        session.officers.add(officer.officer)
        return session

    return build


# --- Postcodes (OS Code-Point Open) -------------------------------------------------
# The file is parsed once per test session (a few seconds); each test that asks for
# ``postcodes`` then writes only a few districts to the table, inside its transaction.
POSTCODE_TEST_DISTRICTS = ("EN4", "EN3", "CR8", "HA5", "NW1")


@pytest.fixture(scope="session")
def postcode_rows():
    """Every live postcode with its 2014 ward, newer ones placed by nearest neighbour."""
    from django.conf import settings

    from wards.postcode_loader import read_postcodes

    return read_postcodes(settings.REFERENCE_DATA_DIR / "london_postcodes.csv.gz", "2014")


@pytest.fixture(scope="session")
def city_postcode_rows():
    """The City of London's postcodes, as load_postcodes adds them to every load."""
    from django.conf import settings

    from wards.postcode_loader import read_city_postcodes

    return read_city_postcodes(settings.REFERENCE_DATA_DIR / "city_of_london_postcodes.csv")


@pytest.fixture
def postcodes(db, postcode_rows, city_postcode_rows):
    """The Postcode table holding POSTCODE_TEST_DISTRICTS and the City of London's postcodes;
    call it to load other districts instead (``prefixes=True``: every district starting so)."""
    from wards.postcode_loader import write_postcodes

    def load(*districts: str, prefixes: bool = False) -> None:
        wanted = set(districts)
        if prefixes:
            rows = [row for row in postcode_rows if row.postcode.startswith(tuple(wanted))]
        else:
            rows = [row for row in postcode_rows if row.postcode.split(" ")[0] in wanted]
        write_postcodes(rows + city_postcode_rows)

    load(*POSTCODE_TEST_DISTRICTS)
    return load


@pytest.fixture
def enfield_ward(db):
    """Cockfosters (Enfield), the 2014 ward that new postcode EN4 0AW is placed in."""
    enfield = Borough.objects.create(code="E09000010", name="Enfield", slug="enfield")
    return Ward.objects.create(code="E05000196", name="Cockfosters", borough=enfield, ward_set="2014")


@pytest.fixture
def soon() -> dt.date:
    """The Monday two weeks from now (London), so back-office tests never schedule in the past."""
    from django.utils import timezone

    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=2)


# --- Hypothesis (hostile-input tests) -----------------------------------------------
# Bounded and derandomised so CI runs the same examples every time, quickly; no example
# database is written into the checkout. Tests that take pytest fixtures also pass
# ``suppress_health_check=[HealthCheck.function_scoped_fixture]`` and undo each
# example's writes themselves (see tests/hostile.py).
from hypothesis import HealthCheck as _HealthCheck  # noqa: E402
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile(
    "contactsessions",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[_HealthCheck.function_scoped_fixture, _HealthCheck.too_slow],
)
_hypothesis_settings.load_profile("contactsessions")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache, so public pages are built from its own data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
