"""Helpers for the e-mail alerts tests: sign up through the page, read links from the mail."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contactsessions.alerts.models import Frequency, Subscriber, Subscription

RESIDENT = "resident@example.org"


def link_in(message, path_start: str) -> str:
    """The path of the first link in ``message``'s text that starts with ``path_start``."""
    found = re.findall(r"https?://[^/\s]+(/\S+)", message.body)
    paths = [p for p in found if p.startswith(path_start)]
    assert paths, f"no {path_start} link in: {message.body}"
    return paths[0]


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """POST the sign-up form of ``ward``; the confirmation task runs at once (development's backend)."""

    def post(ward, email: str = RESIDENT, frequency: str = Frequency.EACH, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("alerts:subscribe", args=[ward.code]), {"email": email, "frequency": frequency}, **extra
            )

    return post


@pytest.fixture
def follow():
    """A confirmed subscription (as after the link was used)."""

    def make(ward, email: str = RESIDENT, frequency: str = Frequency.EACH) -> Subscription:
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        return Subscription.objects.create(
            subscriber=subscriber, ward=ward, frequency=frequency, confirmed_at=timezone.now()
        )

    return make
