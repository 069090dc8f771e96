"""The ward team's writes (issue 16): who may set priorities, keep the team's contact details,
edit a profile and link a session to a priority; what bad input is refused, with its code;
and that a refusal saves nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from contactsessions import services
from contactsessions.models import SessionStatus
from tests.conftest import london
from wards.models import OfficerLanguage, OfficerProfile, WardPriority, WardTeamContact

pytestmark = pytest.mark.django_db


def codes(excinfo) -> list[str]:
    return excinfo.value.codes


def jpeg(size=(400, 300), *, exif: bytes | None = None, fmt: str = "JPEG") -> io.BytesIO:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif else {}
    image.save(out, format=fmt, **kwargs)
    out.seek(0)
    return out


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def priority(ward, panel_member):
    return services.priority_add(
        ward=ward, by=panel_member, issue="Burglary on the Elm estate", issue_date=timezone.localdate()
    )


# --- priorities -------------------------------------------------------------------------


def test_panel_member_adds_a_priority(ward, panel_member):
    day = timezone.localdate() - dt.timedelta(days=3)
    priority = services.priority_add(ward=ward, by=panel_member, issue="  Speeding   on Eversholt St ", issue_date=day)
    assert priority.issue == "Speeding on Eversholt St"
    assert priority.created_by == panel_member
    assert list(WardPriority.objects.current().filter(ward=ward)) == [priority]


@pytest.mark.parametrize("persona", ["officer", "other_officer", "board_member", "monitor", "far_board_member"])
def test_only_the_wards_panel_adds_priorities(request, ward, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_add(ward=ward, by=user, issue="Burglary", issue_date=timezone.localdate())
    assert codes(excinfo) == ["permission.denied"]
    assert not WardPriority.objects.exists()


def test_panel_of_another_ward_cannot_add(other_ward, panel_member):
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_add(ward=other_ward, by=panel_member, issue="Burglary", issue_date=timezone.localdate())
    assert codes(excinfo) == ["permission.denied"]


@pytest.mark.parametrize(
    ("issue", "issue_days", "action", "action_days", "expected"),
    [
        ("   ", 0, "", None, ["priority.issue_empty"]),
        ("x" * 301, 0, "", None, ["priority.issue_empty"]),
        ("Burglary", -1, "", None, ["priority.future_date"]),
        ("Burglary", 5, "Patrols", 6, ["priority.action_before_issue"]),
        ("Burglary", 5, "", 2, ["priority.action_missing"]),
        ("Burglary", 5, "Patrols", None, ["priority.action_date_missing"]),
        ("Burglary", 5, "Patrols", -2, ["priority.future_date"]),
    ],
)
def test_bad_priorities_are_refused_with_codes(ward, panel_member, issue, issue_days, action, action_days, expected):
    today = timezone.localdate()
    action_date = None if action_days is None else today - dt.timedelta(days=action_days)
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_add(
            ward=ward,
            by=panel_member,
            issue=issue,
            issue_date=today - dt.timedelta(days=issue_days),
            action=action,
            action_date=action_date,
        )
    assert codes(excinfo) == expected
    assert not WardPriority.objects.exists()


@pytest.mark.parametrize(
    ("issue_date", "action_date"),
    [(dt.date(1, 1, 1), None), (dt.date(2017, 12, 31), None), (dt.date(2018, 1, 1), dt.date(2017, 12, 31))],
)
def test_priority_dates_before_the_scheme_are_refused(ward, panel_member, priority, issue_date, action_date):
    action = "Patrols" if action_date else ""
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_add(
            ward=ward, by=panel_member, issue="Old", issue_date=issue_date, action=action, action_date=action_date
        )
    assert codes(excinfo) == ["priority.too_early"]
    assert "1 January 2018" in excinfo.value.problems[0].message
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_update(
            priority=priority,
            by=panel_member,
            issue="Old",
            issue_date=issue_date,
            action=action,
            action_date=action_date,
        )
    assert codes(excinfo) == ["priority.too_early"]
    assert list(WardPriority.objects.values_list("issue", flat=True)) == ["Burglary on the Elm estate"]
    first = services.priority_add(ward=ward, by=panel_member, issue="First", issue_date=dt.date(2018, 1, 1))
    assert first.issue_date == dt.date(2018, 1, 1)


def test_invisible_characters_leave_priorities(ward, panel_member):
    priority = services.priority_add(
        ward=ward,
        by=panel_member,
        issue="Bur\u200bglary \u202eetatse mlE\u202c on the estate\u2066",
        issue_date=timezone.localdate(),
        action="\u200fPatrols\ufeff\r\nnightly \u200d\U0001f46e",
        action_date=timezone.localdate(),
    )
    assert priority.issue == "Burglary etatse mlE on the estate"
    assert priority.action == "Patrols\nnightly \u200d\U0001f46e"  # the emoji's joiner stays
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_add(ward=ward, by=panel_member, issue="\u200b\u202e \u200c", issue_date=timezone.localdate())
    assert codes(excinfo) == ["priority.issue_empty"]


def test_dwo_records_the_action_but_cannot_reword_the_issue(priority, officer):
    today = timezone.localdate()
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_update(
            priority=priority, by=officer, issue="Something else", issue_date=today, action="", action_date=None
        )
    assert codes(excinfo) == ["permission.denied"]
    updated = services.priority_update(
        priority=priority, by=officer, issue=priority.issue, issue_date=today, action="Leaflet drop", action_date=today
    )
    assert (updated.action, updated.action_date) == ("Leaflet drop", today)
    priority.refresh_from_db()
    assert priority.issue == "Burglary on the Elm estate"


def test_other_wards_officer_cannot_touch_the_priority(priority, other_officer):
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_update(
            priority=priority,
            by=other_officer,
            issue=priority.issue,
            issue_date=priority.issue_date,
            action="x",
            action_date=timezone.localdate(),
        )
    assert codes(excinfo) == ["permission.denied"]


def test_retire_is_panel_only_and_once(priority, panel_member, officer):
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_retire(priority=priority, by=officer)
    assert codes(excinfo) == ["permission.denied"]
    services.priority_retire(priority=priority, by=panel_member)
    assert not WardPriority.objects.current().exists()
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_retire(priority=priority, by=panel_member)
    assert codes(excinfo) == ["priority.retired"]
    with pytest.raises(services.ServiceError) as excinfo:
        services.priority_update(
            priority=priority, by=panel_member, issue="New", issue_date=priority.issue_date, action="", action_date=None
        )
    assert codes(excinfo) == ["priority.retired"]


# --- linking a session --------------------------------------------------------------------


def test_dwo_links_a_session_to_a_priority(make_session, priority, officer):
    session = make_session(london(2030, 5, 6, 10), status=SessionStatus.PROPOSED)
    version = session.version
    services.session_link_priority(session=session, by=officer, priority=priority)
    session.refresh_from_db()
    assert session.priority == priority
    assert session.version == version  # an open edit form is not made stale
    services.session_link_priority(session=session, by=officer, priority=None)
    session.refresh_from_db()
    assert session.priority is None


def test_link_refusals(make_session, priority, ward, other_ward, officer, other_officer, panel_member):
    session = make_session(london(2030, 5, 6, 10))
    with pytest.raises(services.ServiceError) as excinfo:
        services.session_link_priority(session=session, by=other_officer, priority=priority)
    assert codes(excinfo) == ["permission.denied"]
    with pytest.raises(services.ServiceError) as excinfo:
        services.session_link_priority(session=session, by=panel_member, priority=priority)
    assert codes(excinfo) == ["permission.denied"]
    elsewhere = WardPriority.objects.create(ward=other_ward, issue="Noise", issue_date=timezone.localdate())
    with pytest.raises(services.ServiceError) as excinfo:
        services.session_link_priority(session=session, by=officer, priority=elsewhere)
    assert codes(excinfo) == ["priority.other_ward"]
    services.priority_retire(priority=priority, by=panel_member)
    with pytest.raises(services.ServiceError) as excinfo:
        services.session_link_priority(session=session, by=officer, priority=priority)
    assert codes(excinfo) == ["priority.retired"]
    cancelled = make_session(london(2030, 5, 7, 10), status=SessionStatus.CANCELLED)
    with pytest.raises(services.ServiceError) as excinfo:
        services.session_link_priority(session=cancelled, by=officer, priority=None)
    assert codes(excinfo) == ["session.state"]
    session.refresh_from_db()
    assert session.priority is None


# --- the team's contact details ----------------------------------------------------------


def test_dwo_sets_the_team_contact(ward, officer):
    contact = services.team_contact_update(
        ward=ward,
        by=officer,
        email="somerstown.snt@met.police.uk",
        telephone="020 7946 0000",
        twitter="https://x.com/MPSSomersTown",
        facebook="https://www.facebook.com/MPSSomersTown",
    )
    assert contact.as_dict() == {
        "email": "somerstown.snt@met.police.uk",
        "telephone": "020 7946 0000",
        "twitter": "https://x.com/MPSSomersTown",
        "facebook": "https://www.facebook.com/MPSSomersTown",
    }
    services.team_contact_update(ward=ward, by=officer, email="somerstown.snt@met.police.uk")
    assert WardTeamContact.objects.get(ward=ward).as_dict() == {"email": "somerstown.snt@met.police.uk"}


@pytest.mark.parametrize("persona", ["panel_member", "other_officer", "far_officer", "board_member", "monitor"])
def test_only_the_wards_dwos_set_the_contact(request, ward, persona):
    with pytest.raises(services.ServiceError) as excinfo:
        services.team_contact_update(ward=ward, by=request.getfixturevalue(persona), email="a@example.org")
    assert codes(excinfo) == ["permission.denied"]
    assert not WardTeamContact.objects.exists()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"email": "not an address"}, ["contact.email"]),
        ({"telephone": "12345"}, ["contact.telephone"]),
        ({"telephone": "+1 212 555 0100"}, ["contact.telephone"]),
        ({"twitter": "http://x.com/team"}, ["contact.social_url"]),
        ({"twitter": "https://evil.example/x.com"}, ["contact.social_url"]),
        ({"facebook": "javascript:alert(1)"}, ["contact.social_url"]),
        ({"instagram": "https://instagram.com/"}, ["contact.social_url"]),
        ({"email": "x", "telephone": "1"}, ["contact.email", "contact.telephone"]),
    ],
)
def test_bad_contact_details_are_refused(ward, officer, fields, expected):
    services.team_contact_update(ward=ward, by=officer, email="old@example.org")
    with pytest.raises(services.ServiceError) as excinfo:
        services.team_contact_update(ward=ward, by=officer, **fields)
    assert codes(excinfo) == expected
    assert WardTeamContact.objects.get(ward=ward).as_dict() == {"email": "old@example.org"}


@pytest.mark.parametrize("number", ["020 7946 0000", "07700 900000", "+44 20 7946 0000", "(020) 7946-0000"])
def test_uk_numbers_are_accepted(ward, officer, number):
    assert services.team_contact_update(ward=ward, by=officer, telephone=number).telephone == number


@pytest.mark.parametrize(
    ("number", "stored"),
    [
        ("+44 (0)20 7946 0000", "+44 20 7946 0000"),
        ("+44(0)7700 900000", "+44 7700 900000"),
        ("+44 (0) 20 - 7946 - 0000", "+44 20 - 7946 - 0000"),
        ("0044 (0) 20 - 7946 - 0000", "+442079460000"),  # too long as typed: its digits
    ],
)
def test_a_plus_44_number_with_its_national_zero_is_accepted(ward, officer, number, stored):
    assert services.team_contact_update(ward=ward, by=officer, telephone=number).telephone == stored
    assert WardTeamContact.objects.get(ward=ward).telephone == stored


@pytest.mark.parametrize("number", ["0900 000 000", "09099999999", "+44 909 879 0000", "+44 (0)909 879 0000"])
def test_premium_rate_numbers_are_refused(ward, officer, number):
    with pytest.raises(services.ServiceError) as excinfo:
        services.team_contact_update(ward=ward, by=officer, telephone=number)
    assert codes(excinfo) == ["contact.telephone"]
    assert "Premium-rate numbers" in excinfo.value.problems[0].message
    assert not WardTeamContact.objects.exists()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"twitter": "https://x.com/ a"}, ["contact.social_url"]),
        ({"twitter": "https://x.com/a b"}, ["contact.social_url"]),
        ({"twitter": "https://x.com/a\tb"}, ["contact.social_url"]),
        ({"twitter": "https://x.com/a\u00a0b"}, ["contact.social_url"]),
        ({"facebook": "https://facebook.com/snt\u202e"}, ["contact.social_url"]),
        ({"instagram": "https://instagram.com/\u200bsnt"}, ["contact.social_url"]),
        ({"email": "team@met.police.uk\u202e"}, ["contact.email"]),
        ({"email": "team@exa\u200bmple.org"}, ["contact.email"]),
        ({"telephone": "020\u200b7946 0000"}, ["contact.telephone"]),
        ({"telephone": "\u202e020 7946 0000"}, ["contact.telephone"]),
    ],
)
def test_contact_details_with_spaces_or_invisible_characters_are_refused(ward, officer, fields, expected):
    with pytest.raises(services.ServiceError) as excinfo:
        services.team_contact_update(ward=ward, by=officer, **fields)
    assert codes(excinfo) == expected
    assert not WardTeamContact.objects.exists()


def test_a_models_own_validation_comes_back_as_problems(ward, officer, monkeypatch):
    """Should full_clean find a fault the service's checks missed, it is a refusal, not a 500."""
    from django.core.exceptions import ValidationError

    def clean(self):
        raise ValidationError({"twitter": "Enter a valid URL."})

    monkeypatch.setattr(WardTeamContact, "clean", clean)
    with pytest.raises(services.ServiceError) as excinfo:
        services.team_contact_update(ward=ward, by=officer, twitter="https://x.com/team")
    assert codes(excinfo) == ["contact.social_url"]
    assert excinfo.value.problems[0].field == "twitter"
    assert not WardTeamContact.objects.exists()


# --- an officer's profile -------------------------------------------------------------------


def profile_update(user, **changes):
    fields = {"public_name": user.officer.public_name, "bio": "", "languages": []}
    fields.update(changes)
    return services.officer_profile_update(officer=user.officer, by=user, **fields)


def test_officer_edits_their_profile_with_a_photo_stripped_of_metadata(officer):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "GPS-leaking software"
    upload = jpeg((1200, 900), exif=exif.tobytes())
    profile = profile_update(
        officer,
        bio="I grew up in Somers Town.",
        languages=["tr", "pl"],
        photo=upload,
        photo_size=len(upload.getvalue()),
        photo_alt="PC Alice Adams in uniform",
    )
    officer.officer.refresh_from_db()
    assert officer.officer.bio == "I grew up in Somers Town."
    assert sorted(OfficerLanguage.objects.filter(officer=officer.officer).values_list("language", flat=True)) == [
        "pl",
        "tr",
    ]
    with profile.photo.open("rb") as stored:
        data = stored.read()
    assert b"SecretCam" not in data and b"GPS-leaking" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 600
        assert not image.getexif()
    assert profile.photo.name.startswith("officers/") and profile.photo.name.endswith(".jpg")


def test_a_new_photo_replaces_the_old_file(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = profile_update(officer, photo=jpeg(), photo_alt="Me").photo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = profile_update(officer, photo=jpeg(), photo_alt="Me").photo.name
    storage = OfficerProfile.objects.get().photo.storage
    assert first != second and storage.exists(second) and not storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(officer, remove_photo=True)
    assert not storage.exists(second)
    assert OfficerProfile.objects.get().photo_alt == ""


@pytest.mark.parametrize(
    ("upload", "size", "expected"),
    [
        (io.BytesIO(b"%PDF-1.4 not a picture"), None, "photo.not_image"),
        (io.BytesIO(b"GIF89a" + b"\0" * 50), None, "photo.not_image"),
        ("gif", None, "photo.format"),
        ("tiny", None, "photo.too_small"),
        ("jpeg", 6 * 1024 * 1024, "photo.too_large"),
        ("truncated", None, "photo.not_image"),
    ],
)
def test_bad_photos_are_refused(officer, upload, size, expected):
    if upload == "gif":
        upload = jpeg(fmt="GIF")
    elif upload == "tiny":
        upload = jpeg((40, 40))
    elif upload == "jpeg":
        upload = jpeg()
    elif upload == "truncated":
        upload = io.BytesIO(jpeg().getvalue()[:200])
    with pytest.raises(services.ServiceError) as excinfo:
        profile_update(officer, bio="changed", photo=upload, photo_size=size, photo_alt="Me")
    assert codes(excinfo) == [expected]
    officer.officer.refresh_from_db()
    assert officer.officer.bio == ""  # nothing half-saved
    assert not OfficerProfile.objects.filter(photo__gt="").exists()


def mpo(size=(400, 300)) -> io.BytesIO:
    """A phone's multi-picture JPEG: the photo, then a second picture (a depth map, say)."""
    out = io.BytesIO()
    first, second = Image.new("RGB", size, (200, 30, 30)), Image.new("RGB", size, (0, 0, 255))
    first.save(out, format="MPO", save_all=True, append_images=[second])
    out.seek(0)
    return out


def test_a_phones_multi_picture_jpeg_is_accepted_as_its_first_picture(officer):
    upload = mpo()
    with Image.open(upload) as probe:
        assert probe.format == "MPO"
    upload.seek(0)
    profile = profile_update(officer, photo=upload, photo_alt="Me")
    with profile.photo.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG" and image.size == (400, 300)
        red, green, blue = image.getpixel((200, 150))
        assert red > 150 and blue < 100  # the first picture, not the second


def png_bitmap(size) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("1", size, 1).save(out, format="PNG")  # a one-bit picture: huge, yet a small file
    out.seek(0)
    return out


@pytest.mark.parametrize("size", [(100, 399_000), (100, 401), (2000, 400)])
def test_long_thin_photos_are_refused(officer, size):
    with pytest.raises(services.ServiceError) as excinfo:
        profile_update(officer, bio="changed", photo=png_bitmap(size), photo_alt="Me")
    assert codes(excinfo) == ["photo.shape"]
    assert "too long and thin" in excinfo.value.problems[0].message
    assert not OfficerProfile.objects.filter(photo__gt="").exists()


def test_a_photo_four_times_as_long_as_wide_is_accepted(officer):
    profile = profile_update(officer, photo=png_bitmap((100, 400)), photo_alt="Me")
    with profile.photo.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.size == (100, 400)


def test_invisible_characters_leave_profiles_and_an_invisible_name_is_refused(officer):
    profile_update(
        officer,
        public_name="\u202eAlice\u200b Adams\u2069",
        bio="\u2067I grew up\u200e here.\u200c",
        photo=jpeg(),
        photo_alt="Me\ufeff",
    )
    officer.officer.refresh_from_db()
    assert (officer.officer.public_name, officer.officer.bio) == ("Alice Adams", "I grew up here.\u200c")
    assert OfficerProfile.objects.get().photo_alt == "Me"
    for name in ["\u200b", "\u200c\u200d", "\u202e \u2066"]:
        with pytest.raises(services.ServiceError) as excinfo:
            profile_update(officer, public_name=name, photo_alt="Me")
        assert codes(excinfo) == ["profile.name_empty"]
        assert excinfo.value.problems[0].message == "Give the name residents know you by."
    with pytest.raises(services.ServiceError) as excinfo:
        profile_update(officer, photo_alt="\u200b")  # keeps the photo, so it needs a description
    assert codes(excinfo) == ["profile.alt_missing"]
    officer.officer.refresh_from_db()
    assert officer.officer.public_name == "Alice Adams"


def test_a_photo_needs_a_description(officer):
    with pytest.raises(services.ServiceError) as excinfo:
        profile_update(officer, photo=jpeg(), photo_alt="  ")
    assert codes(excinfo) == ["profile.alt_missing"]
    profile_update(officer, photo=jpeg(), photo_alt="Me")
    with pytest.raises(services.ServiceError) as excinfo:
        profile_update(officer, photo_alt="")  # keeping the photo, dropping its description
    assert codes(excinfo) == ["profile.alt_missing"]


def test_profile_refusals(officer, other_officer, panel_member):
    with pytest.raises(services.ServiceError) as excinfo:
        services.officer_profile_update(
            officer=officer.officer, by=other_officer, public_name="Hacked", bio="", languages=[]
        )
    assert codes(excinfo) == ["permission.denied"]
    with pytest.raises(services.ServiceError) as excinfo:
        services.officer_profile_update(officer=officer.officer, by=panel_member, public_name="X", bio="", languages=[])
    assert codes(excinfo) == ["permission.denied"]
    with pytest.raises(services.ServiceError) as excinfo:
        profile_update(officer, public_name=" ", bio="x" * 601, languages=["xx"])
    assert codes(excinfo) == ["profile.name_empty", "profile.bio_too_long", "profile.language"]
    officer.officer.refresh_from_db()
    assert officer.officer.public_name == "Alice Adams"
