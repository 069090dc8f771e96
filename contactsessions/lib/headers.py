"""Response headers that depend on who asked."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.decorators import decorator_from_middleware

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


class _ConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's, with HEAD answered as GET: the same ETag, and a 304 to a matching If-None-Match.

    Django leaves HEAD answers alone, in case a view gave HEAD an empty body; ours build the
    GET's whole answer (the server drops the body). Without the ETag, a HEAD that was the
    first request for a public page was stored in the page cache without one, and every GET
    served from that copy then had no ETag and never answered 304 (RFC 9110 9.3.2: a HEAD
    answer carries the GET's header fields).
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.method != "HEAD" or not isinstance(response, HttpResponse):  # streaming: no ETag
            return super().process_response(request, response)
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        return (get_conditional_response(request, etag=etag, response=response) or response) if etag else response


# For public pages and the API, in place of django.views.decorators.http.conditional_page.
conditional_page = decorator_from_middleware(_ConditionalGetMiddleware)
