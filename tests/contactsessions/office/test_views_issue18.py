"""Issue 18, "Back office as its users found it": short sessions, messages in the words of the
job, nothing typed thrown away, locked sessions explained, error summary, names, forms that
show what applies. Hypothesis posts over-long, empty and conflicting input to each form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from contactsessions.models import ContactSession, EnhancedDesignation, SessionComment, SessionStatus
from tests.conftest import london
from tests.contactsessions.office.test_views_officer import form_data
from venues.models import Venue

pytestmark = pytest.mark.django_db


def series_data(soon, officer, venue, **extra) -> dict:
    data = form_data(soon, officer, venue, weekday="2", first_date=soon.isoformat(), **extra)
    data.pop("date")
    return data


# --- 1. short sessions ---------------------------------------------------------------------


def test_board_queue_says_a_short_session_does_not_count(client, board_member, soon, make_session):
    make_session(london(soon.year, soon.month, soon.day, 18), minutes=30, status=SessionStatus.PROPOSED)
    client.force_login(board_member)
    page = client.get(reverse("board:queue")).content.decode()
    assert "Does not count towards the weekly hour:" in page
    assert "lasts 30 minutes" in page


def test_form_says_a_short_session_does_not_count(client, officer, ward):
    client.force_login(officer)
    page = client.get(reverse("officer:session-propose", args=[ward.pk])).content.decode()
    assert "A shorter one (a street briefing, say) may be held, but it does not count." in page


# --- 2. messages in the words of the job -----------------------------------------------------


def test_series_with_neither_until_nor_weeks(client, officer, ward, venue, soon):
    client.force_login(officer)
    response = client.post(reverse("officer:series-propose", args=[ward.pk]), series_data(soon, officer, venue))
    page = response.content.decode()
    assert "Say how long the series runs: give the last date or the number of weeks." in page
    assert "not both" not in page


def test_series_with_61_weeks_shows_only_the_range_error(client, officer, ward, venue, soon):
    client.force_login(officer)
    response = client.post(
        reverse("officer:series-propose", args=[ward.pk]), series_data(soon, officer, venue, weeks="61")
    )
    errors = response.context["form"].errors
    assert list(errors) == ["weeks"]
    assert "at most 60 weeks" in errors["weeks"][0]


def test_long_comment_is_refused_with_the_limit_and_kept(client, panel_member, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(panel_member)
    text = "Residents ask about the estate. " * 70  # about 2,200 characters
    response = client.post(reverse("officer:session-comment", args=[session.pk]), {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "A comment can be at most 2,000 characters" in page
    assert text.strip() in page  # kept for editing
    assert " maxlength=" not in page
    assert 'data-maxlength="2000"' in page
    assert not SessionComment.objects.filter(text__startswith="Residents").exists()


def test_long_comment_from_the_panel_page_comes_back_on_the_panel_page(client, panel_member, ward, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(panel_member)
    text = "x" * 2100
    response = client.post(reverse("officer:session-comment", args=[session.pk]), {"text": text, "next_page": "panel"})
    page = response.content.decode()
    assert "Ward Panel: St Pancras and Somers Town" in page
    assert "yours has 2100" in page and text in page
    assert f'href="#comment-{session.pk}-text"' in page  # the error summary links to the box


def test_long_cancellation_reason_is_refused_and_kept(client, officer, soon, make_session):
    approved = make_session(london(soon.year, soon.month, soon.day, 10))
    client.force_login(officer)
    reason = "Flooded hall. " * 43  # 602 characters
    response = client.post(
        reverse("officer:session-cancel", args=[approved.pk]), {"version": approved.version, "text": reason}
    )
    page = response.content.decode()
    assert "A reason can be at most 500 characters" in page
    assert reason.strip() in page
    assert 'href="#cancel-text"' in page
    approved.refresh_from_db()
    assert approved.status == SessionStatus.APPROVED


def test_venue_and_new_venue_together_is_a_question(client, officer, ward, venue, soon):
    client.force_login(officer)
    data = form_data(soon, officer, venue, new_venue_name="Church hall", new_venue_address="1 High St")
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    page = response.content.decode()
    assert "Which one is it?" in page
    assert "Church hall" in page and '<details class="new-venue mb-3" open>' in page
    assert not ContactSession.objects.exists()


def test_overlap_names_the_officer_and_the_other_session(client, officer, ward, venue, soon, make_session):
    make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(officer)
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), form_data(soon, officer, venue))
    message = response.context["form"].errors["officers"][0]
    assert message.startswith("PC Alice Adams is already booked at that time: the proposed session in St Pancras")
    assert "18:00 to 19:00" in message and "untick PC Alice Adams" in message


def test_no_officer_ticked_says_so(client, officer, ward, venue, soon):
    client.force_login(officer)
    response = client.post(
        reverse("officer:session-propose", args=[ward.pk]), form_data(soon, officer, venue, officers=[])
    )
    assert response.context["form"].errors["officers"] == ["Tick at least one officer who will attend the session."]
    assert 'href="#id_officers_0"' in response.content.decode()


def test_duplicate_venue_says_choose_it_from_the_list(client, officer, ward, venue, soon, monkeypatch):
    from venues import geo

    monkeypatch.setattr(geo, "locate_venue", lambda postcode, borough: (51.53, -0.13))
    client.force_login(officer)
    data = form_data(
        soon, officer, None, new_venue_name=venue.name, new_venue_address="x", new_venue_postcode="NW1 1EE"
    )
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), data)
    message = response.context["form"].errors["venue"][0]
    assert "already exists in St Pancras and Somers Town: choose it from the venue list" in message
    assert Venue.objects.count() == 1


# --- 3. locked sessions explain themselves -----------------------------------------------------


@pytest.mark.parametrize("status", [SessionStatus.REJECTED, SessionStatus.WITHDRAWN, SessionStatus.CANCELLED])
def test_edit_of_a_decided_session_explains_instead_of_a_form(client, officer, soon, make_session, status):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=status)
    client.force_login(officer)
    for response in (
        client.get(reverse("officer:session-edit", args=[session.pk])),
        client.post(reverse("officer:session-edit", args=[session.pk]), {}),
    ):
        assert response.status_code == 409
        page = response.content.decode()
        assert "This session can no longer be changed" in page and '<form method="post" novalidate>' not in page
    detail = client.get(reverse("officer:session-detail", args=[session.pk])).content.decode()
    assert "Change this session" not in detail


# --- 4. error summary, 5. names, 6. what applies ----------------------------------------------


def test_refused_form_has_an_error_summary_linking_to_fields(client, officer, ward, soon):
    client.force_login(officer)
    response = client.post(reverse("officer:session-propose", args=[ward.pk]), {"date": soon.isoformat()})
    page = response.content.decode()
    assert "data-error-summary" in page and "There is a problem" in page
    assert 'href="#id_start_time"' in page and 'href="#id_venue"' in page


@pytest.mark.parametrize(
    ("name", "labels"),
    [("session-propose", ["Date", "Start time", "End time"]), ("series-propose", ["Starting from", "Start time"])],
)
def test_the_summary_says_which_field_each_problem_is_in(client, officer, ward, name, labels):
    # Three links reading "This field is required." said nothing about which field each was.
    client.force_login(officer)
    page = client.post(reverse(f"officer:{name}", args=[ward.pk]), {"format": "surgery"}).content.decode()
    summary = page.split("There is a problem", 1)[1].split("</ul>", 1)[0]
    for label in labels:
        assert f">{label}: This field is required.</a>" in summary, label
    assert ">This field is required.</a>" not in summary
    assert "Tick at least one officer who will attend the session.</a>" in summary  # its own words kept


def test_panel_page_names_people_not_log_ins(client, panel_member, officer, soon, make_session):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    SessionComment.objects.create(session=session, author=officer, kind="comment", text="Hall booked.")
    panel_member.first_name, panel_member.last_name = "Pat", "Okoro"
    panel_member.save()
    SessionComment.objects.create(session=session, author=panel_member, kind="comment", text="Fine by us.")
    client.force_login(panel_member)
    page = client.get(reverse("panel:ward", args=[session.ward_id])).content.decode()
    assert "by PC Alice Adams: Hall booked." in page
    assert "by Pat Okoro: Fine by us." in page
    assert "alice" not in page and ">pat<" not in page


def test_standard_ward_form_hides_enhanced_reason_and_folds_new_venue(client, officer, ward, venue):
    client.force_login(officer)
    page = client.get(reverse("officer:session-propose", args=[ward.pk])).content.decode()
    assert "off_pattern_reason" not in page
    assert "<summary>Add a new venue</summary>" in page
    assert '<details class="new-venue mb-3">' in page  # closed: the ward has venues


def test_enhanced_ward_form_shows_the_reason(client, officer, ward, venue):
    EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    client.force_login(officer)
    page = client.get(reverse("officer:session-propose", args=[ward.pk])).content.decode()
    assert 'name="off_pattern_reason"' in page


# --- Hypothesis: over-long, empty and conflicting input comes back with its message ------------

LONG = st.integers(min_value=2001, max_value=3000)


@settings(max_examples=4)
@given(length=LONG, blank=st.sampled_from(["", "   ", "\n"]))
def test_hypothesis_comment_form(client, panel_member, soon, make_session, length, blank):
    session = ContactSession.objects.first() or make_session(
        london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED
    )
    client.force_login(panel_member)
    url = reverse("officer:session-comment", args=[session.pk])
    page = client.post(url, {"text": "c" * length}).content.decode()
    assert f"yours has {length}" in page and "c" * length in page
    page = client.post(url, {"text": blank}).content.decode()
    assert "Write your comment in the box" in page
    assert not SessionComment.objects.exists()


@settings(max_examples=4)
@given(length=st.integers(min_value=501, max_value=900), action=st.sampled_from(["reject", "return"]))
def test_hypothesis_decision_forms(client, board_member, soon, make_session, length, action):
    session = ContactSession.objects.first() or make_session(
        london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED
    )
    client.force_login(board_member)
    url = reverse(f"board:session-{action}", args=[session.pk])
    page = client.post(url, {"version": session.version, "text": "r" * length}).content.decode()
    assert "A reason can be at most 500 characters" in page and "r" * length in page
    page = client.post(url, {"version": session.version, "text": ""}).content.decode()
    assert "Give a reason for rejecting" in page or "Say what should change" in page
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED


@settings(max_examples=4)
@given(
    length=st.integers(min_value=2001, max_value=2600),
    name=st.text(alphabet="abcdefghij ", min_size=1, max_size=20).filter(str.strip),
)
def test_hypothesis_session_form(client, officer, ward, venue, soon, length, name):
    client.force_login(officer)
    data = form_data(soon, officer, venue, description="d" * length, new_venue_name=name)
    page = client.post(reverse("officer:session-propose", args=[ward.pk]), data).content.decode()
    assert "Public description can be at most 2,000 characters" in page and "d" * length in page
    assert "Which one is it?" in page
    assert f'value="{name}"' in page
    data = form_data(soon, officer, None, description="", officers=[])
    page = client.post(reverse("officer:series-propose", args=[ward.pk]), {**data, "weeks": "61"}).content.decode()
    assert "at most 60 weeks" in page and 'value="61"' in page
    assert "Tick at least one officer" in page
    assert not ContactSession.objects.exists()
