"""Scope tokens of the public page cache: what a write bumps and what a page depends on.

One token per ward (``ward_scope``; ``ward_team_scope`` for its team alone), per borough for
its own data (``borough_scope``: name, front counters), per borough for what its wards hold
(``borough_wards_scope``: the borough page lists every ward's next session), one for
London-wide lists and figures (``LONDON``), and one for everything (``GENERATION_KEY``, which
every page depends on). A token's value is the time of the bump and a random suffix.
``contactsessions.invalidation`` bumps the scopes each write touches;
:mod:`contactsessions.lib.public_cache` serves a page only while every token it was stored
under is unchanged, and :mod:`contactsessions.lib.fragments` a part of a page likewise.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

GENERATION_KEY = "public-cache:generation"  # the token of everything: every page depends on it
SCOPE_PREFIX = "public-cache:scope:"
LONDON = "london"  # London-wide lists and figures; every write that the public or the figures see bumps it
PLACES = "places"  # the names residents search by: wards, boroughs, the Enhanced communities
# A page built when its scopes were not known before the view ran (no entry, nothing remembered)
# reads their tokens afterwards, and is stored only if none was bumped after the build began minus
# this margin. On one host that is exact: a bump dated before the build began came after its
# write committed, so the view read the change. Tokens are dated by the writer's clock; hosts
# sharing one Redis keep clocks within milliseconds (NTP), and only a write committing within
# that skew of a page's very first build could slip through, for PUBLIC_CACHE_TIMEOUT at most.
FIRST_BUILD_MARGIN = 0.0


def ward_scope(ward_id: int) -> str:
    return f"ward:{ward_id}"


def ward_team_scope(ward_id: int) -> str:
    """The ward's team as its page shows it (officers posted there, their profiles and languages,
    the ward's priorities): bumped with ``ward_scope`` by every write to the ward except those
    to sessions alone, so a page rebuilt after a session write keeps its team (``lib.fragments``)."""
    return f"ward-team:{ward_id}"


def borough_scope(borough_id: int) -> str:
    """The borough's own data (its name, front counters), which every page in the borough shows."""
    return f"borough:{borough_id}"


def borough_wards_scope(borough_id: int) -> str:
    """What any ward of the borough holds (sessions, names): the borough's page and feed list it."""
    return f"borough-wards:{borough_id}"


def token_key(scope: str) -> str:
    return SCOPE_PREFIX + scope


def new_token(at: float | None = None) -> str:
    # The time of the bump leads the token, so a page built before it can tell (FIRST_BUILD_MARGIN).
    return f"{time.time() if at is None else at:.6f}:{uuid.uuid4().hex[:12]}"


def token_time(token: str | None) -> float:
    try:
        return float((token or "").split(":", 1)[0])
    except ValueError:
        return float("inf")


def _bump_now(keys: tuple[str, ...]) -> None:
    cache.set_many(dict.fromkeys(keys, new_token()), timeout=None)
    publish = getattr(cache, "publish_bump", None)  # on Redis: every process's mirror forgets them
    if publish is not None:
        publish(keys)


# How long what is kept under tokens may live when the cache is each process's own: a bump made
# in another process never reaches it, so only the expiry bounds how stale it can get.
UNSHARED_TIMEOUT = 300
# And when it is shared: a bump lost while Redis was unreachable (its set failed) is forgotten by
# the expiry alone, so nothing kept under tokens outlives an hour.
SHARED_TIMEOUT = 3600


def kept_for(timeout: int) -> int:
    """``timeout``, at most :data:`SHARED_TIMEOUT` when every process shares the cache and its
    tokens (on Redis, where a bump reaches all of them at once); else at most
    :data:`UNSHARED_TIMEOUT`, so a figure kept by one gunicorn worker shows another worker's
    write within five minutes."""
    return min(timeout, SHARED_TIMEOUT) if _mirror() is not None else min(timeout, UNSHARED_TIMEOUT)


def _mirror():
    """The process's copy of the tokens when the cache is on Redis (lib.token_mirror), else None."""
    return getattr(cache, "token_mirror", None)


def public_cache_bump(*scopes: str) -> None:
    """Forget the cached public pages that depend on ``scopes``; with none, forget every page.

    Call after any write the public can see, naming what it touches
    (``public_cache_bump(ward_scope(w), borough_scope(b), LONDON)``). Bumps at once (so the
    writer's own next request sees the change) and again when the transaction commits, so a
    page rebuilt by another request between the two, from data not yet committed, is not kept.
    """
    keys = tuple(token_key(scope) for scope in dict.fromkeys(scopes)) if scopes else (GENERATION_KEY,)
    _bump_now(keys)
    transaction.on_commit(partial(_bump_now, keys))


def read_tokens(keys: list[str], found: dict[str, Any] | None = None) -> dict[str, str | None]:
    """The current value of each token key, creating the ones the cache does not hold.

    None for a token the cache cannot give (it is unreachable): nothing is served or stored then.
    """
    found = dict(found or {})
    mirror = _mirror()
    epoch = None
    if mirror is not None:
        epoch, held = mirror.lookup(keys)
        found.update((key, value) for key, value in held.items() if found.get(key) is None)
    wanted = [key for key in keys if found.get(key) is None]
    if wanted:
        found.update(cache.get_many(wanted))
        missing = [key for key in wanted if found.get(key) is None]
        for key in missing:
            # Dated 0: no bump is known to have happened (FIRST_BUILD_MARGIN).
            cache.add(key, new_token(at=0.0), timeout=None)
        if missing:
            found.update(cache.get_many(missing))
        if mirror is not None:
            mirror.keep(epoch, {key: found.get(key) for key in wanted})
    return {key: found.get(key) for key in keys}


def read_with_tokens(key: str, token_keys: Iterable[str]) -> dict[str, Any]:
    """One round trip: the cache entry ``key`` and the token keys, those the mirror holds
    taken from it (the entry is None or absent when the cache does not hold it)."""
    mirror = _mirror()
    epoch, held = mirror.lookup(token_keys) if mirror is not None else (None, {})
    fetched = cache.get_many([key, *(name for name in token_keys if name not in held)])
    if mirror is not None:
        mirror.keep(epoch, {name: value for name, value in fetched.items() if name != key})
    return {**held, **fetched}


def current_generation() -> str:
    """A token that changes whenever data shown to the public or in the figures changes.

    Every such write bumps ``LONDON`` (or everything), so this combines those two tokens.
    """
    tokens = read_tokens([GENERATION_KEY, token_key(LONDON)])
    return "/".join(str(token) for token in tokens.values())


def places_generation() -> str:
    """A token that changes when the names residents search by change (wards, boroughs,
    Enhanced communities), or on a bump of everything; not on every session write."""
    tokens = read_tokens([GENERATION_KEY, token_key(PLACES)])
    return "/".join(str(token) for token in tokens.values())


def depends_on(request: HttpRequest, *scopes: str) -> None:
    """Declare, from a view, the scopes the answer shows: it is kept while their tokens hold.

    A ``cached_public`` view that declares nothing depends on ``LONDON``, which every write
    bumps. Every page depends on the token of everything too (``public_cache_bump()``).
    """
    request.public_cache_scopes = getattr(request, "public_cache_scopes", frozenset()) | frozenset(scopes)  # type: ignore[attr-defined]
