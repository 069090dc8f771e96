"""E-mail alerts end to end on a phone, through a real SMTP server and the task worker:
sign up on a ward page, confirm from the e-mail, get an alert when the SNB approves a
session, unsubscribe with one click. Every new page is checked with axe at 375 px."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from contactsessions.alerts.models import Subscriber, Subscription
from contactsessions.models import SessionStatus
from tests.conftest import london

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = "resident@example.org"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on a free port, and Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    received: list[email.message.EmailMessage] = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 Message accepted"

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield received
    controller.stop()


@pytest.fixture
def worker_queue(settings, live_server):
    """Production's arrangement: tasks wait in the database for ``manage.py db_worker``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = live_server.url


def run_worker() -> None:
    """``manage.py db_worker --batch``: work through the queue, then exit."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def to_resident(inbox: list) -> list:
    return [m for m in inbox if m["To"] == RESIDENT]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def path_in(message, start: str) -> str:
    links = [urlsplit(u).path for u in re.findall(r"https?://\S+", text_of(message))]
    found = [p for p in links if p.startswith(start)]
    assert found, text_of(message)
    return found[0]


def test_sign_up_confirm_get_an_alert_and_unsubscribe(
    page, login, assert_accessible, smtp_inbox, worker_queue, ward, venue, officer, board_member, soon, make_session
):
    proposal = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)

    # A resident on the ward page follows the link to the alerts form.
    page.goto(f"/wards/{ward.code}/")
    page.get_by_role("link", name="Get e-mail alerts for St Pancras and Somers Town").click()
    expect(page.get_by_role("heading", name="Tell me about new sessions in St Pancras and Somers Town")).to_be_visible()
    assert_accessible(page)

    # A typo first: a clear message, focused, and nothing sent.
    page.get_by_label("Your e-mail address").fill("resident.example.org")
    page.get_by_role("button", name="Send me the confirmation link").click()
    expect(page.get_by_text("Enter an e-mail address in the right form").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your e-mail address").fill(RESIDENT)
    page.get_by_label("An e-mail for each new, moved or cancelled session").check()
    page.get_by_role("button", name="Send me the confirmation link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)
    assert smtp_inbox == []  # queued for the worker, not sent in the request

    run_worker()
    (confirmation,) = smtp_inbox
    assert confirmation["To"] == RESIDENT
    assert Subscriber.objects.count() == 0  # nothing kept before the click

    page.goto(path_in(confirmation, "/alerts/confirm/"))
    expect(page.get_by_text(f"Send {RESIDENT} an e-mail when a session")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, start my alerts").click()
    expect(page.get_by_role("heading", name="Your alerts are on")).to_be_visible()
    assert_accessible(page)
    assert Subscription.objects.filter(subscriber__email=RESIDENT, ward=ward).exists()
    page.context.clear_cookies()

    # The SNB approves the proposal; the alert goes out through the worker.
    login(board_member)
    page.goto("/board/")
    page.get_by_role("button", name=re.compile(r"^Approve St Pancras and Somers Town")).click()
    expect(page.get_by_text("Approved.")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == SessionStatus.APPROVED
    # The DWOs hear of the decision at once, as before; the resident's alert waits for the worker.
    assert [m["Subject"] for m in to_resident(smtp_inbox)] == [confirmation["Subject"]]
    page.context.clear_cookies()

    run_worker()
    _confirmation, alert = to_resident(smtp_inbox)
    assert alert["Subject"].startswith("New session: St Pancras and Somers Town")
    assert "Somers Town Community Centre" in text_of(alert)
    unsubscribe = path_in(alert, "/alerts/unsubscribe/")
    # Folded onto a continuation line when long (RFC 5322): the value is the same.
    assert alert["List-Unsubscribe"].strip() == f"<{full_link(alert, unsubscribe)}>"
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click on the link in the e-mail, one button.
    page.goto(unsubscribe)
    expect(page.get_by_role("heading", name="Stop e-mail alerts")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert_accessible(page)
    assert Subscriber.objects.count() == Subscription.objects.count() == 0


def full_link(message, path: str) -> str:
    (link,) = {u for u in re.findall(r"https?://\S+", text_of(message)) if urlsplit(u).path == path}
    return link


def test_privacy_leave_and_broken_link_pages_are_accessible(page, assert_accessible, ward):
    page.goto(f"/wards/{ward.code}/alerts/")
    page.get_by_role("link", name="How we use your address, and how to stop").click()
    expect(page.get_by_role("heading", name="E-mail alerts: privacy notice")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="ask for a link that stops them all").click()
    expect(page.get_by_role("heading", name="Stop my e-mail alerts")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_text("Enter your e-mail address.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your e-mail address").fill("someone@example.org")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)
    page.goto("/alerts/unsubscribe/not-a-real-link/")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert_accessible(page)
