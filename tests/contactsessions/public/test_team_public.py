"""The ward team in public (issue 16): priorities, officers' profiles and languages and the
team's contact details on the ward and session pages and in the open-data API, read also by
data.police.uk's own Python client (police-api-client); every edit shows at once, through
the public page cache."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contactsessions import services
from contactsessions.invalidation import bump_wards
from contactsessions.public import team as public_team
from tests.conftest import make_officer, make_user
from wards.models import PanelMembership, WardAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SERVE_MEDIA = True


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (10, 80, 160)).save(out, format="PNG")
    out.seek(0)
    return out


@pytest.fixture
def team(ward, officer, second_officer, panel_member):
    """A ward with a priority, contact details and an officer who speaks Turkish and Polish."""
    today = timezone.localdate()
    priority = services.priority_add(
        ward=ward,
        by=panel_member,
        issue="Burglary <b>prevention</b>",
        issue_date=today - dt.timedelta(days=10),
        action="Property marking at the library",
        action_date=today - dt.timedelta(days=2),
    )
    services.team_contact_update(
        ward=ward,
        by=officer,
        email="somerstown.snt@met.police.uk",
        telephone="020 7946 0000",
        twitter="https://x.com/MPSSomersTown",
    )
    services.officer_profile_update(
        officer=officer.officer,
        by=officer,
        public_name="Alice Adams",
        bio="Born and raised in Somers Town.",
        languages=["tr", "pl"],
        photo=photo(),
        photo_alt="PC Alice Adams smiling, in uniform",
    )
    return priority


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_ward_page_shows_priorities_profiles_languages_and_contact(client, ward, team):
    html = page(client, reverse("public:ward", args=[ward.code]))
    assert "Burglary &lt;b&gt;prevention&lt;/b&gt;" in html  # escaped, never markup
    assert "Property marking at the library" in html
    assert "Born and raised in Somers Town." in html
    assert 'alt="PC Alice Adams smiling, in uniform"' in html
    assert "Also speaks Polish and Turkish." in html
    assert 'href="mailto:somerstown.snt@met.police.uk"' in html
    assert 'href="tel:02079460000"' in html
    assert 'href="https://x.com/MPSSomersTown"' in html


def test_the_team_is_read_in_one_query_with_photos_and_languages(ward, team, officer, second_officer,
                                                                 django_assert_num_queries):  # fmt: skip
    # Issue 19, round six: the officers, their profiles and their languages in one query (was three).
    services.officer_profile_update(
        officer=second_officer.officer, by=second_officer, public_name="Anna Achebe", bio="", languages=["ar"]
    )
    with django_assert_num_queries(1):
        members = public_team.current_team(ward)
    assert [m.officer.public_name for m in members] == ["Alice Adams", "Anna Achebe"]
    alice, anna = members
    assert alice.languages == ["Polish", "Turkish"] and anna.languages == ["Arabic"]
    assert alice.photo_url == officer.officer.profile.photo.url
    assert alice.photo_alt == "PC Alice Adams smiling, in uniform"
    assert anna.photo_url == anna.photo_alt == ""
    assert alice.rank_label == alice.officer.get_rank_display() == officer.officer.get_rank_display()
    assert alice.officer.bio == "Born and raised in Somers Town."


def test_an_officer_posted_twice_at_once_is_listed_once_with_each_language_once(ward, team, officer):
    WardAssignment.objects.create(officer=officer.officer, ward=ward, start=timezone.localdate() - dt.timedelta(days=3))
    members = public_team.current_team(ward)
    assert [m.officer.public_name for m in members].count("Alice Adams") == 1
    assert next(m for m in members if m.officer.public_name == "Alice Adams").languages == ["Polish", "Turkish"]


def test_the_photo_is_served_as_a_jpeg(client, ward, team, officer):
    url = officer.officer.profile.photo.url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_media_is_not_served_by_the_app_when_the_proxy_does(client, ward, team, officer, settings):
    settings.SERVE_MEDIA = False
    assert client.get(officer.officer.profile.photo.url).status_code == 404


def test_only_officers_serving_today_appear(client, ward, team, officer, other_ward):
    WardAssignment.objects.filter(officer=officer.officer).update(end=timezone.localdate() - dt.timedelta(days=1))
    bump_wards([ward.pk])  # update() sends no signal: bump as the roster service does
    html = page(client, reverse("public:ward", args=[ward.code]))
    assert "Alice Adams" not in html
    names = [p["name"] for p in client.get(reverse("api:people", args=[ward.code])).json()]
    assert names == ["Anna Achebe"]


def test_session_page_shows_its_priority_and_officers_languages(client, make_session, team, officer):
    session = make_session(soon())
    services.session_link_priority(session=session, by=officer, priority=team)
    html = page(client, reverse("public:session", args=[session.pk]))
    assert "This session: Burglary &lt;b&gt;prevention&lt;/b&gt;" in html
    assert "Officers at this session speak Polish and Turkish." in html


def test_a_retired_priority_leaves_the_pages(client, ward, make_session, team, officer, panel_member):
    session = make_session(soon())
    services.session_link_priority(session=session, by=officer, priority=team)
    ward_url, session_url = reverse("public:ward", args=[ward.code]), reverse("public:session", args=[session.pk])
    api_url = reverse("api:priorities", args=[ward.code])
    assert "Property marking" in page(client, ward_url)
    assert "This session:" in page(client, session_url)
    assert len(client.get(api_url).json()) == 1
    services.priority_retire(priority=team, by=panel_member)
    assert "Property marking" not in page(client, ward_url)
    assert "This session:" not in page(client, session_url)
    assert client.get(api_url).json() == []


def test_each_edit_shows_at_once_through_the_cache(client, ward, make_session, team, officer, panel_member):
    """The pages are cached (no query on the second read); every write bumps the ward's scope."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = make_session(soon())
    urls = {
        "ward": reverse("public:ward", args=[ward.code]),
        "session": reverse("public:session", args=[session.pk]),
        "people": reverse("api:people", args=[ward.code]),
        "priorities": reverse("api:priorities", args=[ward.code]),
        "neighbourhood": reverse("api:neighbourhood", args=[ward.code]),
    }
    for url in urls.values():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 0, f"{url} is not served from the cache"
    today = timezone.localdate()
    services.priority_add(ward=ward, by=panel_member, issue="Speeding on Eversholt Street", issue_date=today)
    assert "Speeding on Eversholt Street" in page(client, urls["ward"])
    assert "Speeding on Eversholt Street" in client.get(urls["priorities"]).content.decode()
    services.priority_update(
        priority=team, by=officer, issue=team.issue, issue_date=team.issue_date, action="Patrols", action_date=today
    )
    assert "Patrols" in page(client, urls["ward"])
    services.team_contact_update(ward=ward, by=officer, email="new.team@met.police.uk")
    assert "new.team@met.police.uk" in page(client, urls["ward"])
    assert client.get(urls["neighbourhood"]).json()["contact_details"]["email"] == "new.team@met.police.uk"
    assert client.get(urls["people"]).json()[0]["contact_details"] == {"email": "new.team@met.police.uk"}
    services.officer_profile_update(
        officer=officer.officer,
        by=officer,
        public_name="Alice Adams",
        bio="New intro.",
        languages=["ar"],
        photo_alt="PC Alice Adams smiling, in uniform",
    )
    assert "New intro." in page(client, urls["ward"])
    assert "Officers at this session speak Arabic." in page(client, urls["session"])
    services.session_link_priority(session=session, by=officer, priority=team)
    assert "This session: Burglary" in page(client, urls["session"])


def test_api_people_priorities_and_contact_details_shapes(client, ward, team):
    people = client.get(reverse("api:people", args=[ward.code])).json()
    contact = {
        "email": "somerstown.snt@met.police.uk",
        "telephone": "020 7946 0000",
        "twitter": "https://x.com/MPSSomersTown",
    }
    assert people == [
        {
            "name": "Alice Adams",
            "rank": "Police Constable",
            "bio": "Born and raised in Somers Town.",
            "contact_details": contact,
        },
        {"name": "Anna Achebe", "rank": "Police Constable", "bio": None, "contact_details": contact},
    ]
    today = timezone.localdate()
    priorities = client.get(reverse("api:priorities", args=[ward.code])).json()
    assert priorities == [
        {
            "issue": "Burglary &lt;b&gt;prevention&lt;/b&gt;",  # data.police.uk's issue is HTML
            "issue-date": f"{today - dt.timedelta(days=10)}T00:00:00",
            "action": "Property marking at the library",
            "action-date": f"{today - dt.timedelta(days=2)}T00:00:00",
        }
    ]
    details = client.get(reverse("api:neighbourhood", args=[ward.code])).json()["contact_details"]
    assert details == {**contact, "web": "https://www.met.police.uk/ro/report/"}


def test_api_sends_typed_text_escaped_as_data_police_uk_html(client, ward, officer, panel_member):
    """data.police.uk's clients insert bio, issue and action as HTML: a resident's script typed
    into a priority must arrive as text, its line breaks as <br>."""
    today = timezone.localdate()
    services.priority_add(
        ward=ward,
        by=panel_member,
        issue="<img src=x onerror=alert(1)>",
        issue_date=today,
        action="Patrols & leaflets\r\n<script>alert(2)</script>",
        action_date=today,
    )
    services.officer_profile_update(
        officer=officer.officer, by=officer, public_name="Alice Adams", bio='"Hi"\n<b>there</b>', languages=[]
    )
    [priority] = client.get(reverse("api:priorities", args=[ward.code])).json()
    assert priority["issue"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert priority["action"] == "Patrols &amp; leaflets<br>&lt;script&gt;alert(2)&lt;/script&gt;"
    [person] = client.get(reverse("api:people", args=[ward.code])).json()
    assert person["bio"] == "&quot;Hi&quot;<br>&lt;b&gt;there&lt;/b&gt;"


def test_a_ward_without_a_team_contact_keeps_the_forces(client, ward):
    details = client.get(reverse("api:neighbourhood", args=[ward.code])).json()["contact_details"]
    assert details == {"telephone": "101", "web": "https://www.met.police.uk/ro/report/"}


@pytest.mark.django_db(transaction=True)
def test_data_police_uk_client_reads_people_priorities_and_contact_details(live_server, settings):
    """The national API's own Python client (police-api-client, module police_api) pointed at our /api/."""
    from police_api import PoliceAPI
    from police_api.neighbourhoods import Neighbourhood

    from wards.models import Borough, Ward

    camden = Borough.objects.create(code="E09000007", name="Camden", slug="camden")
    ward = Ward.objects.create(code="E05000143", name="St Pancras and Somers Town", borough=camden, ward_set="2014")
    user = make_officer("alice", ward, public_name="Alice Adams")
    panel = make_user("pat")
    PanelMembership.objects.create(user=panel, ward=ward)
    services.officer_profile_update(
        officer=user.officer, by=user, public_name="Alice Adams", bio="Hello.", languages=[]
    )
    services.team_contact_update(ward=ward, by=user, email="team@met.police.uk", facebook="https://facebook.com/snt")
    day = timezone.localdate() - dt.timedelta(days=5)
    services.priority_add(ward=ward, by=panel, issue="Burglary", issue_date=day, action="Patrols", action_date=day)

    Neighbourhood._resource_cache.clear()  # the client caches answers on the class
    api = PoliceAPI(base_url=live_server.url + "/api/")
    neighbourhood = api.get_neighbourhood("metropolitan", ward.code)
    assert neighbourhood.name == "St Pancras and Somers Town"
    assert neighbourhood.contact_details["email"] == "team@met.police.uk"
    assert neighbourhood.contact_details["facebook"] == "https://facebook.com/snt"
    [officer] = neighbourhood.officers
    assert (officer.name, officer.rank, officer.bio) == ("Alice Adams", "Police Constable", "Hello.")
    assert officer.contact_details == {"email": "team@met.police.uk", "facebook": "https://facebook.com/snt"}
    [priority] = neighbourhood.priorities
    assert priority.issue == "Burglary" and priority.action == "Patrols"
    assert priority.issue_date == dt.datetime.combine(day, dt.time(0))
    assert priority.action_date == dt.datetime.combine(day, dt.time(0))


def test_api_events_name_the_sessions_priority(client, ward, make_session, team, officer):
    linked, other = make_session(soon()), make_session(soon(days=4))
    services.session_link_priority(session=linked, by=officer, priority=team)
    events = client.get(reverse("api:events", args=[ward.code])).json()
    # HTML as data.police.uk's description: the typed text escaped, paragraphs as line breaks.
    assert events[0]["description"].endswith("<br><br>This session: Burglary &lt;b&gt;prevention&lt;/b&gt;")
    assert "This session:" not in events[1]["description"]
    assert other.priority_id is None
