"""The ``<iframe>`` snippet that councils, libraries and SNBs paste into their own sites to
show a ward's or a borough's next sessions (the pages of ``public.views.embed``)."""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.translation import gettext as _

from contactsessions.lib.links import absolute
from wards.models import Borough, Ward

WARD_HEIGHT = 420  # px: the heading, five sessions and the links, on a phone
BOROUGH_HEIGHT = 560  # px: a scrolling list of the borough's wards


def ward_embed_url(ward: Ward) -> str:
    return absolute(reverse("public:ward-embed", args=[ward.code]))


def borough_embed_url(borough: Borough) -> str:
    return absolute(reverse("public:borough-embed", args=[borough.code]))


def iframe_snippet(url: str, title: str, height: int) -> str:
    """The HTML to copy, as plain text (a template escapes it once more to show it).

    A ``title`` names the frame for screen readers; ``loading="lazy"`` spares the host page
    the request until the frame is scrolled near.
    """
    return (
        f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" height="{height}" '
        'loading="lazy" style="border: 1px solid #ccc; max-width: 40rem;"></iframe>'
    )


def ward_snippet(ward: Ward) -> str:
    title = _("Community Contact Sessions in %(ward)s") % {"ward": ward.name}
    return iframe_snippet(ward_embed_url(ward), title, WARD_HEIGHT)


def borough_snippet(borough: Borough) -> str:
    title = _("Community Contact Sessions in %(borough)s") % {"borough": borough.name}
    return iframe_snippet(borough_embed_url(borough), title, BOROUGH_HEIGHT)
