"""Server-side cache of public pages, feeds and API answers.

When a borough shares a link, thousands open the same ward page within minutes.
Each public page costs 20-35 ms of queries and rendering on a London-sized
database; a cache hit returns the stored body and headers with no query and no
template at all.

Correctness rests on one **generation** token in the cache. Every stored answer
records the generation it was built under and is served only while that
generation is current; ``public_cache_bump()`` replaces the token, so after any
write that the public can see, every page is rebuilt on its next request. The
core wires the bump to model signals for everything a public page shows
(:mod:`contactsessions.invalidation`), so the service layer, the admin and any
``save()`` path invalidate alike; code that writes with ``QuerySet.update()``
calls ``public_cache_bump()`` itself. This module knows no models. Entries also expire after
``PUBLIC_CACHE_TIMEOUT`` seconds, because "the next sessions" move with the
clock even when nothing is written.

``PublicCacheMiddleware`` does the serving and storing, near the top of the
middleware stack, for the views ``cached_public`` marks. Only anonymous requests
are served from or stored in the cache: the public header offers a "Back office"
link to someone logged in, and flash messages live in the session and the
messages cookie. A cookie alone does not make a visitor signed in: a session
cookie counts only when the session store holds data for it, a messages cookie
only when its signature is good and it holds messages, so made-up cookies cannot
force a rebuild on every request (:func:`_viewer`).

**Keys** cover scheme, host and path (pages carry absolute links) and only the
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
fresh only for ``PUBLIC_CACHE_TIMEOUT`` under the current generation. Entries for
a query string (searches) are kept only while fresh, so random searches cannot
fill the cache for hours.

With the default local-memory cache each process holds its own generation, so
another process's writes reach it only when its entries expire (at most
``PUBLIC_CACHE_TIMEOUT``); set ``REDIS_URL`` to share one cache and one
generation across workers and hosts.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from enum import Enum
from functools import wraps
from importlib import import_module
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response

PUBLIC_CACHE_TIMEOUT = 60  # seconds; bounds how long "next sessions" can lag the clock
# How long a page is kept to answer with while the database is unreachable (lib.outage).
PUBLIC_CACHE_STALE_TIMEOUT = 6 * 60 * 60
GENERATION_KEY = "public-cache:generation"
KEY_PREFIX = "public-cache:page:"


def _new_generation() -> str:
    return uuid.uuid4().hex


def _bump_now() -> None:
    cache.set(GENERATION_KEY, _new_generation(), timeout=None)


def public_cache_bump() -> None:
    """Forget every cached public page: call after any write the public can see.

    Bumps at once (so the writer's own next request sees the change) and again
    when the transaction commits, so a page rebuilt by another request between
    the two, from data not yet committed, is not kept.
    """
    _bump_now()
    transaction.on_commit(_bump_now)


def current_generation() -> str:
    """A token that changes whenever data shown to the public or in the figures changes."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


NOT_CACHED = object()  # the path's view is not a cached_public one: nothing to do here


def declared_params(request: HttpRequest) -> Any:
    """The query parameters the view at this path reads; None when no view answers the path
    (the whole query string is kept, as before), ``NOT_CACHED`` when its view is not marked
    ``cached_public`` (the back office: the middleware then does nothing at all, no session
    or cache lookup)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_cache_params", NOT_CACHED)


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
    one cache read (the generation and the page together) and none of the sessions,
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
            return self.get_response(request)
        if params is not None:
            keep_only(request, params)
        viewer = _viewer(request)
        if viewer is Viewer.SIGNED_IN:
            return self.get_response(request)
        key = _key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or current_generation()
        stored = found.get(key)
        if stored is not None and _fresh(stored, generation):
            return _rebuild(request, stored)
        response = self.get_response(request)
        if stored is not None and getattr(response, "database_unavailable", False):
            return _rebuild(request, stored)  # stale, but better than no page while the database is away
        if viewer is Viewer.ANONYMOUS and _storable(response):
            entry = {
                "generation": generation,
                "stored": time.time(),
                "body": response.content,
                "headers": list(response.items()),
            }
            keep = PUBLIC_CACHE_TIMEOUT if request.META.get("QUERY_STRING") else PUBLIC_CACHE_STALE_TIMEOUT
            cache.set(key, entry, timeout=keep)
        return response


def _fresh(stored: dict, generation: str) -> bool:
    return stored["generation"] == generation and time.time() - stored.get("stored", 0) < PUBLIC_CACHE_TIMEOUT
