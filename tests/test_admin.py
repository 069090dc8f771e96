"""Staff can use the Django admin for every model: each list, search and add page answers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

OUR_APPS = {"wards", "venues", "contactsessions", "auth"}
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in OUR_APPS
)


# Replaced wholesale by load_postcodes; written by change_ward_boundaries.
READ_ONLY = {("wards", "postcode"), ("wards", "wardsuccession"), ("wards", "wardsetchange")}
# Made only through the services, which check the rules and keep the trail.
MADE_BY_SERVICES = {
    ("contactsessions", "contactsession"),
    ("contactsessions", "sessionseries"),
    ("contactsessions", "sessionoutcome"),
    ("contactsessions", "sessioncomment"),
    ("contactsessions", "weekexemption"),
    ("contactsessions", "londonexemptperiod"),
    # The ward team's public side (issue 16): shown in the admin, written by services.team.
    ("wards", "wardpriority"),
    ("wards", "wardteamcontact"),
    ("wards", "officerprofile"),
    ("wards", "officerlanguage"),
}


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-test-password-42")
    client.force_login(user)
    return client


@pytest.mark.parametrize(("app", "model"), REGISTERED, ids=[f"{a}.{m}" for a, m in REGISTERED])
def test_admin_changelist_and_search_work(staff_client, ward, venue, app, model):
    url = reverse(f"admin:{app}_{model}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "<script>'; DROP TABLE"}).status_code == 200


@pytest.mark.parametrize(("app", "model"), REGISTERED, ids=[f"{a}.{m}" for a, m in REGISTERED])
def test_admin_add_form_opens_unless_read_only(staff_client, app, model):
    response = staff_client.get(reverse(f"admin:{app}_{model}_add"))
    assert response.status_code == (403 if (app, model) in READ_ONLY or (app, model) in MADE_BY_SERVICES else 200)


def test_every_model_is_in_the_admin():
    from django.apps import apps

    ours = {
        (m._meta.app_label, m._meta.model_name)
        for app in ("wards", "venues", "contactsessions")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.model_name.startswith("historical") and m._meta.model_name != "enhancedslot"
    }
    assert ours <= set(REGISTERED)


# --- Workflow fields are the services' to change ----------------------------------------
# Status, times, venue and decisions change only through the services, which raise
# ``version`` (stale forms are refused) and ``sequence`` (calendar subscribers update).


def _change_form_data(client, url: str) -> dict:
    """What the admin's change form would send back unchanged: its fields and inline management forms."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    return data


@pytest.fixture
def approved_session(make_session, soon):
    from tests.conftest import london

    return make_session(london(soon.year, soon.month, soon.day, 18), description="Bring your questions.")


def _session_url(session) -> str:
    return reverse("admin:contactsessions_contactsession_change", args=[session.pk])


def test_admin_edits_only_the_texts_of_a_saved_session(staff_client, approved_session):
    from contactsessions.services.sessions import TEXT_FIELDS

    form = staff_client.get(_session_url(approved_session)).context["adminform"].form
    assert set(form.fields) == {*TEXT_FIELDS, "seen_version"}


def test_superuser_cannot_change_status_or_start_through_the_admin(staff_client, approved_session):
    from contactsessions.models import SessionStatus

    url = _session_url(approved_session)
    data = _change_form_data(staff_client, url)
    data.update(
        status=SessionStatus.CANCELLED,
        start_0="2031-01-01",
        start_1="09:00:00",
        start="2031-01-01 09:00",
        has_pending_change="on",
        version="99",
        sequence="99",
        description="Bring your questions, and tea.",
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    before = (approved_session.status, approved_session.start)
    approved_session.refresh_from_db()
    assert (approved_session.status, approved_session.start) == before
    assert not approved_session.has_pending_change
    assert approved_session.description == "Bring your questions, and tea."  # the allowed part was saved


def test_admin_correction_raises_version_and_sequence(staff_client, approved_session):
    url = _session_url(approved_session)
    data = _change_form_data(staff_client, url)
    data["description"] = "Now in the upstairs hall."
    assert staff_client.post(url, data).status_code == 302
    version, sequence = approved_session.version, approved_session.sequence
    approved_session.refresh_from_db()
    assert approved_session.description == "Now in the upstairs hall."
    assert (approved_session.version, approved_session.sequence) == (version + 1, sequence + 1)


def test_admin_correction_over_a_newer_change_is_refused(staff_client, approved_session):
    url = _session_url(approved_session)
    from contactsessions.models import ContactSession

    data = _change_form_data(staff_client, url)
    ContactSession.objects.filter(pk=approved_session.pk).update(version=approved_session.version + 1)
    data["description"] = "Overwritten?"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this session" in response.content.decode()
    approved_session.refresh_from_db()
    assert approved_session.description == "Bring your questions."


def test_admin_cannot_decide_a_week_exemption(staff_client, ward, officer, soon):
    from contactsessions.models import ExemptionStatus, WeekExemption

    exemption = WeekExemption.objects.create(ward=ward, week_start=soon, reason="Carnival", proposed_by=officer)
    url = reverse("admin:contactsessions_weekexemption_change", args=[exemption.pk])
    data = _change_form_data(staff_client, url)
    assert set(data) == {"reason"}
    data.update(status=ExemptionStatus.AGREED, decided_by=str(officer.pk), reason="Notting Hill Carnival")
    assert staff_client.post(url, data).status_code == 302
    exemption.refresh_from_db()
    assert (exemption.status, exemption.decided_by, exemption.reason) == (
        ExemptionStatus.PROPOSED,
        None,
        "Notting Hill Carnival",
    )
