"""A borough's sessions for one month, printed on one or two A4 pages for notice boards,
libraries and SNB and Ward Panel meetings, with a QR code to the borough's page."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contactsessions.lib.links import absolute
from contactsessions.public import month_selectors
from contactsessions.public.views.pages import _get_borough, public_page
from wards.models import Borough

# The months the chooser offers: a year back (a meeting looks at what was on offer) and a
# year ahead (sessions are planned a few months ahead; later months would print empty).
MONTHS_BACK = 12
MONTHS_AHEAD = 12
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)


def add_months(first: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before) the month of ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_asked(text: str | None, this_month: dt.date) -> tuple[dt.date, str | None]:
    """The month of ``?month=YYYY-MM`` (this month when not given), or this month and why not."""
    if text is None or not text.strip():
        return this_month, None
    earliest, latest = add_months(this_month, -MONTHS_BACK), add_months(this_month, MONTHS_AHEAD)
    match = MONTH_PATTERN.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        example = this_month.strftime("%Y-%m")
        return this_month, _("Enter a month as year and month, for example %(example)s.") % {"example": example}
    asked = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if not earliest <= asked <= latest:
        return this_month, _("Choose a month from %(first)s to %(last)s.") % {
            "first": date_format(earliest, "YEAR_MONTH_FORMAT"),
            "last": date_format(latest, "YEAR_MONTH_FORMAT"),
        }
    return asked, None


def borough_page_url(borough: Borough) -> str:
    return absolute(reverse("public:borough", args=[borough.code]))


@public_page(params=("month",))
def borough_print(request: HttpRequest, borough_code: str) -> HttpResponse:
    borough = _get_borough(request, borough_code)
    this_month = timezone.localdate().replace(day=1)
    first, error = month_asked(request.GET.get("month"), this_month)
    earliest, latest = add_months(this_month, -MONTHS_BACK), add_months(this_month, MONTHS_AHEAD)
    previous, following = add_months(first, -1), add_months(first, 1)
    context: dict[str, Any] = {
        "borough": borough,
        "error": error,
        "asked": request.GET.get("month", ""),
        "first": first,
        "this_month": this_month,
        "next_month": add_months(this_month, 1),
        "previous": previous if previous >= earliest else None,
        "following": following if following <= latest else None,
        "earliest": earliest,
        "latest": latest,
        "borough_url": borough_page_url(borough),
    }
    if error:
        return render(request, "public/print/borough_month.html", context, status=400)
    wards = month_selectors.borough_month(borough, first)
    context["wards"] = [w for w in wards if w.venues]
    context["wards_without"] = [w.ward for w in wards if not w.venues]
    context["session_count"] = sum(w.session_count for w in wards)
    return render(request, "public/print/borough_month.html", context)


@public_page
def borough_qr(request: HttpRequest, borough_code: str) -> HttpResponse:
    borough = _get_borough(request, borough_code)
    buffer = io.BytesIO()
    qr = segno.make(borough_page_url(borough), error="m")
    title = _("Link to the %(borough)s page") % {"borough": borough.name}
    qr.save(buffer, kind="svg", scale=4, border=2, xmldecl=False, title=title)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
