"""The ward page's session cards print what the template printed before they were prepared
in Python (issue 19): the same address, the same translated day and times, the same labels."""

from __future__ import annotations

import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from contactsessions.models import ContactSession, SessionFormat, SessionKind
from contactsessions.public.cards import session_cards
from contactsessions.public.sharing import format_label
from tests.conftest import london

pytestmark = pytest.mark.django_db

# The markup the card template had, for what the cards now prepare.
BEFORE = Template(
    '{% load i18n %}{% url "public:session" session.pk %}|'
    '{% blocktranslate trimmed with day=session.start|date:_("l j F") start=session.start|time:"H:i" '
    'end=session.end|time:"H:i" %}{{ day }}, {{ start }} to {{ end }}{% endblocktranslate %}|'
    "{{ session.get_format_display }}|{{ session.venue.accessibility_facts|join:', ' }}"
)


@pytest.mark.parametrize("language", ["en-gb", "pl", "ar", "ro", "tr"])
def test_a_card_prints_what_the_template_printed(make_session, venue, language):
    venue.hearing_loop = True
    venue.accessibility_notes = "Ramp at the side door"
    venue.save()
    sessions = [
        # Late evening in summer: the day in London is not the day in UTC.
        make_session(london(2030, 8, 4, 23, 30), minutes=45, format=SessionFormat.CUPPA),
        make_session(london(2030, 12, 1, 9, 5), kind=SessionKind.ENHANCED),
    ]
    with translation.override(language):
        cards = session_cards(sessions, {venue.pk: "0.6 km"})
        for session, card in zip(sessions, cards, strict=True):
            printed = f"{card.url}|{card.when}|{card.format_label}|{card.access_facts}"
            assert printed == BEFORE.render(Context({"session": session}))
            assert card.distance == "0.6 km"
            assert card.access_notes == "Ramp at the side door"
        assert [card.enhanced for card in cards] == [False, True]


def test_the_ward_pages_schema_org_list_names_each_sessions_officers(client, ward, make_session, second_officer):
    """Read as names in one query, without the officers' rows: each session its own, by name."""
    both = make_session(london(2030, 8, 5, 10))
    both.officers.add(second_officer.officer)
    make_session(london(2030, 8, 6, 10))
    body = client.get(reverse("public:ward", args=[ward.code])).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    names = [[p["name"] for p in item["item"]["performer"]] for item in data["itemListElement"]]
    assert names == [["PC Alice Adams", "PC Anna Achebe"], ["PC Alice Adams"]]


@pytest.mark.parametrize("language", ["en-gb", "pl", "ro", "ar", "tr"])
def test_a_sessions_format_label_is_djangos_in_every_language(language):
    with translation.override(language):
        for value in [*SessionFormat.values, "unknown"]:
            session = ContactSession(format=value)
            assert format_label(session) == session.get_format_display()
