"""What a ward delivered: the record the ward page and the API show for the last three
months (issue 14: "No peer publishes whether the promised sessions happened; we do").
The ward page's view and the API's neighbourhood answer read it from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from contactsessions import rules
from contactsessions.models import ContactSession
from contactsessions.outcome_figures import add_months
from wards.models import Ward

DELIVERY_MONTHS = 3  # how far back the ward page and API report what the ward delivered


@dataclass(frozen=True)
class Delivery:
    """A ward's record since ``since``: approved sessions that ended (planned), those whose
    outcome says they were held, and the people met at them."""

    since: dt.date
    planned: int
    held: int
    people_met: int

    def as_json(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat(),
            "sessions_planned": self.planned,
            "sessions_held": self.held,
            "people_met": self.people_met,
        }


def ward_delivery(ward: Ward, *, now: dt.datetime) -> Delivery:
    """The ward's record over the last ``DELIVERY_MONTHS`` months, in one query: sessions
    published as approved that started since then and have ended, how many of them the
    DWO recorded as held, and the people met at those. A session with no outcome yet is
    planned but not (yet) held; a cancelled one was never going to happen and is left out."""
    since = add_months(timezone.localtime(now).date(), -DELIVERY_MONTHS)
    start = dt.datetime.combine(since, dt.time(0), tzinfo=rules.LONDON)
    # The sessions' outcomes (a dozen rows a quarter, a few dozen in an Enhanced ward), counted
    # here: Django's aggregate() cost twice the time to build and compile (issue 19, round six).
    outcomes = (
        ContactSession.objects.published()
        .approved()
        .filter(ward=ward, start__gte=start, end__lte=now)
        .order_by()
        .values_list("outcome__held", "outcome__attendance")
    )
    planned = held = people = 0
    for was_held, attendance in outcomes:
        planned += 1
        if was_held:
            held += 1
            people += attendance or 0
    return Delivery(since=since, planned=planned, held=held, people_met=people)
