"""A saved write is reported as saved even when what follows the commit fails.

E-mails go out after the commit (``transaction.on_commit``). When the mail server is down,
or the database drops between the commit and the queries that address the e-mail, the
session is already saved: the user must be told so, not shown a server error that invites
them to try again. Found while building ``make loadtest`` (docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from contactsessions.models import ContactSession, SessionStatus
from tests.conftest import london


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"


def form_data(day: dt.date, officer, venue) -> dict:
    return {
        "date": day.isoformat(),
        "start_time": "18:00",
        "end_time": "19:00",
        "venue": venue.pk,
        "format": "surgery",
        "officers": [officer.officer.pk],
        "new_venue_kind": "other",
    }


@pytest.mark.django_db(transaction=True)
def test_proposal_saved_while_mail_is_down_is_reported_saved(
    client, officer, board_member, ward, venue, soon, mail_down, caplog
):
    client.force_login(officer)
    with caplog.at_level(logging.ERROR):
        response = client.post(reverse("officer:session-propose", args=[ward.pk]), form_data(soon, officer, venue))
    session = ContactSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("officer:session-detail", args=[session.pk])
    assert session.status == SessionStatus.PROPOSED
    assert "SMTP server unreachable" in caplog.text  # the failure is logged for the operators


@pytest.mark.django_db(transaction=True)
def test_approval_saved_while_mail_is_down_is_reported_saved(
    client, officer, board_member, ward, venue, soon, mail_down, make_session
):
    session = make_session(london(soon.year, soon.month, soon.day, 18), status=SessionStatus.PROPOSED)
    client.force_login(board_member)
    response = client.post(
        reverse("board:session-approve", args=[session.pk]), {"version": session.version, "next_page": "queue"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.APPROVED
    page = client.get(reverse("board:queue"))
    assert "Approved." in page.content.decode()
