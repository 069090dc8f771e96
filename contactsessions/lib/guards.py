"""Request guards that apply to every page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from contactsessions.lib.forms import parse_id

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


YEAR_MESSAGE = "That year is outside the calendar we can count in. Choose a year from the list and try again."


def has_edge_year(request: HttpRequest) -> bool:
    """True when a date drill-down (``?start__year=``, the admin's date hierarchy) names
    the first or last year of Python's calendar, or beyond.

    The admin turns ``start__year=9999`` into "from 1 January 9999 to 1 January 10000",
    which overflows (a 500); our own pages read dates through lib.forms, which keeps them
    within EARLIEST_DATE..LATEST_DATE.
    """
    for key, values in request.GET.lists():
        if key.endswith("__year"):
            for value in (v.strip() for v in values):
                if value.isascii() and value.isdigit() and (len(value) > 4 or not dt.MINYEAR < int(value) < dt.MAXYEAR):
                    return True
    return False


def drop_nul_cookies(request: HttpRequest) -> None:
    """Forget the cookies whose name or value holds a NUL byte. No browser sets one; sent by
    hand as the session cookie, its key reached PostgreSQL (a 500 on every page). Without
    it the request is simply one without that cookie."""
    if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
        request.COOKIES = {n: v for n, v in request.COOKIES.items() if NUL not in n and NUL not in v}


class RejectNulMiddleware:
    """Answer 400 with a plain message for a path or query string holding a NUL byte, or a
    date drill-down at the very edge of the calendar; ignore a cookie holding one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        drop_nul_cookies(request)
        if has_nul(request):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        if has_edge_year(request):
            return HttpResponseBadRequest(YEAR_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class IdConverter:
    """``<id:pk>`` in a URL: a row id, 1 to 2**63 - 1, else the path matches nothing (404).

    Django's ``<int:...>`` takes any number of digits; one beyond 64 bits is no row's id,
    and SQLite cannot bind it in a query.
    """

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        pk = parse_id(value)
        if pk is None:
            raise ValueError(f"{value} is not a row id")  # the resolver moves on: a 404
        return pk

    def to_url(self, value: int) -> str:
        return str(value)
