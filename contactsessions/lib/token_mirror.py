"""The public cache's scope tokens, mirrored in each process and kept current by Redis pub/sub.

With the cache on Redis, every hit on the public cache used to cost a round trip to read the
tokens its page was stored under (:mod:`contactsessions.lib.public_cache`), even when the page
itself came from the process's own copy: that round trip was most of a hit. Tokens change only
when data changes (a few times a second across London at the busiest), so each process keeps
the tokens it has read, and Redis tells it when to forget them:

- a bump (``scopes.public_cache_bump``) sets the new tokens, then publishes the names of the
  keys it bumped on :data:`CHANNEL`; ``cache.clear()`` publishes ``*`` (forget everything);
- each process holds one subscription, on a connection of its own, and before every use of
  the mirror reads what has arrived on it without waiting (a non-blocking poll of the socket,
  no round trip), forgetting the tokens named. The next read of a forgotten token goes to Redis.

Redis writes a published message to every subscriber before it answers the publisher, so once
a write's request has finished, any request that starts after it in another process finds the
message waiting on its socket, and serves the new token: a write shows at once, as before.

The mirror is trusted only while the subscription is known to be alive: it sends a PING on the
subscription every :data:`PING_EVERY` seconds and is used only if it has heard from Redis within
:data:`TRUST_FOR` seconds (the messages on one connection arrive in order, so a pong read means
every bump published before it has been read too). Otherwise, and while Redis is unreachable,
tokens are read from Redis as before. Any error on the subscription drops it and everything
mirrored; it is tried again after :data:`RETRY_AFTER` seconds. The subscription's connection
never retries by itself: a silent reconnection could lose messages published in between.
A token is used for at most :data:`MAX_AGE` seconds after it was read, so a bump whose publish
failed (Redis went away between the set and the publish) reaches every mirror within a minute,
the time a public page may lag anyway (``PUBLIC_CACHE_TIMEOUT``).

With the local-memory cache there is nothing to mirror: each process holds its own tokens.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import threading
import time
from collections.abc import Iterable
from typing import Any

import redis
from django_redis.cache import RedisCache as DjangoRedisCache  # type: ignore[import-untyped]
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

CHANNEL = "public-cache:bumps"
PING_EVERY = 0.25  # seconds between PINGs on the subscription, while requests come in
TRUST_FOR = 1.0  # seconds since Redis was last heard on the subscription, after which the mirror is not used
RETRY_AFTER = 5.0  # seconds before subscribing again after a failure
# Seconds a token read from Redis is used for, however quiet the channel: a bump whose publish
# failed (Redis went away between the set and the publish) reaches the mirrors within this.
MAX_AGE = 60.0
EVERYTHING = "*"


class TokenMirror:
    """One process's copy of the tokens it has read from one Redis server."""

    def __init__(self, url: str, channel: str, options: dict[str, Any]) -> None:
        self.url = url
        self.channel = channel
        self.options = options
        self.values: dict[str, tuple[Any, float]] = {}  # token key: (token, when it was read)
        self.epoch = 0  # moves on whenever something is forgotten: a read begun before may not be kept
        self.lock = threading.Lock()
        self.pubsub: Any = None
        self.pid = 0
        self.subscribed = False  # Redis has confirmed the subscription on the current connection
        self.heard = -math.inf
        self.pinged = -math.inf
        self.failed = -math.inf

    # --- the subscription ----------------------------------------------------------------------

    def _connect(self, now: float) -> None:
        client = redis.Redis.from_url(
            self.url,
            socket_timeout=self.options.get("SOCKET_TIMEOUT"),
            socket_connect_timeout=self.options.get("SOCKET_CONNECT_TIMEOUT"),
            retry=Retry(NoBackoff(), 0),
        )
        pubsub = client.pubsub()
        self.pubsub, self.pid = pubsub, os.getpid()
        pubsub.subscribe(self.channel)
        self.pinged = now

    def _drop(self, now: float) -> None:
        pubsub, self.pubsub = self.pubsub, None
        if pubsub is not None and self.pid == os.getpid():
            with contextlib.suppress(redis.RedisError, OSError):
                pubsub.close()
        self._forget(EVERYTHING)
        self.subscribed = False
        self.heard = -math.inf
        self.failed = now

    def _forget(self, names: Iterable[str] | str) -> None:
        if names == EVERYTHING or EVERYTHING in names:
            self.values.clear()
        else:
            for name in names:
                self.values.pop(name, None)
        self.epoch += 1

    def _read_messages(self, now: float) -> None:
        while (message := self.pubsub.get_message(timeout=0.0)) is not None:
            self.heard = now
            kind = message["type"]
            if kind == "message":
                self._forget(json.loads(message["data"]))
            elif kind == "subscribe":  # confirmed: from here on no bump goes unheard
                self._forget(EVERYTHING)
                self.subscribed = True

    def _sync(self) -> bool:
        """Apply every bump that has arrived; True when the mirror may be used now."""
        now = time.monotonic()
        if self.pubsub is not None and self.pid != os.getpid():  # forked: the socket is the parent's
            self.pubsub = None
            self._forget(EVERYTHING)
            self.subscribed, self.heard = False, -math.inf
        try:
            if self.pubsub is None:
                if now - self.failed < RETRY_AFTER:
                    return False
                self._connect(now)
            self._read_messages(now)
            if now - self.pinged >= PING_EVERY:
                self.pubsub.ping()
                self.pinged = now
        except (redis.RedisError, OSError, ValueError, TypeError):  # TypeError: a message not ours
            logger.warning("public cache: the token subscription failed; reading tokens from Redis", exc_info=True)
            self._drop(now)
            return False
        return self.subscribed and now - self.heard < TRUST_FOR

    # --- what scopes.read_tokens uses -----------------------------------------------------------

    def lookup(self, keys: Iterable[str]) -> tuple[int | None, dict[str, Any]]:
        """The tokens held for ``keys``, and the epoch to hand back to :meth:`keep`.

        The epoch is None when the subscription is not established: nothing read now may be kept.
        """
        with self.lock:
            trusted = self._sync()
            epoch = self.epoch if self.subscribed else None
            if not trusted:
                return epoch, {}
            oldest = time.monotonic() - MAX_AGE
            held = {}
            for key in keys:
                entry = self.values.get(key)
                if entry is not None and entry[1] > oldest:
                    held[key] = entry[0]
            return epoch, held

    def keep(self, epoch: int | None, found: dict[str, Any]) -> None:
        """Hold tokens read from Redis, unless something was forgotten since ``lookup`` began."""
        with self.lock:
            if epoch is not None and epoch == self.epoch and self.subscribed:
                now = time.monotonic()
                self.values.update((key, (value, now)) for key, value in found.items() if value is not None)


_mirrors: dict[tuple[str, str], TokenMirror] = {}
_mirrors_lock = threading.Lock()


def mirror_for(url: str, channel: str, options: dict[str, Any]) -> TokenMirror:
    """The process's mirror for a Redis server and channel (Django makes a cache backend per thread)."""
    with _mirrors_lock:
        mirror = _mirrors.get((url, channel))
        if mirror is None:
            mirror = _mirrors[url, channel] = TokenMirror(url, channel, options)
        return mirror


class RedisCache(DjangoRedisCache):
    """django-redis's cache, with the token mirror of its server and the bumps published."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        url = server.split(",")[0] if isinstance(server, str) else server[0]
        # Caches sharing a server under other prefixes or versions keep mirrors of their own.
        self.channel = f"{CHANNEL}:{self.key_prefix}:{self.version}"
        self.token_mirror = mirror_for(url, self.channel, params.get("OPTIONS", {}))

    def publish_bump(self, keys: Iterable[str] | str) -> None:
        """Tell every process's mirror to forget ``keys`` (already set in Redis), or everything."""
        names = EVERYTHING if keys == EVERYTHING else list(keys)
        with self.token_mirror.lock:  # this process's own next read, whatever Redis does
            self.token_mirror._forget(names)
        try:
            self.client.get_client(write=True).publish(self.channel, json.dumps(names))
        except (redis.RedisError, OSError):
            logger.warning("public cache: a bump could not be published", exc_info=True)

    def clear(self, *args: Any, **kwargs: Any) -> Any:
        result = super().clear(*args, **kwargs)
        self.publish_bump(EVERYTHING)
        return result
