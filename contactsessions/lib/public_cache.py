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
(no session or messages cookie) are served from or stored in the cache: the
public header offers a "Back office" link to someone logged in, and flash
messages live in those cookies. Keys cover scheme, host, path and query string,
since pages carry absolute links.

With the default local-memory cache each process holds its own generation, so
another process's writes reach it only when its entries expire (at most
``PUBLIC_CACHE_TIMEOUT``); set ``REDIS_URL`` to share one cache and one
generation across workers and hosts.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

PUBLIC_CACHE_TIMEOUT = 60  # seconds; bounds how long "next sessions" can lag the clock
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


def _is_anonymous(request: HttpRequest) -> bool:
    """True when the request cannot be logged in or carry messages, judged without the session store."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


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


def cached_public(view):
    """Mark a public view's answers as ones ``PublicCacheMiddleware`` may keep.

    Goes inside ``conditional_page``, which gives every answer its ETag before the
    middleware stores it, so a stored page still answers 304 to a matching If-None-Match.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_cacheable = True
        return response

    return wrapped


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
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            return self.get_response(request)
        key = _key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or current_generation()
        stored = found.get(key)
        if stored is not None and stored["generation"] == generation:
            return _rebuild(request, stored)
        response = self.get_response(request)
        if _storable(response):
            entry = {"generation": generation, "body": response.content, "headers": list(response.items())}
            cache.set(key, entry, timeout=PUBLIC_CACHE_TIMEOUT)
        return response
