"""What subscribers receive, and leaving: alerts when a session is published, moved or
cancelled, sent by the worker and never in the request; the weekly summary; one-click
unsubscribe (RFC 8058) in every message; expired or altered unsubscribe links."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import signing
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contactsessions import services
from contactsessions.alerts import tokens
from contactsessions.alerts.models import Frequency, Subscriber, Subscription
from contactsessions.models import SessionStatus
from tests.contactsessions.alerts.conftest import RESIDENT, link_in

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker(monkeypatch):
    """``manage.py db_worker --batch``: run every queued task, then stop. Inside the test's
    transaction, so the worker's check for stale connections (which would close the test's
    own, not in autocommit) is skipped."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


def alerts_to(mailoutbox, email: str = RESIDENT) -> list:
    return [m for m in mailoutbox if email in m.to]


@pytest.fixture
def soon():
    return (timezone.now() + dt.timedelta(days=4)).replace(hour=10, minute=0, second=0, microsecond=0)


def test_approval_alerts_each_subscriber_with_one_click_unsubscribe_headers(
    follow, ward, other_ward, board_member, make_session, soon, mailoutbox, django_capture_on_commit_callbacks
):
    follow(ward)
    follow(ward, email="weekly@example.org", frequency=Frequency.WEEKLY)
    follow(other_ward, email="elsewhere@example.org")
    proposal = make_session(soon, status=SessionStatus.PROPOSED)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_approve(session=proposal, by=board_member, version=proposal.version)

    (alert,) = alerts_to(mailoutbox)
    assert alert.subject.startswith("New session: St Pancras and Somers Town")
    assert "Somers Town Community Centre" in alert.body
    assert reverse("public:session", args=[proposal.pk]) in alert.body
    unsubscribe = link_in(alert, "/alerts/unsubscribe/")
    assert alert.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in alert.alternatives[0][0]  # and in the HTML part
    # The weekly reader and another ward's follower hear nothing now.
    assert alerts_to(mailoutbox, "weekly@example.org") == alerts_to(mailoutbox, "elsewhere@example.org") == []


def test_a_moved_session_and_a_cancelled_one_are_announced(
    follow, ward, officer, board_member, make_session, soon, venue, mailoutbox, django_capture_on_commit_callbacks
):
    follow(ward)
    session = make_session(soon)
    session.pending_start, session.pending_end = soon + dt.timedelta(hours=2), soon + dt.timedelta(hours=3)
    session.pending_venue, session.has_pending_change = venue, True
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_approve(session=session, by=board_member, version=session.version)
    (moved,) = alerts_to(mailoutbox)
    assert moved.subject.startswith("Session moved: new date, time or place")
    assert "12:00" in moved.body

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=officer, version=session.version, reason="Officers called away")
    cancelled = alerts_to(mailoutbox)[1]
    assert cancelled.subject.startswith("Session cancelled")
    assert "Officers called away" in cancelled.body


def test_sessions_approved_in_one_action_are_one_message_per_ward(
    follow, ward, board_member, make_session, soon, mailoutbox, django_capture_on_commit_callbacks
):
    follow(ward)
    first = make_session(soon, status=SessionStatus.PROPOSED)
    second = make_session(soon + dt.timedelta(days=1), status=SessionStatus.PROPOSED)
    expected = {first.pk: first.version, second.pk: second.version}
    with django_capture_on_commit_callbacks(execute=True):
        result = services.sessions_bulk_approve(by=board_member, expected=expected, scope=Q(ward=ward))
    assert len(result.approved) == 2
    (message,) = alerts_to(mailoutbox)
    assert message.subject == "2 sessions changed in St Pancras and Somers Town"
    assert message.body.count("New session") == 2


def test_nothing_is_queued_when_nobody_follows_the_ward(
    ward, board_member, make_session, soon, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    proposal = make_session(soon, status=SessionStatus.PROPOSED)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_approve(session=proposal, by=board_member, version=proposal.version)
    assert not DBTaskResult.objects.filter(task_path__startswith="contactsessions.alerts").exists()


def test_the_request_that_approves_only_queues_and_the_worker_sends(
    run_worker,
    client,
    follow,
    ward,
    board_member,
    make_session,
    soon,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = DATABASE_QUEUE
    follow(ward)
    proposal = make_session(soon, status=SessionStatus.PROPOSED)
    client.force_login(board_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("board:session-approve", args=[proposal.pk]), {"version": proposal.version})
    assert response.status_code == 302
    assert alerts_to(mailoutbox) == []  # nothing sent in the request
    (queued,) = DBTaskResult.objects.filter(task_path="contactsessions.alerts.tasks.send_session_alerts")
    assert queued.args_kwargs["kwargs"] == {"changes": [[proposal.pk, "published"]]}

    run_worker()

    (alert,) = alerts_to(mailoutbox)
    assert alert.subject.startswith("New session")
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


def test_an_alert_for_a_session_cancelled_before_it_went_out_is_not_sent(
    run_worker,
    follow,
    ward,
    officer,
    board_member,
    make_session,
    soon,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = DATABASE_QUEUE
    follow(ward)
    proposal = make_session(soon, status=SessionStatus.PROPOSED)
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.session_approve(session=proposal, by=board_member, version=proposal.version)
        services.session_cancel(session=approved, by=officer, version=approved.version, reason="Flooded")
    run_worker()
    assert [m.subject.split(":")[0] for m in alerts_to(mailoutbox)] == ["Session cancelled"]


# --- unsubscribing ------------------------------------------------------------------------


@pytest.fixture
def unsubscribe_link(follow, ward, other_ward):
    """The resident follows two wards; the link of an alert about ``ward``."""
    subscription = follow(ward)
    follow(other_ward)
    token = tokens.unsubscribe_token(subscriber_id=subscription.subscriber_id, ward_ids=[ward.pk])
    return reverse("alerts:unsubscribe", args=[token])


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client, unsubscribe_link):
    page = client.get(unsubscribe_link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Stop the alerts about St Pancras and Somers Town" in content
    assert ">Unsubscribe</button>" in content
    assert Subscription.objects.count() == 2


def test_one_click_unsubscribe_post_needs_no_login_or_csrf_token(unsubscribe_link, ward, other_ward):
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        unsubscribe_link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    # Only the ward the message was about; the other stays.
    assert [s.ward for s in Subscription.objects.all()] == [other_ward]
    # Again: harmless, the same answer.
    assert mail_program.post(unsubscribe_link).status_code == 200


def test_the_address_is_deleted_when_it_follows_no_ward(client, follow, ward):
    subscription = follow(ward)
    token = tokens.unsubscribe_token(subscriber_id=subscription.subscriber_id, ward_ids=[ward.pk])
    client.post(reverse("alerts:unsubscribe", args=[token]))
    assert Subscriber.objects.count() == Subscription.objects.count() == 0


def test_an_expired_unsubscribe_link_explains_itself_and_changes_nothing(client, unsubscribe_link, monkeypatch):
    later = time.time() + tokens.UNSUBSCRIBE_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(unsubscribe_link)
    assert response.status_code == 410
    content = response.content.decode()
    assert "This link has expired" in content
    assert reverse("alerts:leave") in content  # where to get a new one
    assert Subscription.objects.count() == 2


def test_an_altered_unsubscribe_link_changes_nothing(client, unsubscribe_link, follow, other_ward):
    stranger = follow(other_ward, email="stranger@example.org")
    # An attacker swaps in another subscriber's id: the signature no longer matches.
    token = unsubscribe_link.split("/")[-2]
    payload, rest = token.split(":", 1)
    forged_payload = signing.b64_encode(b'{"s":%d,"w":null}' % stranger.subscriber_id).decode()
    for forged in (f"{forged_payload}:{rest}", token[:-2], "nonsense"):
        response = client.post(reverse("alerts:unsubscribe", args=[forged]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert Subscription.objects.count() == 3


# --- leaving without an alert to hand -----------------------------------------------------


def test_leave_page_answers_the_same_and_mails_only_a_subscribed_address(
    client, follow, ward, other_ward, mailoutbox, django_capture_on_commit_callbacks
):
    follow(ward)
    follow(other_ward)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("alerts:leave"), {"email": RESIDENT.upper()})
        unknown = client.post(reverse("alerts:leave"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    (message,) = mailoutbox
    assert message.to == [RESIDENT]
    assert "St Pancras and Somers Town" in message.body and "Belsize" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    client.post(link_in(message, "/alerts/unsubscribe/"))
    assert Subscriber.objects.count() == Subscription.objects.count() == 0


@pytest.mark.parametrize("email", ["not an address", "root@localhost", "someone@[192.168.0.1]"])
def test_leave_page_refuses_a_bad_address_clearly(client, mailoutbox, email):
    response = client.post(reverse("alerts:leave"), {"email": email})
    assert "Enter an e-mail address in the right form" in response.content.decode()
    assert mailoutbox == []


# --- the weekly summary -------------------------------------------------------------------


def test_weekly_summary_command_queues_one_task_per_subscriber_and_is_safe_to_rerun(
    run_worker, follow, ward, other_ward, make_session, soon, settings, mailoutbox
):
    settings.TASKS = DATABASE_QUEUE
    follow(ward, frequency=Frequency.WEEKLY)
    follow(other_ward, frequency=Frequency.WEEKLY)
    follow(ward, email="each@example.org")  # chose each change: no summary
    make_session(soon, description="Bike marking")
    make_session(soon + dt.timedelta(days=1), status=SessionStatus.CANCELLED, cancellation_reason="Flooded")
    make_session(soon + dt.timedelta(days=10))  # beyond the coming week
    make_session(soon + dt.timedelta(hours=3), status=SessionStatus.PROPOSED)  # not public

    call_command("send_ward_alert_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    queued = DBTaskResult.objects.filter(task_path="contactsessions.alerts.tasks.send_weekly_summary")
    assert queued.count() == 1
    run_worker()

    (summary,) = mailoutbox
    assert summary.to == [RESIDENT]
    assert "St Pancras and Somers Town" in summary.body and "Belsize" in summary.body
    assert "No sessions are published for the coming week yet." in summary.body  # Belsize
    assert summary.body.count("Somers Town Community Centre") == 2
    assert "cancelled: Flooded" in summary.body
    assert "List-Unsubscribe" in summary.extra_headers
    assert link_in(summary, "/alerts/unsubscribe/")

    # Run again the same week: nothing more.
    call_command("send_ward_alert_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run_worker()
    assert len(mailoutbox) == 1


def test_light_touch_approvals_are_announced_too(
    follow, ward, make_session, soon, mailoutbox, django_capture_on_commit_callbacks
):
    follow(ward)
    ward.borough.auto_approve_after_days = 3
    ward.borough.save()
    quiet = make_session(soon, status=SessionStatus.PROPOSED, proposed_at=timezone.now() - dt.timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.auto_approve_due() == [quiet]
    (alert,) = alerts_to(mailoutbox)
    assert alert.subject.startswith("New session")


def test_a_changed_description_alone_sends_no_alert(
    follow, ward, officer, make_session, soon, mailoutbox, django_capture_on_commit_callbacks
):
    follow(ward)
    session = make_session(soon)
    details = services.SessionDetails(
        start=session.start,
        end=session.end,
        venue=session.venue,
        format=session.format,
        description="Bring your bike",
        officers=[officer.officer],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, by=officer, version=session.version, details=details)
    assert alerts_to(mailoutbox) == []
