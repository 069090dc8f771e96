"""The public pages in Polish, Romanian, Arabic and Turkish pass axe-core at 375 px; the Arabic pages
read right to left; the language switcher works without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from contactsessions.models import EnhancedDesignation, EnhancedSlot, SessionStatus
from tests.browser.conftest import PHONE
from wards.models import FrontCounter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A heading or label each language shows on the ward page.
WARD_PHRASE = {
    "pl": "Funkcjonariusze twojego okręgu",
    "ro": "Polițiștii cartierului dumneavoastră",
    "ar": "ضباط حيّك",
    "tr": "Mahalle memurlarınız",
}


def soon(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def full_ward(ward, venue, make_session, camden, other_ward):
    """A ward showing everything a page can: sessions, a cancellation, a change under review,
    an Enhanced site with confirmed times, a front counter."""
    FrontCounter.objects.create(borough=camden, name="Holborn Police Station", address="10 Lamb's Conduit Street")
    designation = EnhancedDesignation.objects.create(
        community="Somers Town",
        ward=ward,
        venue=venue,
        in_force_from=dt.date(2020, 1, 1),
        pattern_confirmed_on=dt.date(2020, 1, 1),
    )
    designation.served_wards.add(other_ward)
    EnhancedSlot.objects.create(designation=designation, weekday=1, start_time=dt.time(10), end_time=dt.time(11))
    session = make_session(soon(1), format="cuppa")
    changing = make_session(soon(4, 18), format="surgery")
    changing.has_pending_change = True
    changing.save()
    make_session(soon(2, 14), status=SessionStatus.CANCELLED, cancellation_reason="The centre is closed.")
    return ward, session


def pages(language: str, ward, session) -> list[str]:
    with translation.override(language):
        return [
            reverse("public:home"),
            reverse("public:home") + "?q=somers",
            reverse("public:borough", args=[ward.borough.code]),
            reverse("public:ward", args=[ward.code]),
            reverse("public:session", args=[session.pk]),
            reverse("public:ward-poster", args=[ward.code]),
            reverse("public:ward-share", args=[ward.code]),
            reverse("locate:postcode"),
            reverse("locate:postcode") + "?q=ZZ99",
            reverse("locate:locate") + "?lat=x&lng=y",
            reverse("public:home") + "no-such-page/",
            reverse("public:borough-print", args=[ward.borough.code]),
            reverse("public:borough-embed", args=[ward.borough.code]),
            reverse("public:ward-embed", args=[ward.code]),
            reverse("alerts:subscribe", args=[ward.code]),
            reverse("alerts:leave"),
            reverse("alerts:privacy"),
        ]


@pytest.mark.parametrize("language", ["pl", "ro", "ar", "tr"])
def test_every_public_page_in_each_language_passes_axe_at_375px(page, full_ward, assert_accessible, language):
    ward, session = full_ward
    for url in pages(language, ward, session):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page)
    page.goto(pages(language, ward, session)[3])
    expect(page.get_by_role("heading", name=WARD_PHRASE[language])).to_be_visible()


def test_arabic_pages_read_right_to_left(page, full_ward, assert_accessible):
    ward, session = full_ward
    with translation.override("ar"):
        page.goto(reverse("public:ward", args=[ward.code]))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("document.dir") == "rtl"
    nav = page.get_by_role("navigation", name="الرئيسية")
    assert nav.evaluate("element => getComputedStyle(element).direction") == "rtl"
    # The navigation's first item (the site's name) starts at the right edge and the
    # breadcrumb's first item ("Home") sits to the right of the ones after it.
    brand = nav.locator(".navbar-brand").bounding_box()
    assert brand["x"] + brand["width"] > PHONE["width"] - 40
    assert brand["x"] > 40
    crumbs = page.locator(".breadcrumb-item")
    first, second = crumbs.nth(0).bounding_box(), crumbs.nth(1).bounding_box()
    assert first["x"] > second["x"]
    # Text starts at the right: a paragraph's start edge is the right one.
    lead = page.locator("p.lead").first
    assert lead.evaluate("element => getComputedStyle(element).textAlign") in ("start", "right")
    assert lead.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert_accessible(page)


def test_english_pages_read_left_to_right(page, full_ward):
    ward, _session = full_ward
    page.goto(reverse("public:ward", args=[ward.code]))
    assert page.evaluate("document.dir") == "ltr"
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] < 40


def test_the_language_switcher_works_without_javascript(browser, live_server, full_ward):
    ward, _session = full_ward
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(reverse("public:ward", args=[ward.code]) + "?postcode=NW1+1EE")
        switcher = page.get_by_role("navigation", name="Language")
        expect(switcher.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
        switcher.get_by_role("link", name="Polski").click()
        expect(page).to_have_url(f"{live_server.url}/pl/wards/{ward.code}/?postcode=NW1+1EE")
        expect(page.get_by_role("heading", name=WARD_PHRASE["pl"])).to_be_visible()
        page.get_by_role("navigation", name="Język").get_by_role("link", name="العربية").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", name=WARD_PHRASE["ar"])).to_be_visible()
        page.get_by_role("navigation", name="اللغة").get_by_role("link", name="English").click()
        expect(page).to_have_url(f"{live_server.url}/wards/{ward.code}/?postcode=NW1+1EE")
        expect(page.get_by_role("heading", name="Your ward officers")).to_be_visible()
    finally:
        context.close()


# The print list's title and the alerts page's heading, and a refused sign-up's message.
NEW_PAGES_PHRASES = {
    "pl": (
        "Spotkania z policją w dzielnicy Camden, ",
        "Powiadamiaj mnie o nowych spotkaniach w okręgu St Pancras and Somers Town",
        "Wpisz adres e-mail w poprawnej postaci, np. name@example.com.",
    ),
    "ar": (
        "لقاءات التواصل في Camden، ",
        "أخبرني باللقاءات الجديدة في St Pancras and Somers Town",
        "أدخل عنوان بريد إلكتروني بالشكل الصحيح، مثل name@example.com.",
    ),
}


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_the_print_list_and_the_alerts_sign_up_are_translated(page, full_ward, assert_accessible, language):
    ward, _session = full_ward
    title, heading, refusal = NEW_PAGES_PHRASES[language]
    with translation.override(language):
        print_url = reverse("public:borough-print", args=[ward.borough.code])
        alerts_url = reverse("alerts:subscribe", args=[ward.code])
    page.goto(print_url)
    expect(page).to_have_title(re.compile("^" + re.escape(title)))
    expect(page.get_by_role("button", name=PRINT_BUTTON[language])).to_be_visible()
    assert_accessible(page)

    page.goto(alerts_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    page.locator("input[name=email]").fill("not-an-address")
    page.locator("input[name=frequency]").first.check()
    page.locator("form[method=post] button[type=submit]").click()
    expect(page.get_by_text(refusal).first).to_be_visible()
    assert_accessible(page)


PRINT_BUTTON = {"pl": "Wydrukuj tę listę", "ar": "اطبع هذه القائمة"}
