"""Security headers, checked on production settings (and the caching rules in-process).

The production test starts Django as it is deployed (``DJANGO_ENV=production`` with a
secret, hosts and a database from the environment), migrates a throwaway SQLite database,
signs in through the log-in form and asks for a back-office page, a CSV export and a public
page through the WSGI handler, then checks every header and cookie flag.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
HOST = "contactsessions.example"
GOOD_SECRET = "y" * 20 + "-a-random-looking-secret-for-header-tests-0123456789"

PROBE = textwrap.dedent(
    """
    import json
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.conf import settings
    from django.test import Client, override_settings
    from contactsessions.permissions import MONITORING_GROUP

    # The one production setting left out: hashed static names need collectstatic's
    # manifest, a deployment step that has nothing to do with headers.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    override_settings(STORAGES=storages).enable()

    user = get_user_model().objects.create_user("mona", password="a-long-test-password-42")
    user.groups.add(Group.objects.get_or_create(name=MONITORING_GROUP)[0])
    # Behind the TLS proxy, as docs/deploy.md requires: it says https in X-Forwarded-Proto.
    client = Client(HTTP_HOST="contactsessions.example", HTTP_X_FORWARDED_PROTO="https")
    anonymous = client.get("/")
    login = client.get("/accounts/login/")
    signed_in = client.post("/accounts/login/", {"username": "mona", "password": "a-long-test-password-42"})
    answers = {
        "public": anonymous,
        "login_form": login,
        "login": signed_in,
        "back_office": client.get("/monitoring/london/"),
        "export": client.get("/monitoring/london/", {"export": "weeks"}),
        "public_signed_in": client.get("/"),
    }
    cookies = {
        name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}
        for response in (login, signed_in)
        for name, m in response.cookies.items()
    }
    print("PROBE" + json.dumps({
        "answers": {k: {"status": r.status_code, "headers": dict(r.headers)} for k, r in answers.items()},
        "cookies": cookies,
    }))
    """
)


def production_env(database: Path) -> dict[str, str]:
    unset = {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return {
        **base,
        "DJANGO_ENV": "production",
        "SECRET_KEY": GOOD_SECRET,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{database}",
        "AXES_ENABLED": "1",
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    env = production_env(tmp_path_factory.mktemp("production") / "db.sqlite3")
    migrated = manage(env, "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    result = manage(env, "shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line.removeprefix("PROBE"))


def headers(production: dict, answer: str) -> dict[str, str]:
    return {k.lower(): v for k, v in production["answers"][answer]["headers"].items()}


def test_production_answers_are_what_we_meant(production):
    statuses = {name: a["status"] for name, a in production["answers"].items()}
    assert statuses == {
        "public": 200,
        "login_form": 200,
        "login": 302,
        "back_office": 200,
        "export": 200,
        "public_signed_in": 200,
    }
    assert headers(production, "export")["content-type"].startswith("text/csv")


@pytest.mark.parametrize("answer", ["public", "login_form", "back_office", "export", "public_signed_in"])
def test_production_security_headers(production, answer):
    got = headers(production, answer)
    assert got["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in got["content-security-policy"]
    assert "frame-ancestors 'none'" in got["content-security-policy"]
    assert got["x-frame-options"] == "DENY"
    assert got["referrer-policy"] == "strict-origin-when-cross-origin"
    assert got["x-content-type-options"] == "nosniff"
    policy = got["permissions-policy"]
    for denied in ("camera=()", "microphone=()", "payment=()", "usb=()", "display-capture=()"):
        assert denied in policy
    assert "geolocation=(self)" in policy  # the public "Use my location" button
    assert "clipboard-write=(self)" in policy  # the "Copy" buttons


@pytest.mark.parametrize("answer", ["login", "back_office", "export", "public_signed_in"])
def test_production_signed_in_answers_are_never_stored(production, answer):
    assert headers(production, answer)["cache-control"] == "private, no-store"


def test_production_public_pages_keep_public_caching(production):
    cache_control = headers(production, "public")["cache-control"]
    assert "public" in cache_control and "max-age=" in cache_control


def test_production_cookies_are_secure_and_http_only(production):
    cookies = production["cookies"]
    assert cookies["sessionid"] == {"secure": True, "httponly": True}
    assert cookies["csrftoken"] == {"secure": True, "httponly": True}


# --- In process: who gets which Cache-Control -------------------------------------------------


@pytest.mark.django_db
def test_signed_in_back_office_pages_and_exports_are_private_no_store(client, monitor):
    client.force_login(monitor)
    for url, query in [
        (reverse("monitoring:london"), {}),
        (reverse("monitoring:london"), {"export": "weeks"}),
        (reverse("monitoring:roster"), {"export": "roster"}),
        (reverse("public:home"), {}),
    ]:
        response = client.get(url, query)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert "Expires" not in response


@pytest.mark.django_db
def test_refusals_to_signed_in_users_are_private_too(client, officer):
    client.force_login(officer)
    response = client.get(reverse("board:queue"))
    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_anonymous_public_pages_keep_their_public_caching(client):
    response = client.get(reverse("public:home"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    assert "geolocation=(self)" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_log_in_page_is_not_stored(client):
    response = client.get(reverse("login"))
    assert "no-store" in response["Cache-Control"]
