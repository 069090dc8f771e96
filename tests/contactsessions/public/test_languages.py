"""The public pages in Polish, Romanian, Arabic and Turkish: the URL's prefix decides the language
(/pl/wards/<code>/), each page is cached per language, the switcher is plain links, and
the API, feeds' English addresses, admin and back office keep their one English address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from contactsessions.models import EnhancedDesignation, EnhancedSlot
from contactsessions.public import sharing
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LANGUAGES = ("pl", "ro", "ar", "tr")

# A phrase each page shows in each language (and, for English, the phrase it replaces).
PHRASES = {
    "home": {
        "en-gb": "Meet your ward officers",
        "pl": "Poznaj funkcjonariuszy swojego okręgu",
        "ro": "Cunoașteți polițiștii cartierului dumneavoastră",
        "ar": "تعرّف على ضباط حيّك",
        "tr": "Mahalle memurlarınızla tanışın",
    },
    "borough": {
        "en-gb": "Wards and their next session",
        "pl": "Okręgi i ich najbliższe spotkanie",
        "ro": "Cartierele și următoarea lor întâlnire",
        "ar": "الأحياء ولقاؤها القادم",
        "tr": "Mahalleler ve sıradaki buluşmaları",
    },
    "ward": {
        "en-gb": "Your ward officers",
        "pl": "Funkcjonariusze twojego okręgu",
        "ro": "Polițiștii cartierului dumneavoastră",
        "ar": "ضباط حيّك",
        "tr": "Mahalle memurlarınız",
    },
    "session": {
        "en-gb": "What kind of session",
        "pl": "Rodzaj spotkania",
        "ro": "Tipul întâlnirii",
        "ar": "نوع اللقاء",
        "tr": "Buluşma türü",
    },
    "poster": {
        "en-gb": "Need the police before then?",
        "pl": "Potrzebujesz policji wcześniej?",
        "ro": "Aveți nevoie de poliție până atunci?",
        "ar": "هل تحتاج إلى الشرطة قبل ذلك؟",
        "tr": "O zamandan önce polise mi ihtiyacınız var?",
    },
    "share": {
        "en-gb": "Previous week",
        "pl": "Poprzedni tydzień",
        "ro": "Săptămâna anterioară",
        "ar": "الأسبوع السابق",
        "tr": "Önceki hafta",
    },
    "postcode": {
        "en-gb": "Your postcode",
        "pl": "Twój kod pocztowy",
        "ro": "Codul dumneavoastră poștal",
        "ar": "رمزك البريدي",
        "tr": "Posta kodunuz",
    },
    "locate": {
        "en-gb": "We could not read your location",
        "pl": "Nie udało się odczytać twojej lokalizacji",
        "ro": "Nu am putut citi locația dumneavoastră",
        "ar": "تعذرت قراءة موقعك",
        "tr": "Konumunuzu okuyamadık",
    },
    "print": {
        "en-gb": "Print this list",
        "pl": "Wydrukuj tę listę",
        "ro": "Tipăriți această listă",
        "ar": "اطبع هذه القائمة",
        "tr": "Bu listeyi yazdır",
    },
    "embed": {
        "en-gb": "(opens in a new tab)",
        "pl": "(otwiera się w nowej karcie)",
        "ro": "(se deschide într-o filă nouă)",
        "ar": "(يُفتح في علامة تبويب جديدة)",
        "tr": "(yeni sekmede açılır)",
    },
    "alerts": {
        "en-gb": "Send me the confirmation link",
        "pl": "Wyślij mi link potwierdzający",
        "ro": "Trimiteți-mi linkul de confirmare",
        "ar": "أرسل إليّ رابط التأكيد",
        "tr": "Onay bağlantısını bana gönderin",
    },
    "alerts-privacy": {
        "en-gb": "What we use it for",
        "pl": "Do czego tego używamy",
        "ro": "La ce le folosim",
        "ar": "فيمَ نستخدمه",
        "tr": "Ne için kullanıyoruz",
    },
}


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def session(make_session):
    return make_session(soon(), format="property_marking")


def page_url(name: str, language: str, ward, session) -> str:
    with translation.override(language):
        return {
            "home": lambda: reverse("public:home"),
            "borough": lambda: reverse("public:borough", args=[ward.borough.code]),
            "ward": lambda: reverse("public:ward", args=[ward.code]),
            "session": lambda: reverse("public:session", args=[session.pk]),
            "poster": lambda: reverse("public:ward-poster", args=[ward.code]),
            "share": lambda: reverse("public:ward-share", args=[ward.code]),
            "postcode": lambda: reverse("locate:postcode"),
            "locate": lambda: reverse("locate:locate") + "?lat=x&lng=y",
            "print": lambda: reverse("public:borough-print", args=[ward.borough.code]),
            "embed": lambda: reverse("public:ward-embed", args=[ward.code]),
            "alerts": lambda: reverse("alerts:subscribe", args=[ward.code]),
            "alerts-privacy": lambda: reverse("alerts:privacy"),
        }[name]()


def html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", sorted(PHRASES))
def test_each_public_page_is_translated(client, ward, session, language, page):
    url = page_url(page, language, ward, session)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code in (200, 400), url  # locate answers bad coordinates with 400
    body = response.content.decode()
    assert PHRASES[page][language] in body, url
    assert PHRASES[page]["en-gb"] not in body, url
    assert f'lang="{language}"' in html_tag(body)
    assert response["Content-Language"] == language


def test_english_pages_keep_their_addresses_and_stay_english(client, ward, session):
    for page, phrases in PHRASES.items():
        url = page_url(page, "en-gb", ward, session)
        assert not url.startswith(("/pl/", "/ro/", "/ar/", "/tr/", "/en"))
        body = client.get(url).content.decode()
        assert phrases["en-gb"] in body, url
        assert 'lang="en-gb" dir="ltr"' in html_tag(body)


def test_arabic_pages_read_right_to_left_with_bootstraps_rtl_stylesheet(client, ward, session):
    body = client.get(page_url("ward", "ar", ward, session)).content.decode()
    assert html_tag(body) == '<html lang="ar" dir="rtl">'
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in body
    assert "vendor/bootstrap/bootstrap.min.css" not in body
    polish = client.get(page_url("ward", "pl", ward, session)).content.decode()
    assert 'dir="ltr"' in html_tag(polish)
    assert "vendor/bootstrap/bootstrap.min.css" in polish


def test_dates_and_names_of_choices_are_in_the_pages_language(client, ward, session):
    with translation.override("pl"):
        day = date_format(timezone.localtime(session.start), "l, j E")
    body = client.get(page_url("ward", "pl", ward, session)).content.decode()
    assert day in body  # e.g. "Środa, 2 grudnia": the month in the genitive, as Polish writes a date
    assert "Znakowanie mienia" in body  # the session's format, "Property marking"
    arabic = client.get(page_url("session", "ar", ward, session)).content.decode()
    assert "وسم الممتلكات" in arabic


def test_share_texts_are_in_the_pages_language_and_link_to_it(client, ward, session):
    body = client.get(page_url("session", "pl", ward, session)).content.decode()
    assert f"Przyjdź i poznaj funkcjonariuszy okręgu {ward.name}" in body
    assert f"/pl/sessions/{session.pk}/" in body
    share = client.get(page_url("share", "ro", ward, session)).content.decode()
    assert f"Cunoașteți polițiștii cartierului {ward.name} săptămâna aceasta" in share
    assert f"/ro/wards/{ward.code}/" in share
    with translation.override("en-gb"):
        assert sharing.session_post_long(session).startswith(f"Come and meet your {ward.name}")


def test_enhanced_slots_name_their_weekday_in_the_pages_language(ward, venue):
    designation = EnhancedDesignation.objects.create(
        ward=ward, venue=venue, community="Test community", in_force_from=timezone.localdate()
    )
    slot = EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(10), end_time=dt.time(11))
    assert str(slot) == "Wednesday 10:00 to 11:00"
    with translation.override("pl"):
        assert str(slot) == "Środa od 10:00 do 11:00"


# --- the cache --------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["en-gb", *LANGUAGES])
def test_the_cache_never_serves_a_page_in_another_language(client, ward, session, first, django_assert_num_queries):
    """Whichever language is asked first, every language then gets its own copy, from the cache."""
    ward_urls = {language: page_url("ward", language, ward, session) for language in ("en-gb", *LANGUAGES)}
    order = [first, *(language for language in ward_urls if language != first)]
    for language in order:
        body = client.get(ward_urls[language]).content.decode()
        assert PHRASES["ward"][language] in body
    for language in order:
        with django_assert_num_queries(0):  # a hit: stored per language, not rebuilt
            response = client.get(ward_urls[language])
        body = response.content.decode()
        assert PHRASES["ward"][language] in body
        for other in ward_urls:
            if other != language:
                assert PHRASES["ward"][other] not in body


def test_a_browsers_language_does_not_change_the_page_at_an_address(client, ward, session):
    """The URL alone decides: a Polish browser at the English address gets the English page
    (and the switcher), so a cached copy is right for everyone who asks for that address."""
    url = page_url("ward", "en-gb", ward, session)
    polish_browser = client.get(url, headers={"accept-language": "pl,en;q=0.5"})
    assert PHRASES["ward"]["en-gb"] in polish_browser.content.decode()
    assert "accept-language" not in polish_browser.get("Vary", "").lower()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert PHRASES["ward"]["en-gb"] in client.get(url).content.decode()
    polish = client.get(page_url("ward", "pl", ward, session), headers={"accept-language": "en"})
    assert PHRASES["ward"]["pl"] in polish.content.decode()


# --- the switcher ---------------------------------------------------------------------


def switcher_links(body: str) -> dict[str, str]:
    nav = re.search(r'<nav class="language-switcher[^"]*"[^>]*>(.*?)</nav>', body, re.S)
    assert nav, "no language switcher"
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav.group(1))}


def test_the_switcher_links_to_this_page_in_every_language_without_javascript(client, ward, session):
    body = client.get(page_url("ward", "en-gb", ward, session) + "?postcode=NW1+1AA").content.decode()
    links = switcher_links(body)
    assert set(links) == {"en-gb", "pl", "ro", "ar", "tr"}
    assert links["pl"] == f"http://testserver/pl/wards/{ward.code}/?postcode=NW1+1AA"
    assert links["en-gb"] == f"http://testserver/wards/{ward.code}/?postcode=NW1+1AA"
    assert '<a href="http://testserver/wards/' in body and 'aria-current="true">English</a>' in body
    assert '<a href="http://testserver/pl/wards/' in body and 'lang="pl">Polski</a>' in body  # named in itself
    # Following a link is all it takes: the Polish page, which links back to the English one.
    polish = client.get(links["pl"]).content.decode()
    assert PHRASES["ward"]["pl"] in polish
    assert switcher_links(polish)["en-gb"] == links["en-gb"]
    assert 'aria-current="true">Polski</a>' in polish


def test_every_page_names_its_translations_for_search_engines(client, ward, session):
    body = client.get(page_url("session", "ro", ward, session)).content.decode()
    for language in LANGUAGES:
        url = f"http://testserver/{language}/sessions/{session.pk}/"
        assert f'<link rel="alternate" hreflang="{language}" href="{url}">' in body
    english = f"http://testserver/sessions/{session.pk}/"
    assert f'<link rel="alternate" hreflang="x-default" href="{english}">' in body


def test_a_missing_page_is_in_the_language_of_its_address_and_links_to_each_home_page(client):
    response = client.get("/pl/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nie znaleziono strony" in body
    assert switcher_links(body) == {
        "en-gb": "http://testserver/",
        "pl": "http://testserver/pl/",
        "ro": "http://testserver/ro/",
        "ar": "http://testserver/ar/",
        "tr": "http://testserver/tr/",
    }


# --- what stays one English address ---------------------------------------------------------


def test_api_feeds_admin_and_back_office_keep_their_addresses(client, ward, session, officer):
    assert client.get(reverse("api:forces")).status_code == 200
    assert client.get(reverse("public:ward-ical", args=[ward.code])).status_code == 200
    for prefixed in ("/pl/api/forces", "/ar/office/", "/ro/admin/", "/tr/monitoring/", "/pl/accounts/login/"):
        assert client.get(prefixed).status_code == 404, prefixed
    with translation.override("pl"):
        assert reverse("api:forces") == "/api/forces"
        assert reverse("officer:home") == "/office/"


def test_the_api_answers_in_english(client, ward, session):
    events = client.get(reverse("api:events", args=[ward.code]), headers={"accept-language": "pl"}).json()
    assert events[0]["title"].startswith("Property marking with your")


def test_the_back_office_stays_english_and_offers_no_switcher(client, officer):
    client.login(username=officer.username, password=PASSWORD)
    body = client.get(reverse("officer:home"), headers={"accept-language": "ar"}).content.decode()
    assert 'lang="en-gb" dir="ltr"' in html_tag(body)
    assert "language-switcher" not in body
    signed_out = client.post(reverse("logout")).content.decode()
    assert "language-switcher" not in signed_out  # a page that is not translated offers no languages


def test_language_links_are_remembered_for_plain_paths_only(client, ward):
    """Query strings and made-up paths are the visitor's to vary: remembering each would fill
    every worker's memory, so only plain paths are kept (the links stay right either way)."""
    from contactsessions.public.templatetags.public_languages import _language_paths

    _language_paths.cache_clear()
    page = reverse("public:ward", args=[ward.code])
    client.get(page)
    remembered = _language_paths.cache_info().currsize
    assert remembered >= 1
    for n in range(5):
        response = client.get(page, {"postcode": f"NW1 {n}AA", "x": "y" * 300})
        assert f'hreflang="pl" href="http://testserver/pl{page}?postcode=NW1+{n}AA' in response.content.decode()
        client.get(f"/no-such-page-{n}/")
    assert _language_paths.cache_info().currsize == remembered
