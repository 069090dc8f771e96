"""A refused method (405) shown to a person as a page in the site's layout."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse

API_PREFIX = "/api/"


class MethodNotAllowedPageMiddleware:
    """Gives the empty 405 of ``require_POST`` (and of class-based views) a page.

    A browser reaches a POST-only address by GET when someone follows the ``next`` of a
    sign-in, reloads or bookmarks it: Django's answer is an empty body, a blank page with
    no title, language or heading. The page says what happened and where to go; status and
    ``Allow`` are kept. The API keeps its own JSON 405s. Sits inside the CSP middleware, so
    the page carries the same headers as any other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content or request.path.startswith(API_PREFIX):
            return response
        page = TemplateResponse(request, "405.html", status=405).render()
        if "Allow" in response.headers:
            page.headers["Allow"] = response.headers["Allow"]
        return page
