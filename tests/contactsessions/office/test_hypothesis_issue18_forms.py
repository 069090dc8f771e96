"""Issue 18, "nothing typed is thrown away": Hypothesis posts over-long, empty and conflicting
input to the session edit form and to the SNB's comment, approve, return and reject forms, and
checks each refusal says what is wrong and gives back what was typed, with nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contactsessions.models import ContactSession, SessionComment, SessionStatus
from tests.conftest import london
from tests.contactsessions.office.test_views_officer import form_data

pytestmark = pytest.mark.django_db

# Few examples: each one is a handful of requests against the database.
FEW = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Words with spaces, quotes and ampersands: what people type, and what must survive escaping.
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz '&\"<>", min_size=1, max_size=40).filter(str.strip)
BLANK = st.sampled_from(["", " ", "   ", "\n", "\t \r\n"])


def padded(word: str, length: int) -> str:
    """``word`` repeated to exactly ``length`` characters, starting and ending with a letter."""
    text = ("x" + word) * (length // (len(word) + 1) + 1)
    return text[: length - 1] + "x"


def proposed(make_session, soon) -> ContactSession:
    """One proposed session per test: Hypothesis reuses the function-scoped database."""
    return ContactSession.objects.first() or make_session(
        london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED
    )


def assert_kept(response, text: str) -> str:
    assert response.status_code in (200, 400, 409)
    page = response.content.decode()
    assert escape(text) in page, "the typed text did not come back in the form"
    assert "data-error-summary" in page and "There is a problem" in page
    return page


# --- the DWO's session edit form --------------------------------------------------------------


@FEW
@given(length=st.integers(min_value=2001, max_value=2600), word=WORDS, name=WORDS)
def test_edit_form_refuses_long_description_and_venue_conflict_keeping_both(
    client, officer, venue, soon, make_session, length, word, name
):
    session = proposed(make_session, soon)
    before = (session.version, session.description, session.venue_id)
    client.force_login(officer)
    description = padded(word, length)
    data = form_data(soon, officer, venue, description=description, new_venue_name=name, version=session.version)
    response = client.post(reverse("officer:session-edit", args=[session.pk]), data)
    page = assert_kept(response, description)
    assert f"Public description can be at most 2,000 characters; yours has {length}" in page
    assert "Which one is it?" in page
    assert f'value="{escape(name)}"' in page
    assert '<details class="new-venue mb-3" open>' in page
    session.refresh_from_db()
    assert (session.version, session.description, session.venue_id) == before
    assert ContactSession.objects.count() == 1


@FEW
@given(blank=BLANK, word=WORDS)
def test_edit_form_refuses_empty_times_and_no_officer_keeping_the_description(
    client, officer, venue, soon, make_session, blank, word
):
    session = proposed(make_session, soon)
    before = (session.version, session.start, session.end)
    client.force_login(officer)
    description = padded(word, 60)
    data = form_data(
        soon,
        officer,
        venue,
        start_time=blank,
        end_time=blank,
        officers=[],
        description=description,
        version=session.version,
    )
    response = client.post(reverse("officer:session-edit", args=[session.pk]), data)
    page = assert_kept(response, description)
    assert "Tick at least one officer who will attend the session." in page
    assert 'href="#id_start_time"' in page and 'href="#id_officers_0"' in page
    session.refresh_from_db()
    assert (session.version, session.start, session.end) == before


@FEW
@given(word=WORDS, behind=st.integers(min_value=1, max_value=5))
def test_edit_form_refuses_a_stale_version_keeping_the_change(client, officer, venue, soon, make_session, word, behind):
    """Conflicting edits: someone changed the session since the form was opened."""
    session = proposed(make_session, soon)
    session.version += behind
    session.save()
    client.force_login(officer)
    description = padded(word, 80)
    data = form_data(soon, officer, venue, description=description, version=session.version - behind)
    response = client.post(reverse("officer:session-edit", args=[session.pk]), data)
    assert_kept(response, description)
    session.refresh_from_db()
    assert session.description != description


# --- the SNB's side: comment, approve with a comment, return and reject with a reason ---------


@FEW
@given(length=st.integers(min_value=2001, max_value=2600), word=WORDS, blank=BLANK)
def test_board_member_comment_long_and_empty(client, board_member, soon, make_session, length, word, blank):
    session = proposed(make_session, soon)
    client.force_login(board_member)
    url = reverse("officer:session-comment", args=[session.pk])
    text = padded(word, length)
    page = assert_kept(client.post(url, {"text": text}), text)
    assert f"A comment can be at most 2,000 characters; yours has {length}" in page
    page = client.post(url, {"text": blank}).content.decode()
    assert "Write your comment in the box, then select Add comment." in page
    assert not SessionComment.objects.exists()


@FEW
@given(length=st.integers(min_value=2001, max_value=2600), word=WORDS)
def test_board_approve_with_a_long_comment_is_refused_and_kept(client, board_member, soon, make_session, length, word):
    session = proposed(make_session, soon)
    client.force_login(board_member)
    text = padded(word, length)
    response = client.post(
        reverse("board:session-approve", args=[session.pk]), {"version": session.version, "text": text}
    )
    page = assert_kept(response, text)
    assert f"A comment can be at most 2,000 characters; yours has {length}" in page
    assert 'href="#approve-text"' in page
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED


REASON_FORMS = {
    "return": "Say what should change before the board can approve it.",
    "reject": "Give a reason for rejecting; the ward's officers see it.",
}


@FEW
@given(
    action=st.sampled_from(sorted(REASON_FORMS)),
    length=st.integers(min_value=501, max_value=900),
    word=WORDS,
    blank=BLANK,
)
def test_board_return_and_reject_long_and_empty_reason(
    client, board_member, soon, make_session, action, length, word, blank
):
    session = proposed(make_session, soon)
    client.force_login(board_member)
    url = reverse(f"board:session-{action}", args=[session.pk])
    text = padded(word, length)
    page = assert_kept(client.post(url, {"version": session.version, "text": text}), text)
    assert f"A reason can be at most 500 characters; yours has {length}" in page
    assert f'href="#{action}-text"' in page
    response = client.post(url, {"version": session.version, "text": blank})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert escape(REASON_FORMS[action]) in page
    assert "data-error-summary" in page
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED
    assert not SessionComment.objects.exists()


@FEW
@given(action=st.sampled_from(sorted(REASON_FORMS)), word=WORDS, behind=st.integers(min_value=1, max_value=5))
def test_board_decision_on_a_stale_version_is_refused_and_kept(
    client, board_member, soon, make_session, action, word, behind
):
    """Conflicting decisions: the session changed since the member opened the page."""
    session = proposed(make_session, soon)
    session.version += behind
    session.save()
    client.force_login(board_member)
    text = padded(word, 120)
    url = reverse(f"board:session-{action}", args=[session.pk])
    assert_kept(client.post(url, {"version": session.version - behind, "text": text}), text)
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED
