"""A resident following an old link (a 2014 ward code, a printed poster's QR code) lands on
today's ward, or chooses among the new wards when the old one was split."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from wards.models import Borough, Ward, WardSuccession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON = dt.date(2022, 5, 9)


def redrawn(old: Ward, *successors: tuple[Ward, int, bool]) -> None:
    Ward.objects.filter(pk=old.pk).update(is_current=False, in_use_until=ON - dt.timedelta(days=1))
    total = sum(n for _, n, _ in successors)
    for new, n, continues in successors:
        WardSuccession.objects.create(
            predecessor=old, successor=new, postcodes=n, share=n / total, continues=continues, changed_on=ON
        )


def test_a_2014_ward_code_lands_on_the_2022_ward_that_continues_it(page, assert_accessible):
    camden = Borough.objects.create(code="E09000007", name="Camden", slug="camden")
    old = Ward.objects.create(code="E05000143", name="St Pancras and Somers Town", borough=camden, ward_set="2014")
    new = Ward.objects.create(code="E05013669", name="St Pancras & Somers Town", borough=camden, ward_set="2022")
    kings_cross = Ward.objects.create(code="E05013666", name="King's Cross", borough=camden, ward_set="2022")
    redrawn(old, (new, 77, True), (kings_cross, 23, False))
    page.goto("/wards/E05000143/")
    page.wait_for_url(re.compile(r"/wards/E05013669/$"))
    expect(page.get_by_role("heading", name="St Pancras & Somers Town", level=1)).to_be_visible()
    assert_accessible(page)


def test_a_split_ward_lets_the_resident_choose(page, assert_accessible):
    enfield = Borough.objects.create(code="E09000010", name="Enfield", slug="enfield")
    old = Ward.objects.create(code="E05000209", name="Southgate Green", borough=enfield, ward_set="2014")
    arnos = Ward.objects.create(code="E05013672", name="Arnos Grove", borough=enfield, ward_set="2022")
    southgate = Ward.objects.create(code="E05013686", name="New Southgate", borough=enfield, ward_set="2022")
    redrawn(old, (arnos, 53, False), (southgate, 47, False))
    page.goto("/wards/E05000209/")
    expect(page.get_by_role("heading", name="Southgate Green has been redrawn", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="New Southgate").click()
    page.wait_for_url(re.compile(r"/wards/E05013686/$"))
    expect(page.get_by_role("heading", name="New Southgate", level=1)).to_be_visible()


def test_on_a_new_install_a_2014_link_lands_on_the_2022_ward(page):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)  # as make run: the 2022 set, with the old sets' successors
    page.goto("/wards/E05000048/")  # East Barnet, 2014
    page.wait_for_url(re.compile(r"/wards/E05013635/$"))
    expect(page.get_by_role("heading", name="East Barnet", level=1)).to_be_visible()
    page.goto("/wards/E05000143/")  # St Pancras and Somers Town, 2014
    page.wait_for_url(re.compile(r"/wards/E05013669/$"))
    expect(page.get_by_role("heading", name="St Pancras & Somers Town", level=1)).to_be_visible()
