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
    assert response.status_code == (403 if (app, model) == ("wards", "postcode") else 200)


def test_every_model_is_in_the_admin():
    from django.apps import apps

    ours = {
        (m._meta.app_label, m._meta.model_name)
        for app in ("wards", "venues", "contactsessions")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.model_name.startswith("historical") and m._meta.model_name != "enhancedslot"
    }
    assert ours <= set(REGISTERED)
