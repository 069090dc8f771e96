"""Small pages of a ward's or a borough's next sessions for other sites' ``<iframe>``s.

These are the only pages any site may frame: ``frameable`` lifts X-Frame-Options and sets
the CSP ``frame-ancestors *`` for them alone; every other answer keeps ``DENY`` and
``frame-ancestors 'none'`` from the settings. They hold no form, no cookie and nothing of
a signed-in visitor's, so a framing page can make them do nothing on anyone's behalf. Their
links open the full site in a new tab, out of the host's frame.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt

from contactsessions.public import selectors as public_selectors
from contactsessions.public.views.pages import _get_borough, _get_ward, public_page

EMBED_SESSIONS = 5  # a ward's next sessions in its frame: enough for a month of weekly ones


def frameable(view: Callable) -> Callable:
    """Any site may put this view's answers in a frame (outside ``public_page``, so the cached
    copy carries the same headers)."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))


@frameable
@public_page
def ward_embed(request: HttpRequest, ward_code: str) -> HttpResponse:
    ward = _get_ward(request, ward_code)
    now = timezone.now()
    context = {
        "ward": ward,
        "sessions": public_selectors.upcoming_sessions(ward, now=now, limit=EMBED_SESSIONS),
        "cancellations": [s for s in public_selectors.recent_cancellations(ward, now=now) if s.end >= now],
    }
    return render(request, "public/embed/ward.html", context)


@frameable
@public_page
def borough_embed(request: HttpRequest, borough_code: str) -> HttpResponse:
    borough = _get_borough(request, borough_code)
    context = {
        "borough": borough,
        "wards": public_selectors.wards_with_next_session(borough, now=timezone.now()),
    }
    return render(request, "public/embed/borough.html", context)
