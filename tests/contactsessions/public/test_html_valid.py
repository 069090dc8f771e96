"""Every public page is well-formed HTML: parsed by html5lib (the WHATWG parsing algorithm)
in strict mode, any parse error (a stray end tag, a duplicate attribute, a bad character
reference, a missing doctype) fails the test. axe checks what a screen reader meets; this
checks that every browser builds the same page from our markup."""

from __future__ import annotations

import datetime as dt

import html5lib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from html5lib.html5parser import ParseError

from contactsessions.alerts.tokens import confirm_token, unsubscribe_token
from wards.models import Ward, WardSuccession


@pytest.fixture(params=[code for code, _name in settings.LANGUAGES])
def public_pages(request, ward, venue, make_session, postcodes):
    """Every public page, in each language of the site (its URLs: /pl/wards/<code>/ ...)."""
    translation.activate(request.param)
    request.addfinalizer(translation.deactivate)
    soon = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    session = make_session(soon, description="Bring your bike: we mark frames & wheels <free>.")
    make_session(soon + dt.timedelta(days=7), status="cancelled", cancellation_reason="Officers called away")
    link = "https://meet.example.org/j/1?a=1&b=<2>"
    online = make_session(soon + dt.timedelta(days=1), attendance_mode="online", joining_link=link, venue=None)
    hybrid = make_session(soon + dt.timedelta(days=2), attendance_mode="hybrid", joining_link=link)
    # A ward split by a boundary change: its old code offers the new wards to choose from.
    split = Ward.objects.create(code="E05000209", name="Southgate Green", borough=ward.borough, ward_set="2014")
    for code, name, share in (("E05013672", "Arnos Grove", 0.53), ("E05013686", "New Southgate", 0.47)):
        new = Ward.objects.create(code=code, name=name, borough=ward.borough, ward_set="2022")
        WardSuccession.objects.create(
            predecessor=split, successor=new, postcodes=int(share * 100), share=share, changed_on=dt.date(2022, 5, 9)
        )
    Ward.objects.filter(pk=split.pk).update(is_current=False, in_use_until=dt.date(2022, 5, 8))
    return [
        reverse("public:session", args=[online.pk]),
        reverse("public:session", args=[hybrid.pk]),
        reverse("public:home"),
        reverse("public:home") + "?q=Somers+Twon",
        reverse("public:home") + "?q=nw1",
        reverse("public:home") + "?q=%E2%80%9C%3Cscript%3E",
        reverse("public:borough", args=[ward.borough.code]),
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-poster", args=[ward.code]),
        reverse("public:ward-share", args=[ward.code]),
        reverse("public:ward-embed", args=[ward.code]),
        reverse("public:borough-embed", args=[ward.borough.code]),
        reverse("public:borough-print", args=[ward.borough.code]),
        reverse("public:borough-print", args=[ward.borough.code]) + f"?month={soon:%Y-%m}",
        reverse("public:borough-print", args=[ward.borough.code]) + "?month=%3Cscript%3E",
        reverse("public:session", args=[session.pk]),
        reverse("locate:postcode") + "?postcode=NW1+1AA",
        reverse("locate:postcode") + "?postcode=EC2V+7HH",
        reverse("locate:locate") + "?lat=51.5134&lng=-0.0890",
        reverse("public:home") + "no-such-page/",
        reverse("public:ward", args=[split.code]),
        reverse("alerts:subscribe", args=[ward.code]),
        reverse("alerts:confirm", args=[confirm_token(email="r@example.org", ward_id=ward.pk, frequency="weekly")]),
        reverse("alerts:unsubscribe", args=[unsubscribe_token(subscriber_id=1, ward_ids=[ward.pk])]),
        reverse("alerts:leave"),
        reverse("alerts:privacy"),
    ]


@pytest.fixture
def ward_team(ward, officer, panel_member, settings, tmp_path):
    """The ward team's public side filled in (issue 16): priority, contact, profile, languages."""
    import io

    from PIL import Image

    from contactsessions import services

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    priority = services.priority_add(
        ward=ward, by=panel_member, issue="Bikes & <b>theft</b>", issue_date=today, action="Marking", action_date=today
    )
    services.team_contact_update(ward=ward, by=officer, email="t@met.police.uk", facebook="https://facebook.com/t")
    picture = io.BytesIO()
    Image.new("RGB", (200, 200)).save(picture, format="PNG")
    picture.seek(0)
    services.officer_profile_update(
        officer=officer.officer,
        by=officer,
        public_name="Alice",
        bio="Hi & welcome",
        languages=["tr", "bfi"],
        photo=picture,
        photo_alt='Alice "smiling"',
    )
    return priority


def test_every_public_page_parses_without_an_error(client, public_pages, ward_team, officer):
    from contactsessions import services
    from contactsessions.models import ContactSession

    session = ContactSession.objects.filter(status="approved").first()
    services.session_link_priority(session=session, by=officer, priority=ward_team)
    parser = html5lib.HTMLParser(strict=True)
    for url in public_pages:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url  # 400: a bad month, with its message
        try:
            parser.parse(response.content, transport_encoding="utf-8")
        except ParseError as error:
            line, column = parser.errors[-1][0] if parser.errors else ("?", "?")
            pytest.fail(f"{url}: {error} at line {line}, column {column}")


def test_the_check_fails_on_broken_markup():
    parser = html5lib.HTMLParser(strict=True)
    with pytest.raises(ParseError):
        parser.parse(b"<!doctype html><p>one</div>")
