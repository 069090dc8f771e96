"""The demo wards' public side: priorities set with their Ward Panels, the team's contact
details, officers' introductions and the languages they speak, and sessions linked to a
priority. Everything made up is marked as demo: addresses on a reserved domain, telephone
numbers from Ofcom's range kept for drama (020 7946 0xxx), no social accounts."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from contactsessions.demo.people import demo_users
from contactsessions.demo.plans import Plan
from wards.models import Language, Officer, OfficerLanguage, Ward, WardPriority, WardTeamContact

# (issue, action taken): what London's Ward Panels most often ask for.
PRIORITIES = [
    ("Burglary", "Property-marking sessions and crime-prevention visits to homes on the worst-hit streets."),
    (
        "Anti-social behaviour around the shops",
        "Patrols at closing time and a dispersal order agreed with the council.",
    ),
    ("Theft of and from vehicles", "Street briefings in the car parks; catalytic-converter marking."),
    ("Drug dealing in the estate's stairwells", "Warrants executed with the housing team; door entry repaired."),
    ("Phone snatches by moped riders", "Stop-and-talk patrols at the station; advice stalls on keeping phones safe."),
    ("Speeding on residential roads", "Community Roadwatch with residents; the council asked for traffic calming."),
    ("Cycle theft", "Bike-marking sessions and new stands in view of the cameras."),
    ("Fly-tipping and nuisance in the park", "Joint patrols with the council's wardens."),
    ("Shoplifting on the high street", "A shop-watch radio link and visits to every shop."),
]
INTRODUCTIONS = [
    "I have worked in this ward for {years} years and know many of its streets by name. Come and say hello.",
    "Before joining the Met I was a youth worker; I am happy to talk about anything that worries you.",
    "I grew up near here. Ask me about burglary prevention or how to report something safely.",
]
SPOKEN = [c for c in Language.values if c not in ("en",)]
EMAIL_DOMAIN = "demo.invalid"  # as the demo users' addresses


def make_team(
    wards: Sequence[Ward],
    officers: dict[int, list[Officer]],
    authors: dict[int, int],
    *,
    seed: int,
    today: dt.date,
) -> dict[int, list[WardPriority]]:
    """Replace the demo wards' priorities, contact details, introductions and languages;
    return each ward's current priorities (by ward id), for sessions to be linked to.
    ``authors``: the user id that set each ward's priorities and contact details."""
    clear_team(o.pk for ward_officers in officers.values() for o in ward_officers)
    contacts, priorities, languages, introduced = [], [], [], []
    has_contact = set(WardTeamContact.objects.values_list("ward_id", flat=True))  # a real team's: kept
    for ward in wards:
        rng = random.Random(f"{seed}:team:{ward.code}")  # nosec B311: made-up data, not secrets
        author_id = authors.get(ward.pk)
        slug = "".join(ch for ch in ward.name.lower() if ch.isalnum())[:40]
        if ward.pk not in has_contact:
            contacts.append(
                WardTeamContact(
                    ward=ward,
                    email=f"{slug}.snt@{EMAIL_DOMAIN}",
                    telephone=f"020 7946 0{rng.randrange(1000):03d}",
                    updated_by_id=author_id,
                )
            )
        for issue, action in rng.sample(PRIORITIES, rng.choice((1, 2, 2, 3))):
            issued = today - dt.timedelta(days=rng.randrange(20, 180))
            acted = rng.random() < 0.7
            priorities.append(
                WardPriority(
                    ward=ward,
                    issue=issue,
                    issue_date=issued,
                    action=action if acted else "",
                    action_date=issued + dt.timedelta(days=rng.randrange(7, 19)) if acted else None,
                    created_by_id=author_id,
                )
            )
        for officer in officers.get(ward.pk, []):
            officer.bio = rng.choice(INTRODUCTIONS).format(years=rng.randrange(2, 9)) if rng.random() < 0.4 else ""
            introduced.append(officer)
            if rng.random() < 0.3:
                languages += [
                    OfficerLanguage(officer=officer, language=c) for c in rng.sample(SPOKEN, rng.choice((1, 1, 2)))
                ]
    WardTeamContact.objects.bulk_create(contacts, batch_size=2000)
    WardPriority.objects.bulk_create(priorities, batch_size=2000)
    OfficerLanguage.objects.bulk_create(languages, batch_size=2000)
    Officer.objects.bulk_update(introduced, ["bio"], batch_size=2000)
    by_ward: dict[int, list[WardPriority]] = {}
    for priority in priorities:
        by_ward.setdefault(priority.ward_id, []).append(priority)
    return by_ward


def link_sessions(plans: list[Plan], priorities: dict[int, list[WardPriority]], *, seed: int, now: dt.datetime) -> int:
    """Link about a third of each ward's coming sessions to one of its priorities."""
    rng = random.Random(f"{seed}:priorities")  # nosec B311: made-up data, not secrets
    linked = 0
    for plan in plans:
        session = plan.session
        choices = priorities.get(session.ward_id)
        if choices and session.start > now and rng.random() < 0.35:
            session.priority = rng.choice(choices)
            linked += 1
    return linked


def clear_team(officer_ids: Any) -> None:
    """Delete what an earlier demo load made of the wards' public side (and nothing else)."""
    WardPriority.objects.filter(created_by__in=demo_users()).delete()
    WardTeamContact.objects.filter(Q(updated_by__in=demo_users()) | Q(email__endswith="@" + EMAIL_DOMAIN)).delete()
    OfficerLanguage.objects.filter(officer_id__in=list(officer_ids)).delete()
