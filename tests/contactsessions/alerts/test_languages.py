"""The alerts speak the language of the page where the resident signed up: the
confirmation link carries it (signed), the subscriber keeps it, and every later e-mail
(the alerts, the weekly summary, the leaving link) is written in it, right to left in Arabic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from contactsessions import services
from contactsessions.alerts import tokens
from contactsessions.alerts.models import Frequency, Subscriber
from contactsessions.models import SessionStatus
from tests.contactsessions.alerts.conftest import RESIDENT, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_up_in(client, django_capture_on_commit_callbacks):
    """POST ``ward``'s sign-up form at its ``language`` address (``/pl/wards/<code>/alerts/``)."""

    def post(ward, language: str, frequency: str = Frequency.EACH, email: str = RESIDENT):
        with translation.override(language):
            url = reverse("alerts:subscribe", args=[ward.code])
        assert url.startswith(f"/{language}/")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"email": email, "frequency": frequency})

    return post


def test_a_polish_sign_up_gets_polish_e_mails_from_confirmation_to_alert(
    client, sign_up_in, ward, board_member, make_session, mailoutbox, django_capture_on_commit_callbacks
):
    page = sign_up_in(ward, "pl")
    assert "Sprawdź swoją skrzynkę e-mail" in page.content.decode()
    (confirmation,) = mailoutbox
    assert confirmation.subject == "Potwierdź powiadomienia e-mail dla okręgu St Pancras and Somers Town"
    assert 'lang="pl"' in confirmation.alternatives[0][0]
    link = link_in(confirmation, "/pl/alerts/confirm/")  # opens the Polish page
    assert "Tak, włącz moje powiadomienia" in client.get(link).content.decode()
    client.post(link)
    assert Subscriber.objects.get(email=RESIDENT).language == "pl"

    # Months later, sent by the worker in whatever language it runs: still Polish.
    proposal = make_session(timezone.now() + dt.timedelta(days=3), status=SessionStatus.PROPOSED)
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        services.session_approve(session=proposal, by=board_member, version=proposal.version)
    (alert,) = [m for m in mailoutbox[1:] if m.to == [RESIDENT]]
    assert alert.subject.startswith("Nowe spotkanie: St Pancras and Somers Town")
    assert "Wszystkie spotkania w okręgu" in alert.body
    assert "Wypisz się (jedno kliknięcie)" in alert.body
    assert link_in(alert, "/pl/alerts/unsubscribe/")
    with translation.override("pl"):
        assert reverse("public:session", args=[proposal.pk]) in alert.body


def test_an_arabic_weekly_summary_is_in_arabic_and_right_to_left(client, sign_up_in, ward, mailoutbox):
    sign_up_in(ward, "ar", frequency=Frequency.WEEKLY)
    client.post(link_in(mailoutbox[0], "/ar/alerts/confirm/"))
    subscriber = Subscriber.objects.get(email=RESIDENT)
    assert subscriber.language == "ar"
    call_command("send_ward_alert_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (summary,) = [m for m in mailoutbox[1:] if m.to == [RESIDENT]]
    assert summary.subject == "لقاءات التواصل هذا الأسبوع: St Pancras and Somers Town"
    assert "لم تُنشر بعد أي لقاءات للأسبوع القادم." in summary.body
    assert '<html lang="ar" dir="rtl">' in summary.alternatives[0][0]


def test_the_leaving_link_is_in_the_language_of_the_page_that_asked(
    client, follow, ward, mailoutbox, django_capture_on_commit_callbacks
):
    follow(ward)  # signed up in English
    with translation.override("tr"):
        url = reverse("alerts:leave")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": RESIDENT})
    (message,) = mailoutbox
    assert message.subject == "Polis buluşmalarıyla ilgili e-posta uyarılarınızı durdurun"
    assert link_in(message, "/tr/alerts/unsubscribe/")


def test_an_old_link_without_a_language_or_with_an_unknown_one_means_english(client, ward):
    # A link made before the language was kept, or with a language the site does not have.
    old = signing.TimestampSigner(salt="contactsessions.alerts.confirm").sign_object(
        {"e": RESIDENT, "w": ward.pk, "f": "each"}
    )
    assert tokens.read_confirm_token(old).language == "en-gb"
    odd = signing.TimestampSigner(salt="contactsessions.alerts.confirm").sign_object(
        {"e": RESIDENT, "w": ward.pk, "f": "each", "l": "xx"}
    )
    assert tokens.read_confirm_token(odd).language == "en-gb"
    client.post(reverse("alerts:confirm", args=[old]))
    assert Subscriber.objects.get(email=RESIDENT).language == "en-gb"
