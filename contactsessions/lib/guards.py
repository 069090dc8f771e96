"""Request guards that apply to every page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

NUL = "\x00"

NUL_MESSAGE = (
    "Your request contained a character we cannot read (a NUL byte, %00). Check the address or search and try again."
)


def has_nul(request: HttpRequest) -> bool:
    """True when the path or the query string carries a NUL byte.

    PostgreSQL cannot store or compare NUL in text, so such a value reaching a query
    is a server error. Form fields already refuse NUL (Django's CharField); this
    covers values read straight from the address: path parts like ward codes, and
    ``?q=``, ``?ward=`` and the like.
    """
    if NUL in request.path:
        return True
    return any(NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists())


class RejectNulMiddleware:
    """Answer 400 with a plain message for a path or query string holding a NUL byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
