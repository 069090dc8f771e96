"""The borough's month for print, and the ward and borough pages other sites may frame."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contactsessions import services
from contactsessions.models import SessionKind, SessionStatus
from contactsessions.public import embedding
from contactsessions.public.views import printed
from contactsessions.public.views.printed import add_months, month_asked
from tests.conftest import london
from venues.models import Venue
from wards.models import Ward

pytestmark = pytest.mark.django_db


def next_month() -> dt.date:
    return add_months(timezone.localdate().replace(day=1), 1)


def in_next_month(day: int, hour: int = 10) -> dt.datetime:
    first = next_month()
    return london(first.year, first.month, day, hour)


def print_url(borough, month: dt.date | str | None = None) -> str:
    url = reverse("public:borough-print", args=[borough.code])
    if month is None:
        return url
    return f"{url}?month={month if isinstance(month, str) else month.strftime('%Y-%m')}"


@pytest.fixture
def library(other_ward):
    return Venue.objects.create(
        name="Belsize Library",
        address="Antrim Grove",
        postcode="NW3 4XN",
        ward=other_ward,
        hearing_loop=True,
        accessible_toilet=True,
        accessibility_notes="Ramp at the side door",
    )


@pytest.fixture
def month(ward, other_ward, venue, library, make_session, far_ward):
    """Next month in Camden: ``ward`` with weekly surgeries and an Enhanced session, ``other_ward``
    with two at the library, one cancelled and one proposed; a third ward with none."""
    Ward.objects.create(code="E05000137", name="Highgate", borough=ward.borough, ward_set="2014")
    made = {
        "surgeries": [make_session(in_next_month(day, 10), format="surgery") for day in (6, 13, 20)],
        "enhanced": make_session(in_next_month(8, 18), kind=SessionKind.ENHANCED, format="cuppa"),
        "library": [make_session(in_next_month(day, 14), ward=other_ward, venue=library) for day in (9, 23)],
        "cancelled": make_session(in_next_month(16, 12), status=SessionStatus.CANCELLED, cancellation_reason="Flood"),
        "proposed": make_session(in_next_month(17, 19), status=SessionStatus.PROPOSED),
        "later": make_session(add_months_dt(in_next_month(6, 10), 1)),
    }
    far_venue = Venue.objects.create(
        name="Hackney Central Library", address="1 Reading Lane", postcode="E8 1GQ", ward=far_ward
    )
    made["far"] = make_session(in_next_month(7), ward=far_ward, venue=far_venue)
    return made


def add_months_dt(when: dt.datetime, months: int) -> dt.datetime:
    first = add_months(when.date().replace(day=1), months)
    return when.replace(year=first.year, month=first.month)


# Print: content and grouping


def test_print_list_groups_the_months_sessions_by_ward_and_venue(client, camden, month):
    response = client.get(print_url(camden, next_month()))
    assert response.status_code == 200
    wards = response.context["wards"]
    assert [w.ward.name for w in wards] == [
        "Belsize",
        "St Pancras and Somers Town",
    ]  # by name, only wards with sessions
    belsize, somers_town = wards
    assert [g.venue.name for g in somers_town.venues] == ["Somers Town Community Centre"]
    assert somers_town.venues[0].sessions == [*month["surgeries"][:1], month["enhanced"], *month["surgeries"][1:]]
    assert belsize.venues[0].sessions == month["library"]
    assert [w.name for w in response.context["wards_without"]] == ["Highgate"]
    body = response.content.decode()
    title = f"Contact sessions in Camden, {next_month():%B %Y}"
    assert f'<h1 id="print-heading" class="print-title">{title}</h1>' in body
    assert "150 Ossulston Street" in body and "NW1 1EE" in body
    assert "Step-free access" in body  # the venue's access facts
    assert "Hearing loop, Accessible toilet. Ramp at the side door" in body
    assert "Cuppa with a Copper" in body and "Surgery" in body
    # A weekly series is one line; the Enhanced session at another time its own.
    assert [len(line) for line in somers_town.venues[0].lines] == [3, 1]
    day = in_next_month(6)
    assert f'<span class="print-date">{day:%a} 6, 13, 20 {day:%b}</span> 10:00–11:00 · Surgery' in body
    day = in_next_month(8)
    assert f'<span class="print-date">{day:%a} 8 {day:%b}</span> 18:00–19:00 · Cuppa with a Copper' in body
    assert "No sessions published yet for" in body and "Highgate" in body
    assert reverse("public:borough-qr", args=[camden.code]) in body
    assert f'<span class="print-url">{printed.borough_page_url(camden)}</span>' in body


def test_print_list_shows_only_approved_sessions_of_that_month_and_borough(client, camden, month):
    response = client.get(print_url(camden, next_month()))
    shown = {s.pk for w in response.context["wards"] for g in w.venues for s in g.sessions}
    assert month["cancelled"].pk not in shown
    assert month["proposed"].pk not in shown
    assert month["later"].pk not in shown
    assert month["far"].pk not in shown
    assert month["enhanced"].pk in shown
    assert response.context["session_count"] == 6
    assert "Hackney Central Library" not in response.content.decode()


@pytest.mark.parametrize("status", [s for s in SessionStatus.values if s != SessionStatus.APPROVED])
def test_no_session_but_an_approved_one_is_printed(client, camden, make_session, status):
    secret = make_session(in_next_month(10), status=status, description="zzyzx")
    secret.venue.name = "Zzyzx Hall"
    secret.venue.save()
    body = client.get(print_url(camden, next_month())).content.decode()
    assert "Zzyzx" not in body


def test_print_list_without_a_month_is_this_month(client, camden, make_session):
    today = timezone.localdate()
    session = make_session(london(today.year, today.month, 1, 12))
    response = client.get(print_url(camden))
    assert response.status_code == 200
    assert response.context["first"] == today.replace(day=1)
    assert [s for w in response.context["wards"] for g in w.venues for s in g.sessions] == [session]


def test_a_month_with_nothing_says_so(client, camden, ward):
    response = client.get(print_url(camden, next_month()))
    assert response.status_code == 200
    assert "No sessions are published for" in response.content.decode()


@pytest.mark.parametrize(
    "bad", ["2027-13", "2027-00", "٢٠٢٧-٠١", "January", "2027", "27-01", "0000-01", "2027-01-01", "9999-12", "1999-01"]
)
def test_a_bad_month_gets_a_clear_message_not_an_error(client, camden, bad):
    response = client.get(print_url(camden, bad))
    assert response.status_code == 400
    body = response.content.decode()
    assert "choose a month" in body
    assert ("Enter a month as year and month" in body) or ("Choose a month from" in body)
    assert 'aria-invalid="true"' in body


def test_month_asked_accepts_a_year_back_and_a_year_ahead():
    this = dt.date(2027, 1, 1)
    assert month_asked("2026-01", this) == (dt.date(2026, 1, 1), None)
    assert month_asked(" 2028-01 ", this) == (dt.date(2028, 1, 1), None)
    assert month_asked("2028-1", this) == (dt.date(2028, 1, 1), None)
    assert month_asked("2028-02", this)[1] == "Choose a month from January 2026 to January 2028."
    assert month_asked("2025-12", this)[1] is not None
    assert month_asked(None, this) == (this, None)
    assert month_asked("", this) == (this, None)
    assert add_months(dt.date(2027, 12, 1), 1) == dt.date(2028, 1, 1)
    assert add_months(dt.date(2027, 1, 1), -1) == dt.date(2026, 12, 1)


def test_unknown_borough_is_a_404(client, camden):
    assert client.get(reverse("public:borough-print", args=["E09999999"])).status_code == 404
    assert client.get(reverse("public:borough-qr", args=["E09999999"])).status_code == 404
    assert client.get(reverse("public:borough-embed", args=["E09999999"])).status_code == 404
    assert client.get(reverse("public:ward-embed", args=["E05999999"])).status_code == 404


def test_borough_qr_is_an_svg(client, camden):
    response = client.get(reverse("public:borough-qr", args=[camden.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"Link to the Camden page" in response.content


def test_an_approval_shows_at_once_on_the_print_list_and_the_embeds(client, camden, ward, make_session, board_member):
    proposal = make_session(in_next_month(15, 11), status=SessionStatus.PROPOSED)
    urls = [
        print_url(camden, next_month()),
        reverse("public:ward-embed", args=[ward.code]),
        reverse("public:borough-embed", args=[camden.code]),
    ]
    before = {url: client.get(url).content for url in urls}  # now cached
    services.session_approve(session=proposal, by=board_member, version=proposal.version)
    for url in urls:
        assert client.get(url).content != before[url], url
    assert f"15 {in_next_month(15):%b}" in client.get(urls[0]).content.decode()


def test_a_venue_change_shows_on_the_print_list(client, camden, venue, make_session):
    make_session(in_next_month(15, 11))
    url = print_url(camden, next_month())
    assert "Hearing loop" not in client.get(url).content.decode()
    venue.hearing_loop = True
    venue.save()
    assert "Hearing loop" in client.get(url).content.decode()


def test_print_list_is_linked_from_the_borough_page_and_the_back_office(
    client, camden, ward, board_member, panel_member
):
    link = reverse("public:borough-print", args=[camden.code])
    assert link in client.get(reverse("public:borough", args=[camden.code])).content.decode()
    client.force_login(board_member)
    assert link in client.get(reverse("board:queue")).content.decode()
    client.force_login(panel_member)
    assert link in client.get(reverse("panel:ward", args=[ward.pk])).content.decode()


# Embeds


def test_ward_embed_shows_the_next_sessions_with_links_to_a_new_tab(client, ward, make_session):
    start = timezone.localtime() + dt.timedelta(days=2)
    first = make_session(start.replace(hour=10, minute=0, second=0, microsecond=0))
    make_session(start + dt.timedelta(days=1), status=SessionStatus.PROPOSED, description="zzyzx")
    cancelled = make_session(start + dt.timedelta(days=3), status=SessionStatus.CANCELLED)
    response = client.get(reverse("public:ward-embed", args=[ward.code]))
    assert response.status_code == 200
    assert response.context["sessions"] == [first]
    assert response.context["cancellations"] == [cancelled]
    body = response.content.decode()
    assert f'href="{reverse("public:session", args=[first.pk])}" target="_blank" rel="noopener"' in body
    assert f'href="{reverse("public:ward", args=[ward.code])}" target="_blank" rel="noopener"' in body
    assert "Somers Town Community Centre" in body and "Step-free access" in body
    assert "Cancelled:" in body
    assert "site-header" not in body and "Staff sign in" not in body  # no site chrome
    links = re.findall(r"<a [^>]*>", body.split("<main", 1)[1])
    assert len(links) == 2 and all('target="_blank" rel="noopener"' in a for a in links)


def test_borough_embed_lists_each_ward_with_its_next_session(client, camden, ward, other_ward, make_session):
    session = make_session(timezone.now() + dt.timedelta(days=2))
    response = client.get(reverse("public:borough-embed", args=[camden.code]))
    assert response.status_code == 200
    assert response.context["wards"] == [(other_ward, None), (ward, session)]
    body = response.content.decode()
    assert "No session published yet." in body
    assert body.count('target="_blank" rel="noopener"') == 3


def embed_urls(ward) -> list[str]:
    return [reverse("public:ward-embed", args=[ward.code]), reverse("public:borough-embed", args=[ward.borough.code])]


def other_urls(ward) -> list[str]:
    return [
        reverse("public:home"),
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-share", args=[ward.code]),
        reverse("public:ward-poster", args=[ward.code]),
        reverse("public:borough", args=[ward.borough.code]),
        reverse("public:borough-print", args=[ward.borough.code]),
    ]


def test_only_the_embeds_may_be_framed_by_other_sites(client, ward, make_session):
    make_session(timezone.now() + dt.timedelta(days=2))
    for _ in range(2):  # built, then from the cache: the same headers
        for url in embed_urls(ward):
            response = client.get(url)
            assert response.status_code == 200
            assert "X-Frame-Options" not in response, url
            assert "frame-ancestors *" in response["Content-Security-Policy"], url
            assert "frame-ancestors 'none'" not in response["Content-Security-Policy"], url
            assert "default-src 'self'" in response["Content-Security-Policy"], url
        for url in other_urls(ward):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["X-Frame-Options"] == "DENY", url
            assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_a_bad_month_page_refuses_framing_too(client, camden):
    response = client.get(print_url(camden, "nonsense"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_share_pages_show_the_iframe_to_copy(client, ward, camden):
    snippet = embedding.ward_snippet(ward)
    assert snippet.startswith(f'<iframe src="{embedding.ward_embed_url(ward)}" ')
    assert 'title="Community Contact Sessions in St Pancras and Somers Town"' in snippet
    assert str(escape(snippet)) in client.get(reverse("public:ward-share", args=[ward.code])).content.decode()
    snippet = embedding.borough_snippet(camden)
    assert snippet.startswith(f'<iframe src="{embedding.borough_embed_url(camden)}" ')
    assert 'title="Community Contact Sessions in Camden"' in snippet
    assert str(escape(snippet)) in client.get(reverse("public:borough", args=[camden.code])).content.decode()


def test_embed_answers_a_post_with_405(client, ward):
    assert client.post(reverse("public:ward-embed", args=[ward.code])).status_code == 405
