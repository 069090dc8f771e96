"""The public cache on Redis, as production runs it with REDIS_URL set.

With the default local-memory cache every process keeps its own generation; on Redis
there is one for all of them, so a write made by one gunicorn worker, a cron job or a
management command reaches the pages every other process serves at once.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.contactsessions.lib.conftest import use_redis
from venues.models import Venue

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def bump_in_another_process(redis_url: str) -> None:
    """What a second worker does after a write: bump the generation, in its own process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "contactsessions.settings",
        "REDIS_URL": redis_url,
        "DATABASE_URL": "sqlite:///:memory:",
    }
    code = "import django; django.setup(); from contactsessions.lib.public_cache import public_cache_bump as b; b()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=60)  # noqa: S603


def test_pages_are_kept_in_redis_and_served_without_queries(client, redis_cache, ward, make_session,
                                                            django_assert_num_queries):  # fmt: skip
    make_session(timezone.now() + dt.timedelta(days=2))
    url = reverse("public:ward", args=[ward.code])
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert dict(second.items()) == dict(first.items())


def test_a_bump_in_another_process_reaches_this_one(client, redis_cache, redis_url, ward, venue, make_session):
    make_session(timezone.now() + dt.timedelta(days=2))
    url = reverse("public:ward", args=[ward.code])
    assert venue.name in client.get(url).content.decode()
    # A change this process does not hear about: QuerySet.update() sends no signal.
    Venue.objects.filter(pk=venue.pk).update(name="Renamed Hall")
    assert "Renamed Hall" not in client.get(url).content.decode()
    bump_in_another_process(redis_url)
    assert "Renamed Hall" in client.get(url).content.decode()


def test_pages_are_served_from_the_database_while_redis_is_down(client, settings, tmp_path, ward, make_session):
    session = make_session(timezone.now() + dt.timedelta(days=2))
    use_redis(settings, f"unix://{tmp_path}/no-redis-here.sock")
    url = reverse("public:ward", args=[ward.code])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert session.venue.name in response.content.decode()


def test_a_redis_that_never_answers_costs_timeouts_not_the_page(client, settings, tmp_path, ward, make_session):
    session = make_session(timezone.now() + dt.timedelta(days=2))
    path = tmp_path / "hung-redis.sock"
    hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hung.bind(str(path))
    hung.listen(16)  # connections are queued, never accepted, never answered
    try:
        use_redis(settings, f"unix://{path}")
        response = client.get(reverse("public:ward", args=[ward.code]))
    finally:
        hung.close()
    assert response.status_code == 200
    assert session.venue.name in response.content.decode()
