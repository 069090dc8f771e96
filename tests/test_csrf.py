"""CSRF is enforced on every POST of the app, as in production.

Django's test client skips the CSRF check unless asked (``enforce_csrf_checks``), so
every other test would pass with the protection switched off. Here every POST URL of
the permission matrix (tests/contactsessions/test_permissions.py), the log-in, log-out,
password change and reset forms and the admin's log-in are posted without a token and
must be refused (403) with nothing changed, and with a token must get the answer the
matrix expects. The main forms are then sent as a browser would: the page fetched and
its own ``csrfmiddlewaretoken`` posted back.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from contactsessions.models import ContactSession, SessionComment, SessionStatus, WeekExemption
from tests.conftest import PASSWORD
from tests.contactsessions import test_permissions as matrix
from tests.contactsessions.test_permissions import LOGIN, MATRIX, OUTCOME, PERSONAS, url_and_data

pytestmark = pytest.mark.django_db

# The matrix's world: a proposal (in a series), an approved and a held session, an
# exemption, and every persona.
world = matrix.world

REFUSED = 403
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Every POST the permission matrix lists, asked as the first persona that gets past the
# permission checks, so that only the missing token can be what refuses the request.
MATRIX_POSTS = [
    pytest.param(
        name,
        next(p for p in PERSONAS if answers[p] not in (LOGIN, 403, 404)),
        answers,
        id=name,
    )
    for name, method, answers in (param.values for param in MATRIX)
    if method == "post"
]


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def token_from(response) -> str:
    """The ``csrfmiddlewaretoken`` of the (first) form on a page, as a browser would send it."""
    assert response.status_code == 200, response.status_code
    found = TOKEN.search(response.content.decode())
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def state() -> tuple:
    """What a refused POST must leave unchanged."""
    return (
        list(ContactSession.objects.order_by("pk").values_list("pk", "version", "status")),
        SessionComment.objects.count(),
        list(WeekExemption.objects.order_by("pk").values_list("pk", "status")),
    )


@pytest.mark.parametrize(("name", "persona", "answers"), MATRIX_POSTS)
def test_post_without_token_is_refused_and_with_one_gets_through(world, name, persona, answers):
    client = csrf_client(world["users"][persona])
    url, data = url_and_data(name, world)
    token = token_from(client.get(reverse("login")))  # sets the CSRF cookie, as any page would
    before = state()
    assert client.post(url, data).status_code == REFUSED
    assert client.post(url, {**data, "csrfmiddlewaretoken": "x" * 64}).status_code == REFUSED
    assert state() == before
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == answers[persona]


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


# The one exemption: RFC 8058's one-click unsubscribe, which mail programs POST with no cookie
# or token; the signed link in the URL is the proof, and all it can do is stop alerts.
ONE_CLICK_UNSUBSCRIBE = "alerts/unsubscribe/<str:token>/"


def test_no_view_is_exempt_from_csrf():
    """The middleware guards every POST only as long as no view opts out: none may but one."""
    exempt = [route for route, view in _views(get_resolver().url_patterns) if getattr(view, "csrf_exempt", False)]
    assert exempt == [ONE_CLICK_UNSUBSCRIBE]


def test_every_post_of_the_matrix_is_tried():
    posts = {param.values[0] for param in MATRIX if param.values[1] == "post"}
    assert {param.values[0] for param in MATRIX_POSTS} == posts


# --- log-in, log-out, passwords, admin ---------------------------------------------------


def test_login_needs_the_token(officer):
    client = csrf_client()
    url = reverse("login")
    token = token_from(client.get(url))
    credentials = {"username": officer.username, "password": PASSWORD}
    assert client.post(url, credentials).status_code == REFUSED
    assert "_auth_user_id" not in client.session
    response = client.post(url, {**credentials, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == reverse("officer:home")


def test_admin_login_needs_the_token(db):
    client = csrf_client()
    url = reverse("admin:login")
    token_from(client.get(url))
    assert client.post(url, {"username": "x", "password": "y"}).status_code == REFUSED


def test_logout_needs_the_token(officer):
    client = csrf_client(officer)
    token = token_from(client.get(reverse("password_change")))
    assert client.post(reverse("logout")).status_code == REFUSED
    assert client.get(reverse("officer:home")).status_code == 200  # still signed in
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get(reverse("officer:home")).status_code == 302  # signed out


def test_password_change_needs_the_token(officer):
    client = csrf_client(officer)
    url = reverse("password_change")
    token = token_from(client.get(url))
    data = {"old_password": PASSWORD, "new_password1": "another-long-pass-77", "new_password2": "another-long-pass-77"}
    assert client.post(url, data).status_code == REFUSED
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("another-long-pass-77")


def test_password_reset_needs_the_token(officer, mailoutbox):
    client = csrf_client()
    url = reverse("password_reset")
    token = token_from(client.get(url))
    assert client.post(url, {"email": officer.email}).status_code == REFUSED
    assert client.post(url, {"email": officer.email, "csrfmiddlewaretoken": token}).status_code == 302


def test_password_reset_confirm_needs_the_token(officer):
    client = csrf_client()
    uid = urlsafe_base64_encode(force_bytes(officer.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(officer)])
    form_page = client.get(link, follow=True)  # Django swaps the token for a session key
    url = form_page.redirect_chain[-1][0]
    token = token_from(form_page)
    data = {"new_password1": "reset-long-pass-99", "new_password2": "reset-long-pass-99"}
    assert client.post(url, data).status_code == REFUSED
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("reset-long-pass-99")


# --- the main forms, sent back with the token their own page carries ----------------------


def test_propose_a_session_through_its_page(officer, ward, venue, soon):
    client = csrf_client(officer)
    url = reverse("officer:session-propose", args=[ward.pk])
    token = token_from(client.get(url))
    day = soon + dt.timedelta(days=1)
    data = {
        "csrfmiddlewaretoken": token,
        "date": day.isoformat(),
        "start_time": "18:00",
        "end_time": "19:00",
        "venue": venue.pk,
        "format": "surgery",
        "officers": [officer.officer.pk],
        "description": "Drop in and meet us.",
        "new_venue_kind": "other",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ContactSession.objects.get().status == SessionStatus.PROPOSED


def test_approve_from_the_review_queue(world):
    client = csrf_client(world["users"]["board_member"])
    proposal = world["proposal"]
    token = token_from(client.get(reverse("board:queue")))
    url = reverse("board:session-approve", args=[proposal.pk])
    response = client.post(url, {"csrfmiddlewaretoken": token, "version": proposal.version, "next_page": "queue"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == SessionStatus.APPROVED


def test_comment_from_the_session_page(world):
    client = csrf_client(world["users"]["panel_member"])
    proposal = world["proposal"]
    token = token_from(client.get(reverse("officer:session-detail", args=[proposal.pk])))
    url = reverse("officer:session-comment", args=[proposal.pk])
    assert client.post(url, {"csrfmiddlewaretoken": token, "text": "Good spot"}).status_code == 302
    assert proposal.comments.filter(text="Good spot").exists()


def test_record_an_outcome_through_its_page(world):
    client = csrf_client(world["users"]["officer"])
    held = world["held"]
    url = reverse("monitoring:outcome-record", args=[held.pk])
    token = token_from(client.get(url))
    assert client.post(url, {**OUTCOME, "csrfmiddlewaretoken": token}).status_code == 302
    held.refresh_from_db()
    assert held.outcome.attendance == OUTCOME["attendance"]


def test_propose_an_exemption_from_the_exemptions_page(world):
    client = csrf_client(world["users"]["officer"])
    token = token_from(client.get(reverse("monitoring:exemptions")))
    data = {"ward": world["ward"].pk, "week": world["next_week"].isoformat(), "reason": "Carnival"}
    response = client.post(reverse("monitoring:exemption-propose"), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert WeekExemption.objects.filter(week_start=world["next_week"]).exists()
