from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from contactsessions.models import ContactSession, SessionStatus
from venues.models import Venue
from wards.models import WardAssignment

pytestmark = pytest.mark.django_db


def test_demo_data_covers_every_state_and_loads_twice_without_duplicates():
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    counts = (ContactSession.objects.count(), get_user_model().objects.count(), Venue.objects.count())
    assert set(ContactSession.objects.values_list("status", flat=True)) >= {
        SessionStatus.DRAFT,
        SessionStatus.PROPOSED,
        SessionStatus.APPROVED,
        SessionStatus.RETURNED,
        SessionStatus.REJECTED,
        SessionStatus.CANCELLED,
    }
    wards = WardAssignment.objects.values("ward").distinct().count()
    assert wards >= 50
    assert ContactSession.objects.filter(kind="enhanced").exists()
    call_command("load_demo_data", verbosity=0)
    assert (ContactSession.objects.count(), get_user_model().objects.count(), Venue.objects.count()) == counts
