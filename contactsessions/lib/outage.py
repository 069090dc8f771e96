"""No server error when the database blinks: a 503 that says so, and keeps what was typed.

When PostgreSQL restarts (a fail-over, a deploy, ``make loadtest``), requests caught in
the gap raise ``OperationalError`` or ``InterfaceError``. Nothing was written for them
(the transaction, if any, rolled back), so the honest answer is 503 Service Unavailable
with ``Retry-After``, not a 500 that reads like a bug and may be taken for a lost write.

* ``DatabaseUnavailableMiddleware`` turns such an exception from a view (or its template)
  into that answer. It sits last in ``MIDDLEWARE`` so its ``process_exception`` is asked
  first.
* ``server_error`` is the project's ``handler500``: the same answer for the rare
  failure inside a middleware (saving the session, reading fallback messages), which
  ``process_exception`` never sees; anything else is the usual 500 page.
* A public page the cache holds is served instead, stale or not
  (``public_cache.PublicCacheMiddleware`` looks for ``response.database_unavailable``).

The page is built without the database: no context processors (``request.user`` would
load the session), and for a POST it shows a form holding every posted value (escaped by
the template), with the same action and a fresh CSRF token, so one click sends it again.
Passwords are left out (they are not put back into a page) and so are uploaded files,
which a browser cannot be handed back; the page says so.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER = 10  # seconds: a PostgreSQL restart takes well under one
OUTAGE_ERRORS = (OperationalError, InterfaceError)
NOT_KEPT = ("csrfmiddlewaretoken",)


def _kept_fields(request: HttpRequest) -> tuple[list[tuple[str, str]], bool]:
    """The posted (name, value) pairs to send again, and whether any were left out."""
    fields: list[tuple[str, str]] = []
    dropped = bool(request.FILES)
    for name, values in request.POST.lists():
        if name in NOT_KEPT:
            continue
        if "password" in name.lower():
            dropped = True
            continue
        fields.extend((name, value) for value in values)
    return fields, dropped


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After; for a form's POST, the form again with what the user typed."""
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {"error": "The service is briefly unavailable. Try again shortly.", "retry_after": RETRY_AFTER},
            status=503,
        )
    else:
        context: dict[str, object] = {"retry_after": RETRY_AFTER, "DEMO_MODE": settings.DEMO_MODE}
        if request.method == "POST":
            fields, dropped = _kept_fields(request)
            context |= {
                "resubmit": True,
                "action": request.get_full_path(),
                "fields": fields,
                "dropped": dropped,
                "csrf_token": get_token(request),
            }
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"  # it may hold what the user typed; never keep it
    response.database_unavailable = True  # type: ignore[attr-defined]
    # Django logs every 5xx it answers as an error ("Service Unavailable: /path"), with a traceback
    # when it caught the exception itself; this one is logged once, as a warning, by _log.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _log(request: HttpRequest, exc: BaseException) -> None:
    # One line, no traceback: the cause is outside the app, and /healthz/ tells the operators.
    first_line = next(iter(str(exc).strip().splitlines()), "")
    logger.warning("database unavailable, answered 503: %s %s (%s: %s)", request.method, request.path,
                   type(exc).__name__, first_line)  # fmt: skip


class DatabaseUnavailableMiddleware:
    """Answer 503 (``database_unavailable``) when a view fails because the database is unreachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        _log(request, exception)
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database outage met outside a view is a 503 too; anything else the usual 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OUTAGE_ERRORS):
        _log(request, exc)
        return database_unavailable(request)
    return django_server_error(request)
