"""The ward page's parts that change only through writes, kept between builds (issue 19,
round four): its team and its borough's 24/7 front counters.

The page is rebuilt after every write to its ward (a session proposed, approved, moved) and
whenever it expires, a minute after it was built; these parts are then read from the cache
(``lib.fragments.kept``) while their scope tokens hold. The team is kept under the ward's
team token, which every write to the ward bumps except writes to sessions alone
(``invalidation.bump_wards``); the front counters under the borough's own token, which a
front counter or the borough bumps. Each key says what else the part depends on: the day
(who is posted to the ward today) and the language (the names of the officers' languages).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone, translation

from contactsessions.lib.fragments import kept
from contactsessions.lib.scopes import borough_scope, ward_team_scope
from contactsessions.public import selectors, team
from wards.models import Borough, FrontCounter, Ward

# Changed with ``team.TeamMember``'s fields, so a team kept by the code before a deploy (on
# Redis, shared) is not read by the code after it without the new fields.
TEAM_SHAPE = 2


def ward_team(request: HttpRequest, ward: Ward) -> team.WardTeam:
    """:func:`team.ward_team`, its officers and priorities kept while the ward's team is unchanged."""
    today = timezone.localdate()
    members, priorities = kept(
        request,
        f"ward-team:{TEAM_SHAPE}:{ward.pk}:{translation.get_language()}:{today.isoformat()}",
        [ward_team_scope(ward.pk)],
        lambda: (team.current_team(ward, today), team.current_priorities(ward)),
    )
    # The contact details come with the ward (select_related): nothing to keep.
    return team.WardTeam(members=members, contact=team.team_contact(ward), priorities=priorities)


def front_counters(request: HttpRequest, borough: Borough) -> list[FrontCounter]:
    """:func:`selectors.front_counters`, kept while the borough's own data is unchanged."""
    return kept(
        request, f"front-counters:{borough.pk}", [borough_scope(borough.pk)], lambda: selectors.front_counters(borough)
    )
