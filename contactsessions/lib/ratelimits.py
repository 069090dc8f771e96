"""Rate limits per client for the public pages, feeds, searches and API (django-ratelimit).

Each public view names its group (``@rate_limited("search")``); the rates per group are
the setting ``PUBLIC_RATE_LIMITS`` (a missing group or ``None`` is not limited). Counts
are kept per client address (``lib.clientip.client_ip``, which honours ``TRUSTED_PROXY_COUNT``) in the default cache, in
fixed windows. Over the limit the answer is 429 with ``Retry-After`` (the seconds left
in the window) and a short page, or JSON for the API, that says when to try again.

The limit sits inside ``PublicCacheMiddleware``: an answer served from the public cache
is not counted, since it costs one cache read and no query. What the limit protects is
the database and the page building behind a miss: searches, postcode and location
look-ups (each a different query string, so never a hit) and rebuilt pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage

from contactsessions.lib.clientip import client_ip

GROUP_PREFIX = "public:"


def _rate(group: str, request: HttpRequest) -> str | None:
    return settings.PUBLIC_RATE_LIMITS.get(group.removeprefix(GROUP_PREFIX))


def _key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def too_many_requests(request: HttpRequest, retry_after: int, *, as_json: bool = False) -> HttpResponse:
    """429 with ``Retry-After``: a plain page (or JSON) that says when to try again."""
    if as_json:
        response: HttpResponse = JsonResponse(
            {"error": f"Too many requests. Try again in {retry_after} seconds.", "retry_after": retry_after},
            status=429,
        )
    else:
        context = {"retry_after": retry_after, "DEMO_MODE": settings.DEMO_MODE}
        response = HttpResponse(render_to_string("429.html", context), status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(group: str, *, as_json: bool = False) -> Callable[[Callable], Callable]:
    """Count each request of this client to the view's group; answer 429 over the group's rate."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            usage = get_usage(request, group=GROUP_PREFIX + group, key=_key, rate=_rate, increment=True)
            if usage is not None and usage["should_limit"]:
                return too_many_requests(request, max(1, usage["time_left"]), as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
