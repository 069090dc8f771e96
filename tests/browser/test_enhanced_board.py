"""An SNB member on a phone confirms an Enhanced site's weekly times (issue 15), and a venue
move with too little notice is refused by its field, accessibly."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contactsessions.models import EnhancedDesignation, EnhancedSlot
from venues.models import Venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_snb_member_confirms_the_weekly_times(page, login, assert_accessible, board_member, ward, venue):
    designation = EnhancedDesignation.objects.create(
        community="Somers Town", ward=ward, venue=venue, in_force_from=dt.date(2020, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=2, start_time=dt.time(18), end_time=dt.time(19))
    library = Venue.objects.create(name="Somers Town Library", address="Chalton Street", postcode="NW1 1EE", ward=ward)

    login(board_member)
    page.get_by_role("link", name="Open the review queue").click()
    expect(page).to_have_url(re.compile(r"/board/$"))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Enhanced sites")).click()
    expect(page).to_have_url(re.compile(r"/board/enhanced/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Somers Town").click()
    expect(page.get_by_text("Not confirmed.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Confirm the weekly times").click()
    expect(page.get_by_text("Weekly times confirmed")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw the confirmation")).to_be_visible()
    assert_accessible(page)
    designation.refresh_from_db()
    assert designation.pattern_confirmed_by == board_member

    too_soon = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label("New venue").select_option(str(library.pk))
    page.get_by_label("From").fill(too_soon.isoformat())
    page.get_by_role("button", name="Announce the move").click()
    expect(page.get_by_text(re.compile("Give the public notice")).first).to_be_visible()
    assert page.get_by_label("From").input_value() == too_soon.isoformat()
    assert_accessible(page)
