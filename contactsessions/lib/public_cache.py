"""Server-side cache of public pages, feeds and API answers.

When a borough shares a link, thousands open the same ward page within minutes.
Each public page costs 20-35 ms of queries and rendering on a London-sized
database; a cache hit returns the stored body and headers with no query and no
template at all.

Correctness rests on **scope tokens** in the cache. A view declares what its answer
shows (``depends_on(request, ward_scope(...), borough_scope(...))``; ``LONDON`` when it
declares nothing); the stored entry records the name and value of each token it was built
under, plus the token of everything (``GENERATION_KEY``), and is served only while all of
them are unchanged. ``public_cache_bump(*scopes)`` replaces the tokens of the scopes a
write touches, so a write in Barnet rebuilds Barnet's pages and London-wide lists, and
leaves Camden's pages cached; ``public_cache_bump()`` with no scope forgets every page.
The core bumps from model signals, naming the scopes of each write
(:mod:`contactsessions.invalidation`), so the service layer, the admin and any ``save()``
path invalidate alike; code that writes with ``QuerySet.update()`` or raw SQL calls
``public_cache_bump()`` itself. This module knows no models. Entries also expire after
``PUBLIC_CACHE_TIMEOUT`` seconds, because "the next sessions" move with the clock even
when nothing is written.

A hit costs at most **one** cache round trip: ``get_many`` of the page and of the tokens
this process last saw it stored under (remembered per page key); only a page this process
has not seen yet costs a second trip for its tokens. Each process also keeps a copy of the
pages it served (``PUBLIC_CACHE_LOCAL_BYTES``, least recently served dropped first), so
a hit on one of those fetches only the tokens, not the body; the copy is served under the
same rule, checked against the shared tokens on every hit. On Redis each process also
mirrors the tokens it has read, and Redis pub/sub tells every mirror which to forget when
a bump is made (:mod:`contactsessions.lib.token_mirror`), so a hit on a page this process
holds costs no round trip at all, and a bump still shows at once in every process.

``PublicCacheMiddleware`` does the serving and storing, near the top of the
middleware stack, for the views ``cached_public`` marks. Only anonymous requests
are served from or stored in the cache: the public header offers a "Back office"
link to someone logged in, and flash messages live in the session and the
messages cookie. A cookie alone does not make a visitor signed in: a session
cookie counts only when the session store holds data for it, a messages cookie
only when its signature is good and it holds messages, so made-up cookies cannot
force a rebuild on every request (:func:`_viewer`).

**Keys** cover scheme, host and path (pages carry absolute links; the path carries the
language, ``/pl/...``, which alone decides it: ``lib.locale``) and only the
query parameters the view reads, which it declares (``@cached_public(params=("q",))``):
the middleware finds the view by resolving the path, keeps the declared
parameters in sorted order and drops every other one (``utm_*``, ``fbclid``, a
random ``?x=``). The view is handed the same trimmed query string, so it cannot
read a parameter the key does not hold, and a page is never served for another
value of something it depends on. A path that resolves to no declared view keys
on its whole query string, as before.

**When the database is unreachable** (``lib.outage`` answers 503), a page the
cache holds is served even when it is no longer fresh: every entry for a path
without a query string is kept for ``PUBLIC_CACHE_STALE_TIMEOUT`` and counts as
fresh only for ``PUBLIC_CACHE_TIMEOUT`` under its current tokens. Entries for
a query string (searches) are kept only while fresh, so random searches cannot
fill the cache for hours.

With the default local-memory cache each process holds its own tokens, so
another process's writes reach it only when its entries expire (at most
``PUBLIC_CACHE_TIMEOUT``); set ``REDIS_URL`` to share one cache and one
set of tokens across workers and hosts.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from enum import Enum
from functools import lru_cache, wraps
from importlib import import_module
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response

from contactsessions.lib.locale import path_language
from contactsessions.lib.scopes import (
    FIRST_BUILD_MARGIN,
    GENERATION_KEY,
    LONDON,
    read_tokens,
    read_with_tokens,
    token_key,
    token_time,
)

# What callers import from here: the scope names and the bump.
from contactsessions.lib.scopes import borough_scope as borough_scope
from contactsessions.lib.scopes import borough_wards_scope as borough_wards_scope
from contactsessions.lib.scopes import current_generation as current_generation
from contactsessions.lib.scopes import depends_on as depends_on
from contactsessions.lib.scopes import public_cache_bump as public_cache_bump
from contactsessions.lib.scopes import ward_scope as ward_scope

PUBLIC_CACHE_TIMEOUT = 60  # seconds; bounds how long "next sessions" can lag the clock
# How long a page is kept to answer with while the database is unreachable (lib.outage).
PUBLIC_CACHE_STALE_TIMEOUT = 6 * 60 * 60
KEY_PREFIX = "public-cache:page:"
# Pages each process keeps a copy of (bodies, bytes), so a hit on Redis fetches only tokens.
PUBLIC_CACHE_LOCAL_BYTES = 32 * 1024 * 1024
_SCOPES_REMEMBERED = 20_000  # page keys whose scope names this process remembers (one round trip a hit)


def _key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


NOT_CACHED = frozenset(("not cached",))  # the path resolves to a view that is not cached_public


def declared_params(request: HttpRequest) -> frozenset[str] | None:
    """The query parameters the view at this path reads; None when no view answers the path,
    ``NOT_CACHED`` when the view is not ``cached_public`` (its answers are never stored)."""
    return _declared_for_path(request.path_info, get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)
def _declared_for_path(path_info: str, urlconf: str) -> frozenset[str] | None:
    # Resolving costs tens of microseconds a request; the answer depends on the path alone.
    # This runs before the path's language is active, and /pl/... resolves only under Polish.
    try:
        with translation.override(path_language(path_info)):
            match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "public_cache_params", NOT_CACHED)


@receiver(setting_changed)
def _forget_paths(setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _declared_for_path.cache_clear()


def keep_only(request: HttpRequest, params: Iterable[str]) -> None:
    """Trim the query string to ``params``, sorted, so the key and the view see the same thing."""
    wanted = set(params)
    pairs = sorted((name, values) for name, values in request.GET.lists() if name in wanted)
    query = urlencode(pairs, doseq=True)
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)


class Viewer(Enum):
    ANONYMOUS = "anonymous"
    SIGNED_IN = "signed in"  # or holding messages: the page would be this visitor's own
    UNKNOWN = "unknown"  # the session store could not be asked (the database is down)


def _holds_messages(request: HttpRequest) -> bool:
    # The cookie is signed: a made-up or tampered one decodes to None, as MessageMiddleware treats it.
    data = request.COOKIES.get(CookieStorage.cookie_name)
    return bool(data) and bool(cast(Any, CookieStorage(request))._decode(data))


def _viewer(request: HttpRequest) -> Viewer:
    """Who is asking, judged cheaply: a cookie counts only if it carries something real.

    A session cookie costs one look-up in the session store (an indexed primary-key query,
    about 0.3 ms), and only for requests that send one; a key that is not of the store's
    shape costs nothing. A session holding any data (a log-in, fallback messages) counts.
    """
    if _holds_messages(request):
        return Viewer.SIGNED_IN
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return Viewer.ANONYMOUS
    if len(session_key) != 32 or not session_key.isalnum():  # what SessionBase._get_new_session_key makes
        return Viewer.ANONYMOUS
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        data = store.load()
    except DatabaseError:
        return Viewer.UNKNOWN
    return Viewer.SIGNED_IN if data else Viewer.ANONYMOUS


def _rebuild(request: HttpRequest, stored: dict) -> HttpResponse:
    # A HEAD answer carries the headers of the GET, Content-Length included, and no body.
    response = HttpResponse(b"" if request.method == "HEAD" else stored["body"], status=200)
    for name, value in stored["headers"]:
        response[name] = value
    not_modified = get_conditional_response(request, etag=response.get("ETag"), response=response)
    if not_modified is None:
        return response
    # Django keeps only a few headers on a 304; a browser drops a cross-origin 304 without CORS.
    for name, value in stored["headers"]:
        if name.lower().startswith("access-control-"):
            not_modified[name] = value
    return not_modified


def _storable(response: HttpResponse) -> bool:
    """True for a marked 200 answer that is the same for every anonymous visitor.

    A cookie (a CSRF token, a message) makes it one visitor's own; so would varying on
    anything but the Cookie header (anonymous visitors all send none of ours), and a view
    that says ``private`` or ``no-store`` has asked not to be shared.
    """
    if not getattr(response, "public_cacheable", False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    return {field.strip().lower() for field in response.get("Vary", "").split(",") if field.strip()} <= {"cookie"}


def cached_public(view: Callable | None = None, *, params: Iterable[str] = ()) -> Any:
    """Mark a public view's answers as ones ``PublicCacheMiddleware`` may keep.

    ``params`` names the query parameters the view reads (``@cached_public(params=("q",))``);
    the cache keys on those alone and the view sees no others. Bare ``@cached_public``
    declares none. The declaration is an attribute of the view function, which
    ``functools.wraps`` carries up through the decorators outside this one.

    Goes inside ``conditional_page``, which gives every answer its ETag before the
    middleware stores it, so a stored page still answers 304 to a matching If-None-Match.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.public_cacheable = True
            return response

        wrapped.public_cache_params = frozenset(params)  # type: ignore[attr-defined]
        return wrapped

    return decorate if view is None else decorate(view)


class PublicCacheMiddleware:
    """Serve anonymous GETs of ``cached_public`` views from the cache, ahead of the stack.

    Sits just inside ``SecurityMiddleware``, WhiteNoise and the NUL guard: a hit costs
    one cache read (the page and its scope tokens together) and none of the sessions,
    messages, CSRF, CSP, URL resolution or view code behind it, which is what lets a
    shared ward link be opened by thousands at once. What it stores is the answer as
    the inner middleware finished it (CSP, X-Frame-Options, Vary, Cache-Control, ETag
    and the rest), so a 200 from the cache is the same answer, byte for byte, as the miss
    that stored it; a 304 from the cache carries the headers Django keeps on a 304
    (ETag, Cache-Control, Vary), without the security headers, which a client already
    holds from the 200. What is kept is decided by ``_storable``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        params = declared_params(request)
        if params is NOT_CACHED:
            return self.get_response(request)  # nothing to serve or store: spend nothing on it
        if params is not None:
            keep_only(request, params)
        viewer = _viewer(request)
        if viewer is Viewer.SIGNED_IN:
            return self.get_response(request)
        key = _key(request)
        copy = _copies.get(key)
        if copy is not None:
            # This process holds the page: one round trip for its tokens alone, no body to fetch.
            tokens = read_tokens(list(copy["tokens"]))
            if _fresh(copy, tokens):
                return _rebuild(request, copy)
            found = dict(tokens)
            stored = cache.get(key)  # another process may have rebuilt it since
        else:
            # One round trip: the page and the tokens it was stored under last time this process saw it.
            found = read_with_tokens(key, _remembered.get(key, (GENERATION_KEY,)))
            stored = found.pop(key, None)
        if stored is not None and "tokens" in stored:
            tokens = read_tokens(list(stored["tokens"]), found)  # a second trip only for scopes not remembered
            _remember(key, tuple(stored["tokens"]))
            if _fresh(stored, tokens):
                _copies.put(key, stored)
                return _rebuild(request, stored)
            found.update(tokens)
        before = {name: value for name, value in found.items() if value is not None}
        started = time.time()
        response = self.get_response(request)
        if stored is not None and getattr(response, "database_unavailable", False):
            return _rebuild(request, stored)  # stale, but better than no page while the database is away
        if viewer is Viewer.ANONYMOUS and _storable(response):
            self._store(request, key, response, before, started)
        return response

    def _store(self, request: HttpRequest, key: str, response: HttpResponse, before: dict, started: float) -> None:
        scopes = getattr(request, "public_cache_scopes", None) or frozenset((LONDON,))
        token_keys = (GENERATION_KEY, *sorted(token_key(scope) for scope in scopes))
        _remember(key, token_keys)
        tokens = read_tokens(list(token_keys), before)
        late = [name for name in token_keys if name not in before]
        if None in tokens.values() or any(token_time(tokens[name]) > started - FIRST_BUILD_MARGIN for name in late):
            # Read after the view ran, a token bumped during the build would vouch for old data.
            return
        # Dated by its oldest part when parts were kept from earlier builds (lib.fragments).
        stored = min(time.time(), getattr(request, "public_cache_as_of", float("inf")))
        entry = {"tokens": tokens, "stored": stored, "body": response.content, "headers": list(response.items())}
        keep = PUBLIC_CACHE_TIMEOUT if request.META.get("QUERY_STRING") else PUBLIC_CACHE_STALE_TIMEOUT
        cache.set(key, entry, timeout=keep)
        _copies.put(key, entry)


class _Copies:
    """Pages this process holds itself, most recently served last, up to ``limit`` bytes of body.

    Served only under the same rule as the shared cache (every token unchanged, younger than
    PUBLIC_CACHE_TIMEOUT), checked against the tokens in the shared cache on every hit, so a
    bump from any process reaches them at once. What they save is the body: on Redis, fetching
    and unpickling a 20 kB page was most of a hit.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old["body"])
            self.entries[key] = entry
            self.size += len(entry["body"])
            while self.size > self.limit and self.entries:
                _, evicted = self.entries.popitem(last=False)
                self.size -= len(evicted["body"])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


_copies = _Copies(PUBLIC_CACHE_LOCAL_BYTES)


_remembered: dict[str, tuple[str, ...]] = {}


def _remember(key: str, token_keys: tuple[str, ...]) -> None:
    if _remembered.get(key) != token_keys:
        if len(_remembered) >= _SCOPES_REMEMBERED:
            _remembered.clear()
        _remembered[key] = token_keys


def _fresh(entry: dict, tokens: dict[str, str | None]) -> bool:
    """Served only while every token it was stored under is unchanged, for PUBLIC_CACHE_TIMEOUT at most."""
    return (
        None not in tokens.values()
        and tokens == entry["tokens"]
        and time.time() - entry.get("stored", 0) < PUBLIC_CACHE_TIMEOUT
    )
