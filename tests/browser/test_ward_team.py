"""A Ward Panel member sets a priority; a DWO fills in their profile with a photo and the
languages they speak, links a session to the priority and gives the team's contact details;
the public ward and session pages show it all, axe-clean at 375 px (issue 16)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    path = tmp_path / "alice.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 320), (30, 60, 150)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_panel_priority_dwo_profile_and_session_link_show_on_the_ward_page(
    page, login, assert_accessible, ward, officer, panel_member, make_session, photo_file
):
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    session = make_session(start)

    # The Ward Panel member sets a priority.
    login(panel_member)
    page.goto(f"/office/wards/{ward.pk}/priorities/")
    page.get_by_role("textbox", name="Priority").fill("Burglary prevention")
    page.get_by_label("Date set").fill(timezone.localdate().isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_text("Priority added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Burglary prevention")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    # The DWO fills in their profile: a photo without a description is refused first.
    login(officer)
    page.goto("/office/profile/")
    page.get_by_label("Short introduction").fill("I have worked in Somers Town for six years.")
    page.get_by_label("Turkish").check()
    page.get_by_label("Polish").check()
    page.get_by_label("Photo", exact=True).set_input_files(str(photo_file))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Describe the photo").fill("PC Alice Adams in uniform, smiling")
    page.get_by_label("Photo", exact=True).set_input_files(str(photo_file))  # a browser never keeps a file field
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(page.get_by_role("img", name="PC Alice Adams in uniform, smiling")).to_be_visible()
    assert_accessible(page)

    # ...gives the team's contact details, and links the session to the priority.
    page.goto(f"/office/wards/{ward.pk}/contact/")
    page.get_by_label("E-mail address").fill("somerstown.snt@met.police.uk")
    page.get_by_label("Phone number").fill("020 7946 0000")
    page.get_by_role("button", name="Save contact details").click()
    expect(page.get_by_text("Contact details saved.")).to_be_visible()
    page.goto(f"/office/sessions/{session.pk}/")
    page.get_by_label("This session is about").select_option(label="Burglary prevention")
    page.get_by_role("button", name="Save priority").click()
    expect(page.get_by_text("Session linked to the priority")).to_be_visible()
    expect(page.get_by_role("region", name="Ward priority")).to_contain_text("This session: Burglary prevention.")
    assert_accessible(page)
    page.context.clear_cookies()

    # The public ward page shows it all.
    page.goto(f"/wards/{ward.code}/")
    expect(page.get_by_role("heading", name="Ward priorities")).to_be_visible()
    expect(page.get_by_text("Burglary prevention")).to_be_visible()
    photo = page.get_by_role("img", name="PC Alice Adams in uniform, smiling")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") > 0  # the photo is served, not a broken link
    expect(page.get_by_text("I have worked in Somers Town for six years.")).to_be_visible()
    expect(page.get_by_text("Also speaks Polish and Turkish.")).to_be_visible()
    expect(page.get_by_role("link", name="somerstown.snt@met.police.uk")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/sessions/{session.pk}/")
    expect(page.get_by_text("This session: Burglary prevention")).to_be_visible()
    expect(page.get_by_text("Officers at this session speak Polish and Turkish.")).to_be_visible()
    assert_accessible(page)
