"""Server-side cache of public pages: hits cost no query, and every kind of write shows at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from contactsessions import services
from contactsessions.lib.public_cache import PublicCacheMiddleware, public_cache_bump
from contactsessions.models import EnhancedDesignation, EnhancedSlot, SessionStatus
from contactsessions.services import assignment_end
from tests.conftest import PASSWORD
from wards.models import FrontCounter, WardAssignment

pytestmark = pytest.mark.django_db


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def public_urls(ward, session) -> list[str]:
    return [
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-ical", args=[ward.code]),
        reverse("public:borough", args=[ward.borough.code]),
        reverse("public:borough-ical", args=[ward.borough.code]),
        reverse("public:session", args=[session.pk]),
        reverse("api:events", args=[ward.code]),
        reverse("api:people", args=[ward.code]),
        reverse("api:neighbourhood", args=[ward.code]),
        reverse("api:neighbourhoods"),
        reverse("api:sessions-csv"),
    ]


@pytest.fixture
def session(make_session):
    return make_session(soon(), 60)


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_cached_page_is_served_without_queries(client, ward, session, django_assert_num_queries):
    for url in public_urls(ward, session):
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"]
        assert second["ETag"] == first["ETag"]
        assert second["Cache-Control"] == first["Cache-Control"]


def test_a_cached_page_still_answers_304(client, ward, session, django_assert_num_queries):
    url = reverse("public:ward", args=[ward.code])
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_api_answers_keep_their_headers_from_the_cache(client, ward, session):
    url = reverse("api:events", args=[ward.code])
    client.get(url)
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    csv = client.get(reverse("api:sessions-csv"))
    csv = client.get(reverse("api:sessions-csv"))
    assert "attachment" in csv["Content-Disposition"]


def test_a_hit_is_the_same_answer_as_the_miss_that_stored_it(client, ward, session):
    for url in public_urls(ward, session):
        first = client.get(url)
        second = client.get(url)
        assert dict(second.items()) == dict(first.items()), url
        for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "ETag"):
            assert second.has_header(name), (url, name)


def test_a_cached_head_has_the_headers_and_no_body(client, ward, session, django_assert_num_queries):
    url = reverse("public:ward", args=[ward.code])
    body = client.get(url).content
    with django_assert_num_queries(0):
        response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(body))


def test_a_head_first_leaves_the_cached_page_its_etag(client, ward, session):
    # A HEAD that missed the cache once stored the page without an ETag: no 304 after it.
    for url in public_urls(ward, session):
        head = client.head(url)
        get = client.get(url)
        assert head.has_header("ETag"), url
        assert get["ETag"] == head["ETag"], url
        assert client.get(url, HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304, url
        public_cache_bump()
        assert client.head(url, HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304, url


def test_an_unknown_ward_is_looked_up_every_time(client, django_assert_max_num_queries):
    url = reverse("public:ward", args=["E05999999"])
    assert client.get(url).status_code == 404
    with django_assert_max_num_queries(15) as queries:
        assert client.get(url).status_code == 404
    assert len(queries) > 0


def test_a_page_that_sets_a_cookie_is_not_stored(client):
    # The log-in form gives each visitor a CSRF cookie of their own.
    url = reverse("login")
    assert "csrftoken" in client.get(url).cookies
    client.cookies.clear()
    assert "csrftoken" in client.get(url).cookies


def _vary_language(response):
    response["Vary"] = "Accept-Language"


def _vary_cookie_and_authorization(response):
    response["Vary"] = "Cookie, Authorization"


def _private(response):
    response["Cache-Control"] = "private"


def _no_store(response):
    response["Cache-Control"] = "no-store"


def _sets_a_cookie(response):
    response.set_cookie("csrftoken", "one-visitor-only")


@pytest.mark.parametrize("make_personal", [_vary_language, _vary_cookie_and_authorization, _private, _no_store,
                                           _sets_a_cookie])  # fmt: skip
def test_an_answer_that_is_not_the_same_for_everyone_is_not_stored(rf, make_personal):
    served = []

    def view(request):
        served.append(request)
        response = HttpResponse(b"page")
        make_personal(response)
        response.public_cacheable = True
        return response

    middleware = PublicCacheMiddleware(view)
    for _ in range(2):
        assert middleware(rf.get("/marked/")).status_code == 200
    assert len(served) == 2


def test_a_marked_answer_is_stored_and_served_by_the_middleware(rf):
    served = []

    def view(request):
        served.append(request)
        response = HttpResponse(b"page")
        response["Vary"] = "Cookie"
        response.public_cacheable = True
        return response

    middleware = PublicCacheMiddleware(view)
    bodies = [middleware(rf.get("/marked/")).content for _ in range(2)]
    assert bodies == [b"page", b"page"]
    assert len(served) == 1


def test_a_post_to_a_cached_address_is_never_answered_from_the_cache(client, ward, session):
    url = reverse("public:ward", args=[ward.code])
    client.get(url)
    assert client.post(url).status_code == 405


def test_query_strings_are_cached_apart(client, ward):
    home, link = reverse("public:home"), reverse("public:ward", args=[ward.code])
    assert link in text(client, home + "?q=pancras")
    assert link not in text(client, home + "?q=nowhere")


def test_logged_in_requests_are_neither_served_nor_stored(client, ward, session, officer):
    url = reverse("public:ward", args=[ward.code])
    assert "Back office" not in text(client, url)
    client.login(username=officer.username, password=PASSWORD)
    assert "Back office" in text(client, url)
    client.logout()
    client.cookies.clear()
    assert "Back office" not in text(client, url)


def test_approval_shows_at_once(client, ward, make_session, officer, board_member):
    proposal = make_session(soon(5), 60, status=SessionStatus.PROPOSED)
    urls = [reverse("public:ward", args=[ward.code]), reverse("api:events", args=[ward.code])]
    before = [text(client, url) for url in urls]
    services.session_approve(session=proposal, by=board_member, version=proposal.version)
    after = [text(client, url) for url in urls]
    assert before != after
    assert str(proposal.pk) in after[0]


def test_bulk_approval_shows_at_once(client, ward, make_session, board_member):
    proposals = [make_session(soon(d), 60, status=SessionStatus.PROPOSED) for d in (5, 6)]
    url = reverse("public:ward-ical", args=[ward.code])
    assert text(client, url).count("BEGIN:VEVENT") == 0
    services.month_approve(
        borough=ward.borough,
        year=proposals[0].start.year,
        month=proposals[0].start.month,
        by=board_member,
        expected={p.pk: p.version for p in proposals if p.start.month == proposals[0].start.month},
    )
    assert text(client, url).count("BEGIN:VEVENT") >= 1


def test_cancellation_shows_at_once(client, ward, session, officer):
    urls = [
        reverse("public:ward", args=[ward.code]),
        reverse("public:ward-ical", args=[ward.code]),
        reverse("public:session", args=[session.pk]),
    ]
    for url in urls:
        assert "Road closed" not in text(client, url)
    services.session_cancel(session=session, by=officer, version=session.version, reason="Road closed")
    assert "STATUS:CANCELLED" in text(client, urls[1])
    for url in (urls[0], urls[2]):
        assert "Road closed" in text(client, url)


def test_venue_rename_shows_at_once(client, ward, session, venue):
    urls = [reverse("public:ward", args=[ward.code]), reverse("public:session", args=[session.pk])]
    for url in urls:
        assert "Renamed Hall" not in text(client, url)
    venue.name = "Renamed Hall"
    venue.save()
    for url in urls:
        assert "Renamed Hall" in text(client, url)


def test_officer_rename_shows_at_once(client, ward, session, officer):
    urls = [reverse("public:ward", args=[ward.code]), reverse("api:people", args=[ward.code])]
    for url in urls:
        assert "Zebedee" not in text(client, url)
    officer.officer.public_name = "Zebedee Quill"
    officer.officer.save()
    for url in urls:
        assert "Zebedee Quill" in text(client, url)


def test_officers_of_a_session_changing_shows_at_once(client, ward, session, second_officer):
    url = reverse("public:session", args=[session.pk])
    assert second_officer.officer.public_name not in text(client, url)
    session.officers.add(second_officer.officer)
    assert second_officer.officer.public_name in text(client, url)


def test_assignment_end_shows_at_once(client, ward, officer, board_member):
    url = reverse("api:people", args=[ward.code])
    assert officer.officer.public_name in text(client, url)
    assignment = WardAssignment.objects.get(officer=officer.officer, ward=ward)
    assignment_end(assignment=assignment, end_date=timezone.localdate() - dt.timedelta(days=1), by=board_member)
    assert officer.officer.public_name not in text(client, url)


def test_new_assignment_shows_at_once(client, ward, other_officer):
    url = reverse("api:people", args=[ward.code])
    assert other_officer.officer.public_name not in text(client, url)
    WardAssignment.objects.create(officer=other_officer.officer, ward=ward, start=dt.date(2020, 1, 1))
    assert other_officer.officer.public_name in text(client, url)


def test_enhanced_designation_and_slots_show_at_once(client, ward, venue):
    url = reverse("public:ward", args=[ward.code])
    before = text(client, url)
    designation = EnhancedDesignation.objects.create(
        community="Somers Town Estate",
        ward=ward,
        venue=venue,
        in_force_from=dt.date(2020, 1, 1),
        pattern_confirmed_on=dt.date(2020, 1, 1),  # the public sees only confirmed times
    )
    with_designation = text(client, url)
    assert with_designation != before
    EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(18), end_time=dt.time(19))
    assert text(client, url) != with_designation


def test_front_counter_shows_at_once(client, ward, camden):
    urls = [reverse("public:ward", args=[ward.code]), reverse("public:borough", args=[camden.code])]
    for url in urls:
        assert "Kentish Town Police Station" not in text(client, url)
    counter = FrontCounter.objects.create(borough=camden, name="Kentish Town Police Station", address="12a Holmes Rd")
    for url in urls:
        assert "Kentish Town Police Station" in text(client, url)
    counter.delete()
    for url in urls:
        assert "Kentish Town Police Station" not in text(client, url)


def test_admin_edit_shows_at_once(client, ward, session, venue, postcodes):
    # The admin places a venue from its postcode, so the NW1 postcodes must be loaded.
    url = reverse("public:session", args=[session.pk])
    assert "Admin Hall" not in text(client, url)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    staff = client.__class__()
    staff.force_login(admin)
    change = reverse("admin:venues_venue_change", args=[venue.pk])
    form = staff.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data["name"] = "Admin Hall"
    response = staff.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Admin Hall" in text(client, url)


def test_bump_by_hand_forgets_every_page(client, ward, session, django_assert_max_num_queries):
    url = reverse("public:ward", args=[ward.code])
    client.get(url)
    public_cache_bump()
    with django_assert_max_num_queries(15) as queries:
        client.get(url)
    assert len(queries) > 0
