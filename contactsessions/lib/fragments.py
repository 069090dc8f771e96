"""Parts of a public page kept in the cache between builds, under the same scope tokens as
the pages (:mod:`contactsessions.lib.scopes`).

A page is rebuilt when one of its tokens is bumped or when it expires (``PUBLIC_CACHE_TIMEOUT``,
since "the next sessions" move with the clock). Parts that change only through writes (a
ward's team, a borough's front counters) need not be worked out again each time: ``kept``
returns the value a part had when it was last built, as long as every token of the scopes it
was built under is unchanged, and builds it afresh otherwise.

Exactness follows the pages' own rule: the tokens are read *before* ``build`` runs and stored
with its value, so a write that bumps one of them while the part is being built (or after)
makes the stored value unusable. The page that shows the part depends on the part's scopes
(``depends_on``), and is dated no later than the part (``request.public_cache_as_of``), so
a page never outlives ``PUBLIC_CACHE_TIMEOUT`` from the oldest data it shows, as before.
This module knows no models.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest

from contactsessions.lib.public_cache import PUBLIC_CACHE_TIMEOUT
from contactsessions.lib.scopes import GENERATION_KEY, depends_on, read_tokens, read_with_tokens, token_key

KEY_PREFIX = "public-cache:part:"

T = TypeVar("T")


def kept(request: HttpRequest, name: str, scopes: Iterable[str], build: Callable[[], T]) -> T:
    """``build()``, or the value it gave when last run, if no token of ``scopes`` (nor the
    token of everything) has been bumped since and it is younger than ``PUBLIC_CACHE_TIMEOUT``.

    ``name`` must say everything else the value depends on (its ward, language, day). One
    cache round trip for the value and its tokens; one more to store a value built afresh.
    """
    scopes = tuple(scopes)
    depends_on(request, *scopes)
    token_keys = [GENERATION_KEY, *sorted(token_key(scope) for scope in scopes)]
    key = KEY_PREFIX + name
    found = read_with_tokens(key, token_keys)  # the tokens from this process's mirror when on Redis
    entry = found.pop(key, None)
    tokens = read_tokens(token_keys, found)
    now = time.time()
    fresh = entry is not None and now - entry["built"] < PUBLIC_CACHE_TIMEOUT
    if fresh and None not in tokens.values() and entry["tokens"] == tokens:
        _dated(request, entry["built"])
        return entry["value"]
    value = build()
    if None not in tokens.values():  # the cache answered: keep the value under the tokens read before it was built
        cache.set(key, {"tokens": tokens, "built": now, "value": value}, timeout=PUBLIC_CACHE_TIMEOUT)
    _dated(request, now)
    return value


def _dated(request: HttpRequest, built: float) -> None:
    """The page is only as fresh as the oldest part it shows."""
    request.public_cache_as_of = min(getattr(request, "public_cache_as_of", built), built)  # type: ignore[attr-defined]
