"""Every public page is well-formed HTML: parsed by html5lib (the WHATWG parsing algorithm)
in strict mode, any parse error (a stray end tag, a duplicate attribute, a bad character
reference, a missing doctype) fails the test. axe checks what a screen reader meets; this
checks that every browser builds the same page from our markup."""

from __future__ import annotations

import datetime as dt

import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone
from html5lib.html5parser import ParseError

from wards.models import Ward, WardSuccession


@pytest.fixture
def public_pages(ward, venue, make_session, postcodes):
    soon = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    session = make_session(soon, description="Bring your bike: we mark frames & wheels <free>.")
    make_session(soon + dt.timedelta(days=7), status="cancelled", cancellation_reason="Officers called away")
    # A ward split by a boundary change: its old code offers the new wards to choose from.
    split = Ward.objects.create(code="E05000209", name="Southgate Green", borough=ward.borough, ward_set="2014")
    for code, name, share in (("E05013672", "Arnos Grove", 0.53), ("E05013686", "New Southgate", 0.47)):
        new = Ward.objects.create(code=code, name=name, borough=ward.borough, ward_set="2022")
        WardSuccession.objects.create(
            predecessor=split, successor=new, postcodes=int(share * 100), share=share, changed_on=dt.date(2022, 5, 9)
        )
    Ward.objects.filter(pk=split.pk).update(is_current=False, in_use_until=dt.date(2022, 5, 8))
    return [
        reverse("public:home"),
        reverse("public:home") + "?q=Somers+Twon",
        reverse("public:home") + "?q=nw1",
        reverse("public:home") + "?q=%E2%80%9C%3Cscript%3E",
        reverse("public:borough", args=[ward.borough.code]),
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-poster", args=[ward.code]),
        reverse("public:ward-share", args=[ward.code]),
        reverse("public:session", args=[session.pk]),
        reverse("locate:postcode") + "?postcode=NW1+1AA",
        reverse("locate:postcode") + "?postcode=EC2V+7HH",
        reverse("locate:locate") + "?lat=51.5134&lng=-0.0890",
        reverse("public:ward", args=[split.code]),
        "/no-such-page/",
    ]


def test_every_public_page_parses_without_an_error(client, public_pages):
    parser = html5lib.HTMLParser(strict=True)
    for url in public_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        try:
            parser.parse(response.content, transport_encoding="utf-8")
        except ParseError as error:
            line, column = parser.errors[-1][0] if parser.errors else ("?", "?")
            pytest.fail(f"{url}: {error} at line {line}, column {column}")


def test_the_check_fails_on_broken_markup():
    parser = html5lib.HTMLParser(strict=True)
    with pytest.raises(ParseError):
        parser.parse(b"<!doctype html><p>one</div>")
