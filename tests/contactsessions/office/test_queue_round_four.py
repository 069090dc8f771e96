"""The SNB review queue after issue 19's round four: it reads the waiting sessions as values and
prints what it worked out once, and one form carries every Approve button. What it shows must
be what the session itself says, as it is now, and each button must decide its own session in
the version shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import pluralize
from django.urls import reverse

from contactsessions import queue_selectors, services
from contactsessions.models import ContactSession, SessionComment, SessionStatus
from contactsessions.office.templatetags import office_tags
from tests.conftest import london
from venues.models import Venue

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/ward"


@pytest.fixture
def assorted(ward, venue, soon, make_session, officer, board_member):
    """Waiting sessions of every kind the queue words differently."""
    day = london(soon.year, soon.month, soon.day, 18)
    hall = Venue.objects.create(name="Hall & Annexe", address="1 Road", postcode="NW1 1EE", ward=ward)
    made = [
        make_session(day, status=SessionStatus.PROPOSED, format="street_briefing"),
        make_session(
            day + dt.timedelta(days=1), status=SessionStatus.PROPOSED, attendance_mode="hybrid", joining_link=LINK
        ),  # fmt: skip
        make_session(
            day + dt.timedelta(days=2),
            status=SessionStatus.PROPOSED,
            attendance_mode="online",
            joining_link=LINK,
            venue=None,
        ),  # fmt: skip
        make_session(day + dt.timedelta(days=3), minutes=30, status=SessionStatus.PROPOSED),
        make_session(day + dt.timedelta(weeks=1), status=SessionStatus.APPROVED),
        make_session(
            day + dt.timedelta(weeks=2), status=SessionStatus.APPROVED, attendance_mode="hybrid", joining_link=LINK
        ),  # fmt: skip
        make_session(day + dt.timedelta(weeks=3), status=SessionStatus.APPROVED),
    ]
    moved, to_online, flagged = made[4], made[5], made[6]
    # A change to another venue and time, one to online only (and short), and one flagged
    # in the admin with no new times (the page must still show).
    ContactSession.objects.filter(pk=moved.pk).update(
        has_pending_change=True, pending_start=moved.start + dt.timedelta(days=1, hours=1),
        pending_end=moved.start + dt.timedelta(days=1, hours=2), pending_venue=hall,
    )  # fmt: skip
    ContactSession.objects.filter(pk=to_online.pk).update(
        has_pending_change=True, pending_start=to_online.start, pending_end=to_online.start + dt.timedelta(minutes=40),
        pending_attendance_mode="online", pending_joining_link=LINK,
    )  # fmt: skip
    ContactSession.objects.filter(pk=flagged.pk).update(has_pending_change=True)
    made[0].officers.add(make_officer_in(ward))
    SessionComment.objects.create(session=made[0], author=board_member, kind="comment", text="Fine")
    SessionComment.objects.create(session=made[0], author=board_member, kind="comment", text="Still fine")
    return [ContactSession.objects.get(pk=s.pk) for s in made]


def make_officer_in(ward):
    from tests.conftest import make_officer

    return make_officer("bob", ward, public_name="Bob Brown").officer


def items_of(groups):
    return {item.pk: item for group in groups for item in group.items}


def test_each_item_says_what_its_session_says(assorted, board_member, ward):
    """Every precomputed line is what the model's properties and the old template's filters give."""
    items = items_of(queue_selectors.review_queue(boroughs=[ward.borough], viewer=board_member))
    assert set(items) == {s.pk for s in assorted}
    for s in assorted:
        item = items[s.pk]
        change = ""
        if s.has_pending_change:
            when = f"{date_filter(s.pending_start, 'D j M, H:i')}–{date_filter(s.pending_end, 'H:i')}"
            change = f"{when} at {s.pending_place_name}"
        assert item.version == s.version
        assert item.place == s.place_name
        assert item.change == change
        assert item.online_label == (s.get_attendance_mode_display() if s.has_online_part else "")
        assert item.joining_link == (s.joining_link if s.has_online_part else "")
        assert item.online_notice == (office_tags.pending_online_only_notice(s) or office_tags.online_only_notice(s))
        assert item.short_notice == (office_tags.pending_short_session_notice(s) or office_tags.short_session_notice(s))
        assert item.when == f"{date_filter(s.start, 'D j M, H:i')}–{date_filter(s.end, 'H:i')}"
        assert item.label == f"{ward.name} {date_filter(s.start, 'D j M H:i')}"
        assert item.format_label == s.get_format_display()
        assert item.officer_names == ", ".join(o.display_name for o in s.officers.all())
        assert item.comment_count == s.comments.filter(kind="comment").count()
        # Round six: the values the template printed one by one, joined as it joined them.
        comments = f"; {item.comment_count} comment{pluralize(item.comment_count)}" if item.comment_count else ""
        assert item.summary == f"{item.format_label}, {item.officer_names}{comments}"
        assert item.heading == f"{item.when}, {item.place}"
        assert (item.if_approved_label, item.version_text) == (item.if_approved.label, str(s.version))
    # The cases the fixture is for are really there.
    assert items[assorted[0].pk].officer_names == "PC Alice Adams, PC Bob Brown"
    assert items[assorted[4].pk].change.endswith(" at Hall & Annexe")
    assert items[assorted[5].pk].online_notice and items[assorted[5].pk].short_notice
    assert items[assorted[6].pk].change == "– at online"


def test_one_form_one_token_and_each_button_its_own_session_and_version(client, assorted, board_member):
    client.force_login(board_member)
    response = client.get(reverse("board:queue"))
    body = response.content.decode().split("<main", 1)[1]  # the page, not the header's sign-out form
    items = list(items_of(response.context["groups"]).values())
    bulk_forms = len(response.context["months"]) + len(response.context["series"])
    assert bulk_forms and body.count('name="csrfmiddlewaretoken"') == 1 + bulk_forms
    assert body.count('name="next_page" value="queue"') == 1
    buttons = re.findall(r'<button type="submit" formaction="([^"]+)" name="version" value="(\d+)"', body)
    assert sorted(buttons) == sorted((item.approve_url, str(item.version)) for item in items)
    # The escaped venue name and accessible button names are still there.
    assert "Hall &amp; Annexe" in body
    assert f'Approve<span class="visually-hidden"> {items[0].label}</span>' in body


def test_monitoring_staff_see_the_queue_without_a_form(client, assorted, monitor):
    client.force_login(monitor)
    body = client.get(reverse("board:queue")).content.decode()
    assert "Read-only view" in body and "formaction" not in body and 'method="post"' not in body.split("<main")[-1]


def test_a_change_shows_at_once_and_the_old_version_is_refused(
    client, officer, board_member, other_board_member, venue, soon, make_session
):
    """Nothing of the queue is kept between pages: a session changed after the page was drawn
    shows its new version on the next, and a button drawn before the change is refused."""
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(board_member)
    shown = items_of(client.get(reverse("board:queue")).context["groups"])[session.pk]
    details = services.SessionDetails(
        start=session.start + dt.timedelta(hours=1), end=session.end + dt.timedelta(hours=1), venue=venue,
        officers=[officer.officer],
    )  # fmt: skip
    services.session_update(session=session, by=officer, version=session.version, details=details)
    session.refresh_from_db()
    now = items_of(client.get(reverse("board:queue")).context["groups"])[session.pk]
    assert now.version == session.version > shown.version
    assert now.when != shown.when
    response = client.post(shown.approve_url, {"version": shown.version, "next_page": "queue"}, follow=True)
    assert "Someone else changed this session" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED
    # Decided by another member: gone from the queue at once.
    services.session_approve(session=session, by=other_board_member, version=session.version)
    assert session.pk not in items_of(client.get(reverse("board:queue")).context["groups"])


def test_the_queries_built_once_a_process_are_never_run_themselves(assorted, board_member, ward, make_session):
    """Round six builds the queue's queries once a process and filters a copy for each page:
    the copies read afresh (a new proposal shows at once), and the one kept never holds rows."""
    from contactsessions import week_selectors

    before = items_of(queue_selectors.review_queue(boroughs=[ward.borough], viewer=board_member))
    late = make_session(assorted[0].start + dt.timedelta(hours=3), status=SessionStatus.PROPOSED)
    after = items_of(queue_selectors.review_queue(boroughs=[ward.borough], viewer=board_member))
    assert set(after) == set(before) | {late.pk}
    kept = [queue_selectors._waiting_query(), queue_selectors._officers_query(), *week_selectors._queries()]
    assert all(query._result_cache is None for query in kept)
