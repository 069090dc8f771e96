"""Signing in behind the TLS proxy, lock-outs an attacker cannot aim at a real user, and a
password reset that reveals nothing, cannot be used to flood a mailbox and links to SITE_URL.

Every request comes through one proxy (``PROXY``) that appends the client's address to
X-Forwarded-For, as in production (docs/deploy.md).
"""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

from contactsessions.lib.clientip import client_ip
from contactsessions.lib.password_reset import send_password_reset
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
ALICES_OFFICE = "198.51.100.7"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    return settings


def via_proxy(address: str) -> dict[str, str]:
    """What the app sees of a request from ``address``: the proxy's REMOTE_ADDR and its header."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def sign_in(client, username: str, password: str, address: str, url: str | None = None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, **via_proxy(address))


# --- The client's address ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "192.0.2.1"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        # The client's own (forged) entries on the left are ignored.
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "8.8.8.8, 203.0.113.9"}, "203.0.113.9"),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "8.8.8.8, 203.0.113.9, 10.0.0.3"}, "203.0.113.9"),
        # Not through every trusted proxy: only REMOTE_ADDR is known.
        (1, {"REMOTE_ADDR": "192.0.2.1"}, "192.0.2.1"),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, PROXY),
    ],
)
def test_client_address_is_read_at_the_trusted_proxy_depth(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(RequestFactory().get("/", **meta)) == expected


# --- Lock-outs ----------------------------------------------------------------------------


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(client, officer, behind_proxy):
    for _ in range(7):
        sign_in(client, officer.username, "wrong", ATTACKER)

    response = sign_in(Client(), officer.username, PASSWORD, ALICES_OFFICE)

    assert response.status_code == 302
    assert response.wsgi_request.user == officer


def test_the_attackers_username_and_address_pair_is_locked(client, officer, behind_proxy):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in(client, officer.username, "wrong", ATTACKER)

    response = sign_in(client, officer.username, PASSWORD, ATTACKER)

    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_the_admin_log_in_is_locked_by_pair_too(client, officer, behind_proxy):
    officer.is_staff = True
    officer.save()
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in(client, officer.username, "wrong", ATTACKER, url="/admin/login/")

    assert sign_in(client, officer.username, PASSWORD, ATTACKER, url="/admin/login/").status_code == 429
    assert sign_in(Client(), officer.username, PASSWORD, ALICES_OFFICE, url="/admin/login/").status_code == 302


def test_password_spraying_from_one_address_blocks_that_address(client, officer, behind_proxy, caplog):
    # A few guesses at each of many accounts: no pair reaches its limit.
    tries = behind_proxy.AXES_FAILURE_LIMIT - 1
    usernames = [f"user{n}" for n in range(behind_proxy.AXES_ADDRESS_FAILURE_LIMIT // tries)]
    with caplog.at_level(logging.WARNING, logger="contactsessions.lib.lockout"):
        for username in usernames:
            for _ in range(tries):
                sign_in(client, username, "Winter2025!", ATTACKER)

    assert any(ATTACKER in r.getMessage() and "spraying" in r.getMessage() for r in caplog.records)
    blocked = sign_in(client, officer.username, PASSWORD, ATTACKER)
    assert blocked.status_code == 429
    assert "from your network" in blocked.content.decode()
    assert sign_in(Client(), officer.username, PASSWORD, ALICES_OFFICE).status_code == 302


def test_lockout_page_explains_and_links_to_password_reset(client, officer, behind_proxy):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        response = sign_in(client, officer.username, "wrong", ATTACKER)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert f'href="{reverse("password_reset")}"' in response.content.decode()
    assert int(response["Retry-After"]) == 3600


def test_a_completed_password_reset_lifts_the_lockout(client, officer, behind_proxy):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in(client, officer.username, "wrong", ALICES_OFFICE)
    assert sign_in(client, officer.username, PASSWORD, ALICES_OFFICE).status_code == 429

    uid = urlsafe_base64_encode(force_bytes(officer.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(officer)])
    form_url = client.get(link, **via_proxy(ALICES_OFFICE))["Location"]
    new_password = "a-brand-new-password-77"
    done = client.post(
        form_url, {"new_password1": new_password, "new_password2": new_password}, **via_proxy(ALICES_OFFICE)
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")

    assert sign_in(client, officer.username, new_password, ALICES_OFFICE).status_code == 302


# --- Password reset -----------------------------------------------------------------------


def ask_for_reset(client, email: str, address: str = ALICES_OFFICE, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **via_proxy(address), **extra)


def test_reset_does_the_same_visible_work_for_known_and_unknown_addresses(
    client, officer, settings, mailoutbox, behind_proxy
):
    settings.TASKS = DATABASE_QUEUE
    known = ask_for_reset(client, officer.email)
    unknown = ask_for_reset(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    # Nothing is looked up or sent in the request: both only queue the same task.
    assert mailoutbox == []
    queued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.task_path for t in queued] == ["contactsessions.lib.password_reset.send_password_reset"] * 2
    assert [t.args_kwargs["kwargs"] for t in queued] == [{"email": officer.email}, {"email": "nobody@example.org"}]

    # The worker (here: the task run as db_worker would) sends the one mail there is an account for.
    for result in queued:
        send_password_reset.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    assert [m.to for m in mailoutbox] == [[officer.email]]


def test_reset_link_starts_with_site_url_whatever_the_host(client, officer, settings, mailoutbox):
    settings.SITE_URL = "https://contactsessions.example.gov.uk"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]

    ask_for_reset(client, officer.email, HTTP_HOST="evil.example")

    (mail,) = mailoutbox
    links = re.findall(r"\S+://\S+", mail.body)
    assert links and all(
        link.startswith("https://contactsessions.example.gov.uk/accounts/password/reset/") for link in links
    )
    assert "evil.example" not in mail.body


def test_reset_is_rate_limited_per_address_with_the_same_page(client, officer, settings, behind_proxy):
    settings.TASKS = DATABASE_QUEUE
    answers = [ask_for_reset(Client(), officer.email, f"203.0.113.{n}") for n in range(1, 6)]

    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert DBTaskResult.objects.count() == 3


def test_reset_is_rate_limited_per_client_with_the_same_page(client, officer, settings, behind_proxy):
    settings.TASKS = DATABASE_QUEUE
    answers = [ask_for_reset(client, f"someone{n}@example.org", ATTACKER) for n in range(12)]
    answers.append(ask_for_reset(client, officer.email, ATTACKER))

    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert DBTaskResult.objects.count() == 10
    # Another client is not held back by this one.
    ask_for_reset(Client(), officer.email, ALICES_OFFICE)
    assert DBTaskResult.objects.count() == 11
