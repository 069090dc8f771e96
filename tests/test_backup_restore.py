"""Backup and restore (docs/deploy.md): a restored database serves the same ward pages.

Two routes, both as documented:

* ``manage.py dumpdata`` to gzipped JSON, then ``flush`` and ``restore_backup`` (the portable
  route, for SQLite or moving between databases);
* ``pg_dump --format=custom`` and ``pg_restore`` into a fresh PostgreSQL database
  (production), checked by serving the ward page from the restored copy in a subprocess.

The data must be committed for the dump to see it, so these tests are transactional.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from contactsessions.lib.scopes import GENERATION_KEY, read_tokens
from contactsessions.models import CommentKind, ContactSession, SessionComment, SessionStatus
from tests.conftest import london

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "deploy.md").read_text()

# Exactly the options docs/deploy.md gives (checked below, so the two cannot drift apart).
DUMPDATA_OPTIONS = ["--natural-foreign", "--exclude", "contenttypes", "--exclude", "auth.permission"]
DUMPDATA_OPTIONS += ["--exclude", "sessions"]


def _strip_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.fixture
def schedule(ward, venue, officer, second_officer, board_member, monitor, make_session, soon):
    """A ward with approved, proposed and cancelled sessions, two officers and comments."""
    start = london(soon.year, soon.month, soon.day, 10)
    approved = make_session(start, description="Bring your bike for marking.")
    approved.officers.add(second_officer.officer)
    make_session(start.replace(hour=14), status=SessionStatus.PROPOSED)
    make_session(start + dt.timedelta(days=8), minutes=90, description="Evening surgery")
    cancelled = make_session(
        london(soon.year, soon.month, soon.day, 18), status=SessionStatus.CANCELLED, cancellation_reason="Flooding"
    )
    SessionComment.objects.create(session=cancelled, author=officer, kind=CommentKind.CANCELLED, text="Flooding")
    return approved


def _pages(client, ward, session) -> dict[str, str]:
    urls = {
        "ward": reverse("public:ward", args=[ward.code]),
        "session": reverse("public:session", args=[session.pk]),
        "ical": reverse("public:ward-ical", args=[ward.code]),
        "api": f"/api/metropolitan/{ward.code}/events",
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = _strip_tokens(response.content.decode())
    return pages


def test_documented_dumpdata_options_are_the_ones_tested():
    block = DOCS[DOCS.index("## Backup and restore") :]
    command = re.search(r"manage\.py dumpdata (.*?)--output (\S+)", block.replace("\\\n", " "), re.S)
    assert command, "docs/deploy.md no longer shows the dumpdata command"
    assert command.group(1).split() == DUMPDATA_OPTIONS
    assert command.group(2).endswith(".json.gz")


def test_dumpdata_flush_loaddata_serves_the_same_ward_pages(client, schedule, ward, tmp_path):
    before = _pages(client, ward, schedule)
    assert "Alice Adams" in before["ward"] and "Anna Achebe" in before["ward"]
    assert "Somers Town Community Centre" in before["ward"]
    counts = ContactSession.objects.count(), SessionComment.objects.count()

    backup = tmp_path / "backup.json.gz"
    call_command("dumpdata", *DUMPDATA_OPTIONS, "--output", str(backup), verbosity=0)
    with gzip.open(backup, "rt") as dump:
        models = {row["model"] for row in json.load(dump)}
    assert {"contactsessions.contactsession", "wards.ward", "venues.venue", "auth.user"} <= models

    call_command("flush", "--no-input", verbosity=0)
    assert not ContactSession.objects.exists()
    generation = read_tokens([GENERATION_KEY])[GENERATION_KEY]
    call_command("restore_backup", str(backup), verbosity=0)
    # Raw saves send no change signals: the restore itself forgets every cached page and figure.
    assert read_tokens([GENERATION_KEY])[GENERATION_KEY] != generation

    assert (ContactSession.objects.count(), SessionComment.objects.count()) == counts
    assert _pages(client, ward, schedule) == before


def _pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for directory in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (directory / name).exists():
            return str(directory / name)
    return None


def _libpq_url(database: str) -> str:
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or settings.get("OPTIONS", {}).get("host") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    if host.startswith("/"):
        return f"postgresql://{user}@{port}/{database}?host={host}"
    return f"postgresql://{user}@{host}{port}/{database}"


@pytest.mark.skipif(not (_pg_tool("pg_dump") and _pg_tool("pg_restore")), reason="pg_dump/pg_restore not installed")
def test_pg_dump_and_pg_restore_serve_the_same_ward_page(client, schedule, ward, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    before = _pages(client, ward, schedule)["ward"]
    source = connection.settings_dict["NAME"]
    restored = f"restored_{uuid.uuid4().hex[:8]}"
    password = {"PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}
    env = {**os.environ, **password}
    dump = tmp_path / "contactsessions.dump"

    with dump.open("wb") as out:
        subprocess.run(  # noqa: S603 - fixed argv
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", _libpq_url(source)],
            stdout=out,
            check=True,
            env=env,
            timeout=120,
        )
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(  # noqa: S603 - fixed argv
            [_pg_tool("pg_restore"), "--no-owner", f"--dbname={_libpq_url(restored)}", str(dump)],
            check=True,
            env=env,
            timeout=120,
            capture_output=True,
        )
        # Serve the ward page from the restored copy, in a process of its own.
        script = (
            "import django; django.setup();"
            "from django.test import Client;"
            f"r = Client().get('/wards/{ward.code}/');"
            "import sys; sys.stdout.write(r.content.decode())"
        )
        served = subprocess.run(  # noqa: S603 - fixed argv, our own code
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**env, "DATABASE_URL": _libpq_url(restored), "DJANGO_SETTINGS_MODULE": "contactsessions.settings"},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert _strip_tokens(served.stdout) == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
