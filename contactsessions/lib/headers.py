"""Response headers that depend on who asked."""

from __future__ import annotations

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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response
