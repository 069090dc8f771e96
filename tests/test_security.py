"""Production settings, security headers, log-in protection and the health endpoint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "x" * 20 + "-a-random-looking-secret-for-tests-only-0123456789"


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    unset = {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "contactsessions.example",
    "DATABASE_URL": "sqlite:////tmp/contactsessions-deploy-check.sqlite3",
}


def test_production_settings_pass_check_deploy():
    result = run_django(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": ""}, "DATABASE_URL"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
    ],
)
def test_production_refuses_missing_or_insecure_values(change, message):
    result = run_django({**PRODUCTION, **change}, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_security_headers(client, db):
    response = client.get(reverse("public:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_session_and_csrf_cookies_are_httponly(client, officer):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]


def test_login_locks_out_after_repeated_failures(client, officer, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_password_reset_does_not_disclose_accounts(client, officer, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": officer.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1


def test_admin_is_for_staff_only(client, officer):
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_health_reports_database(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_database_failure(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr("contactsessions.lib.health.connection", DownConnection())
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
