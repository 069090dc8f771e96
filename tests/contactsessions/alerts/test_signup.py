"""Signing up for a ward's alerts: double opt-in, bad input, one link an hour, rate limits,
and what is (not) stored. As a resident, and as an attacker trying addresses."""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid

import html5lib
import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactsessions import services
from contactsessions.alerts import services as alert_services
from contactsessions.alerts import tokens
from contactsessions.alerts.models import ConfirmationSent, Frequency, Subscriber, Subscription
from contactsessions.models import SessionStatus
from contactsessions.services.errors import ServiceError
from tests.contactsessions.alerts.conftest import RESIDENT, link_in

pytestmark = pytest.mark.django_db


def test_ward_page_links_to_the_alerts_page_and_stays_cached(client, ward, django_assert_num_queries):
    url = reverse("public:ward", args=[ward.code])
    first = client.get(url)
    assert reverse("alerts:subscribe", args=[ward.code]) in first.content.decode()
    assert "Tell me about new sessions here" in first.content.decode()
    # No CSRF token and no cookie on the ward page, so the public cache keeps it...
    assert b"csrfmiddlewaretoken" not in first.content
    assert not first.cookies
    # ...and the next visitor is answered from the cache without a query.
    with django_assert_num_queries(0):
        assert Client().get(url).status_code == 200


def test_alerts_page_carries_the_csrf_token_and_is_never_stored(client, ward):
    response = client.get(reverse("alerts:subscribe", args=[ward.code]))
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "no-store" in response["Cache-Control"]
    assert reverse("alerts:privacy") in response.content.decode()


def test_sign_up_works_with_csrf_checks_and_is_refused_without_a_token(ward, mailoutbox):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("alerts:subscribe", args=[ward.code])
    page = browser.get(url)
    token = page.context["csrf_token"]
    refused = browser.post(url, {"email": RESIDENT, "frequency": "each"})
    assert refused.status_code == 403
    accepted = browser.post(url, {"email": RESIDENT, "frequency": "each", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 200
    assert "Check your e-mail" in accepted.content.decode()


def test_nothing_is_stored_or_sent_but_the_confirmation_until_the_link_is_used(
    sign_up, ward, mailoutbox, board_member, make_session, django_capture_on_commit_callbacks
):
    response = sign_up(ward, email="  Resident@Example.ORG ")
    assert response.status_code == 200
    (confirmation,) = mailoutbox
    assert confirmation.to == [RESIDENT]
    assert "Confirm e-mail alerts for St Pancras and Somers Town" in confirmation.subject
    assert "List-Unsubscribe" not in confirmation.extra_headers  # not subscribed yet
    assert Subscriber.objects.count() == Subscription.objects.count() == 0
    # The hour's limit keeps a keyed digest, never the address.
    digests = list(ConfirmationSent.objects.values_list("digest", flat=True))
    assert len(digests) == 2  # this ward and frequency; the address's count of links
    assert all("resident" not in digest and len(digest) == 64 for digest in digests)

    # A session published now reaches nobody: the address has not confirmed.
    proposal = make_session(timezone.now() + dt.timedelta(days=3), status=SessionStatus.PROPOSED)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_approve(session=proposal, by=board_member, version=proposal.version)
    assert all(RESIDENT not in m.to for m in mailoutbox[1:])


def test_confirmation_link_shows_a_button_and_only_the_post_subscribes(client, sign_up, ward, mailoutbox):
    sign_up(ward, frequency=Frequency.WEEKLY)
    link = link_in(mailoutbox[0], "/alerts/confirm/")

    page = client.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200
    assert "Yes, start my alerts" in page.content.decode()
    assert RESIDENT in page.content.decode()
    assert Subscription.objects.count() == 0

    done = client.post(link)
    assert done.status_code == 200
    assert "Your alerts are on" in done.content.decode()
    (subscription,) = Subscription.objects.select_related("subscriber")
    assert (subscription.subscriber.email, subscription.ward, subscription.frequency) == (RESIDENT, ward, "weekly")
    assert subscription.confirmed_at is not None
    # Using the link again is harmless: still one subscription.
    client.post(link)
    assert Subscription.objects.count() == 1


def test_only_the_address_its_wards_and_choices_are_stored():
    # The language is the one of the sign-up page, said in the privacy notice (test_languages.py).
    assert {f.name for f in Subscriber._meta.concrete_fields} == {
        "id",
        "email",
        "created_at",
        "summary_sent_at",
        "language",
    }
    assert {f.name for f in Subscription._meta.concrete_fields} == {
        "id",
        "subscriber",
        "ward",
        "frequency",
        "confirmed_at",
    }
    assert {f.name for f in ConfirmationSent._meta.concrete_fields} == {"digest", "sent_at"}


def test_one_address_follows_several_wards(
    client, sign_up, ward, other_ward, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(ward)
    client.post(link_in(mailoutbox[0], "/alerts/confirm/"))
    an_hour_later = timezone.now() + dt.timedelta(hours=1, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.alert_request(email=RESIDENT, ward=other_ward, frequency="weekly", now=an_hour_later)
    client.post(link_in(mailoutbox[1], "/alerts/confirm/"))
    followed = Subscription.objects.filter(subscriber__email=RESIDENT).order_by("ward__name")
    assert [(s.ward, s.frequency) for s in followed] == [(other_ward, "weekly"), (ward, "each")]
    assert Subscriber.objects.count() == 1


def test_an_expired_confirmation_link_explains_itself_and_changes_nothing(client, ward, monkeypatch):
    token = tokens.confirm_token(email=RESIDENT, ward_id=ward.pk, frequency="each")
    later = time.time() + tokens.CONFIRM_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    for method in (client.get, client.post):
        response = method(reverse("alerts:confirm", args=[token]))
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        assert "too old" in response.content.decode()
    assert Subscriber.objects.count() == 0
    with pytest.raises(ServiceError) as refused:
        alert_services.alert_confirm(token=token)
    assert refused.value.codes == ["alerts.link_expired"]


@pytest.mark.parametrize("how", ["one character", "another ward", "cut short", "an unsubscribe link"])
def test_an_altered_confirmation_link_explains_itself_and_changes_nothing(client, ward, other_ward, how):
    token = tokens.confirm_token(email=RESIDENT, ward_id=ward.pk, frequency="each")
    value, _, signature = token.rpartition(":")
    altered = {
        "one character": f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        "another ward": tokens.confirm_token(email=RESIDENT, ward_id=ward.pk, frequency="each").replace(
            value.split(":")[0], signing.b64_encode(b'{"e":"x@example.org","w":%d,"f":"each"}' % other_ward.pk).decode()
        ),
        "cut short": token[:20],
        "an unsubscribe link": tokens.unsubscribe_token(subscriber_id=1, ward_ids=[ward.pk]),
    }[how]
    for method in (client.get, client.post):
        response = method(reverse("alerts:confirm", args=[altered]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
        html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")
    assert Subscriber.objects.count() == 0
    with pytest.raises(ServiceError) as refused:
        alert_services.alert_confirm(token=altered)
    assert refused.value.codes == ["alerts.link_invalid"]


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your e-mail address."),
        ("not-an-address", "Enter an e-mail address in the right form, like name@example.com."),
        ("someone@", "Enter an e-mail address in the right form, like name@example.com."),
        # Mail to the server itself or to a bare address: the relay would deliver it inside.
        ("root@localhost", "Enter an e-mail address in the right form, like name@example.com."),
        ("someone@[10.0.0.5]", "Enter an e-mail address in the right form, like name@example.com."),
        ("someone@[IPv6:::1]", "Enter an e-mail address in the right form, like name@example.com."),
        ("someone@intranet", "Enter an e-mail address in the right form, like name@example.com."),
        ("a" * 250 + "@example.org", "That e-mail address is too long"),
        ("throwaway@mailinator.com", "temporary (disposable) e-mail address"),
        ("x@eu.Guerrillamail.COM", "temporary (disposable) e-mail address"),
    ],
)
def test_bad_addresses_get_a_clear_message_and_nothing_is_sent(sign_up, ward, mailoutbox, email, message):
    response = sign_up(ward, email=email)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert mailoutbox == []
    assert ConfirmationSent.objects.count() == 0


def test_a_missing_or_made_up_choice_is_refused(sign_up, ward, mailoutbox):
    response = sign_up(ward, frequency="hourly")
    assert "Choose how often you would like to hear from us." in response.content.decode()
    assert mailoutbox == []
    with pytest.raises(ServiceError) as refused:
        alert_services.alert_request(email=RESIDENT, ward=ward, frequency="hourly")
    assert refused.value.codes == ["alerts.frequency"]


def test_repeated_sign_ups_send_one_confirmation_an_hour_with_the_same_calm_answer(sign_up, ward, mailoutbox):
    answers = [sign_up(ward, email=e) for e in (RESIDENT, RESIDENT.upper(), f" {RESIDENT} ")]
    assert len(mailoutbox) == 1
    assert answers[1].content == answers[2].content  # the repeats: no new link, said calmly
    assert "at most one link an hour" in answers[0].content.decode()

    assert alert_services.alert_request(email=RESIDENT, ward=ward, frequency="each") is False
    an_hour_later = timezone.now() + dt.timedelta(hours=1, seconds=1)
    assert alert_services.alert_request(email=RESIDENT, ward=ward, frequency="each", now=an_hour_later) is True


def test_the_answer_is_the_same_for_an_address_already_subscribed(sign_up, follow, ward, other_ward):
    follow(ward, email="known@example.org")
    known = sign_up(ward, email="known@example.org")
    unknown = sign_up(ward, email="unknown@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content


def test_the_form_is_rate_limited_per_client(sign_up, ward, settings, mailoutbox):
    settings.ALERTS_RATE_PER_CLIENT = "3/h"
    answers = [sign_up(ward, email=f"person{n}@example.org") for n in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert len(mailoutbox) == 3
    # Another client is not held back.
    assert sign_up(ward, email="other@example.org", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_an_unknown_ward_is_a_404(client, db):
    assert client.get(reverse("alerts:subscribe", args=["E05999999"])).status_code == 404


def test_privacy_notice_says_what_is_kept_for_how_long_and_how_to_leave(client):
    content = client.get(reverse("alerts:privacy")).content.decode()
    assert "Only your e-mail address, the wards you follow" in content
    assert "Until you unsubscribe" in content
    assert "we delete that entry within a day of the e-mail going out" in content
    assert reverse("alerts:leave") in content


def test_the_hour_s_digests_are_forgotten_after_the_hour(ward, follow):
    alert_services.alert_request(email=RESIDENT, ward=ward, frequency="each")
    assert alert_services.forget_old_link_records() == 0
    # One for the address, ward and frequency; one counting the address's links.
    assert alert_services.forget_old_link_records(now=timezone.now() + dt.timedelta(hours=1, seconds=1)) == 2
    assert ConfirmationSent.objects.count() == 0


def test_another_ward_or_frequency_within_the_hour_gets_its_own_link(sign_up, ward, other_ward, mailoutbox):
    first = sign_up(ward)
    assert sign_up(other_ward).status_code == 200
    assert sign_up(ward, frequency="weekly").status_code == 200
    assert len(mailoutbox) == 3
    sent = first.content.decode()
    assert "We are sending a link" in sent and "a short while ago" not in sent


def test_a_repeat_within_the_hour_says_calmly_that_no_new_link_was_sent(sign_up, follow, ward, mailoutbox):
    sign_up(ward)
    again = sign_up(ward).content.decode()
    assert len(mailoutbox) == 1
    assert "We sent a link to that address a short while ago" in again
    assert "We are sending a link" not in again
    # The same words whether or not the address already follows the ward.
    follow(ward, email="known@example.org")
    sign_up(ward, email="known@example.org")
    assert sign_up(ward, email="known@example.org").content.decode() == again


def test_one_address_gets_at_most_a_few_links_an_hour_in_all(ward, other_ward, monkeypatch):
    monkeypatch.setattr(alert_services, "CONFIRMATIONS_PER_ADDRESS", 3)
    asked = [(ward, "each"), (ward, "weekly"), (other_ward, "each"), (other_ward, "weekly")]
    answers = [alert_services.alert_request(email=RESIDENT, ward=w, frequency=f) for w, f in asked]
    assert answers == [True, True, True, False]
    # The refused one left nothing behind: after the hour it may be asked again.
    later = timezone.now() + dt.timedelta(hours=1, seconds=1)
    assert alert_services.alert_request(email=RESIDENT, ward=other_ward, frequency="weekly", now=later) is True
    # Only digests are kept, never the address.
    assert not ConfirmationSent.objects.filter(digest__icontains="example").exists()


def test_a_confirmation_link_for_a_redrawn_ward_is_refused_with_the_new_wards(client, ward, other_ward):
    from wards.models import WardSuccession

    token = tokens.confirm_token(email=RESIDENT, ward_id=ward.pk, frequency="each")
    type(ward).objects.filter(pk=ward.pk).update(is_current=False)
    WardSuccession.objects.create(
        predecessor=ward, successor=other_ward, postcodes=10, share=1.0, changed_on=dt.date(2026, 12, 7)
    )
    for method in (client.get, client.post):
        response = method(reverse("alerts:confirm", args=[token]))
        assert response.status_code == 410
        content = response.content.decode()
        assert "was redrawn" in content
        assert reverse("alerts:subscribe", args=[other_ward.code]) in content
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    with pytest.raises(ServiceError) as refused:
        alert_services.alert_confirm(token=token)
    assert refused.value.codes == ["alerts.ward_redrawn"]


def test_finished_tasks_holding_an_address_are_pruned_by_the_weekly_job(ward, settings):
    from django.core.management import call_command
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from contactsessions.alerts import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    done = tasks.send_confirmation.enqueue(email=RESIDENT, ward_id=ward.pk, frequency="each")
    waiting = tasks.send_leave_link.enqueue(email="waiting@example.org")
    DBTaskResult.objects.filter(pk=done.id).update(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
    call_command("send_ward_alert_summaries", stdout=io.StringIO())
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [uuid.UUID(str(waiting.id))]


def test_the_daily_prune_command_deletes_finished_task_results(ward, settings):
    from django.core.management import call_command
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from contactsessions.alerts import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    done = tasks.send_leave_link.enqueue(email=RESIDENT)
    DBTaskResult.objects.filter(pk=done.id).update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
    # As README's cron runs it.
    call_command("prune_db_task_results", "--min-age-days", "0", "--queue-name", "*", verbosity=0)
    assert not DBTaskResult.objects.exists()
