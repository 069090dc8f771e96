"""Each process's mirror of the scope tokens, kept current by Redis pub/sub (lib.token_mirror).

A hit on the public cache on Redis reads its tokens from the mirror, with no round trip; a bump
anywhere (this process, another one, a ``cache.clear()``) makes every mirror forget what it
names before its next use, and a mirror that cannot hear Redis is not used at all.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.urls import reverse
from django.utils import timezone

from contactsessions.lib import token_mirror
from contactsessions.lib.scopes import public_cache_bump, read_tokens, token_key, ward_scope
from venues.models import Venue

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def trusted(mirror: token_mirror.TokenMirror) -> None:
    """Wait (briefly) until the mirror's subscription is confirmed and heard: it is then used."""
    mirror.failed = -math.inf  # an earlier test may have broken it: subscribe again at once
    for _ in range(200):
        with mirror.lock:
            if mirror._sync():
                return
        time.sleep(0.005)
    pytest.fail("the token subscription was never confirmed")


def holding(mirror: token_mirror.TokenMirror, key: str, token: str) -> token_mirror.TokenMirror:
    """The mirror, trusted, holding ``token`` for ``key`` as if it had been read from Redis."""
    trusted(mirror)
    epoch, _ = mirror.lookup([key])
    mirror.keep(epoch, {key: token})
    return mirror


def in_another_process(redis_url: str, code: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "contactsessions.settings",
        "REDIS_URL": redis_url,
        "DATABASE_URL": "sqlite:///:memory:",
    }
    setup = "import django; django.setup(); from django.core.cache import cache; "
    subprocess.run([sys.executable, "-c", setup + code], cwd=ROOT, env=env, check=True, timeout=60)  # noqa: S603


class CountingCalls:
    """Counts the cache calls that go to Redis."""

    def __init__(self, monkeypatch, backend) -> None:
        self.calls: list[str] = []
        for name in ("get", "get_many", "add", "set", "set_many"):
            original = getattr(backend, name)
            monkeypatch.setattr(backend, name, self._counted(name, original))

    def _counted(self, name, original):
        def counted(*args, **kwargs):
            self.calls.append(name)
            return original(*args, **kwargs)

        return counted


def test_the_redis_cache_has_a_mirror_and_local_memory_none(redis_cache, settings):
    assert isinstance(cache.token_mirror, token_mirror.TokenMirror)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert getattr(cache, "token_mirror", None) is None


def test_a_hit_on_a_page_this_process_holds_costs_no_round_trip(client, redis_cache, ward, make_session, monkeypatch):
    make_session(timezone.now() + dt.timedelta(days=2))
    url = reverse("public:ward", args=[ward.code])
    trusted(cache.token_mirror)
    first = client.get(url)
    client.get(url)  # the tokens read for it are now mirrored
    calls = CountingCalls(monkeypatch, caches["default"])
    second = client.get(url)
    assert second.content == first.content
    assert calls.calls == []


def test_a_bump_in_this_process_is_seen_at_once(client, redis_cache, ward, venue, make_session):
    make_session(timezone.now() + dt.timedelta(days=2))
    url = reverse("public:ward", args=[ward.code])
    trusted(cache.token_mirror)
    client.get(url)
    client.get(url)
    Venue.objects.filter(pk=venue.pk).update(name="Renamed Hall")  # no signal: the page is kept
    assert "Renamed Hall" not in client.get(url).content.decode()
    public_cache_bump(ward_scope(ward.pk))
    assert "Renamed Hall" in client.get(url).content.decode()


def test_a_scoped_bump_in_another_process_reaches_the_mirror(client, redis_cache, redis_url, ward, venue, make_session):
    make_session(timezone.now() + dt.timedelta(days=2))
    url = reverse("public:ward", args=[ward.code])
    trusted(cache.token_mirror)
    client.get(url)
    client.get(url)
    key = token_key(ward_scope(ward.pk))
    assert key in cache.token_mirror.values
    Venue.objects.filter(pk=venue.pk).update(name="Renamed Hall")
    in_another_process(
        redis_url, f"from contactsessions.lib.scopes import public_cache_bump; public_cache_bump('ward:{ward.pk}')"
    )
    assert "Renamed Hall" in client.get(url).content.decode()


def test_a_clear_in_another_process_empties_the_mirror(redis_cache, redis_url):
    key = token_key(ward_scope(1))
    trusted(cache.token_mirror)
    before = read_tokens([key])[key]
    read_tokens([key])
    assert cache.token_mirror.values[key][0] == before
    in_another_process(redis_url, "cache.clear()")
    after = read_tokens([key])[key]
    assert after != before


def test_a_token_read_while_a_bump_arrives_is_not_kept(redis_cache):
    mirror = cache.token_mirror
    trusted(mirror)
    epoch, held = mirror.lookup(["a"])
    assert held == {}
    with mirror.lock:
        mirror._forget(["a"])  # a bump heard between the lookup and the read from Redis
    mirror.keep(epoch, {"a": "old token"})
    assert "a" not in mirror.values


def test_a_mirror_that_has_not_heard_from_redis_lately_is_not_used(redis_cache, monkeypatch):
    mirror = holding(cache.token_mirror, "a", "token")
    assert mirror.lookup(["a"])[1] == {"a": "token"}
    now = time.monotonic()
    # Silence: no message, not even the answer to a PING, for longer than TRUST_FOR.
    monkeypatch.setattr(mirror.pubsub, "get_message", lambda timeout=0.0: None)
    monkeypatch.setattr(token_mirror.time, "monotonic", lambda: now + token_mirror.TRUST_FOR + 1)
    assert mirror.lookup(["a"])[1] == {}


def test_a_broken_subscription_drops_everything_and_reads_from_redis(redis_cache, monkeypatch):
    import redis

    mirror = holding(cache.token_mirror, "a", "token")

    def broken(timeout=0.0):
        raise redis.ConnectionError("gone")

    monkeypatch.setattr(mirror.pubsub, "get_message", broken)
    assert mirror.lookup(["a"]) == (None, {})
    assert mirror.values == {} and mirror.pubsub is None
    # Until it subscribes again (RETRY_AFTER), tokens come from Redis, and are not kept.
    key = token_key(ward_scope(2))
    assert read_tokens([key])[key] is not None
    assert mirror.values == {}


def test_a_token_is_read_again_after_a_minute_even_if_no_bump_was_heard(redis_cache, monkeypatch):
    """A bump whose publish failed (set in Redis, never announced) reaches the mirror within MAX_AGE."""
    mirror = holding(cache.token_mirror, "a", "token")
    assert mirror.lookup(["a"])[1] == {"a": "token"}
    later = time.monotonic() + token_mirror.MAX_AGE + 1
    monkeypatch.setattr(token_mirror.time, "monotonic", lambda: later)
    mirror.heard = later  # the subscription is alive: only the token's age stops its use
    assert mirror.lookup(["a"])[1] == {}


def test_a_message_not_ours_on_the_channel_drops_the_mirror_and_is_no_error(redis_cache):
    mirror = holding(cache.token_mirror, "a", "token")
    cache.client.get_client(write=True).publish(mirror.channel, "5")  # not a list of keys
    assert mirror.lookup(["a"]) == (None, {})  # dropped, tokens read from Redis again
