"""``{% fixed_url %}`` and ``{% fixed_static %}`` print what ``{% url %}`` and ``{% static %}``
print, in every language, though they work each address out once a process (issue 19)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from wards.models import Ward

pytestmark = pytest.mark.django_db

OURS = (
    "{% load fixed_links %}{% fixed_url 'public:home' %}|{% fixed_url 'public:ward-poster' code %}|"
    "{% fixed_url 'public:session' pk as link %}{{ link }}|{% fixed_static 'css/site.css' %}|{% fixed_url 'login' %}"
)
DJANGOS = (
    "{% load static %}{% url 'public:home' %}|{% url 'public:ward-poster' code %}|"
    "{% url 'public:session' pk as link %}{{ link }}|{% static 'css/site.css' %}|{% url 'login' %}"
)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_same_addresses_as_djangos_tags_in_every_language(ward: Ward, language: str):
    context = {"code": ward.code, "pk": 12}
    with translation.override(language):
        ours = Template(OURS).render(Context(context))
        again = Template(OURS).render(Context(context))  # remembered this time
        djangos = Template(DJANGOS).render(Context(context))
    assert ours == again == djangos
    assert f"/{ward.code}/" in ours


def test_an_address_is_remembered_per_language(ward: Ward):
    template = Template("{% load fixed_links %}{% fixed_url 'public:ward' code %}")
    pages = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages.add(template.render(Context({"code": ward.code})))
    assert len(pages) == len(settings.LANGUAGES)


def test_a_changed_static_url_is_not_remembered(settings):
    template = Template("{% load fixed_links %}{% fixed_static 'css/site.css' %}")
    before = template.render(Context())
    settings.STATIC_URL = "/elsewhere/"
    assert template.render(Context()).startswith("/elsewhere/")
    assert before != template.render(Context())
