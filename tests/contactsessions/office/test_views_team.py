"""Office pages of the ward team (issue 16): Ward Panel members set priorities, DWOs record the
action taken, keep the team's contact details and their own profile, and link sessions to a
priority. Bad input is shown by its field and saves nothing; other wards and boroughs get 404."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contactsessions import services
from contactsessions.models import SessionStatus
from tests.conftest import london
from wards.models import Officer, OfficerProfile, WardPriority, WardTeamContact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def priority(ward, panel_member):
    day = timezone.localdate() - dt.timedelta(days=5)
    return services.priority_add(ward=ward, by=panel_member, issue="Burglary", issue_date=day)


def png_upload(size=(300, 300), name="me.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 120, 0)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_panel_member_adds_a_priority(client, ward, panel_member):
    client.force_login(panel_member)
    url = reverse("officer:priorities", args=[ward.pk])
    assert "Add a priority" in client.get(url).content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"issue": "Speeding on Eversholt Street", "issue_date": today}, follow=True)
    assert "Priority added" in response.content.decode()
    assert WardPriority.objects.get().issue == "Speeding on Eversholt Street"


def test_panel_bad_priority_is_shown_and_nothing_saved(client, ward, panel_member):
    client.force_login(panel_member)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("officer:priorities", args=[ward.pk]), {"issue": "Noise", "issue_date": future, "action": "Visits"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The date set cannot be in the future." in html
    assert "Give the date the action was taken." in html
    assert 'value="Noise"' in html  # nothing typed is lost
    assert not WardPriority.objects.exists()


def test_dwo_sees_priorities_without_the_add_form_and_records_action(client, ward, officer, priority):
    client.force_login(officer)
    html = client.get(reverse("officer:priorities", args=[ward.pk])).content.decode()
    assert "Burglary" in html and "Add a priority" not in html and "Record action" in html
    edit = reverse("officer:priority-edit", args=[priority.pk])
    assert 'name="issue"' not in client.get(edit).content.decode()
    today = timezone.localdate().isoformat()
    # A DWO's form has no issue field: an issue smuggled into the POST is ignored.
    response = client.post(edit, {"issue": "Hacked", "action": "Leaflets", "action_date": today})
    assert response.status_code == 302
    priority.refresh_from_db()
    assert (priority.issue, priority.action) == ("Burglary", "Leaflets")


def test_panel_retires_a_priority(client, panel_member, priority):
    client.force_login(panel_member)
    response = client.post(reverse("officer:priority-retire", args=[priority.pk]), follow=True)
    assert "retired" in response.content.decode()
    assert not WardPriority.objects.current().exists()


@pytest.mark.parametrize("persona", ["far_officer", "other_officer"])
def test_other_wards_get_404_on_priorities(client, request, ward, priority, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("officer:priorities", args=[ward.pk])).status_code == 404
    assert client.get(reverse("officer:priority-edit", args=[priority.pk])).status_code == 404
    assert client.post(reverse("officer:priority-retire", args=[priority.pk])).status_code == 404
    assert WardPriority.objects.current().count() == 1


def test_another_wards_panel_cannot_reach_the_priority(client, other_ward, priority):
    from tests.conftest import make_user
    from wards.models import PanelMembership

    intruder = make_user("ivy")
    PanelMembership.objects.create(user=intruder, ward=other_ward)
    client.force_login(intruder)
    data = {"issue": "Hacked", "issue_date": priority.issue_date.isoformat()}
    assert client.post(reverse("officer:priority-edit", args=[priority.pk]), data).status_code == 404
    priority.refresh_from_db()
    assert priority.issue == "Burglary"


def test_dwo_edits_team_contact_with_validation(client, ward, officer):
    client.force_login(officer)
    url = reverse("officer:team-contact", args=[ward.pk])
    response = client.post(url, {"email": "team@met", "telephone": "999", "twitter": "http://x.com/t"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter an e-mail address" in html and "Enter a UK phone number" in html and "https address" in html
    assert not WardTeamContact.objects.exists()
    response = client.post(url, {"email": "team@met.police.uk", "telephone": "020 7946 0000"})
    assert response.status_code == 302
    assert WardTeamContact.objects.get(ward=ward).as_dict() == {
        "email": "team@met.police.uk",
        "telephone": "020 7946 0000",
    }
    assert 'value="team@met.police.uk"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    "twitter", ["https://x.com/ a", "https://x.com/a b", "https://x.com/a\tb", "https://x.com/a\u00a0b"]
)
def test_a_social_address_with_a_space_is_refused_not_an_error(client, ward, officer, twitter):
    client.force_login(officer)
    response = client.post(reverse("officer:team-contact", args=[ward.pk]), {"twitter": twitter})
    assert response.status_code == 200
    assert "Give the full https address of the X (Twitter) account, with no spaces" in response.content.decode()
    assert not WardTeamContact.objects.exists()


def test_dwo_gives_a_plus_44_number_but_not_a_premium_one(client, ward, officer):
    client.force_login(officer)
    url = reverse("officer:team-contact", args=[ward.pk])
    response = client.post(url, {"telephone": "0900 000 000"})
    assert response.status_code == 200 and "Premium-rate numbers" in response.content.decode()
    assert not WardTeamContact.objects.exists()
    assert client.post(url, {"telephone": "+44 (0) 20 - 7946 - 0000"}).status_code == 302
    assert WardTeamContact.objects.get(ward=ward).telephone == "+44 20 - 7946 - 0000"


@pytest.mark.parametrize("persona", ["panel_member", "board_member", "monitor"])
def test_non_dwos_cannot_edit_contact_or_profiles(client, request, ward, persona, officer):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("officer:team-contact", args=[ward.pk]), {"email": "x@example.org"}).status_code == 403
    assert client.post(reverse("officer:profile"), {"public_name": "Hacked"}).status_code == 403
    assert Officer.objects.get(user=officer).public_name == "Alice Adams"
    assert not WardTeamContact.objects.exists()


def test_far_officer_cannot_edit_another_wards_contact(client, ward, far_officer):
    client.force_login(far_officer)
    assert client.post(reverse("officer:team-contact", args=[ward.pk]), {"email": "x@example.org"}).status_code == 404


def test_officer_edits_own_profile_with_photo_and_languages(client, officer, ward):
    client.force_login(officer)
    url = reverse("officer:profile")
    data = {"public_name": "Alice Adams", "bio": "Hello Somers Town", "languages": ["tr", "so"]}
    response = client.post(url, {**data, "photo": png_upload()})
    assert response.status_code == 200
    assert "Describe the photo" in response.content.decode()
    assert not OfficerProfile.objects.filter(photo__gt="").exists()
    response = client.post(url, {**data, "photo": png_upload(), "photo_alt": "Alice in uniform"})
    assert response.status_code == 302
    profile = OfficerProfile.objects.get(officer__user=officer)
    assert profile.photo.name.endswith(".jpg") and profile.photo_alt == "Alice in uniform"
    html = client.get(url).content.decode()
    assert 'alt="Alice in uniform"' in html
    assert re.search(r'value="tr"\s+id="[^"]+"\s+checked', html)
    public = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    assert "Hello Somers Town" in public and "Also speaks Somali and Turkish." in public


def test_profile_rejects_a_disguised_file(client, officer):
    client.force_login(officer)
    fake = SimpleUploadedFile("me.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = client.post(reverse("officer:profile"), {"public_name": "Alice Adams", "photo": fake, "photo_alt": "Me"})
    assert response.status_code == 200
    assert "not a picture we can read" in response.content.decode()
    assert not OfficerProfile.objects.filter(photo__gt="").exists()


def test_profile_edits_only_ones_own(client, officer, other_officer):
    """No officer id in the URL or the form: an officer can reach only their own profile."""
    client.force_login(other_officer)
    response = client.post(reverse("officer:profile"), {"public_name": "Bob B", "officer": officer.officer.pk})
    assert response.status_code == 302
    assert Officer.objects.get(user=other_officer).public_name == "Bob B"
    assert Officer.objects.get(user=officer).public_name == "Alice Adams"


def test_dwo_links_a_session_to_a_priority(client, officer, make_session, priority):
    session = make_session(london(2031, 3, 4, 10), status=SessionStatus.PROPOSED)
    client.force_login(officer)
    detail = reverse("officer:session-detail", args=[session.pk])
    assert "This session is not linked to a ward priority." in client.get(detail).content.decode()
    response = client.post(reverse("officer:session-priority", args=[session.pk]), {"priority": priority.pk})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.priority == priority
    assert "This session: <strong>Burglary</strong>" in client.get(detail).content.decode()


def test_link_to_another_wards_priority_is_refused(client, officer, make_session, other_ward):
    session = make_session(london(2031, 3, 4, 10))
    elsewhere = WardPriority.objects.create(ward=other_ward, issue="Noise", issue_date=timezone.localdate())
    client.force_login(officer)
    response = client.post(
        reverse("officer:session-priority", args=[session.pk]), {"priority": elsewhere.pk}, follow=True
    )
    assert "Choose one of the ward" in response.content.decode()
    session.refresh_from_db()
    assert session.priority is None


def test_panel_member_sees_the_link_but_no_form(client, panel_member, make_session, priority, officer):
    session = make_session(london(2031, 3, 4, 10))
    services.session_link_priority(session=session, by=officer, priority=priority)
    client.force_login(panel_member)
    html = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "This session: <strong>Burglary</strong>" in html
    assert reverse("officer:session-priority", args=[session.pk]) not in html
