"""Response headers that depend on who asked."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in request.

    Back-office pages, CSV exports and even a public page seen while signed in (it offers
    the back office) carry names, rosters and decisions: no browser cache, proxy or shared
    computer should keep a copy. Anonymous public answers keep the caching their views
    chose. Sits just inside AuthenticationMiddleware, so it sees every view's answer and
    replaces whatever Cache-Control the view set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _signed_in(request):
            response.headers["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response


def _signed_in(request: HttpRequest) -> bool:
    """True when the request is, or may be, a signed-in user's.

    Asking ``request.user`` reads the session from the database; when the database is
    down (the answer is then a 503) that must not raise again here, so a request carrying
    a session cookie whose user cannot be read is treated as signed in: private is the
    safe side.
    """
    if request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # a GET signs nobody in, and without a session cookie nobody is: skip the user look-up
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except DatabaseError:
        return settings.SESSION_COOKIE_NAME in request.COOKIES
